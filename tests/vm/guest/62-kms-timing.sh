#!/bin/bash
# Frame pacing on both KMS devices: a client redrawing as fast as frame callbacks allow
# for 10 s gets them at <= 1.05 x refresh, presentation timestamps increase strictly and
# come one refresh apart; the >= 600 frames need no failed commit and leak no framebuffer.
# zc-vm-timeout: 200
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
fail=0
for driver in virtio_gpu vkms; do
  dev=$(card_of_driver $driver) || { echo "no $driver card"; fail=1; continue; }
  echo "=== $driver ($dev)"
  before=$(fb_count "$dev")
  zcomp_start "$dev" "$OUT/zcomp-$driver.log" || { fail=1; continue; }
  zc-vm-kms-timing 10 600 || fail=1
  during=$(fb_count "$dev")
  zcomp_stop || fail=1
  after=$(fb_count "$dev")
  grep -E 'kms: (using|output)|flips' "$OUT/zcomp-$driver.log"
  echo "zcomp framebuffers on $dev: before ${before:-?}, while running ${during:-?}, after exit ${after:-?}"
  stats=$(grep -o '[0-9]* flips.*failed commits' "$OUT/zcomp-$driver.log" | tail -1)
  flips=$(echo "$stats" | awk '{print $1}')
  failed=$(echo "$stats" | grep -o '[0-9]* failed commits' | awk '{print $1}')
  [ "${flips:-0}" -ge 600 ] || { echo "FAIL: only ${flips:-0} flips"; fail=1; }
  [ "${failed:-1}" = 0 ] || { echo "FAIL: ${failed:-?} failed commits"; fail=1; }
  [ "${after:-1}" = 0 ] || { echo "FAIL: framebuffers left after exit"; fail=1; }
  [ "${during:-9}" -le 4 ] || { echo "FAIL: ${during:-?} framebuffers while running"; fail=1; }
  grep -E ' (error|warn):' "$OUT/zcomp-$driver.log" | head
done
exit $fail
