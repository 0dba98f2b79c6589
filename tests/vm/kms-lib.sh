# Sourced by the KMS guest tests (tests/vm/guest/6*-kms-*.sh): start and stop a
# zcomp on a given card of the VM, find cards by driver, count framebuffers.
ZCOMP=$ZC_BUILD_DIR/compositor/zcomp
ZC_SHM=$ZC_BUILD_DIR/clients/zc-shm
OUT=${ZC_VM_TEST_OUT:-.}
export LIBSEAT_BACKEND=noop XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/run/user/0}
export WAYLAND_DISPLAY=zc-kms

# card_of_driver DRIVER: prints /dev/dri/cardN of the first card of DRIVER.
card_of_driver() {
  local c
  for c in /sys/class/drm/card[0-9]*; do
    case "${c##*/}" in *-*) continue ;; esac
    # The DRM driver's name, as debugfs tells it ("virtio_gpu dev=...").
    local name=""
    read -r name _ < "/sys/kernel/debug/dri/${c##*card}/name" 2>/dev/null
    if [ "$name" = "$1" ]; then
      echo "/dev/dri/${c##*/}"
      return 0
    fi
  done
  return 1
}

# zcomp_start DEVICE LOG [ZCOMP ARGS...]: starts zcomp -b kms on DEVICE and waits
# for its socket. Sets ZCOMP_PID.
zcomp_start() {
  local dev=$1 log=$2 i
  shift 2
  rm -f "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY"
  "$ZCOMP" -b kms -d "$dev" -s "$WAYLAND_DISPLAY" -l debug "$@" > "$log" 2>&1 &
  ZCOMP_PID=$!
  for i in $(seq 1 200); do
    [ -S "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY" ] && return 0
    kill -0 "$ZCOMP_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "zcomp did not come up on $dev; its log:"
  cat "$log"
  return 1
}

# zcomp_stop: SIGTERM and wait; fails unless zcomp exited 0.
zcomp_stop() {
  local i
  kill -TERM "$ZCOMP_PID" 2>/dev/null
  for i in $(seq 1 100); do kill -0 "$ZCOMP_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$ZCOMP_PID" 2>/dev/null; then
    echo "zcomp ignored SIGTERM for 10 s: killing it"
    kill -KILL "$ZCOMP_PID"
  fi
  wait "$ZCOMP_PID"
  local rc=$?
  [ $rc = 0 ] || echo "zcomp exited with status $rc"
  return $rc
}

