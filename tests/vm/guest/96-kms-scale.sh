#!/bin/bash
# --scale on a real KMS device: zcomp -b kms --scale=2 on vkms, zc-shm fullscreen
# (it draws at scale 1, the logical 320x240), and what the CRTC scans out, read
# back through vkms' writeback connector, is zc-shm's pattern magnified exactly
# 2x: every 2x2 block one colour (nearest, no seam), the reduced image the whole
# pattern of one frame; the fullscreen configure gave the client the logical size.
# zc-vm-timeout: 180
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
dev=$(card_of_driver vkms) || { echo "no vkms card"; exit 77; }
wb=$PWD/wb
mkdir -p "$wb"
fail=0
ZC_KMS_WRITEBACK_DUMP=$wb zcomp_start "$dev" "$OUT/zcomp.log" --mode=640x480 --scale=2 ||
  exit 1
"$ZC_SHM" --fullscreen --frames 0 > "$OUT/zc-shm.log" 2>&1 &
client=$!
nap 3
if writeback_take "$wb" scaled; then
  f=$OUT/scaled.ppm
  ZC_MAGNIFIED=2 zc-vm-pattern-check "$f" || { echo "FAIL: not the pattern magnified 2x"; fail=1; }
  # The same frame is not the unmagnified pattern (the check can fail).
  zc-vm-pattern-check "$f" > /dev/null && { echo "FAIL: the output is not magnified"; fail=1; }
else
  echo "FAIL: no writeback frame"; fail=1
fi
kill -INT $client; wait $client
cat "$OUT/zc-shm.log"
grep -qE '320x240' "$OUT/zc-shm.log" || { echo "FAIL: zc-shm was not given the logical 320x240"; fail=1; }
check kill -0 "$ZCOMP_PID"
zcomp_stop || fail=1
grep -E 'scale|mode .* set' "$OUT/zcomp.log" | head -5
exit $fail
