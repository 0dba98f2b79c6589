#!/usr/bin/env bash
# The main job: installs what zcomp needs, builds it, runs it with a demo
# client submitting frames, and writes what the output shows as a PNG.
#
#   scripts/run.sh [OUT.png]        (default: zcomp-output.png)
#
# It uses the headless backend with the pixman renderer, so it needs no GPU
# and no display.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-zcomp-output.png}")

scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "${XDG_RUNTIME_DIR}" ]; then
  export XDG_RUNTIME_DIR=$(mktemp -d)
fi
# The client side of the demo: a frame-numbered pattern for 2 s at 60 Hz,
# captured while it runs, then the client's own summary.
demo='
  build/clients/zc-shm --frames 120 --size 640x480 & shm=$!
  sleep 1
  build/clients/zc-capture "$1" || exit 1
  wait $shm
'
build/compositor/zcomp --backend=headless --mode=1280x720@60 --log-level=warn \
  -- sh -c "$demo" zcomp-demo "$out"
echo "run: wrote $out"
