#!/bin/bash
# Issue 13: explicit sync with direct scan-out on vkms, which has no syncobjs: zcomp takes
# the timelines on virtio-gpu's render node (logged), the client makes its timelines there
# too. A fullscreen udmabuf client and a vgem one (acquire point carrying a vgem fence,
# frame 2 queued behind it, ready) hold frame 1 for 500 ms: the writeback capture taken
# meanwhile shows frame 0, nothing is presented before the point signalled, every frame
# is scanned out (ZERO_COPY, path accounting: scanout only), no release point signals
# before the flip that took its buffer off the screen was presented, and each surface's
# explicit-sync stats line counts its commits.
# zc-vm-timeout: 300
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
DMABUF=$ZC_BUILD_DIR/clients/zc-dmabuf
dev=$(card_of_driver vkms) || { echo "no vkms card"; exit 1; }
stats=$OUT/stats.jsonl
log=$OUT/zcomp.log
zcomp_start "$dev" "$log" --mode=1024x768 --stats="$stats" || exit 1
grep 'linux-drm-syncobj' "$log"
grep -q "linux-drm-syncobj: timelines on /dev/dri/renderD[0-9]* (another GPU's render node" "$log" &&
  ok "timelines on a render node, not the vkms card" || bad "no render-node syncobj device line"
n=0
for src in "-S udmabuf" "--sync-hold-queue -S dumb -d vgem"; do
  n=$((n + 1))
  name=vkms-${src##* }
  # shellcheck disable=SC2086
  timeout 120 "$DMABUF" --sync=explicit --sync-hold=500 -n 40 -s 1024x768 $src \
    > "$OUT/$name.log" 2>&1
  rc=$?
  grep -E '^(sync|sync-hold|zc-dmabuf):' "$OUT/$name.log"
  [ $rc = 0 ] && ok "$name: client checks (writeback during the hold, release vs flips)" ||
    { bad "$name: zc-dmabuf exited $rc"; tail -5 "$OUT/$name.log"; }
  summary=$(grep '^zc-dmabuf:' "$OUT/$name.log" | tail -1)
  zc=$(grep -o 'zero-copy [0-9]*' <<<"$summary" | awk '{print $2}')
  pr=$(grep -o 'presented [0-9]*' <<<"$summary" | awk '{print $2}')
  [ "${zc:-0}" -ge 30 ] && [ "$zc" = "$pr" ] && ok "$name: $zc of $pr frames ZERO_COPY" ||
    bad "$name: ${zc:-0} of ${pr:-0} frames ZERO_COPY"
done
zcomp_stop || bad "zcomp exit status"
cat "$stats"
for i in 1 2; do
  line=$(grep '"event":"surface"' "$stats" | sed -n "${i}p")
  sc=$(grep -o '"scanout":[0-9]*' <<<"$line" | cut -d: -f2)
  other=$(grep -oE '"(gpu-import|cpu-mmap|cpu-upload)":[0-9]*' <<<"$line" | cut -d: -f2 | awk '{s += $1} END {print s + 0}')
  [ "${sc:-0}" -ge 30 ] && [ "${other:-1}" = 0 ] && ok "surface $i: $sc scanout frames only" ||
    bad "surface $i: stats $line"
done
# The explicit-sync stats line of each surface: 40 commits with points, frame 1 held.
for i in 1 2; do
  line=$(grep '"event":"explicit-sync"' "$stats" | sed -n "${i}p")
  grep -q '"commits":40,' <<<"$line" && ! grep -q '"held":0}' <<<"$line" &&
    ok "explicit-sync stats $i: $line" || bad "explicit-sync stats $i: '$line'"
done
exit $fail
