#!/bin/bash
# Issue 4: 1000 dma-buf create/show/destroy cycles and a client killed mid-frame leave no fd
# and no memory behind in zcomp (its /proc fd count and RSS before and after).
# zc-vm-timeout: 600
set -u
B=$ZC_BUILD_DIR
export XDG_RUNTIME_DIR=$(mktemp -d)
export WAYLAND_DISPLAY=zc-leak
"$B/compositor/zcomp" --socket=$WAYLAND_DISPLAY --mode=256x256 --log-level=warn &
zc=$!
for i in $(seq 50); do [ -S "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY" ] && break; sleep 0.1; done
fds() { ls /proc/$zc/fd | wc -l; }
# dma-buf mappings show as /dmabuf: in maps; a client's udmabuf memfd as /memfd:zc-dmabuf.
maps() { grep -cE '/dmabuf:|memfd:zc-dmabuf' /proc/$zc/maps; }
rss() { awk '/^VmRSS/ {print $2}' /proc/$zc/status; }
# Warm up (first mappings, pixman's caches), then measure.
"$B/clients/zc-dmabuf" --cycles=50 -f nv12 >/dev/null || exit 1
fd0=$(fds); rss0=$(rss)
echo "before: $fd0 fds, RSS $rss0 kB"
rc=0
"$B/clients/zc-dmabuf" --cycles=1000 -S udmabuf -f xrgb8888 || rc=1
"$B/clients/zc-dmabuf" --cycles=300 -S dumb -d vgem -f nv12 || rc=1
fd1=$(fds); rss1=$(rss)
echo "after cycles: $fd1 fds, RSS $rss1 kB, $(maps) dma-buf mappings"
# Killed mid-frame, with buffers attached and frames in flight, a few times over.
for i in 1 2 3 4 5; do
  "$B/clients/zc-dmabuf" -n 0 -b 3 -S udmabuf -f yuv420 >/dev/null 2>&1 &
  c=$!
  sleep 1.5
  kill -9 $c; wait $c 2>/dev/null
done
sleep 1
fd2=$(fds); rss2=$(rss)
echo "after 5 killed clients: $fd2 fds, RSS $rss2 kB, $(maps) dma-buf mappings"
grep -E '/dmabuf:|memfd:zc-dmabuf' /proc/$zc/maps
[ "$fd1" = "$fd0" ] || { echo "FAIL: fds leaked by cycles ($fd0 -> $fd1)"; rc=1; }
[ "$fd2" = "$fd0" ] || { echo "FAIL: fds leaked by killed clients ($fd0 -> $fd2)"; rc=1; }
# 1300 buffers of 256 KiB..: a leak of one mapping each would be >300 MB of address space and
# many MB of RSS; allow 4 MB of allocator noise.
[ $((rss2 - rss0)) -lt 4096 ] || { echo "FAIL: RSS grew by $((rss2 - rss0)) kB"; rc=1; }
[ "$(maps)" = 0 ] || { echo "FAIL: dma-buf mappings left in zcomp"; rc=1; }
kill $zc; wait $zc || { echo "FAIL: zcomp exited with $?"; rc=1; }
exit $rc
