#!/usr/bin/env bash
# zcomp real-kernel test harness (issue 3).
#
# Boots a Debian 6.12 kernel under QEMU (TCG, no KVM needed) with virtio-gpu, vkms, vgem,
# udmabuf, a virtio keyboard and mouse, the host root shared read-only over 9p and a
# writable results share, then runs the guest tests of tests/vm/guest/ in one boot.
#
#   scripts/vm.sh tap   [TEST...]   run guest tests, print TAP (what `meson test --suite vm` runs);
#                                   with no names every test but the benchmarks (NN-*-bench)
#   scripts/vm.sh bench             run the benchmarks only, TAP (`meson test --benchmark`)
#   scripts/vm.sh test  TEST...     run only the named guest tests (e.g. 40-kms-screendump)
#   scripts/vm.sh shell             boot and open an interactive shell in the guest
#   scripts/vm.sh prepare           only fetch/build the cached kernel artifacts, print the dir
#   scripts/vm.sh list              list the guest tests
#   scripts/vm.sh demo              the main job in the guest: zcomp on vkms, zc-dmabuf, a PNG
# Options (before or after the command): --build-dir DIR, --source-dir DIR.
# Environment: ZC_BUILD_DIR, ZC_SOURCE_DIR, ZC_VM_CACHE (cache root), ZC_VM_KERNEL (a
# linux-source-6.12 package version to pin), ZC_VM_OUT (results dir, default
# BUILD/vm-results), ZC_VM_KEEP=1 (keep the guest up after the tests), ZC_VM_TIMEOUT
# (whole-boot limit, s), ZC_VM_TEST_TIMEOUT (per-test default, s), ZC_VM_MEM (MiB),
# ZC_VM_CPU (QEMU -cpu model, default qemu64: see "CPU model" in tests/vm/README.md),
# ZC_VM_BIND (extra host paths, space separated, that must stay visible in the guest),
# ZC_VM_NO_BUILD=1 (`test` does not run ninja first), ZC_VM_ENV ("NAME=VALUE ...": more
# environment for the guest tests, e.g. ZC_VM_ENV="ZC_SOAK_SEED=7").
set -uo pipefail

die() { echo "Bail out! vm.sh: $*"; exit 1; }
note() { echo "# vm.sh: $*"; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE_DIR=${ZC_SOURCE_DIR:-$(cd "$SCRIPT_DIR/.." && pwd)}
BUILD_DIR=${ZC_BUILD_DIR:-}
MODE=""
TESTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) BUILD_DIR=$2; shift 2 ;;
    --build-dir=*) BUILD_DIR=${1#*=}; shift ;;
    --source-dir) SOURCE_DIR=$2; shift 2 ;;
    --source-dir=*) SOURCE_DIR=${1#*=}; shift ;;
    -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}"; exit 0 ;;
    tap|test|bench|shell|prepare|list|demo) [ -z "$MODE" ] || die "two commands given"; MODE=$1; shift ;;
    -*) die "unknown option $1" ;;
    *) [ -n "$MODE" ] || die "unknown command $1"; TESTS+=("${1%.sh}"); shift ;;
  esac
done
[ -n "$MODE" ] || { sed -n '2,23p' "${BASH_SOURCE[0]}"; exit 2; }
SOURCE_DIR=$(cd "$SOURCE_DIR" && pwd) || die "no source dir"
[ -n "$BUILD_DIR" ] || BUILD_DIR=$SOURCE_DIR/build
VMDIR=$SOURCE_DIR/tests/vm
GUEST_TESTS_DIR=$VMDIR/guest

CACHE_ROOT=${ZC_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zcomp-vm}
VM_TIMEOUT=${ZC_VM_TIMEOUT:-1500}
TEST_TIMEOUT=${ZC_VM_TEST_TIMEOUT:-300}
VM_MEM=${ZC_VM_MEM:-3072}
VM_CPU=${ZC_VM_CPU:-qemu64}
KEEP=${ZC_VM_KEEP:-0}
[ "$KEEP" = 0 ] && KEEP="" || true

