#!/bin/bash
# Issue 14: GStreamer (a client nobody here wrote) plays the vivid camera on zcomp (headless +
# pixman) in NV12, YUY2 and I420, through linux-dmabuf (v4l2src io-mode=dmabuf: the camera's
# dma-bufs, read in place: cpu-mmap) and through wl_shm in YUV (io-mode=mmap: waylandsink
# copies into a wl_shm pool: cpu-upload). Each capture shows vivid's colour bars in the right
# colours and order.
# zc-vm-timeout: 500
set -u
B=$ZC_BUILD_DIR
. "$ZC_SOURCE_DIR/tests/vm/camera-lib.sh"
command -v gst-launch-1.0 >/dev/null || { echo "gst-launch-1.0 not installed (scripts/deps.sh)"; exit 1; }
[ -c /dev/video0 ] || { echo "no /dev/video0: vivid not loaded"; exit 1; }
export XDG_RUNTIME_DIR=$(mktemp -d)
export GST_REGISTRY=$PWD/gst-registry.bin
rc=0
n=0
for io in dmabuf mmap; do
  [ $io = dmabuf ] && want=cpu-mmap || want=cpu-upload
  for fmt in NV12 YUY2 I420; do
    n=$((n + 1))
    export WAYLAND_DISPLAY=zc-gst-$n
    "$B/compositor/zcomp" --socket=$WAYLAND_DISPLAY --mode=640x360 --log-level=info \
      > "$ZC_VM_TEST_OUT/zcomp-$io-$fmt.log" 2>&1 &
    zc=$!
    for i in $(seq 50); do [ -S "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY" ] && break; sleep 0.1; done
    timeout 200 gst-launch-1.0 v4l2src device=/dev/video0 io-mode=$io num-buffers=2000 ! \
      "video/x-raw,format=$fmt,width=640,height=360" ! waylandsink fullscreen=true \
      > "$ZC_VM_TEST_OUT/gst-$io-$fmt.log" 2>&1 &
    gst=$!
    ok=0
    wait_bars "$ZC_VM_TEST_OUT/$io-$fmt.png" $gst && ok=1
    kill $gst 2>/dev/null; wait $gst 2>/dev/null
    kill $zc; wait $zc
    acct=$(accounting "$ZC_VM_TEST_OUT/zcomp-$io-$fmt.log")
    frames=$(grep -o "[0-9]* $want" <<<"$acct" | cut -d' ' -f1)
    if [ $ok = 1 ] && [ "${frames:-0}" -gt 0 ]; then
      echo "ok: io-mode=$io $fmt: $(tail -1 bars.log); $acct"
    else
      echo "FAIL: io-mode=$io $fmt (path: ${acct:-no accounting line}; want $want frames)"
      sed 's/^/    /' bars.log 2>/dev/null | tail -3
      grep -iE "error|warn|not-negotiated" "$ZC_VM_TEST_OUT/gst-$io-$fmt.log" | tail -5 | sed 's/^/    gst: /'
      grep -iE "error|warn" "$ZC_VM_TEST_OUT/zcomp-$io-$fmt.log" | tail -5 | sed 's/^/    zcomp: /'
      rc=1
    fi
  done
done
exit $rc
