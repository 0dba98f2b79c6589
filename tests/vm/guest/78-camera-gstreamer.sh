#!/bin/bash
# Issue 14: GStreamer (a client nobody here wrote) plays the vivid camera on zcomp -b kms
# (pixman) on virtio-gpu and on vkms in NV12, YUY2 and I420, through linux-dmabuf (v4l2src
# io-mode=dmabuf: the camera's dma-bufs, read in place: cpu-mmap) and through wl_shm in YUV
# (io-mode=mmap: waylandsink copies into a wl_shm pool: cpu-upload). What the display scans
# out (virtio-gpu screendump, vkms writeback) shows vivid's colour bars in the right colours,
# order and places. The cases alternate between the two displays (15-25 s each under TCG).
# zc-vm-timeout: 400
set -u
. "$ZC_SOURCE_DIR/tests/vm/camera-lib.sh"
command -v gst-launch-1.0 >/dev/null || { echo "gst-launch-1.0 not installed (scripts/deps.sh)"; exit 1; }
[ -c /dev/video0 ] || { echo "no /dev/video0: vivid not loaded"; exit 1; }
export GST_REGISTRY=$PWD/gst-registry.bin
rc=0
k=0
for io in dmabuf mmap; do
  [ $io = dmabuf ] && want=cpu-mmap || want=cpu-upload
  for fmt in NV12 YUY2 I420; do
    k=$((k + 1))
    drv=$(camera_display $k)
    log=$OUT/zcomp-$drv-$io-$fmt.log
    camera_start "$drv" "$log" || { rc=1; continue; }
    timeout 200 gst-launch-1.0 v4l2src device=/dev/video0 io-mode=$io num-buffers=2000 ! \
      "video/x-raw,format=$fmt,width=640,height=360" ! waylandsink fullscreen=true \
      > "$OUT/gst-$drv-$io-$fmt.log" 2>&1 &
    gst=$!
    ok=0
    wait_bars "$drv" "$OUT/$drv-$io-$fmt" $gst && ok=1
    kill $gst 2>/dev/null; wait $gst 2>/dev/null
    camera_stop "$drv" "$log" || ok=0
    acct=$(accounting "$log")
    frames=$(grep -o "[0-9]* $want" <<<"$acct" | cut -d' ' -f1)
    if [ $ok = 1 ] && [ "${frames:-0}" -gt 0 ]; then
      echo "ok: $drv io-mode=$io $fmt: $(tail -1 bars.log); $acct"
    else
      echo "FAIL: $drv io-mode=$io $fmt (path: ${acct:-no accounting line}; want $want frames)"
      sed 's/^/    /' bars.log 2>/dev/null | tail -3
      grep -iE "error|warn|not-negotiated" "$OUT/gst-$drv-$io-$fmt.log" | tail -5 | sed 's/^/    gst: /'
      grep -iE "error|warn" "$log" | tail -5 | sed 's/^/    zcomp: /'
      rc=1
    fi
  done
done
exit $rc
