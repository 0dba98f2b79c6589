#!/usr/bin/env bash
# The main job: installs what zcomp needs, builds it, and runs it.
#
#   scripts/run.sh [OUT.png]             see below; OUT.png defaults to zcomp-output.png
#   scripts/run.sh --headless [OUT.png]  the quick demo without KMS or VM
#
# - On a machine with a KMS device that has a connected display, zcomp runs
#   there as the session compositor (atomic KMS, a libseat session: run it
#   from a text console; Ctrl+C or SIGTERM ends it).
# - Otherwise (no /dev/dri, as in CI) it boots the project's VM, where zcomp
#   drives vkms through atomic KMS while zc-dmabuf submits udmabuf frames for a
#   few seconds; it prints the summary (frames presented, latency, the path
#   each frame took) and writes the captured output as OUT.png.
# - --headless: zcomp's headless backend with zc-shm, captured to OUT.png.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=auto
if [ "${1:-}" = --headless ]; then mode=headless; shift; fi
out=$(realpath -m "${1:-zcomp-output.png}")

scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

# The per-path frame counts and the renderer's totals from a --stats file.
print_stats() {
  [ -s "$1" ] || { echo "run: no path accounting (zcomp wrote no $1)"; return; }
  python3 - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("event") == "surface":
        paths = " ".join(f"{k}={v}" for k, v in e["frames"].items())
        print(f"run: client {e['client_pid']} surface {e['surface']}: {paths}, "
              f"CPU read {e['cpu_bytes']} bytes")
    elif e.get("event") == "renderer":
        print(f"run: renderer {e['renderer']}: {e['frames']} frames composited, "
              f"{e['readback_frames']} read back")
PY
}

has_display() {
  local s
  for s in /sys/class/drm/card*-*/status; do
    [ -e "$s" ] && [ "$(cat "$s")" = connected ] && return 0
  done
  return 1
}

if [ "$mode" = auto ] && has_display && [ -z "${ZC_RUN_VM:-}" ]; then
  echo "run: a display is connected: starting zcomp on KMS (Ctrl+C to quit)"
  exec build/compositor/zcomp --backend=kms
fi

if [ "$mode" = auto ]; then
  echo "run: no KMS display here: running zcomp on vkms in the VM (the first run downloads a kernel)"
  scripts/vm.sh demo --build-dir build | sed -n 's/^# *//p' | grep -v '^vm.sh: \(kernel\|booting\|guest\)' || true
  res=build/vm-results/tests/demo/vkms-dmabuf
  [ -f "$res/zcomp-vkms.png" ] || { echo "run: the VM run produced no capture (see build/vm-results)"; exit 1; }
  cp "$res/zcomp-vkms.png" "$out"
  grep -h '^zc-dmabuf:' "$res/client.log" || echo "run: no client summary (see $res/client.log)"
  grep -ho 'kms: output .* flips.*' "$res/zcomp.log" || echo "run: no flip statistics in $res/zcomp.log"
  print_stats "$res/stats.jsonl"
  echo "run: wrote $out (logs: $res)"
  exit 0
fi

if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "${XDG_RUNTIME_DIR}" ]; then
  export XDG_RUNTIME_DIR=$(mktemp -d)
fi
# A frame-numbered pattern for 2 s at 60 Hz, captured while it runs.
demo='
  build/clients/zc-shm --frames 120 --size 640x480 & shm=$!
  sleep 1
  build/clients/zc-capture "$1" || exit 1
  wait $shm
'
stats=$(mktemp)
build/compositor/zcomp --backend=headless --mode=1280x720@60 --log-level=warn \
  --stats="$stats" -- sh -c "$demo" zcomp-demo "$out"
echo "run: headless backend: no display, so no page flips to count"
print_stats "$stats"
rm -f "$stats"
echo "run: wrote $out"
