#!/bin/bash
# Issue 14: the vivid camera (one webcam-like node, loaded by vm.sh) through
# weston-simple-dmabuf-v4l, whose dma-bufs zcomp (headless + pixman) reads with the CPU:
# for each camera format, the capture shows vivid's 75% colour bars in the right colours
# and order (BT.601 limited range, zcomp's default), and path accounting counts the frames
# as cpu-mmap.
# zc-vm-timeout: 400
set -u
B=$ZC_BUILD_DIR
. "$ZC_SOURCE_DIR/tests/vm/camera-lib.sh"
command -v weston-simple-dmabuf-v4l >/dev/null || { echo "weston-simple-dmabuf-v4l not installed (scripts/deps.sh)"; exit 1; }
[ -c /dev/video0 ] || { echo "no /dev/video0: vivid not loaded"; ls -l /dev/video* 2>&1; exit 1; }
export XDG_RUNTIME_DIR=$(mktemp -d)
rc=0
# v4l2 fourcc and the DRM fourcc it is, byte for byte (YU12 is DRM's YU12 = YUV420).
for pair in YUYV:YUYV UYVY:UYVY YVYU:YVYU VYUY:VYUY NV12:NV12 NV21:NV21 NV16:NV16 NV61:NV61 YU12:YU12 YV12:YV12; do
  v4l=${pair%%:*}; drm=${pair#*:}
  export WAYLAND_DISPLAY=zc-v4l-$v4l
  "$B/compositor/zcomp" --socket=$WAYLAND_DISPLAY --mode=640x360 --log-level=info \
    > "$ZC_VM_TEST_OUT/zcomp-$v4l.log" 2>&1 &
  zc=$!
  for i in $(seq 50); do [ -S "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY" ] && break; sleep 0.1; done
  timeout 120 weston-simple-dmabuf-v4l -v /dev/video0 -f "$v4l" -d "$drm" -s \
    > "$ZC_VM_TEST_OUT/v4l-$v4l.log" 2>&1 &
  cl=$!
  ok=0
  wait_bars "$ZC_VM_TEST_OUT/$v4l.png" $cl && ok=1
  kill $cl 2>/dev/null; wait $cl 2>/dev/null
  kill $zc; wait $zc
  acct=$(accounting "$ZC_VM_TEST_OUT/zcomp-$v4l.log")
  mmap=$(sed -n 's/.* \([0-9]*\) cpu-mmap.*/\1/p' <<<"$acct")
  if [ $ok = 1 ] && [ "${mmap:-0}" -gt 0 ]; then
    echo "ok: $v4l as $drm: $(tail -1 bars.log); $acct"
  else
    echo "FAIL: $v4l as $drm (path: ${acct:-no accounting line})"
    sed 's/^/    /' bars.log 2>/dev/null | tail -3
    tail -5 "$ZC_VM_TEST_OUT/v4l-$v4l.log" | sed 's/^/    client: /'
    grep -i "error\|warn" "$ZC_VM_TEST_OUT/zcomp-$v4l.log" | tail -5 | sed 's/^/    zcomp: /'
    rc=1
  fi
done
exit $rc
