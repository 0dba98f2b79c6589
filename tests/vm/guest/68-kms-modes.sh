#!/bin/bash
# --mode on virtio-gpu: a size the connector lists is used as listed; a size it does
# not list gets a CVT mode (the screendump has that size and shows a whole zc-shm frame);
# on vkms a CVT mode beyond what the driver takes is refused with the listed modes.
# zc-vm-timeout: 240
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
dev=$(card_of_driver virtio_gpu) || { echo "no virtio-gpu card"; exit 77; }
fail=0

echo "== 1024x768, listed"
zcomp_start "$dev" "$OUT/listed.log" --mode=1024x768 || exit 1
check wait_log "$OUT/listed.log" 'output Virtual-1: 1024x768@'
check [ "$(grep -c 'CVT' "$OUT/listed.log")" = 0 ]
zcomp_stop || fail=1

echo "== 1000x700, not listed: CVT"
zcomp_start "$dev" "$OUT/cvt.log" --mode=1000x700 || exit 1
check wait_log "$OUT/cvt.log" 'does not list 1000x700: trying a CVT mode'
check wait_log "$OUT/cvt.log" 'output Virtual-1: 1000x700@'
"$ZC_SHM" --fullscreen --frames 0 --interval 200 > "$OUT/zc-shm.log" 2>&1 &
client=$!
check dump_pattern "$OUT/cvt.ppm" 0
check [ "$(head -c 20 "$OUT/cvt.ppm" | sed -n 2p)" = "1000 700" ]
kill -INT $client; wait $client
zcomp_stop || fail=1

vkms=$(card_of_driver vkms) || { echo "no vkms card"; exit $fail; }
echo "== 9000x9000 on vkms: refused"
rm -f "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY"
"$ZCOMP" -b kms -d "$vkms" -s "$WAYLAND_DISPLAY" --mode=9000x9000 > "$OUT/refused.log" 2>&1
rc=$?
echo "zcomp exited with $rc"
check [ $rc = 1 ]
check grep -q 'refuses the CVT mode 9000x9000' "$OUT/refused.log"
check grep -q 'lists: 1024x768@60' "$OUT/refused.log"
grep -E 'kms:' "$OUT/refused.log"
exit $fail