# Modules for the initramfs, in load order (device numbering follows it: virtio-gpu is
# card0, vgem card1, vkms card2; the tests find devices by driver name anyway).
MODULES=(9pnet_virtio 9p virtio_gpu vgem vkms virtio_input evdev uinput vivid)
# vivid: one webcam-like capture node (/dev/video0), as weston's v4l demo documents.
declare -A MODPARAMS=([vkms]="enable_overlay=1 enable_writeback=1 enable_cursor=1"
  [vivid]="n_devs=1 node_types=0x1 num_inputs=1 input_types=0x00")

list_tests() {
  local f
  for f in "$GUEST_TESTS_DIR"/*.sh; do
    [ -e "$f" ] && basename "${f%.sh}"
  done
}

# ---------------------------------------------------------------- kernel cache ----

# Prints "VERSION ABI IMAGEPKG HEADERSPKG COMMONPKG KBUILDPKG" for the newest linux-source-6.12
# version that has a matching amd64 image and headers in the apt lists.
resolve_kernel() {
  local v up img abi cand hdr deps common kbuild versions
  if [ -n "${ZC_VM_KERNEL:-}" ]; then
    versions=$ZC_VM_KERNEL
  else
    versions=$(apt-cache madison linux-source-6.12 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | sort -Vru)
  fi
  for v in $versions; do
    up=${v%%-*}
    img=""
    for cand in $(apt-cache pkgnames "linux-image-$up+" 2>/dev/null |
                  grep -E "^linux-image-${up//./\\.}\+deb[0-9.]+-amd64(-unsigned)?\$" | sort -r); do
      if apt-cache madison "$cand" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -qxF "$v"; then
        img=$cand; break
      fi
    done
    [ -n "$img" ] || continue
    abi=${img#linux-image-}; abi=${abi%-unsigned}
    hdr=linux-headers-$abi
    deps=$(apt-cache show "$hdr=$v" 2>/dev/null | sed -n 's/^Depends: //p' | head -1)
    [ -n "$deps" ] || continue
    common=$(tr ',|' '\n\n' <<<"$deps" | awk '{print $1}' | grep -E '^linux-headers-.*-common$' | head -1)
    kbuild=$(tr ',|' '\n\n' <<<"$deps" | awk '{print $1}' | grep -E '^linux-kbuild-' | head -1)
    [ -n "$common" ] && [ -n "$kbuild" ] || continue
    echo "$v $abi $img $hdr $common $kbuild"
    return 0
  done
  return 1
}

# Our fixes to vkms, applied before it is built (see each file's head).
VKMS_PATCHES=("$VMDIR"/vkms-*.patch)

# The cache's "complete" file holds this stamp of the patches its vkms.ko was built
# with: a change to them rebuilds the cache.
vkms_stamp() {
  local p
  for p in "${VKMS_PATCHES[@]}"; do
    if [ -e "$p" ]; then cat "$p"; fi
  done | sha256sum | cut -c1-16
}

cache_current() { [ -f "$1/complete" ] && [ "$(cat "$1/complete")" = "$(vkms_stamp)" ]; }

newest_cached() {
  local d
  for d in $(ls -1 "$CACHE_ROOT" 2>/dev/null | sort -Vr); do
    [ -f "$CACHE_ROOT/$d/complete" ] && { echo "$d"; return 0; }
  done
  return 1
}

# Applies VKMS_PATCHES to the vkms sources in DIR. One that no longer applies (a newer
# kernel may carry the fix) is reported and left out rather than failing the set-up.
patch_vkms() {
  local p
  for p in "${VKMS_PATCHES[@]}"; do
    [ -e "$p" ] || continue
    if patch -s --dry-run --batch -d "$1" -p1 < "$p" >/dev/null 2>&1; then
      patch -s --batch -d "$1" -p1 < "$p"
      echo "# vm.sh: vkms patched: ${p##*/}" >&2
    else
      echo "# vm.sh: ${p##*/} does not apply to this vkms: built without it" >&2
    fi
  done
}

