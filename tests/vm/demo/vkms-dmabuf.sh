#!/bin/bash
# The main job inside the VM (scripts/run.sh on a machine without KMS): zcomp
# drives vkms through atomic KMS, zc-dmabuf submits udmabuf frames for a few
# seconds, zc-capture takes the output as a PNG. Prints the client's summary
# (frames presented, latency) and zcomp's path accounting.
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
card=$(card_of_driver vkms) || { echo "no vkms card"; exit 1; }
stats=$OUT/stats.jsonl
zcomp_start "$card" "$OUT/zcomp.log" --mode=1280x720 --stats="$stats" || exit 1
"$ZC_BUILD_DIR/clients/zc-dmabuf" -S udmabuf -f xrgb8888 -s 1280x720 -n 240 \
  > "$OUT/client.log" 2>&1 &
client=$!
sleep 2
"$ZC_BUILD_DIR/clients/zc-capture" "$OUT/zcomp-vkms.png" || echo "capture failed"
wait $client
rc=$?
zcomp_stop || rc=1
grep '^zc-dmabuf:' "$OUT/client.log" || cat "$OUT/client.log"
grep -o 'kms: .*' "$OUT/zcomp.log" | grep -i 'output\|mode' | head -3
echo "path accounting: $(cat "$stats" 2>/dev/null)"
exit $rc
