#!/bin/bash
# Issue 8: real input through libinput. zcomp -b kms on virtio-gpu with the virtio
# keyboard and mouse; keys and mouse events injected from the host (QEMU monitor
# sendkey / mouse_move / mouse_button) reach a client with the keysyms of the layout
# (us and de: y and z swap); Ctrl+Alt+Backspace ends zcomp.
# zc-vm-timeout: 480
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
CLIENT=$ZC_BUILD_DIR/tests/vm/zc-vm-input-client
dev=$(card_of_driver virtio_gpu) || { echo "no virtio-gpu card"; exit 77; }

[ -e /run/udev/control ] || write_udev_db

fail=0
check() { # check LOG PATTERN WHAT
  if grep -q -- "$2" "$1"; then echo "ok   $3"; else echo "FAIL $3"; fail=1; fi
}

# run_layout LAYOUT Y_SYM Z_SYM: types y and z, moves and clicks, then Escape.
run_layout() {
  local layout=$1 log=$OUT/client-$1.log i
  zcomp_start "$dev" "$OUT/zcomp-$layout.log" --xkb-layout="$layout" || return 1
  # libinput parses its quirks and sets the devices up first: slow under TCG.
  for i in $(seq 1 1800); do
    grep -q 'input: added QEMU Virtio Mouse' "$OUT/zcomp-$layout.log" && break
    sleep 0.1
  done
  echo "devices after $((i / 10)) s"
  "$CLIENT" --seconds=90 > "$log" 2>&1 &
  local client=$!
  for i in $(seq 1 300); do grep -q '^ready' "$log" && break; sleep 0.1; done
  zc-vm-monitor sendkey y
  zc-vm-monitor sendkey z
  zc-vm-monitor mouse_move 20 10
  zc-vm-monitor mouse_button 1
  zc-vm-monitor mouse_button 0
  zc-vm-monitor sendkey esc
  for i in $(seq 1 100); do kill -0 $client 2>/dev/null || break; sleep 0.1; done
  kill $client 2>/dev/null; wait $client
  echo "--- client ($layout)"; cat "$log"
  check "$OUT/zcomp-$layout.log" "input: added QEMU Virtio Keyboard" "$layout: keyboard added"
  check "$OUT/zcomp-$layout.log" "input: added QEMU Virtio Mouse" "$layout: mouse added"
  check "$log" "^keymap ok" "$layout: keymap compiles in the client"
  check "$log" "^key 21 down $2\$" "$layout: KEY_Y gives $2"
  check "$log" "^key 44 down $3\$" "$layout: KEY_Z gives $3"
  check "$log" "^pointer motion" "$layout: pointer motion"
  check "$log" "^pointer button 0x110 down" "$layout: left button down"
  check "$log" "^pointer button 0x110 up" "$layout: left button up"
}

run_layout us y z
zcomp_stop || fail=1
run_layout de z y
# The last zcomp ends through its keybinding, with status 0.
zc-vm-monitor sendkey ctrl-alt-backspace
for i in $(seq 1 100); do kill -0 "$ZCOMP_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$ZCOMP_PID" 2>/dev/null; then
  echo "FAIL Ctrl+Alt+Backspace did not end zcomp"; fail=1; zcomp_stop
else
  wait "$ZCOMP_PID"; rc=$?
  echo "$([ $rc = 0 ] && echo ok || echo FAIL)   Ctrl+Alt+Backspace ended zcomp (status $rc)"
  [ $rc = 0 ] || fail=1
fi
grep -E 'input:|seat:|libinput' "$OUT"/zcomp-*.log | head -20
exit $fail
