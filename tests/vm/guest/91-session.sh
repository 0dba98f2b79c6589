#!/bin/bash
# Issue 8: session disable/enable through a real seat manager. seatd runs in the guest;
# zcomp -b kms on virtio-gpu (LIBSEAT_BACKEND=seatd) shows a client's fixed pattern
# (screendump A). Ctrl+Alt+F2 (QEMU sendkey, through libinput and zcomp's binding)
# makes seatd switch to VT 2: zcomp logs the disable, commits nothing while disabled,
# and the screen shows the text console. `chvt 1` switches back (zcomp has no input
# while disabled): after a full modeset and repaint the screendump equals A exactly.
# The keys held during the switch reach the client released, and typing works again.
# A second cycle returns by Ctrl+Alt+F1 on the console and ends on A too.
# zc-vm-timeout: 420
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
CLIENT=$ZC_BUILD_DIR/tests/vm/zc-vm-input-client
dev=$(card_of_driver virtio_gpu) || { echo "no virtio-gpu card"; exit 77; }
command -v seatd > /dev/null || { echo "seatd is not installed (scripts/deps.sh)"; exit 77; }
[ -e /dev/tty0 ] && [ -e /dev/tty2 ] && command -v busybox > /dev/null || { echo "no virtual terminals (CONFIG_VT) or no busybox (chvt)"; exit 77; }
export LIBSEAT_BACKEND=seatd

check() { # check LOG PATTERN WHAT
  if grep -q -- "$2" "$1"; then ok "$3"; else bad "$3"; fi
}
log_count() { grep -c -- "$2" "$1"; }
# The foreground VT, as the kernel reports it: "tty1" ...
fg_vt() { cat /sys/class/tty/tty0/active; }
vt_is() { [ "$(fg_vt)" = "tty$1" ]; }
echo "foreground VT at start: $(fg_vt)"

udev_db_write_input
# A still console: fbcon's blinking cursor would make two dumps of VT 2 differ.
blink=/sys/class/graphics/fbcon/cursor_blink
old_blink=$(cat $blink 2>/dev/null)
echo 0 > $blink 2>/dev/null || echo "note: cannot stop the console cursor blinking"
seatd -l debug -g root > "$OUT/seatd.log" 2>&1 &
seatd_pid=$!
wait_for 30 test -S /run/seatd.sock || { cat "$OUT/seatd.log"; bad "seatd did not start"; exit 1; }

ZLOG=$OUT/zcomp.log
zcomp_start "$dev" "$ZLOG" || { kill $seatd_pid; exit 1; }
wait_for 180 grep -q 'input: added QEMU Virtio Keyboard' "$ZLOG" ||
  bad "the keyboard did not show up"
"$CLIENT" --seconds=300 > "$OUT/client.log" 2>&1 &
client=$!
wait_for 30 grep -q '^enter keyboard' "$OUT/client.log" || bad "the client got no focus"

# A: the client's pattern, stable (the first repaint may still be on its way).
shot() { zc-vm-screendump "$OUT/$1.ppm"; }
same() { zc-vm-ppmcmp "$OUT/$1.ppm" "$OUT/$2.ppm" > /dev/null 2>&1; }
shows_pattern() { shot A && zc-vm-pattern-check "$OUT/A.ppm" > /dev/null; }
wait_for 60 shows_pattern && ok "screendump A shows the client's pattern" ||
  bad "screendump A does not show the client's pattern"

enables=$(log_count "$ZLOG" 'session: seat .* enabled')
zc-vm-monitor sendkey ctrl-alt-f2 > /dev/null
wait_for 60 grep -q 'session: seat .* disabled' "$ZLOG" && ok "zcomp logged the disable" ||
  bad "zcomp logged no disable"
wait_for 60 vt_is 2 && ok "VT 2 is in the foreground" || bad "VT is $(fg_vt), not 2"
console_shown() { shot C && ! same C A; }
wait_for 30 console_shown && ok "the screen changed (text console)" ||
  bad "the screen still shows zcomp's frame"
# The client keeps committing? It has a fixed frame; the screen must stay the console.
sleep 2
shot D
same D C && ok "the console stayed on screen while disabled" || bad "the screen changed while disabled"

busybox chvt 1
wait_for 60 vt_is 1 && ok "VT 1 is back in the foreground" || bad "VT is $(fg_vt), not 1"
reenabled() { [ "$(log_count "$ZLOG" 'session: seat .* enabled')" -gt "$enables" ]; }
wait_for 60 reenabled && ok "zcomp logged the enable" || bad "zcomp logged no enable"
restored() { shot B && same B A; }
if wait_for 60 restored; then
  ok "screendump B equals A exactly"
else
  zc-vm-ppmcmp -d "$OUT/diff.ppm" "$OUT/B.ppm" "$OUT/A.ppm"
  bad "screendump B differs from A"
fi

# Input again, once libinput has reopened the devices through seatd.
keyboard_back() { [ "$(log_count "$ZLOG" 'input: added QEMU Virtio Keyboard')" -ge "$1" ]; }
wait_for 180 keyboard_back 2 && ok "the keyboard is reopened" || bad "the keyboard did not come back"
zc-vm-monitor sendkey a > /dev/null
wait_for 60 grep -q '^key 30 down' "$OUT/client.log" && ok "typing reaches the client again" ||
  bad "no key after the enable"
check "$OUT/client.log" '^key 29 down' "the client saw Ctrl pressed"
check "$OUT/client.log" '^key 29 up' "the client saw Ctrl released (the switch swallowed its release)"

# A second cycle, back by Ctrl+Alt+F1 on the text console (the kernel's own VT
# switching there), ends on the same screen.
enables=$(log_count "$ZLOG" 'session: seat .* enabled')
disabled_twice() { [ "$(log_count "$ZLOG" 'session: seat .* disabled')" -ge 2 ]; }
zc-vm-monitor sendkey ctrl-alt-f2 > /dev/null
wait_for 60 disabled_twice && wait_for 60 vt_is 2 && ok "second switch to VT 2" ||
  bad "no second disable (VT $(fg_vt))"
zc-vm-monitor sendkey ctrl-alt-f1 > /dev/null
wait_for 60 vt_is 1 && wait_for 60 reenabled && ok "Ctrl+Alt+F1 on the console brings zcomp back" ||
  bad "no enable after Ctrl+Alt+F1 (VT $(fg_vt))"
wait_for 60 restored && ok "after the second cycle the screendump equals A" ||
  bad "after the second cycle the screen differs from A"

kill $client 2>/dev/null; wait $client 2>/dev/null
zcomp_stop || fail=1
kill $seatd_pid; wait $seatd_pid 2>/dev/null
if grep -q 'commit failed' "$ZLOG"; then bad "zcomp had failed commits"; else ok "no failed commits"; fi
# zcomp's own count of commits tried while the session was inactive (refused).
check "$ZLOG" 'kms: 2 session disables, 0 commits refused while inactive' \
  "two disables, no commit attempted while inactive"
echo "--- client"; cat "$OUT/client.log"
echo "--- zcomp"; grep -E 'session|seat:|input:|kms:' "$ZLOG" | grep -v 'libinput' | head -60
echo "--- seatd"; tail -40 "$OUT/seatd.log"
[ -n "$old_blink" ] && echo "$old_blink" > $blink
exit $fail
