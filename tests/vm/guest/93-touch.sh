#!/bin/bash
# Issue 8: touch, and input devices plugged and unplugged while zcomp runs. systemd-udevd
# runs in the guest (udevadm refuses to work in a chroot unless SYSTEMD_IGNORE_CHROOT
# is set; udevd itself is fine), so libinput gets hotplug events. zcomp starts on
# virtio-gpu; then a uinput multitouch screen (zc-vm-uinput, axes the size of the
# mode) and a uinput keyboard appear: zc-vm-input-client (fullscreen) sees the touch
# capability come, two fingers' down/motion/up/frame at the coordinates played and
# the new keyboard's keys. A finger is down when the touchscreen is destroyed: the
# client gets wl_touch.cancel and the capability goes. A key is held when the uinput
# keyboard is destroyed: the client gets its release. zcomp keeps running and the
# virtio keyboard still types.
# zc-vm-timeout: 420
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
CLIENT=$ZC_BUILD_DIR/tests/vm/zc-vm-input-client
dev=$(card_of_driver virtio_gpu) || { echo "no virtio-gpu card"; exit 77; }
[ -e /dev/uinput ] || modprobe uinput 2> /dev/null
[ -e /dev/uinput ] || { echo "no /dev/uinput"; exit 77; }
UDEVD=/lib/systemd/systemd-udevd
[ -x $UDEVD ] || { echo "systemd-udevd is not installed (package udev, scripts/deps.sh)"; exit 77; }
export SYSTEMD_IGNORE_CHROOT=1

count_ge() { [ "$(grep -c -- "$2" "$1")" -ge "$3" ]; } # FILE PATTERN N
# expect WHAT PATTERN [N]: waits until the client printed the Nth line matching PATTERN.
expect() {
  if wait_for 60 count_ge "$OUT/client.log" "$2" "${3:-1}"; then
    ok "$1"
  else
    bad "$1 (no '$2' #${3:-1})"
  fi
}

# A device: zc-vm-uinput reading its commands from a fifo that stays open.
# start_uinput NAME ARGS...: sets ${NAME}_fd; its output goes to $OUT/NAME.out.
start_uinput() {
  local name=$1 fd
  shift
  mkfifo "$name.in"
  zc-vm-uinput "$@" < "$name.in" > "$OUT/$name.out" 2>&1 &
  exec {fd}> "$name.in"
  printf -v "${name}_fd" %s "$fd"
  wait_for 30 grep -q '^device event' "$OUT/$name.out" || { bad "$name: no device"; return 1; }
}
# play NAME COMMAND: one command to a device, waiting until it was played.
play() {
  local fdvar=${1}_fd
  echo "$2" >&"${!fdvar}"
  wait_for 30 grep -qx "done $2" "$OUT/$1.out" || bad "$1: '$2' not played"
}

# udevd, and the devices present now tagged by it (coldplug); it goes at the end,
# so later tests find no udev daemon, as they expect.
mkdir -p /run/udev
$UDEVD > "$OUT/udevd.log" 2>&1 &
udevd=$!
stop_udevd() { kill $udevd 2>/dev/null; wait $udevd 2>/dev/null; rm -f /run/udev/control; }
trap stop_udevd EXIT
wait_for 30 test -S /run/udev/control || { bad "udevd did not start"; exit 1; }
udevadm trigger --action=add --subsystem-match=input
udevadm settle -t 120 || bad "udevadm settle timed out"

zcomp_start "$dev" "$OUT/zcomp.log" || exit 1
wait_for 180 grep -q 'input: added QEMU Virtio Keyboard' "$OUT/zcomp.log" &&
  ok "coldplug: zcomp has the virtio keyboard (udevd's database)" || bad "no virtio keyboard"
"$CLIENT" --seconds=300 > "$OUT/client.log" 2>&1 &
client=$!
expect "the client is focused" '^enter keyboard$'
expect "no touch capability yet" '^capabilities keyboard pointer$'

start_uinput touch touch 1280 800 || exit 1
wait_for 120 grep -q 'input: added zc-vm touchscreen.*touch' "$OUT/zcomp.log" &&
  ok "hotplug: zcomp added the touchscreen" || bad "the touchscreen did not show up"
expect "the seat announces touch" '^capabilities keyboard pointer touch$'
start_uinput kbd keyboard || exit 1
wait_for 120 grep -q 'input: added zc-vm keyboard' "$OUT/zcomp.log" &&
  ok "hotplug: zcomp added the uinput keyboard" || bad "no uinput keyboard"

play touch "down 0 100 200"
expect "finger 0 down at 100,200" '^touch down 0 100 200$'
play touch "move 0 300 400"
expect "finger 0 moves to 300,400" '^touch motion 0 300 400$'
play touch "down 1 1000 700"
expect "finger 1 down at 1000,700" '^touch down 1 1000 700$'
play touch "up 0"
expect "finger 0 up" '^touch up 0$'
play touch "up 1"
expect "finger 1 up" '^touch up 1$'
expect "each frame ends with wl_touch.frame" '^touch frame$' 5

# Unplugged mid-event: a finger down, a key held.
play touch "down 0 640 400"
expect "finger down again" '^touch down 0 640 400$'
echo destroy >&"$touch_fd"
wait_for 30 grep -q '^destroyed' "$OUT/touch.out" || bad "the touchscreen was not destroyed"
expect "the client gets wl_touch.cancel" '^touch cancel$'
expect "the touch capability goes" '^capabilities keyboard pointer$' 2
play kbd "key 48 1"
expect "uinput key B down" '^key 48 down b$'
echo destroy >&"$kbd_fd"
wait_for 30 grep -q '^destroyed' "$OUT/kbd.out" || bad "the keyboard was not destroyed"
expect "the held key is released when its keyboard goes" '^key 48 up b$'
wait_for 30 grep -q 'input: removed zc-vm keyboard' "$OUT/zcomp.log" || bad "no removal logged"

kill -0 "$ZCOMP_PID" 2>/dev/null && ok "zcomp is still running" || bad "zcomp died"
zc-vm-monitor sendkey a > /dev/null
expect "the virtio keyboard still types" '^key 30 down a$'

kill $client 2>/dev/null; wait $client 2>/dev/null
zcomp_stop || fail=1
echo "--- client"; grep -v '^pointer' "$OUT/client.log"
echo "--- zcomp"; grep -E 'input:|seat:' "$OUT/zcomp.log" | grep -v libinput | head -30
exit $fail
