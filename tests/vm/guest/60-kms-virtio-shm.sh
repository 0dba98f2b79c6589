#!/bin/bash
# zcomp -b kms on virtio-gpu shows zc-shm's frames: QEMU screendumps taken from outside
# the guest equal the client's test pattern (frame number read from the image).
# zc-vm-timeout: 180
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
dev=$(card_of_driver virtio_gpu) || { echo "no virtio-gpu card"; exit 77; }
zcomp_start "$dev" "$OUT/zcomp.log" || exit 1
"$ZC_SHM" --fullscreen --frames 0 > "$OUT/zc-shm.log" 2>&1 &
client=$!
sleep 3
good=0
for i in 1 2 3 4; do
  zc-vm-screendump "$OUT/dump$i.ppm" || continue
  zc-vm-pattern-check "$OUT/dump$i.ppm" && good=$((good + 1))
done
kill -INT $client; sleep 2; kill -KILL $client 2>/dev/null; wait $client
cat "$OUT/zc-shm.log"
zcomp_stop || good=0
grep -E 'kms:|output' "$OUT/zcomp.log" | grep -v debug | head -20
echo "$good of 4 screendumps show a whole client frame"
[ $good -ge 3 ]