# Downloads and unpacks one kernel version into $CACHE_ROOT/<version>/ (atomically: built
# in a temporary directory, renamed into place when complete).
populate_cache() {
  local v=$1 abi=$2 img=$3 hdr=$4 common=$5 kbuild=$6
  local final=$CACHE_ROOT/$v tmp
  tmp=$(mktemp -d "$CACHE_ROOT/.tmp.$v.XXXXXX") || return 1
  chmod 755 "$tmp"
  (
    set -e
    cd "$tmp"
    mkdir debs root
    echo "# vm.sh: downloading kernel $v ($img)" >&2
    (cd debs && apt-get download -q "$img=$v" "$hdr=$v" "$common=$v" "$kbuild=$v" "linux-source-6.12=$v" \
       2>&1 | grep -v '^W: Download is performed unsandboxed' >&2)
    for p in "$img" "$hdr" "$common" "$kbuild"; do
      dpkg -x debs/"${p}_"*.deb root
    done
    # Only the vkms directory of the source tarball is needed.
    dpkg-deb --fsys-tarfile debs/linux-source-6.12_*.deb |
      tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
      xz -dc | tar -x --wildcards '*/drivers/gpu/drm/vkms/*'
    mv linux-source-*/drivers/gpu/drm/vkms vkms
    rm -rf linux-source-* debs
    patch_vkms vkms
    # The headers' Makefile includes the -common tree by its absolute /usr/src path.
    hdir=root/usr/src/linux-headers-$abi
    sed -i "s|^include /usr/src/|include $tmp/root/usr/src/|" "$hdir/Makefile"
    echo "# vm.sh: building vkms out of tree" >&2
    # No pahole on the host: skip BTF for the module (it loads fine without).
    make -s -C "$hdir" M="$tmp/vkms" CONFIG_DRM_VKMS=m CONFIG_DEBUG_INFO_BTF_MODULES= \
      -j"$(nproc)" modules >&2
    strip --strip-debug vkms/vkms.ko
    mkdir -p "root/lib/modules/$abi/updates"
    cp vkms/vkms.ko "root/lib/modules/$abi/updates/vkms.ko"
    depmod -b root "$abi"
    # Keep what booting needs: the kernel, its config and the module tree.
    rm -rf root/usr vkms
    echo "$abi" > abi
    vkms_stamp > complete
  ) || { rm -rf "$tmp"; return 1; }
  # A cache built with other vkms patches goes (we hold the lock).
  if [ -d "$final" ] && ! cache_current "$final"; then
    mv -T "$final" "$CACHE_ROOT/.stale.$v.$$" && rm -rf "$CACHE_ROOT/.stale.$v.$$"
  fi
  if ! mv -T "$tmp" "$final" 2>/dev/null; then
    rm -rf "$tmp"   # someone else finished first
  fi
  [ -f "$final/complete" ]
}

# Sets KVER, KABI, KDIR.
prepare_kernel() {
  mkdir -p "$CACHE_ROOT" || die "cannot create cache dir $CACHE_ROOT"
  local r v
  r=$(resolve_kernel) || r=""
  if [ -n "$r" ]; then
    v=${r%% *}
    if ! cache_current "$CACHE_ROOT/$v"; then
      exec 8>"$CACHE_ROOT/.lock"
      flock 8
      if ! cache_current "$CACHE_ROOT/$v"; then
        rm -rf "$CACHE_ROOT"/.tmp.* 2>/dev/null   # leftovers of interrupted runs (we hold the lock)
        # shellcheck disable=SC2086
        populate_cache $r || { note "fetching kernel $v failed"; v=""; }
      fi
      flock -u 8; exec 8>&-
    fi
  fi
  if [ -z "${v:-}" ] || [ ! -f "$CACHE_ROOT/$v/complete" ]; then
    [ -z "${ZC_VM_KERNEL:-}" ] || die "kernel $ZC_VM_KERNEL not available"
    v=$(newest_cached) || die "no Debian 6.12 kernel available (apt lists: run apt-get update; see scripts/deps.sh)"
    note "using cached kernel $v"
    cache_current "$CACHE_ROOT/$v" || note "its vkms predates tests/vm/vkms-*.patch"
  fi
  KVER=$v
  KDIR=$CACHE_ROOT/$v
  KABI=$(cat "$KDIR/abi")
}

# ---------------------------------------------------------------- initramfs ----

shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

