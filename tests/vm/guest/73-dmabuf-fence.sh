#!/bin/bash
# Issue 4 item 5: a vgem buffer committed with an unsignalled write fence is not shown until the
# fence signals, and zcomp keeps serving meanwhile (capture answers, another client keeps its
# frame rate).
# zc-vm-timeout: 300
set -u
B=$ZC_BUILD_DIR
export XDG_RUNTIME_DIR=$(mktemp -d)
export WAYLAND_DISPLAY=zc-fence
"$B/compositor/zcomp" --socket=$WAYLAND_DISPLAY --mode=256x256 --log-level=warn &
zc=$!
for i in $(seq 50); do [ -S "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY" ] && break; sleep 0.1; done
# A second client at full rate during the hold.
"$B/clients/zc-dmabuf" -n 150 -S udmabuf -s 64x64 > other.log 2>&1 &
other=$!
rc=0
"$B/clients/zc-dmabuf" -S dumb -d vgem -n 4 --fence-hold=1500 || rc=1
wait $other || rc=1
cat other.log
kill $zc; wait $zc
exit $rc
