#!/bin/bash
# Issue 6: with zcomp -b kms -r gl on virtio-gpu (no writeback connector), an
# ext-image-copy-capture (zc-capture) reads the front buffer, a GBM buffer GL rendered into,
# through the CPU (dma-buf mmap + DMA_BUF_IOCTL_SYNC): it must equal zc-shm's test pattern
# exactly. Two short zc-shm runs first: llvmpipe's first frames take longer than the
# 5 s zc-shm waits for one.
# zc-vm-timeout: 200
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
export MESA_SHADER_CACHE_DIR=$PWD/shader-cache
dev=$(card_of_driver virtio_gpu) || { echo "no virtio-gpu card"; exit 77; }
zcomp_start "$dev" "$OUT/zcomp.log" -r gl || exit 1
"$ZC_SHM" --frames 3 > "$OUT/warm.log" 2>&1
"$ZC_SHM" --frames 3 >> "$OUT/warm.log" 2>&1
"$ZC_SHM" --fullscreen --frames 0 > "$OUT/zc-shm.log" 2>&1 &
client=$!
rc=1
for i in $(seq 1 10); do
  sleep 3
  "$ZC_BUILD_DIR/clients/zc-capture" "$OUT/capture.png" &&
    zc-vm-pattern-check "$OUT/capture.png" && { rc=0; break; }
done
kill -INT $client; wait $client
cat "$OUT/zc-shm.log"
zcomp_stop || rc=1
grep -E 'gbm|GBM|target' "$OUT/zcomp.log" | head -5
exit $rc
