#!/bin/bash
# Issue 16 item 5: soak. zcomp -b kms on vkms, then on virtio-gpu; on each, several
# zc-vm-soak clients at once (their own processes) create and destroy windows, shm,
# udmabuf and vgem buffers, subsurfaces and captures at random from one seed, while
# another client is killed -9 mid-frame again and again. Checked per card:
# - every soak client: no protocol error it did not provoke, every presentation
#   feedback answered (presented or discarded), frames presented, captures ready;
# - zcomp's fd count, KMS framebuffers and dma-buf mappings back to their baseline
#   (measured after a warm-up run of the same clients), RSS within RSS_TOL_KB of it;
# - zcomp alive and responsive at the end (a capture, then a clean exit on SIGTERM).
# ZC_SOAK_SEED sets the seed (printed), ZC_SOAK_SECONDS the soak time per card.
# Keep it the last guest test: after a soak in which vkms lost a writeback completion,
# all four writeback captures of the next test (fresh zcomps) timed out too.
# zc-vm-timeout: 420
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
SEED=${ZC_SOAK_SEED:-16005}
SECS=${ZC_SOAK_SECONDS:-45}
CLIENTS=3
# RSS after the soak may exceed the warm-up's by allocator noise (malloc arenas,
# pixman's glyph-free caches); one leaked 256x256 frame per commit would be 100s of MB.
RSS_TOL_KB=${ZC_SOAK_RSS_TOL_KB:-3072}
SOURCES=shm,udmabuf,vgem
CARDS=${ZC_SOAK_CARDS:-vkms virtio_gpu}
LOG_LEVEL=${ZC_SOAK_LOG_LEVEL:-warn}
echo "soak seed $SEED (ZC_SOAK_SEED to change), $SECS s per card, $CLIENTS clients" \
  "+ 1 killed again and again"

zc_fds() { ls "/proc/$ZCOMP_PID/fd" | wc -l; }
zc_rss() { awk '/^VmRSS/ {print $2}' "/proc/$ZCOMP_PID/status"; }
zc_maps() { grep -cE '/dmabuf:|memfd:' "/proc/$ZCOMP_PID/maps"; }
zc_state() { echo "$(zc_fds) fds, $(fb_count "$dev") framebuffers, $(zc_maps) buffer mappings"; }

# soak_clients TAG SEED0 SECONDS: CLIENTS clients at once with seeds SEED0+1..; fails
# if any of them fails.
soak_clients() {
  local tag=$1 seed0=$2 secs=$3 i pids=() rc=0
  for i in $(seq 1 $CLIENTS); do
    zc-vm-soak --name="$tag-$i" --seed=$((seed0 + i)) --seconds="$secs" \
      --sources=$SOURCES > "$OUT/$tag-$i.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { rc=1; echo "client $tag-$((i + 1)) failed:"; cat "$OUT/$tag-$((i + 1)).log"; }
  done
  grep -h 'seed' "$OUT/$tag"-*.log
  return $rc
}

# killer SEED SECONDS: a soak client killed -9 after 2..5 s, again until SECONDS passed.
killer() {
  local seed=$1 end=$((SECONDS + $2)) n=0 c
  while [ $SECONDS -lt $end ]; do
    n=$((n + 1))
    zc-vm-soak --name=killed-$n --seed=$((seed + n)) --seconds=60 --sources=$SOURCES \
      > /dev/null 2>&1 &
    c=$!
    nap $((2 + (seed + n) % 4))
    kill -9 $c 2>/dev/null
    wait $c 2>/dev/null
  done
  echo "$n clients killed -9 mid-run"
}

soak_card() {
  local driver=$1 t0=$SECONDS
  dev=$(card_of_driver "$driver") || { bad "no $driver card"; return; }
  echo "== $driver ($dev)"
  # The log stays in guest memory until the end (the results share is slow).
  log=$PWD/zcomp-$driver.log
  zcomp_start "$dev" "$log" --mode=640x480 -l "$LOG_LEVEL" ||
    { bad "$driver: zcomp did not start"; return; }
  soak_clients "warmup-$driver" $((SEED + 1000)) 8 || bad "$driver: warm-up clients"
  nap 1
  local fd0 fb0 map0 rss0 fd1 fb1 map1 rss1
  fd0=$(zc_fds) fb0=$(fb_count "$dev") map0=$(zc_maps) rss0=$(zc_rss)
  echo "baseline: $(zc_state), RSS $rss0 kB"
  killer "$((SEED + 2000))" "$SECS" &
  local k=$!
  if soak_clients "soak-$driver" "$SEED" "$SECS"; then ok "$driver: $CLIENTS soak clients"
  else bad "$driver: a soak client failed"; fi
  wait $k
  nap 2
  fd1=$(zc_fds) fb1=$(fb_count "$dev") map1=$(zc_maps) rss1=$(zc_rss)
  echo "after: $(zc_state), RSS $rss1 kB ($((rss1 - rss0)) kB over the baseline)"
  [ "$fd1" = "$fd0" ] && ok "$driver: fds $fd0 -> $fd1" || bad "$driver: fds $fd0 -> $fd1"
  # A writeback job the driver never completed keeps its framebuffer in the
  # kernel after zcomp removed it; zcomp names it when it gives up on the job.
  local held
  held=$(fb_ids "$dev" | grep -Fxf <(sed -n 's/.*the kernel.s job holds framebuffer \([0-9]*\).*/\1/p' "$log") |
    wc -l)
  if [ "$fb1" = "$fb0" ]; then ok "$driver: framebuffers $fb0 -> $fb1"
  elif [ "$held" -gt 0 ] && [ $((fb1 - held)) = "$fb0" ]; then
    ok "$driver: framebuffers $fb0 -> $fb1, of which $held held by the kernel's lost writeback job"
  else bad "$driver: framebuffers $fb0 -> $fb1 ($held held by lost writeback jobs)"; fi
  [ "$map1" = "$map0" ] && ok "$driver: buffer mappings $map0 -> $map1" ||
    bad "$driver: buffer mappings $map0 -> $map1"
  [ $((rss1 - rss0)) -le "$RSS_TOL_KB" ] && ok "$driver: RSS +$((rss1 - rss0)) kB" ||
    bad "$driver: RSS grew by $((rss1 - rss0)) kB (tolerance $RSS_TOL_KB kB)"
  if "$ZC_BUILD_DIR/clients/zc-capture" "$PWD/final-$driver.png" > "$OUT/final-$driver.log" 2>&1
  then ok "$driver: zcomp still answers (capture)"
  else bad "$driver: final capture failed"; cat "$OUT/final-$driver.log"; fi
  zcomp_stop && ok "$driver: zcomp exited cleanly" || bad "$driver: zcomp exit"
  # The whole log at the warn level, its end at debug (large).
  if [ "$LOG_LEVEL" = debug ] || [ -n "${ZC_SOAK_FULL_LOG:-}" ]; then
    grep -v 'client communication' "$log" | xz -1 > "$OUT/zcomp-$driver.log.xz"
  else
    tail -n 3000 "$log" > "$OUT/zcomp-$driver.log"
  fi
  echo "zcomp's warnings and errors (counted):"
  sed -E 's/^\[[0-9. ]+\] //' "$log" | grep -E '^zcomp (warn|error)' | sort | uniq -c |
    sort -rn | head -8
  echo "$driver took $((SECONDS - t0)) s"
}

for card in $CARDS; do soak_card "$card"; done
exit $fail
