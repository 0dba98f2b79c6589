#!/bin/bash
# Issue 4 item 7: CPU time and bytes read per frame of the dma-buf CPU path for a full-damage
# 1280x720 XRGB8888 frame, next to a memcpy of the same frame (one run), then zcomp's own CPU
# time per frame with zc-dmabuf submitting such frames. Numbers only; it fails only on errors.
# zc-vm-timeout: 500
set -u
B=$ZC_BUILD_DIR
zc-vm-dmabuf-bench -S udmabuf -f xrgb8888 -s 1280x720 -n 100 || exit 1
zc-vm-dmabuf-bench -S dumb -d vgem -f xrgb8888 -s 1280x720 -n 100 || exit 1
zc-vm-dmabuf-bench -S udmabuf -f nv12 -s 1280x720 -n 50 || exit 1
# Issue 14: 1080p video and camera formats, each with its ratio to a memcpy of the bytes read.
for f in nv12 yuyv yuv420; do
  zc-vm-dmabuf-bench -S udmabuf -f $f -s 1920x1080 -n 50 || exit 1
done
export XDG_RUNTIME_DIR=$(mktemp -d)
export WAYLAND_DISPLAY=zc-bench
"$B/compositor/zcomp" --socket=$WAYLAND_DISPLAY --mode=1280x720 --log-level=warn &
zc=$!
for i in $(seq 50); do [ -S "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY" ] && break; sleep 0.1; done
ticks() { awk '{print $14 + $15}' /proc/$zc/stat; }
hz=$(getconf CLK_TCK)
"$B/clients/zc-dmabuf" -n 20 -s 1280x720 >/dev/null || exit 1   # warm up
t0=$(ticks)
out=$("$B/clients/zc-dmabuf" -n 200 -s 1280x720) || exit 1
t1=$(ticks)
echo "$out"
frames=$(sed -n 's/.* presented \([0-9]*\) .*/\1/p' <<<"$out")
echo "zcomp (whole process) CPU per presented 1280x720 dma-buf frame: $(echo "scale=3; ($t1 - $t0) * 1000 / $hz / $frames" | bc) ms over $frames frames"
kill $zc; wait $zc
