#!/bin/bash
# zc-dmabuf on virtio-gpu, checked from outside the guest by QEMU screendumps: the
# device's own dumb buffers (scanned out as they are) and udmabuf (foreign memory that
# virtio-gpu cannot import: composited through the CPU path, mmap + DMA_BUF_IOCTL_SYNC)
# each show whole client frames, pixel for pixel; path accounting says which path.
# zc-vm-timeout: 300
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
DMABUF=$ZC_BUILD_DIR/clients/zc-dmabuf
dev=$(card_of_driver virtio_gpu) || { echo "no virtio-gpu card"; exit 77; }
stats=$OUT/stats.jsonl
fail=0

# show NAME ARGS...: a fullscreen zc-dmabuf at 5 frames a second, screendumps until
# one shows a whole frame, then three more that must all be whole frames.
show() {
  local name=$1 i good=0
  shift
  "$DMABUF" -n 0 -r 5 -s 1280x800 "$@" > "$OUT/$name.log" 2>&1 &
  local client=$!
  check dump_pattern "$OUT/$name-0.ppm" 0 20
  for i in 1 2 3; do
    zc-vm-screendump "$OUT/$name-$i.ppm" && zc-vm-pattern-check "$OUT/$name-$i.ppm" &&
      good=$((good + 1))
  done
  check [ $good = 3 ]
  kill -INT $client; wait $client
  tail -2 "$OUT/$name.log"
}

# path_frames N PATH: frames on PATH of the Nth surface in the stats.
path_frames() {
  grep '"event":"surface"' "$stats" | sed -n "$1p" | grep -o "\"$2\":[0-9]*" | cut -d: -f2
}

zcomp_start "$dev" "$OUT/zcomp.log" --mode=1280x800 --stats="$stats" || exit 1
echo "== virtio-gpu's own dumb buffers: scanout"
show own -S dumb -d virtio_gpu
echo "== udmabuf: composited by the CPU"
show udmabuf -S udmabuf
zcomp_stop || fail=1
cat "$stats"
check [ "$(path_frames 1 scanout)" -gt 0 ]
check [ "$(path_frames 1 cpu-mmap)" = 0 ]
check [ "$(path_frames 2 cpu-mmap)" -gt 0 ]
check [ "$(path_frames 2 scanout)" = 0 ]
exit $fail
