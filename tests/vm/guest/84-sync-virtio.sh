#!/bin/bash
# Issue 13: explicit sync (wp_linux_drm_syncobj_v1) on virtio-gpu, whose card has timeline
# syncobjs, with both renderers. A fullscreen zc-dmabuf holds frame 1 behind an acquire
# point nobody signals for 500 ms and until a screendump taken meanwhile is done
# (--sync-hold-file). That screendump still shows frame 0, and the client's own checks
# pass: capture answered meanwhile, no frame callback and no feedback before the point
# signalled, presented after it, release points in order and never before the next frame
# of a scanned-out buffer was presented, every release point signalled once the surface
# went. With udmabuf a ready frame is queued right behind the held one and waits for it.
# Sources: udmabuf (composited: CPU or GL), virtio-gpu's own dumb buffers (scanned
# out: ZERO_COPY) and vgem buffers whose acquire point carries a real vgem fence. Release
# points are signalled through the GL renderer's EGL native fence, or from the CPU.
# zc-vm-timeout: 400
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
DMABUF=$ZC_BUILD_DIR/clients/zc-dmabuf
dev=$(card_of_driver virtio_gpu) || { echo "no virtio-gpu card"; exit 1; }

# held_dump NAME HOLD_MS ARGS...: zc-dmabuf --sync=explicit holding frame 1; a screendump
# taken while it is held must show exactly frame 0; the client must pass its checks.
held_dump() {
  local name=$1 hold=$2
  shift 2
  rm -f "$OUT/$name.dumped"
  timeout 120 "$DMABUF" --sync=explicit --sync-hold="$hold" --sync-hold-file="$OUT/$name.dumped" \
    -n 30 -s 1280x800 "$@" > "$OUT/$name.log" 2>&1 &
  local client=$!
  if wait_log "$OUT/$name.log" '^sync-hold: frame 1 committed' 60; then
    zc-vm-screendump "$OUT/$name-held.ppm"
    touch "$OUT/$name.dumped"
    local seen
    seen=$(zc-vm-pattern-check "$OUT/$name-held.ppm")
    local rc=$?
    echo "$name while held: $seen"
    if [ $rc = 0 ] && grep -q ': frame 0,' <<<"$seen"; then
      ok "$name: the screendump during the hold shows frame 0"
    else
      bad "$name: the screendump during the hold does not show frame 0 whole"
    fi
  else
    bad "$name: the client never held a frame"
  fi
  touch "$OUT/$name.dumped"
  wait $client
  local rc=$?
  grep -E '^(sync|sync-hold|zc-dmabuf):' "$OUT/$name.log"
  [ $rc = 0 ] && ok "$name: client checks" || { bad "$name: zc-dmabuf exited $rc"; tail -5 "$OUT/$name.log"; }
  ZERO_COPY=$(grep '^zc-dmabuf:' "$OUT/$name.log" | grep -o 'zero-copy [0-9]*' | awk '{print $2}')
}

for renderer in pixman gl; do
  echo "=== $renderer"
  log=$OUT/zcomp-$renderer.log
  zcomp_start "$dev" "$log" --mode=1280x800 --renderer=$renderer || exit 1
  grep -q 'linux-drm-syncobj: timelines on /dev/dri/card[0-9]* (the KMS device)' "$log" &&
    ok "$renderer: syncobj device is the KMS card" || bad "$renderer: no syncobj device line"
  held_dump "$renderer-udmabuf" 500 -S udmabuf --sync-hold-queue
  held_dump "$renderer-own" 500 -S dumb -d virtio_gpu
  [ "${ZERO_COPY:-0}" -ge 20 ] && ok "$renderer: own buffers scanned out ($ZERO_COPY ZERO_COPY)" ||
    bad "$renderer: only ${ZERO_COPY:-0} ZERO_COPY frames of virtio-gpu's own buffers"
  held_dump "$renderer-vgem" 500 -S dumb -d vgem
  grep -q 'held: acquire point' "$log" && ok "$renderer: zcomp logged held commits" ||
    bad "$renderer: no 'held: acquire point' in zcomp's log"
  # How release points were signalled: the GL renderer's EGL native fence where EGL has
  # one, else from the CPU.
  grep -E 'gl: (no EGL_ANDROID_native_fence_sync|release points signalled)' "$log"
  how="from the CPU"
  [ $renderer = gl ] && grep -q 'gl: release points signalled through EGL native fences$' "$log" &&
    how="through the renderer's fence"
  n=$(grep -c "release point [0-9]* signalled $how" "$log")
  others=$(grep 'release point [0-9]* signalled' "$log" | grep -vc "signalled $how")
  [ "$n" -ge 80 ] && [ "$others" = 0 ] && ok "$renderer: $n release points signalled $how" ||
    bad "$renderer: $n release points signalled $how, $others otherwise"
  zcomp_stop || bad "$renderer: zcomp exit status"
done
exit $fail
