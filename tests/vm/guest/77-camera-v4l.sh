#!/bin/bash
# Issue 14: the vivid camera (one webcam-like node, loaded by vm.sh) through
# weston-simple-dmabuf-v4l, fullscreen at the camera's 640x360, on zcomp -b kms (pixman: the
# camera's dma-bufs read by the CPU) on virtio-gpu and on vkms: for each camera format, what
# the display scans out (virtio-gpu screendump, vkms writeback) shows vivid's 75% colour bars
# in the right colours, order and places (BT.601 limited range, zcomp's default), and path
# accounting counts the frames as cpu-mmap, with the reason they were composited (the
# client scales with wp_viewport: "not a candidate"; no plane of either device lists YUV on
# 6.12 anyway, test 79). The formats alternate between the two displays (each case takes
# 15-25 s under TCG), so every format is checked on one and both paths on five formats.
# zc-vm-timeout: 400
set -u
. "$ZC_SOURCE_DIR/tests/vm/camera-lib.sh"
command -v weston-simple-dmabuf-v4l >/dev/null || { echo "weston-simple-dmabuf-v4l not installed (scripts/deps.sh)"; exit 1; }
[ -c /dev/video0 ] || { echo "no /dev/video0: vivid not loaded"; ls -l /dev/video* 2>&1; exit 1; }
rc=0
k=0
# v4l2 fourcc and the DRM fourcc it is, byte for byte (YU12 is DRM's YU12 = YUV420).
for pair in YUYV:YUYV UYVY:UYVY YVYU:YVYU VYUY:VYUY NV12:NV12 NV21:NV21 NV16:NV16 NV61:NV61 YU12:YU12 YV12:YV12; do
  v4l=${pair%%:*}; drm=${pair#*:}
  k=$((k + 1))
  drv=$(camera_display $k)
  log=$OUT/zcomp-$drv-$v4l.log
  camera_start "$drv" "$log" || { rc=1; continue; }
  timeout 120 weston-simple-dmabuf-v4l -v /dev/video0 -f "$v4l" -d "$drm" -s \
    > "$OUT/v4l-$drv-$v4l.log" 2>&1 &
  cl=$!
  ok=0
  wait_bars "$drv" "$OUT/$drv-$v4l" $cl && ok=1
  kill $cl 2>/dev/null; wait $cl 2>/dev/null
  camera_stop "$drv" "$log" || ok=0
  acct=$(accounting "$log")
  mmap=$(sed -n 's/.* \([0-9]*\) cpu-mmap.*/\1/p' <<<"$acct")
  if [ $ok = 1 ] && [ "${mmap:-0}" -gt 0 ] && grep -q 'composited: ' <<<"$acct"; then
    echo "ok: $drv $v4l as $drm: $(tail -1 bars.log); $acct"
  else
    echo "FAIL: $drv $v4l as $drm (path: ${acct:-no accounting line})"
    sed 's/^/    /' bars.log 2>/dev/null | tail -3
    tail -5 "$OUT/v4l-$drv-$v4l.log" | sed 's/^/    client: /'
    grep -i "error\|warn" "$log" | tail -5 | sed 's/^/    zcomp: /'
    rc=1
  fi
done
exit $rc
