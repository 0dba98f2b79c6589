#!/usr/bin/env bash
# Runs the protocol fuzzer: first every input in regressions/ (fixed
# findings: each must pass), then ZC_FUZZ_SECONDS (default 120) of fuzzing
# from a copy of the seed corpus. Fails on any crash, sanitizer report or
# leak (libFuzzer exits non-zero and writes the input as crash-*/leak-*).
#   run-fuzz.sh FUZZER SOURCE_DIR
set -uo pipefail
fuzzer=$1 src=$2
seconds=${ZC_FUZZ_SECONDS:-120}
work=$(mktemp -d "${TMPDIR:-/tmp}/zcomp-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1

if compgen -G "$src/regressions/*" >/dev/null; then
  "$fuzzer" -runs=1 "$src"/regressions/* 2>"$work/regressions.log" ||
    { tail -60 "$work/regressions.log"; echo "fuzz: a regression input fails"; exit 1; }
  echo "regressions: $(ls "$src"/regressions | wc -l) inputs replayed"
fi

mkdir "$work/corpus"
cp "$src"/corpus/* "$work/corpus/"
# -fork is not used: one process keeps zcomp's state across inputs, as a
# long-running compositor does.
"$fuzzer" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=4096 \
  -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" >"$work/fuzz.log" 2>&1
rc=$?
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|stat::number_of_executed_units|stat::peak_rss' "$work/fuzz.log"
if [ "$rc" -ne 0 ]; then
  grep -n -m1 -A40 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error' "$work/fuzz.log" || tail -60 "$work/fuzz.log"
  for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -e "$a" ] && { echo "input: $(basename "$a") (base64):"; base64 -w0 "$a"; echo; }
  done
  echo "fuzz: failed (rc $rc)"
  exit 1
fi
echo "fuzz: no findings in ${seconds}s"