build_initramfs() {
  local stage=$1 out=$2 guest_mode=$3
  local mdir=$KDIR/root/lib/modules/$KABI
  rm -rf "$stage"; mkdir -p "$stage"/{bin,dev,proc,sys,lib/modules,host,out}
  cp /bin/busybox "$stage/bin/busybox" || return 1
  cp "$VMDIR/init.sh" "$stage/init"; chmod 755 "$stage/init"
  # Dependency closure from modules.dep, dependencies first.
  declare -A deps=() seen=()
  local line name rest d order=()
  while IFS= read -r line; do
    name=${line%%:*}; rest=${line#*:}
    name=${name##*/}; name=${name%%.ko*}
    deps[${name//-/_}]="${name} ${line}"
  done < "$mdir/modules.dep"
  visit() {
    local m=${1//-/_} entry path r
    [ -n "${seen[$m]:-}" ] && return 0
    seen[$m]=1
    entry=${deps[$m]:-}
    [ -n "$entry" ] || { echo "vm.sh: module $1 not found" >&2; return 1; }
    r=${entry#*:}
    for d in $r; do visit "$(basename "${d%%.ko*}")" || return 1; done
    path=${entry#* }; path=${path%%:*}
    order+=("$m:$path")
  }
  for name in "${MODULES[@]}"; do visit "$name" || return 1; done
  : > "$stage/modules.list"
  for d in "${order[@]}"; do
    name=${d%%:*}; line=${d#*:}
    case "$line" in
      *.xz) xz -dc "$mdir/$line" > "$stage/lib/modules/$name.ko" ;;
      *.zst) zstd -qdc "$mdir/$line" > "$stage/lib/modules/$name.ko" ;;
      *) cp "$mdir/$line" "$stage/lib/modules/$name.ko" ;;
    esac || return 1
    echo "$name ${MODPARAMS[$name]:-}" >> "$stage/modules.list"
  done
  # Paths the guest must keep visible although scratch tmpfs mounts cover /tmp, /run, ...
  local keep="$SOURCE_DIR $BUILD_DIR ${ZC_VM_BIND:-}"
  {
    echo "ZC_VM_MODE=$(shq "$guest_mode")"
    echo "ZC_SOURCE_DIR=$(shq "$SOURCE_DIR")"
    echo "ZC_BUILD_DIR=$(shq "$BUILD_DIR")"
    echo "ZC_VM_HOST_OUT=$(shq "$OUT")"
    echo "ZC_VM_TESTS=$(shq "${RUN_TESTS[*]}")"
    echo "ZC_VM_KEEP=$(shq "${KEEP:-}")"
    echo "ZC_VM_TEST_TIMEOUT=$(shq "$TEST_TIMEOUT")"
    echo "ZC_VM_KEEP_PATHS=$(shq "$keep")"
    echo "ZC_VM_ENV=$(shq "${ZC_VM_ENV:-}")"
  } > "$stage/zc-vm.conf"
  (cd "$stage" && find . | cpio -o -H newc --quiet) > "$out"
}

# ---------------------------------------------------------------- QMP ----

QMP_PID=""
qmp_open() {
  local i line
  for i in $(seq 1 100); do [ -S "$RUN/qmp.sock" ] && break; sleep 0.05; done
  coproc QMP { exec socat - UNIX-CONNECT:"$RUN/qmp.sock"; }
  # Plain copies of the coproc's fds: bash closes coproc fds in subshells.
  exec {QMP_IN}<&"${QMP[0]}" {QMP_OUT}>&"${QMP[1]}"
  read -r -t 10 line <&"$QMP_IN" || return 1
  echo '{"execute":"qmp_capabilities"}' >&"$QMP_OUT"
  qmp_reply >/dev/null
}

qmp_reply() {
  local line
  while read -r -t 60 line <&"$QMP_IN"; do
    case "$line" in
      *'"event"'*) echo "$line" >> "$OUT/qmp-events.log" ;;
      *'"return"'*|*'"error"'*) echo "$line"; return 0 ;;
    esac
  done
  return 1
}

json_str() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\t'/\\t}; s=${s//$'\n'/\\n}; s=${s//$'\r'/}
  printf '"%s"' "$s"
}

# Runs one human-monitor command; prints its output; fails on a QMP error.
hmp() {
  local reply
  printf '{"execute":"human-monitor-command","arguments":{"command-line":%s}}\n' "$(json_str "$1")" >&"$QMP_OUT" || return 1
  reply=$(qmp_reply) || return 1
  case "$reply" in
    *'"error"'*) echo "$reply"; return 1 ;;
  esac
  reply=${reply#*\"return\": \"}; reply=${reply%\"*}
  printf '%b' "${reply//\\r\\n/\\n}"
}

# Waits until a PPM written by screendump is complete (header + W*H*3 bytes).
ppm_complete() {
  local f=$1 w h hdr size
  [ -f "$f" ] || return 1
  read -r w h < <(head -c 64 "$f" | tr -s ' \n' '  ' | awk '{print $2, $3}')
  [ -n "$w" ] && [ -n "$h" ] || return 1
  hdr=$(head -c 64 "$f" | awk 'NR<=3' | wc -c)
  size=$(stat -c %s "$f")
  [ "$size" -ge $((hdr + w * h * 3)) ]
}

# Requests from the guest: $OUT/req/ID.cmd holds one monitor command line. The answer is
# $OUT/req/ID.out (monitor output) and then $OUT/req/ID.done (containing ok or error).
serve_requests() {
  local f id cmd status outp
  for f in "$OUT"/req/*.cmd; do
    [ -e "$f" ] || return 0
    id=${f##*/}; id=${id%.cmd}
    cmd=$(cat "$f"); rm -f "$f"
    status=ok
    outp=$(hmp "$cmd") || status=error
    case "$cmd" in
      screendump\ *)
        local file=${cmd#screendump } i; file=${file%% *}
        for i in $(seq 1 100); do ppm_complete "$file" && break; sleep 0.05; done
        ppm_complete "$file" || status=error ;;
    esac
    printf '%s\n' "$outp" > "$OUT/req/$id.out.tmp"; mv "$OUT/req/$id.out.tmp" "$OUT/req/$id.out"
    echo "$status" > "$OUT/req/$id.done.tmp"; mv "$OUT/req/$id.done.tmp" "$OUT/req/$id.done"
    echo "$(date +%T) [$id] $cmd -> $status" >> "$OUT/monitor-requests.log"
  done
}

# ---------------------------------------------------------------- TAP ----

console_tail() {
  echo "# ---- guest console (last ${2:-40} lines of $OUT/console.log) ----"
  tail -n "${2:-40}" "$OUT/console.log" 2>/dev/null | tr -d '\r' |
    awk '{ gsub(/\033\[[0-9;?]*[a-zA-Z]/, ""); print "#   " $0 }'
}

declare -A TESTNUM=()
REPORTED=0
FAILED=0
RESULTS_SEEN=0
# The guest writes one file per finished test, $OUT/results.d/NNN (atomically, by rename),
# holding "ok|fail|skip|timeout NAME [reason]"; "done" ends the run.
report_results() {
  local f status name reason n
  while :; do
    printf -v f '%s/results.d/%03d' "$OUT" $((RESULTS_SEEN + 1))
    [ -f "$f" ] || return 0
    RESULTS_SEEN=$((RESULTS_SEEN + 1))
    read -r status name reason < "$f"
    [ "$status" = done ] && { GUEST_DONE=1; continue; }
    n=${TESTNUM[$name]:-}
    [ -n "$n" ] || continue
    REPORTED=$((REPORTED + 1))
    REPORTED_NAMES+=" $name "
    case "$status" in
      ok) echo "ok $n - $name" ;;
      skip) echo "ok $n - $name # SKIP ${reason:-skipped}" ;;
      *)
        FAILED=$((FAILED + 1))
        echo "not ok $n - $name${reason:+ ($reason)}"
        echo "# ---- log of $name ($OUT/logs/$name.log, last 100 lines) ----"
        tail -n 100 "$OUT/logs/$name.log" 2>/dev/null | awk '{ print "#   " $0 }'
        console_tail 40 ;;
    esac
  done
}

