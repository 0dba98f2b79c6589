#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds zcomp three times (a
# normal build, an ASan/UBSan build, a clang fuzzer build), runs every suite,
# and ends with one line "N passed, N failed". Suites: unit, headless, wlcs and
# apps (toolkit clients) on the host, fuzz (a time-boxed libFuzzer run), vm in
# a QEMU guest with a real DRM/dma-buf kernel (see README).
#
#   scripts/test.sh                 everything
#   ZC_SUITES="unit headless" scripts/test.sh   a subset
#   ZC_FUZZ=0 scripts/test.sh       without the 2-minute fuzzer run
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh || { echo "test: installing dependencies failed"; echo "0 passed, 1 failed"; exit 1; }

export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
SUITES=${ZC_SUITES:-"unit headless wlcs apps vm"}
ASAN_SUITES=${ZC_ASAN_SUITES:-"unit headless wlcs apps"}
passed=0
failed=0

# meson writes one JSON object per test; count what it saw.
count_results() {
  local log=$1/meson-logs/testlog.json
  [ -f "$log" ] || return
  local p f
  p=$(grep -c '"result": "OK"' "$log" || true)
  f=$(grep -c -E '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
  passed=$((passed + p))
  failed=$((failed + f))
}

run_build() { # dir, suites, meson options...
  local dir=$1 suites=$2
  shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >/dev/null || { failed=$((failed + 1)); echo "test: meson setup $dir failed"; return; }
  fi
  if ! ninja -C "$dir" >/dev/null; then
    ninja -C "$dir" 2>&1 | tail -40
    failed=$((failed + 1))
    echo "test: build in $dir failed"
    return
  fi
  local args=()
  for s in $suites; do args+=(--suite "$s"); done
  rm -f "$dir/meson-logs/testlog.json"
  meson test -C "$dir" --print-errorlogs "${args[@]}"
  count_results "$dir"
}

run_build build "$SUITES"
if [ -n "$ASAN_SUITES" ]; then
  run_build build-asan "$ASAN_SUITES" -Db_sanitize=address,undefined -Db_lundef=false
fi
# Issue 16: the protocol fuzzer, ZC_FUZZ_SECONDS (120) with ASan+UBSan, in a
# clang build of its own (ZC_FUZZ=0 skips it).
if [ "${ZC_FUZZ:-1}" = 1 ]; then
  CC=clang run_build build-fuzz fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
