#!/bin/bash
# Issue 15: single-pixel buffers and idle blanking on vkms (overlay planes enabled).
#   plane      a 1x1 opaque single-pixel buffer goes on an overlay plane, from its small
#              framebuffer (vkms's smallest, 20x20, in its colour): path accounting
#              counts scanout frames, no solid-fill;
#   scaled     the same buffer stretched to 200x100 by wp_viewport asks the plane to
#              scale 20x20 to 200x100, which vkms refuses in TEST_ONLY: it is composited
#              as a solid fill (solid-fill frames, no scanout, 0 CPU bytes);
#   blank      zcomp --idle-timeout=5 with the virtio keyboard: without input the CRTC
#              goes ACTIVE=0 (zcomp's log and the kernel's atomic state say so), a key
#              from the host (QEMU sendkey) lights it again with a modeset.
# zc-vm-timeout: 420
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
SOLID=$ZC_BUILD_DIR/tests/vm/zc-vm-solid
dev=$(card_of_driver vkms) || { echo "FAIL: no vkms card"; exit 1; }
minor=${dev##*card}
fail=0
check() { # check CONDITION-EXIT-STATUS WHAT
  if [ "$1" = 0 ]; then echo "ok   $2"; else echo "FAIL $2"; fail=1; fi
}

json_field() {
  grep -o "\"$2\":[0-9]*" <<<"$1" | head -1 | cut -d: -f2
}

# ---- plane and scaled ----
zcomp_start "$dev" "$OUT/zcomp-solid.log" --stats="$OUT/stats.jsonl" || exit 1
"$SOLID" 1x1 30 > "$OUT/solid-1x1.log" 2>&1; check $? "1x1 client presented 30 frames"
"$SOLID" 200x100 30 > "$OUT/solid-200x100.log" 2>&1; check $? "200x100 client presented 30 frames"
zcomp_stop || fail=1
one=$(grep '"event":"surface"' "$OUT/stats.jsonl" | sed -n 1p)
two=$(grep '"event":"surface"' "$OUT/stats.jsonl" | sed -n 2p)
echo "1x1:     $one"
echo "200x100: $two"
[ "$(json_field "$one" scanout)" -ge 1 ] 2>/dev/null && [ "$(json_field "$one" solid-fill)" = 0 ]
check $? "1x1: on an overlay plane (scanout frames, no solid fill)"
[ "$(json_field "$two" solid-fill)" -ge 30 ] 2>/dev/null && [ "$(json_field "$two" scanout)" = 0 ] &&
  [ "$(json_field "$two" cpu_bytes)" = 0 ]
check $? "200x100: vkms does not scale, composited as a solid fill with 0 CPU bytes"
grep -q "refuses a single-pixel buffer's framebuffer" "$OUT/zcomp-solid.log"
check $? "the scaling refusal is logged"

# ---- blank ----
udev_db_write_input
# 5 s: the check after the wake-up must come before the next blanking, and the
# monitor's sendkey can take a second or two under emulation.
zcomp_start "$dev" "$OUT/zcomp-blank.log" --idle-timeout=5 || exit 1
for i in $(seq 1 1800); do
  grep -q 'input: added QEMU Virtio Keyboard' "$OUT/zcomp-blank.log" && break
  sleep 0.1
done
echo "keyboard after $((i / 10)) s"
for i in $(seq 1 300); do grep -q 'ACTIVE=0 (display off)' "$OUT/zcomp-blank.log" && break; sleep 0.1; done
grep -q 'ACTIVE=0 (display off)' "$OUT/zcomp-blank.log"; check $? "blanked after 5 s without input"
state=/sys/kernel/debug/dri/$minor/state
grep -A3 '^crtc' "$state" > "$OUT/crtc-off.txt"
grep -q 'active=0' "$OUT/crtc-off.txt"; check $? "the kernel's CRTC state is active=0"
zc-vm-monitor sendkey shift
for i in $(seq 1 300); do grep -q 'display on' "$OUT/zcomp-blank.log" && break; sleep 0.1; done
grep -q 'display on' "$OUT/zcomp-blank.log"; check $? "a key lights the display"
for i in $(seq 1 30); do
  grep -A3 '^crtc' "$state" > "$OUT/crtc-on.txt"
  grep -q 'active=1' "$OUT/crtc-on.txt" && break
  sleep 0.1
done
grep -q 'active=1' "$OUT/crtc-on.txt"; check $? "the kernel's CRTC state is active=1 again"
[ "$(grep -c 'set on CRTC' "$OUT/zcomp-blank.log")" -ge 2 ]; check $? "the wake-up was a modeset"
zcomp_stop || fail=1
grep -E 'display|ACTIVE' "$OUT/zcomp-blank.log"
exit $fail