# Sleeps without starting a process.
nap() { read -r -t "$1" -u "$NAP_FD" _ || true; }

# ---------------------------------------------------------------- run ----

cleanup() {
  [ -n "${QEMU_PID:-}" ] && kill "$QEMU_PID" 2>/dev/null
  [ -n "${SOCAT_PID:-}" ] && kill "$SOCAT_PID" 2>/dev/null
  [ -n "${QMP_PID:-}" ] && kill "$QMP_PID" 2>/dev/null
  [ -n "${RUN:-}" ] && rm -rf "$RUN"
}

# Builds the initramfs for RUN_TESTS and starts QEMU; in shell mode, attaches
# the terminal until the guest is gone.
boot_guest() {
  local guest_mode=$1 i
  build_initramfs "$RUN/initramfs" "$RUN/initramfs.cpio" "$guest_mode" || die "building the initramfs failed"

  local qemu=(qemu-system-x86_64 -machine q35,i8042=off -accel tcg -cpu "$VM_CPU" -m "$VM_MEM" -smp 2
    -nographic -vga none -display none -no-reboot -nodefaults
    -device virtio-gpu-pci,id=zcgpu,max_outputs=2 -device virtio-keyboard-pci -device virtio-mouse-pci
    -kernel "$KDIR/root/boot/vmlinuz-$KABI" -initrd "$RUN/initramfs.cpio"
    -append "console=ttyS0 panic=-1 loglevel=4 rdinit=/init"
    -chardev "socket,id=con0,path=$RUN/console.sock,server=on,wait=off,logfile=$OUT/console.log"
    -serial chardev:con0
    -monitor "unix:$RUN/monitor.sock,server=on,wait=off"
    -qmp "unix:$RUN/qmp.sock,server=on,wait=off"
    -virtfs "local,path=/,mount_tag=zchost,security_model=none,readonly=on,multidevs=remap"
    -virtfs "local,path=$OUT,mount_tag=zcout,security_model=none,multidevs=remap")
  printf '%q ' "${qemu[@]}" > "$OUT/qemu-cmdline"
  "${qemu[@]}" > "$OUT/qemu.log" 2>&1 &
  QEMU_PID=$!
  qmp_open || { console_tail 40; die "cannot reach the QEMU QMP socket (see $OUT/qemu.log)"; }

  if [ "$guest_mode" = shell ] || [ -n "$KEEP" ]; then
    note "monitor: socat - UNIX-CONNECT:$RUN/monitor.sock"
    note "console: socat -,raw,echo=0 UNIX-CONNECT:$RUN/console.sock"
  fi
  if [ "$guest_mode" = shell ]; then
    echo "zc-vm shell: the guest runs the host's bash chrooted onto the read-only host root;"
    echo "  /tmp and /run are scratch, results go to /run/zc-vm/out (= $OUT)."
    echo "  leave with 'zc-vm-poweroff' (or Ctrl-] then kill)."
    # The request channel keeps working while the shell runs.
    ( while kill -0 "$QEMU_PID" 2>/dev/null; do serve_requests; nap 0.05; done ) &
    local server=$!
    if [ -t 0 ]; then
      socat -,raw,echo=0,escape=0x1d UNIX-CONNECT:"$RUN/console.sock"
    else
      # Scripted input: hold it back until the guest's shell is up.
      for i in $(seq 1 600); do
        grep -aq 'zc-vm: kept up' "$OUT/console.log" 2>/dev/null && break
        kill -0 "$QEMU_PID" 2>/dev/null || break
        sleep 0.1
      done
      sleep 0.5
      socat -,ignoreeof UNIX-CONNECT:"$RUN/console.sock"
    fi
    kill "$QEMU_PID" 2>/dev/null; wait "$QEMU_PID" 2>/dev/null; QEMU_PID=""
    kill "$server" 2>/dev/null
    return 0
  fi
}


