#!/bin/bash
# Runs the guest tests named in $ZC_VM_TESTS inside the VM (chrooted onto the host root).
# For each test NAME, tests/vm/guest/NAME.sh runs in a fresh scratch directory with
# stdout+stderr in $ZC_VM_OUT/logs/NAME.log and $ZC_VM_TEST_OUT (= $ZC_VM_OUT/tests/NAME)
# for its files. Exit status: 0 pass, 77 skip (the last output line is the reason), any
# other value fail. A line "# zc-vm-timeout: N" in the script sets its limit (seconds).
# Each result goes to $ZC_VM_OUT/results.d/NNN ("ok|fail|skip|timeout NAME [reason]",
# written to a temporary name and renamed), which the host turns into TAP as it appears;
# "done" ends the run. $ZC_VM_OUT/results collects the same lines for people.
set -u
out=$ZC_VM_OUT
results=$out/results
seq=0
result() {
  seq=$((seq + 1))
  local f
  printf -v f '%s/results.d/%03d' "$out" $seq
  echo "$*" >> "$results"
  echo "$*" > "$f.tmp" && mv "$f.tmp" "$f"
}
for t in $ZC_VM_TESTS; do
  script=$ZC_SOURCE_DIR/tests/vm/guest/$t.sh
  # A name with a folder (demo/NAME) is a script elsewhere under tests/vm.
  case $t in */*) script=$ZC_SOURCE_DIR/tests/vm/$t.sh ;; esac
  log=$out/logs/$t.log
  mkdir -p "$out/tests/$t" "$(dirname "$log")"
  tmo=$(sed -n 's/^# *zc-vm-timeout: *\([0-9][0-9]*\).*/\1/p' "$script" 2>/dev/null | head -1)
  tmo=${tmo:-$ZC_VM_TEST_TIMEOUT}
  scratch=$(mktemp -d /tmp/zc-test.XXXXXX)
  echo "zc-vm: test $t: start (timeout ${tmo} s)"
  start=$(date +%s.%N)
  # Its own session (sid = the subshell's pid, which setsid keeps), so that whatever
  # the test leaves running (a compositor holding DRM master...) is ended before the
  # next test starts, and named in its log.
  ( cd "$scratch" && ZC_VM_TEST="$t" ZC_VM_TEST_OUT="$out/tests/$t" \
      exec setsid timeout -k 5 "$tmo" bash "$script" ) > "$log" 2>&1 < /dev/null &
  sid=$!
  wait $sid
  rc=$?
  if left=$(pgrep -s $sid -l); then
    echo "zc-vm: test $t left processes running, killed: $(echo $left)" | tee -a "$log"
    pkill -KILL -s $sid
  fi
  secs=$(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo '?')
  reason=""
  case $rc in
    0) status=ok ;;
    77) status=skip; reason=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1) ;;
    124|137) status=timeout; reason="timed out after ${tmo} s" ;;
    *) status=fail; reason="exit status $rc" ;;
  esac
  if [ $status != ok ] && [ $status != skip ]; then
    { echo "---- kernel log (last 40 lines) ----"; dmesg | tail -n 40; } >> "$log" 2>&1
  fi
  echo "zc-vm: test $t: $status (${secs} s)"
  result "$status $t $reason"
  rm -rf "$scratch"
done
result done
