#!/usr/bin/env bash
# Runs wlcs against zcomp's integration module. Passes when every test not
# in the expected-failure list passes or is skipped (zcomp lacks the
# protocol) and wlcs ran to its end (no crash of zcomp, which is in process).
#   run-wlcs.sh RUNNER MODULE EXPECTED_FAILURES
set -uo pipefail
runner=$1 module=$2 expected=$3
log=${WLCS_LOG:-wlcs.log}
# One gtest negative filter from the list's "Name  # reason" lines.
excluded=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$expected" | grep -v '^$' | paste -sd: -)
filter="*"
[ -n "$excluded" ] && filter="*-$excluded"
export LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(dirname "$expected")/lsan.supp
"$runner" "$module" --gtest_filter="$filter" >"$log" 2>&1
rc=$?
grep -E '^\[==========\] [0-9]+ tests' "$log" || { echo "wlcs did not finish (crash?): rc $rc"; tail -30 "$log"; exit 1; }
grep -E '^\[  (PASSED|SKIPPED|FAILED)  ?\] [0-9]+ test' "$log"
echo "expected failures (not run): $(grep -cv -e '^#' -e '^$' "$expected")"
grep -E '^\[  FAILED  \] [^0-9]' "$log" | sort -u
exit "$rc"
