# Sourced by the camera guest tests (77, 78): a client showing vivid's frames on a
# headless zcomp, checked from captures.

# wait_bars PNG PID: captures into PNG every 2 s until zc-vm-bars.py accepts it (0) or
# the client PID exits or 80 s pass (1); bars.log keeps the last verdict.
wait_bars() {
  local png=$1 pid=$2 i
  for i in $(seq 40); do
    sleep 2
    kill -0 "$pid" 2>/dev/null || return 1
    "$ZC_BUILD_DIR/clients/zc-capture" "$png" > cap.log 2>&1 || continue
    python3 "$ZC_SOURCE_DIR/tests/vm/zc-vm-bars.py" "$png" > bars.log 2>&1 && return 0
  done
  return 1
}

# accounting ZCOMP_LOG: the last surface's path accounting line.
accounting() {
  grep -o '[0-9]* gpu-import, [0-9]* cpu-mmap, [0-9]* cpu-upload, [0-9]* scanout' "$1" | tail -1
}
