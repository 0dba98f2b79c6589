#!/bin/bash
# zcomp -b kms on vkms: what the CRTC scans out, read back through the writeback
# connector, equals zc-shm's test pattern exactly: four frames through the test hook
# (SIGUSR1 with ZC_KMS_WRITEBACK_DUMP, PPM files), then one through
# ext-image-copy-capture (zc-capture), which must take the writeback path too.
# vkms needs tests/vm/vkms-writeback-clones.patch (applied by scripts/vm.sh) on kernels
# with the DRM clone check.
# zc-vm-timeout: 180
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
dev=$(card_of_driver vkms) || { echo "no vkms card"; exit 77; }
# Frames go to the scratch directory (guest memory) first: zcomp writes them on its
# event loop, and the results share is slow when the host is busy.
wb=$PWD/wb
mkdir -p "$wb" "$OUT/wb"
ZC_KMS_WRITEBACK_DUMP=$wb zcomp_start "$dev" "$OUT/zcomp.log" || exit 1
"$ZC_SHM" --fullscreen --frames 0 > "$OUT/zc-shm.log" 2>&1 &
client=$!
sleep 3
readbacks() { grep -c 'writeback frame read back' "$OUT/zcomp.log"; }
# zcomp refused or lost a writeback frame and gave writeback up.
writeback_off() { grep -qE 'refuses writeback|writeback capture off' "$OUT/zcomp.log"; }
good=0
for i in 0 1 2 3; do
  echo "writeback capture $i requested"
  kill -USR1 "$ZCOMP_PID"
  # Few processes: the emulated guest is busy with a full-screen client.
  for t in 1 2 3 4 5 6 7 8 9 10; do
    sleep 1
    # vkms' connector is Virtual-N, N after virtio-gpu's heads
    compgen -G "$wb/Virtual-*-$i.ppm" > /dev/null && break
    writeback_off && break
  done
  writeback_off && { echo "zcomp gave writeback up"; break; }
  f=$(ls "$wb"/*-$i.ppm 2>/dev/null | head -1)
  [ -n "$f" ] || { echo "no writeback frame $i"; continue; }
  zc-vm-pattern-check "$f" && good=$((good + 1))
done
before=$(readbacks)
captured=0
if "$ZC_BUILD_DIR/clients/zc-capture" "$wb/capture.png" &&
   zc-vm-pattern-check "$wb/capture.png"; then
  captured=$(( $(readbacks) - before ))
  echo "ext-image-copy-capture: $captured writeback readbacks for its frame"
else
  echo "ext-image-copy-capture: no whole client frame"
fi
kill -INT $client; sleep 2; kill -KILL $client 2>/dev/null; wait $client
cp "$wb"/* "$OUT/wb/"
cat "$OUT/zc-shm.log"
zcomp_stop || good=0
grep -E 'kms:|output' "$OUT/zcomp.log" | grep -v debug | head -20

echo "$good of 4 writeback frames show a whole client frame"
[ $good = 4 ] && [ "$captured" -ge 1 ]
