#!/bin/bash
# cursor-shape-v1 on a real cursor plane: a client asks for the "text" shape
# (zc-vm-input-client --cursor=shape:9) and vkms' writeback (which blends every
# plane) shows the Adwaita theme's "text" image, loaded by zcomp through
# libXcursor, with its hotspot where the QEMU mouse put the pointer, on the
# cursor plane (logged), not composited.
# zc-vm-timeout: 300
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
CLIENT=$ZC_BUILD_DIR/tests/vm/zc-vm-input-client
dev=$(card_of_driver vkms) || { echo "no vkms card"; exit 77; }
export XCURSOR_THEME=Adwaita XCURSOR_SIZE=24
[ -d /usr/share/icons/Adwaita/cursors ] || { echo "no Adwaita cursors (adwaita-icon-theme, scripts/deps.sh)"; exit 1; }
udev_db_write_input
wb=$PWD/wb
mkdir -p "$wb"
log=$OUT/zcomp.log
fail=0

ZC_KMS_WRITEBACK_DUMP=$wb zcomp_start "$dev" "$log" || exit 1
wait_log "$log" 'input: added QEMU Virtio Mouse' 180 || exit 1
"$CLIENT" --seconds=120 --cursor=shape:9 > "$OUT/client.log" 2>&1 &
client=$!
check wait_log "$OUT/client.log" 'ready'
zc-vm-monitor mouse_move -3000 -3000
zc-vm-monitor mouse_move 120 90
check wait_log "$OUT/client.log" 'cursor set: shape:9'
check wait_log "$log" "cursor: shape 'text'"
read -r x y < <(cursor_pos "$log")
echo "cursor at $x,$y"
nap 1
writeback_take "$wb" text
zc-vm-cursor-check "$OUT/text.ppm" "$x" "$y" xcursor:text > "$OUT/check.txt"
r=$?
cat "$OUT/check.txt"
check test "$r" = 0
check zc-vm-cursor-check -n "$OUT/text.ppm" "$x" "$y"
grep -E "cursor on plane|cursor: shape|cursor: theme" "$log" | tail -4
# The image's top-left (pointer minus hotspot) is where the kernel's cursor
# plane is: on the plane, not composited.
read -r tx ty < <(sed -nE 's/.* at (-?[0-9]+),(-?[0-9]+):.*/\1 \2/p' "$OUT/check.txt")
state=/sys/kernel/debug/dri/${dev##*card}/state
grep -E 'crtc-pos=' "$state"
check grep -qE "crtc-pos=[0-9]+x[0-9]+\+$tx\+$ty" "$state"
kill $client; wait $client
check kill -0 "$ZCOMP_PID"
zcomp_stop || fail=1
exit $fail
