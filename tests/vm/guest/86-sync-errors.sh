#!/bin/bash
# Issue 13: wp_linux_drm_syncobj_v1 against real timelines (virtio-gpu's render node, the
# headless backend): every protocol error with its code and the objects destroyed in every
# order (zc-dmabuf --provoke-sync=all); the timelines and the syncobj surface destroyed
# while a commit is held (the frame still shows once its point signals, every release point
# still signals); a synchronized subsurface's held and cached commits; a client killed
# while its commit is held; the same hold waited for without DRM_IOCTL_SYNCOBJ_EVENTFD (ZC_SYNCOBJ_NO_EVENTFD=1: a point without a fence yet
# is looked at again until it has one, then its sync_file is polled); zcomp's fd count
# back to its baseline afterwards.
# zc-vm-timeout: 300
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
DMABUF=$ZC_BUILD_DIR/clients/zc-dmabuf

# start_headless LOG [ENV...]: zcomp on the headless backend. Sets ZCOMP_PID.
start_headless() {
  local log=$1 i
  shift
  rm -f "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY"
  env "$@" "$ZCOMP" -b headless -s "$WAYLAND_DISPLAY" -m 256x256 -l debug > "$log" 2>&1 &
  ZCOMP_PID=$!
  for i in $(seq 1 100); do
    [ -S "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY" ] && return 0
    sleep 0.1
  done
  echo "zcomp did not come up"; cat "$log"; return 1
}
fds() { ls "/proc/$ZCOMP_PID/fd" | wc -l; }

start_headless "$OUT/zcomp.log" || exit 1
grep 'linux-drm-syncobj' "$OUT/zcomp.log"
# Warm up (first imports, mappings), then take the baseline.
"$DMABUF" --sync=explicit -n 5 > "$OUT/warmup.log" 2>&1 || bad "warm-up client"
fd0=$(fds)
echo "baseline: $fd0 fds"

"$DMABUF" --provoke-sync=all -S udmabuf > "$OUT/provoke.log" 2>&1
rc=$?
cat "$OUT/provoke.log"
[ $rc = 0 ] && [ "$(grep -c '^ok   sync' "$OUT/provoke.log")" = 16 ] &&
  ok "every error and destruction order" || bad "provocations (exit $rc)"

"$DMABUF" --sync=explicit --sync-hold=500 --sync-destroy -n 10 > "$OUT/destroy.log" 2>&1
rc=$?
grep -E '^(sync|sync-hold)' "$OUT/destroy.log"
[ $rc = 0 ] && grep -q 'destroyed while held' "$OUT/destroy.log" &&
  ok "timelines destroyed with a commit pending" || bad "--sync-destroy (exit $rc)"

"$DMABUF" --sync=explicit --sync-hold=500 -S dumb -d vgem -n 10 > "$OUT/vgem.log" 2>&1 &&
  ok "vgem fence on the acquire point" || { bad "vgem hold"; cat "$OUT/vgem.log"; }

# In a synchronized subsurface: the held child commit holds the window's commit too; a
# release point stays unsignalled while its buffer waits in the subsurface's cache.
"$DMABUF" --sync=explicit --sync-hold=500 --subsurface -n 20 --verify \
  > "$OUT/subsurface.log" 2>&1
rc=$?
grep -E '^(sync|sync-hold|verify)' "$OUT/subsurface.log"
[ $rc = 0 ] && ok "explicit sync in a synchronized subsurface" || bad "--subsurface (exit $rc)"

# Killed while held: the commit is dropped with the client, its eventfd closed.
"$DMABUF" --sync=explicit --sync-hold=5000 -n 10 > "$OUT/killed.log" 2>&1 &
c=$!
wait_log "$OUT/killed.log" '^sync-hold: frame 1 committed' 30 || bad "the client never held"
kill -9 $c; wait $c 2>/dev/null
nap 1
fd1=$(fds)
echo "after: $fd1 fds"
[ "$fd1" = "$fd0" ] && ok "fd count back to $fd0" || { bad "fds: $fd0 before, $fd1 after"; ls -l "/proc/$ZCOMP_PID/fd"; }
grep -c 'held: acquire point' "$OUT/zcomp.log" | sed 's/^/held commits logged: /'
kill $ZCOMP_PID; wait $ZCOMP_PID || bad "zcomp exit status"

echo "=== without DRM_IOCTL_SYNCOBJ_EVENTFD"
start_headless "$OUT/zcomp-noeventfd.log" ZC_SYNCOBJ_NO_EVENTFD=1 || exit 1
grep 'linux-drm-syncobj' "$OUT/zcomp-noeventfd.log"
grep -q 'waited with sync_files' "$OUT/zcomp-noeventfd.log" && ok "sync_file fallback chosen" ||
  bad "fallback not announced"
"$DMABUF" --sync=explicit --sync-hold=500 --sync-hold-queue -n 10 > "$OUT/noeventfd.log" 2>&1
rc=$?
grep -E '^(sync|sync-hold)' "$OUT/noeventfd.log"
[ $rc = 0 ] && ok "held and shown through the fallback" || bad "fallback client (exit $rc)"
grep -q 'held: acquire point (no fence yet)' "$OUT/zcomp-noeventfd.log" &&
  ok "a point without a fence was retried" || bad "no retry hold logged"
kill $ZCOMP_PID; wait $ZCOMP_PID || bad "zcomp exit status (fallback)"
exit $fail
