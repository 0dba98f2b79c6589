#!/bin/bash
# The cursor on vkms' cursor plane, read back through the writeback connector (which
# blends every plane): zcomp's arrow where the QEMU mouse (mouse_move on the monitor, through
# libinput) put it, a client's solid cursor (wl_pointer.set_cursor, hotspot 8,8) instead,
# a hidden one (NULL surface), the arrow back when that client is gone, and the role error
# for a surface that already has another role. On virtio-gpu: the cursor plane (exposed
# through the hotspot cap) at the pointer in the kernel's atomic state; whether QEMU's
# screendump shows it is measured and printed.
# zc-vm-timeout: 420
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
CLIENT=$ZC_BUILD_DIR/tests/vm/zc-vm-input-client
dev=$(card_of_driver vkms) || { echo "no vkms card"; exit 77; }
udev_db_write_input
wb=$PWD/wb
mkdir -p "$wb"
log=$OUT/zcomp.log
fail=0
dumps=0

# writeback_frame NAME: one frame read back through writeback, kept as $OUT/NAME.ppm.
writeback_frame() {
  local i f=""
  kill -USR1 "$ZCOMP_PID"
  for i in $(seq 1 60); do
    f=$(compgen -G "$wb/*-$dumps.ppm") && break
    nap 0.5
  done
  dumps=$((dumps + 1))
  [ -n "$f" ] && cp "$f" "$OUT/$1.ppm"
}
ZC_KMS_WRITEBACK_DUMP=$wb zcomp_start "$dev" "$log" || exit 1
wait_log "$log" 'input: added QEMU Virtio Mouse' 180 || exit 1

echo "== the arrow, on the cursor plane"
zc-vm-monitor mouse_move -3000 -3000
check wait_log "$log" 'cursor: at 0,0'
check wait_log "$log" 'cursor on plane'
check writeback_frame arrow-0
check zc-vm-cursor-check "$OUT/arrow-0.ppm" 0 0
zc-vm-monitor mouse_move 200 150
read -r x y < <(cursor_pos "$log")
echo "cursor at $x,$y"
check writeback_frame arrow-1
check zc-vm-cursor-check "$OUT/arrow-1.ppm" "$x" "$y"
check zc-vm-cursor-check -n "$OUT/arrow-1.ppm" 0 0

echo "== a client's cursor"
"$CLIENT" --seconds=120 --cursor=ff0000 > "$OUT/client-red.log" 2>&1 &
client=$!
check wait_log "$OUT/client-red.log" 'cursor set: ff0000'
zc-vm-monitor mouse_move 30 20
read -r x y < <(cursor_pos "$log")
echo "cursor at $x,$y"
check writeback_frame red
check zc-vm-cursor-check "$OUT/red.ppm" $((x - 8)) $((y - 8)) ff0000
kill $client; wait $client

echo "== hidden"
"$CLIENT" --seconds=120 --cursor=none > "$OUT/client-none.log" 2>&1 &
client=$!
check wait_log "$OUT/client-none.log" 'cursor set: none'
nap 1
check writeback_frame hidden
check zc-vm-cursor-check -n "$OUT/hidden.ppm" "$x" "$y"
check zc-vm-cursor-check -n "$OUT/hidden.ppm" $((x - 8)) $((y - 8)) ff0000
kill $client; wait $client

echo "== the arrow again once no client has the pointer"
nap 2
check writeback_frame back
check zc-vm-cursor-check "$OUT/back.ppm" "$x" "$y"

echo "== role error"
"$CLIENT" --seconds=60 --cursor=role-error > "$OUT/client-role.log" 2>&1
echo "client exited with $?"
check grep -q 'protocol error 0 on wl_pointer' "$OUT/client-role.log"
cat "$OUT/client-role.log"

check kill -0 "$ZCOMP_PID"
zcomp_stop || fail=1
grep -E 'kms:|cursor on|output' "$log" | grep -v debug | head -20

vdev=$(card_of_driver virtio_gpu) || { echo "no virtio-gpu card"; exit $fail; }
echo "== virtio-gpu"
vlog=$OUT/zcomp-virtio.log
zcomp_start "$vdev" "$vlog" || exit 1
wait_log "$vlog" 'input: added QEMU Virtio Mouse' 180 || exit 1
zc-vm-monitor mouse_move -3000 -3000
zc-vm-monitor mouse_move 100 80
check wait_log "$vlog" 'cursor on plane [0-9]+ \(64x64, with hotspot\)'
read -r x y < <(cursor_pos "$vlog")
echo "cursor at $x,$y"
state=/sys/kernel/debug/dri/${vdev##*card}/state
grep -E 'crtc-pos=64x64' "$state"
check grep -q "crtc-pos=64x64+$x+$y" "$state"
zc-vm-screendump "$OUT/virtio.ppm"
if zc-vm-cursor-check "$OUT/virtio.ppm" "$x" "$y"; then
  echo "measured: QEMU's screendump includes virtio-gpu's cursor plane"
else
  echo "measured: QEMU's screendump leaves virtio-gpu's cursor plane out"
fi
zcomp_stop || fail=1
exit $fail