# fb_count DEVICE: framebuffers zcomp holds on DEVICE (debugfs).
fb_count() {
  local minor=${1##*card}
  grep -c 'allocated by = zcomp' "/sys/kernel/debug/dri/$minor/framebuffer" 2>/dev/null
}

# fb_ids CARD: the ids of the framebuffers zcomp made that the kernel still has, one a line.
fb_ids() {
  local minor=${1##*card}
  awk -F'[][]' '/^framebuffer\[/ { id = $2 } /allocated by = zcomp/ { print id }' \
    "/sys/kernel/debug/dri/$minor/framebuffer" 2>/dev/null
}

# udev_db_write_input: libinput takes only devices in the udev database (ID_INPUT_*
# properties). The guest has no udev daemon, so this writes the entries udev's input_id
# builtin would have made for every input device now present: E: lines are properties,
# and the file's existence marks the device initialized. Does nothing where udevd runs.
# A device with ABS_MT_POSITION_X is a touchscreen, one with relative axes a mouse,
# anything else a keyboard.
udev_db_write_input() {
  [ -e /run/udev/control ] && return 0
  local ev
  for ev in /sys/class/input/event*; do
    udev_db_write_event "$ev"
  done
}

# udev_db_write_event /sys/class/input/eventN: one device's entry (see above).
udev_db_write_event() {
  local ev=$1 maj min kind abs
  mkdir -p /run/udev/data
  IFS=: read -r maj min < "$ev/dev" || return 1
  abs=$(cat "$ev/device/capabilities/abs")
  if [ "$(cat "$ev/device/capabilities/rel")" != 0 ]; then
    kind="E:ID_INPUT_MOUSE=1"
  elif (( (16#${abs##* } >> 53) & 1 )); then
    # ABS_MT_POSITION_X (bit 53 of the abs bitmap's last word): a multitouch screen
    kind="E:ID_INPUT_TOUCHSCREEN=1"
  else
    kind=$'E:ID_INPUT_KEY=1\nE:ID_INPUT_KEYBOARD=1'
  fi
  printf 'I:%s\nE:ID_INPUT=1\n%s\nG:seat\nQ:seat\nV:1\n' \
    "$(($(date +%s) * 1000000))" "$kind" > "/run/udev/data/c$maj:$min"
  echo "udev db: ${ev##*/} ($(cat "$ev/device/name")): ${kind//$'\n'/ }"
}

# Verdict lines for tests that check many things and fail at the end: ok WHAT, bad WHAT
# (sets fail=1; the test exits with $fail).
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s until it succeeds; fails when
# SECONDS have passed (waits are long: the guest is slow when the host is busy).
wait_for() {
  local end=$((SECONDS + $1))
  shift
  until "$@"; do
    [ $SECONDS -ge $end ] && return 1
    sleep 0.2
  done
}
# Sleeps without starting a process (process start-up is slow in a busy TCG guest).
exec {KMS_NAP}<> <(:)
nap() { read -r -t "$1" -u "$KMS_NAP" _ || true; }

# wait_log FILE PATTERN [SECONDS]: waits (default 60 s) until an ERE matches a line of
# FILE; with WAIT_LOG_COUNT=N, until N lines match.
wait_log() {
  local file=$1 re=$2 secs=${3:-60} i n
  for i in $(seq 1 $((secs * 2))); do
    n=$(grep -cE "$re" "$file" 2>/dev/null)
    [ "${n:-0}" -ge "${WAIT_LOG_COUNT:-1}" ] && return 0
    nap 0.5
  done
  echo "no '$re' in $file after $secs s"
  return 1
}

# connector_force CARD CONNECTOR on|off|detect: forces a connector's state through sysfs
# and sends the card's hotplug uevent, which the kernel itself only sends for drivers
# that poll their connectors (virtio-gpu does not).
connector_force() {
  echo "$3" > "/sys/class/drm/$1-$2/status" &&
    echo "change 00000000-0000-0000-0000-000000000000 HOTPLUG=1" > "/sys/class/drm/$1/uevent"
}

# dump_pattern OUT.ppm [HEAD] [TRIES]: screendumps virtio-gpu's HEAD until one shows a
# whole zc-shm frame (default 8 tries); the last dump stays in OUT.ppm.
dump_pattern() {
  local out=$1 head=${2:-0} tries=${3:-8} i
  for i in $(seq 1 "$tries"); do
    zc-vm-screendump "$out" "$head" || continue
    zc-vm-pattern-check "$out" && return 0
    nap 1
  done
  return 1
}

# check COMMAND...: runs it, prints ok/FAILED with the command; a failure sets fail=1.
check() { if "$@"; then echo "ok: $*"; else echo "FAILED: $*"; fail=1; fi; }

# weston_start DEVICE SOCKET LOG [WESTON ARGS...]: weston 14's DRM backend on DEVICE (kiosk
# shell, no input devices needed, no config) and waits for its socket: GL on llvmpipe under
# TCG takes a minute or more to start, so up to 300 s. Sets WESTON_PID; on failure prints
# the log's tail and returns 1.
weston_start() {
  local dev=$1 sock=$2 log=$3 i
  shift 3
  rm -f "$XDG_RUNTIME_DIR/$sock"
  weston --backend=drm --drm-device="${dev#/dev/dri/}" --continue-without-input \
    --shell=kiosk --no-config --socket="$sock" "$@" > "$log" 2>&1 &
  WESTON_PID=$!
  for i in $(seq 1 3000); do
    [ -S "$XDG_RUNTIME_DIR/$sock" ] && return 0
    kill -0 "$WESTON_PID" 2> /dev/null || break
    sleep 0.1
  done
  echo "weston did not start in 300 s"; tail "$log"
  kill "$WESTON_PID" 2> /dev/null; wait "$WESTON_PID"
  return 1
}

# cursor_pos LOG: the cursor position zcomp (-l debug) logged last in LOG, "X Y" (layout
# units, floored), once it stopped changing (libinput accelerates, so where a mouse_move
# ends is zcomp's to say).
cursor_pos() {
  local a b=""
  while :; do
    a=$(grep -oE 'cursor: at [0-9]+,[0-9]+' "$1" | tail -1)
    [ -n "$a" ] && [ "$a" = "$b" ] && break
    b=$a
    nap 1
  done
  a=${a#cursor: at }
  echo "${a%,*} ${a#*,}"
}

# writeback_take DIR NAME: SIGUSR1 to zcomp (started with ZC_KMS_WRITEBACK_DUMP=DIR, DIR
# otherwise empty); the frame it reads back through writeback is moved to $OUT/NAME.ppm.
# Fails after 30 s without one.
writeback_take() {
  local f="" i
  kill -USR1 "$ZCOMP_PID"
  for i in $(seq 1 60); do
    f=$(compgen -G "$1/*.ppm") && break
    nap 0.5
  done
  [ -n "$f" ] && mv "${f%%$'\n'*}" "$OUT/$2.ppm"
}
