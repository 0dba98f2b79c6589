#!/bin/bash
# Issue 4: zc-dmabuf frames from every buffer source, every format, odd sizes, padded strides
# and non-zero plane offsets reach the screen pixel-exact (zcomp headless + pixman: the CPU
# path of mmap + DMA_BUF_IOCTL_SYNC), and buffers come back (2 buffers, 12 frames).
# zc-vm-timeout: 600
set -u
B=$ZC_BUILD_DIR
export XDG_RUNTIME_DIR=$(mktemp -d)
# Cases run two at a time (the guest has two vCPUs): each starts its own
# zcomp on its own socket, and reports into its own file, read in order at
# the end so the log stays readable.
lanes=2
n=0
# show MODE ZC-DMABUF-ARGS...: the client checks the capture of its last frame itself.
show_one() {
  local mode=$1; shift
  local out
  out=$(timeout 120 "$B/compositor/zcomp" --mode="$mode" --log-level=warn -- \
        "$B/clients/zc-dmabuf" -n 12 -b 2 --verify "$@" 2>&1)
  local rc=$?
  if [ $rc = 0 ]; then
    echo "ok: $mode $* | $(grep '^zc-dmabuf:' <<<"$out" | tail -1)"
  else
    echo "FAIL: $mode $* (exit $rc)"; sed 's/^/    /' <<<"$out" | tail -15
  fi
}
show() {
  n=$((n + 1))
  show_one "$@" > "case.$(printf %03d $n)" 2>&1 &
  while [ "$(jobs -rp | wc -l)" -ge $lanes ]; do wait -n; done
}
for f in xrgb8888 argb8888 xbgr8888 abgr8888 rgb565 nv12 yuv420; do
  show 256x256 -S udmabuf -f $f -s 256x256
done
for src in "-S heap" "-S dumb -d vgem" "-S dumb -d virtio_gpu" "-S dumb -d vkms"; do
  for f in xrgb8888 rgb565 nv12 yuv420; do
    # shellcheck disable=SC2086
    show 256x256 $src -f $f -s 256x256
  done
done
# Odd sizes (rows not 4-byte aligned for rgb565, odd chroma for YUV).
for f in xrgb8888 argb8888 rgb565 nv12 yuv420; do
  show 333x197 -S udmabuf -f $f -s 333x197
  show 333x197 -S dumb -d vgem -f $f -s 333x197
done
show 1x1 -S udmabuf -f xrgb8888 -s 1x1
show 3x3 -S udmabuf -f nv12 -s 3x3
# Padded strides, including strides pixman cannot wrap (not a multiple of 4).
show 256x256 -S udmabuf -f xrgb8888 -s 256x256 --stride=1536
show 333x197 -S udmabuf -f rgb565 -s 333x197 --stride=670
show 333x197 -S heap -f nv12 -s 333x197 --stride=400
show 333x197 -S udmabuf -f yuv420 -s 333x197 --stride=351
# Non-zero offsets: 4-aligned, page plus a little, and not 4-aligned at all.
show 256x256 -S udmabuf -f xrgb8888 -s 256x256 --offset=100
show 256x256 -S dumb -d vgem -f xrgb8888 -s 256x256 --offset=4196
show 256x256 -S udmabuf -f xrgb8888 -s 256x256 --offset=4098
show 333x197 -S udmabuf -f nv12 -s 333x197 --offset=4160
show 333x197 -S heap -f yuv420 -s 333x197 --offset=12345
# Create-immed and a larger frame smaller than the output (centred).
show 1280x720 -S udmabuf -f xrgb8888 -s 640x480 --immed
wait
cat case.*
fails=$(cat case.* | grep -c '^FAIL')
[ "$n" -gt 0 ] && [ "$(cat case.* | grep -c '^ok')" = "$n" ] || fails=$((fails + 1))
[ "$fails" = 0 ] || { echo "$fails case(s) failed"; exit 1; }