# What one boot left behind that the next would misread.
reset_for_reboot() {
  [ -n "${QMP_PID:-}" ] && kill "$QMP_PID" 2>/dev/null && wait "$QMP_PID" 2>/dev/null
  exec {QMP_IN}<&- {QMP_OUT}>&-
  mv "$OUT/console.log" "$OUT/console-stalled.log"
  rm -rf "$OUT/results.d" "$OUT/req" "$OUT/ready"
  mkdir -p "$OUT/results.d" "$OUT/req"
  RESULTS_SEEN=0
}

# The seconds the current guest test may take before the guest counts as
# stalled: its own limit (the guest's console says "test NAME: start (timeout
# N s)") plus a margin for the guest to report its timeout.
STALL_LIMIT=0
STALL_TEST=""
stall_check() { # progress_at -> 0 if the guest is stalled
  local line
  line=$(grep -a 'zc-vm: test .*: start (timeout' "$OUT/console.log" 2>/dev/null | tail -n 1 | tr -d '\r')
  [ -n "$line" ] || return 1
  STALL_TEST=${line#*zc-vm: test }; STALL_TEST=${STALL_TEST%%: start*}
  local tmo=${line##*(timeout }; tmo=${tmo%% s)*}
  STALL_LIMIT=$((tmo + 120))
  [ $((SECONDS - $1)) -gt "$STALL_LIMIT" ]
}

# Serves the guest's requests and reports its results until it is done.
# Returns 1 if the guest stalled.
run_tests() {
  local t0=$SECONDS i progress_at=$SECONDS seen=$RESULTS_SEEN console_size=0 size
  GUEST_DONE=0; BOOTED=0; TIMED_OUT=0
  local deadline=$((SECONDS + VM_TIMEOUT)) stalled=0 next_check=$SECONDS
  while kill -0 "$QEMU_PID" 2>/dev/null; do
    serve_requests
    report_results
    if [ "$BOOTED" = 0 ] && [ -e "$OUT/ready" ]; then
      BOOTED=1; note "guest ready after $((SECONDS - t0)) s"
    fi
    if [ "$GUEST_DONE" = 1 ] && [ -z "$KEEP" ]; then
      # the guest powers itself off; give it a moment
      for i in $(seq 1 50); do kill -0 "$QEMU_PID" 2>/dev/null || break; nap 0.1; done
      break
    fi
    if [ -z "$KEEP" ] && [ $SECONDS -ge $deadline ]; then
      TIMED_OUT=1; break
    fi
    if [ $SECONDS -ge $next_check ]; then
      next_check=$((SECONDS + 5))
      size=$(stat -c %s "$OUT/console.log" 2>/dev/null || echo 0)
      if [ "$RESULTS_SEEN" != "$seen" ] || [ "$size" != "$console_size" ]; then
        seen=$RESULTS_SEEN; console_size=$size; progress_at=$SECONDS
      elif [ "$BOOTED" = 1 ] && [ -z "$KEEP" ] && stall_check "$progress_at"; then
        stalled=1; break
      fi
    fi
    nap 0.05
  done
  report_results
  if kill -0 "$QEMU_PID" 2>/dev/null; then
    kill "$QEMU_PID"; wait "$QEMU_PID" 2>/dev/null
  fi
  QEMU_PID=""
  return $stalled
}

run_vm() {
  local guest_mode=$1 t i
  [ -d "$BUILD_DIR" ] || die "build dir $BUILD_DIR does not exist (meson setup it, or pass --build-dir)"
  BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
  for t in qemu-system-x86_64 socat cpio depmod xz busybox flock; do
    command -v "$t" >/dev/null || die "$t missing: run scripts/deps.sh"
  done
  OUT=${ZC_VM_OUT:-$BUILD_DIR/vm-results}
  mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || die "cannot create $OUT"
  # Emptied on each run: only a directory this script made (marked) or an empty one.
  if [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/.zc-vm-results" ]; then
    die "$OUT is not empty and not a zc-vm results directory (ZC_VM_OUT)"
  fi
  find "$OUT" -mindepth 1 -maxdepth 1 ! -name .zc-vm-results -exec rm -rf {} +
  touch "$OUT/.zc-vm-results"
  mkdir -p "$OUT"/{req,logs,tests,dumps,results.d}
  exec {NAP_FD}<> <(:)
  REPORTED_NAMES=""
  RUN=$(mktemp -d /tmp/zc-vm.XXXXXX)   # sockets: short paths
  trap cleanup EXIT
  trap 'exit 130' INT TERM

  local t0=$SECONDS
  prepare_kernel
  note "kernel $KABI ($KVER), cache $KDIR, prepared in $((SECONDS - t0)) s"
  local i=1
  if [ "$guest_mode" != shell ]; then
    echo "1..${#RUN_TESTS[@]}"
    for t in "${RUN_TESTS[@]}"; do TESTNUM[$t]=$i; i=$((i + 1)); done
  fi
  local all_tests=("${RUN_TESTS[@]}") boot stalled=0
  for boot in 1 2; do
    boot_guest "$guest_mode" || return $?
    [ "$guest_mode" = shell ] && return 0
    run_tests; stalled=$?
    # A whole-guest stall under TCG (seen once: the guest printed nothing for
    # 20 min, then passed on a rerun) is the emulator's, not a test's: boot
    # again, once, for the tests that have not reported.
    [ "$stalled" = 1 ] && [ "$boot" = 1 ] && [ -z "$KEEP" ] || break
    RUN_TESTS=()
    for t in "${all_tests[@]}"; do
      [[ "$REPORTED_NAMES" == *" $t "* ]] || RUN_TESTS+=("$t")
    done
    note "the guest stalled (no progress for ${STALL_LIMIT} s in test ${STALL_TEST}); booting again for: ${RUN_TESTS[*]}"
    reset_for_reboot
  done
  RUN_TESTS=("${all_tests[@]}")
  if [ "$REPORTED" -lt "${#RUN_TESTS[@]}" ]; then
    local why="the VM stopped before the test finished"
    [ "$BOOTED" = 1 ] || why="the VM did not boot"
    [ "$TIMED_OUT" = 1 ] && why="the VM ran past ZC_VM_TIMEOUT=$VM_TIMEOUT s"
    [ "$stalled" = 1 ] && why="the guest stalled twice (no progress for ${STALL_LIMIT} s in ${STALL_TEST})"
    for t in "${RUN_TESTS[@]}"; do
      if [[ "$REPORTED_NAMES" != *" $t "* ]]; then
        FAILED=$((FAILED + 1))
        echo "not ok ${TESTNUM[$t]} - $t ($why)"
      fi
    done
    sed 's/^/# qemu: /' "$OUT/qemu.log"
    console_tail 60
  fi
  note "$((SECONDS - t0)) s in all; results in $OUT"
  [ "$FAILED" = 0 ]
}

case "$MODE" in
  list) list_tests; exit 0 ;;
  prepare) prepare_kernel; echo "$KDIR"; exit 0 ;;
  shell) RUN_TESTS=(); run_vm shell; exit $? ;;
  demo)
    # The main job's VM half (scripts/run.sh): one script from tests/vm/demo.
    RUN_TESTS=(demo/vkms-dmabuf)
    run_vm tap; exit $? ;;
  tap|test|bench)
    if [ "$MODE" = bench ]; then
      # Benchmarks print numbers (ratios against a baseline of the same boot) and
      # fail only when they cannot measure; they stay out of the test suite's time.
      mapfile -t RUN_TESTS < <(list_tests | grep -- '-bench$')
    elif [ ${#TESTS[@]} -eq 0 ]; then
      [ "$MODE" = test ] && die "name the guest tests to run (scripts/vm.sh list)"
      mapfile -t RUN_TESTS < <(list_tests | grep -v -- '-bench$')
    else
      RUN_TESTS=()
      for t in "${TESTS[@]}"; do
        # exact name, NN-NAME, or a substring that names one test
        m=$(list_tests | grep -xF "$t" || list_tests | grep -E "^[0-9]+-${t}\$" ||
            list_tests | grep -F "$t")
        [ -n "$m" ] || die "no guest test $t (scripts/vm.sh list)"
        [ "$(wc -l <<<"$m")" = 1 ] || die "'$t' names several guest tests: $(echo $m)"
        RUN_TESTS+=("$m")
      done
    fi
    [ ${#RUN_TESTS[@]} -gt 0 ] || die "no guest tests in $GUEST_TESTS_DIR"
    # A standalone run brings the build tree up to date first (meson test already did).
    if [ "$MODE" = test ] && [ -f "$BUILD_DIR/build.ninja" ] && [ -z "${ZC_VM_NO_BUILD:-}" ]; then
      ninja -C "$BUILD_DIR" >&2 || die "build failed"
    fi
    run_vm tap; exit $? ;;
esac
