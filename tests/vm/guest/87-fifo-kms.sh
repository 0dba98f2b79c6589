#!/bin/bash
# Issue 17: fifo-v1 on real KMS. vkcube (vulkan-tools) on lavapipe uses wp_fifo_v1 for its
# FIFO present mode; on vkms (vblank events) and virtio-gpu (timer pacing) every frame
# carries set_barrier/wait_barrier, none is discarded, the run is not faster than the
# output's refresh, and every frame's presentation flags are exactly the path's.
# zc-vm-timeout: 420
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
command -v vkcube-wayland > /dev/null ||
  { echo "FAIL vkcube-wayland is not installed (scripts/deps.sh: vulkan-tools)"; exit 1; }
export VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.json
FRAMES=60
fail=0

for driver in vkms virtio_gpu; do
  dev=$(card_of_driver "$driver") || { bad "no $driver card"; continue; }
  zcomp_start "$dev" "$OUT/zcomp-$driver.log" || { fail=1; continue; }
  start=$(date +%s%N)
  WAYLAND_DEBUG=client timeout 300 vkcube-wayland --c "$FRAMES" --width 128 --height 128 \
    > "$OUT/vkcube-$driver.log" 2>&1
  rc=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  log=$OUT/vkcube-$driver.log
  sets=$(grep -c '\.set_barrier()' "$log")
  presented=$(grep -c '\.presented(' "$log")
  discarded=$(grep -c '\.discarded(' "$log")
  flags=$(grep -o '\.presented([^)]*)' "$log" | awk -F', ' '{print $NF}' | tr -d ')' |
    sort | uniq -c | tr '\n' ' ')
  refresh=$(grep -o '\.presented([^)]*)' "$log" | head -1 | awk -F', ' '{print $4}')
  echo "$driver: vkcube rc $rc, $FRAMES frames in $ms ms, refresh ${refresh:-?} ns," \
    "set_barrier $sets, presented $presented, discarded $discarded, flags (count value): $flags"
  [ "$rc" = 0 ] && ok "$driver: vkcube ran" || bad "$driver: vkcube exited $rc"
  [ "$sets" -ge "$FRAMES" ] && ok "$driver: Mesa's WSI paced with wp_fifo_v1" ||
    bad "$driver: only $sets set_barrier"
  [ "$discarded" = 0 ] && ok "$driver: no frame discarded" || bad "$driver: $discarded discarded"
  [ "$presented" -ge $((FRAMES - 6)) ] && ok "$driver: frames presented" ||
    bad "$driver: only $presented presented"
  if [ -n "$refresh" ] && [ "$refresh" -gt 0 ]; then
    min_ms=$(( (FRAMES - 5) * refresh / 1000000 ))
    [ "$ms" -ge "$min_ms" ] && ok "$driver: not faster than the output" ||
      bad "$driver: $FRAMES frames in $ms ms, under $min_ms ms"
  fi
  # Exact flags of a composited (wl_shm) frame: vkms flips with vblank events give
  # VSYNC|HW_CLOCK|HW_COMPLETION (7); virtio-gpu's flip completes but the timestamp is
  # zcomp's refresh grid: VSYNC|HW_COMPLETION (5). Never ZERO_COPY (not scanned out).
  want=7; [ "$driver" = virtio_gpu ] && want=5
  other=$(grep -o '\.presented([^)]*)' "$log" | awk -F', ' '{print $NF}' | tr -d ')' |
    grep -cvx "$want")
  [ "$other" = 0 ] && ok "$driver: every frame's flags are $want" ||
    bad "$driver: $other frames with flags other than $want"
  zcomp_stop || fail=1
done
exit $fail
