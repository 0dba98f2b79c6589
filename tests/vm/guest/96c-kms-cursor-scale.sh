#!/bin/bash
# Issue 15: the cursor plane under --scale, on vkms at 640x480, read back through the
# writeback connector (which blends every plane). A plane cannot scale: the image is
# shown at its buffer size with its hotspot on the pointer's output pixel,
# round(floor(logical position) x F). For F = 2 and 1.5 (where an odd position lands
# on a half pixel, rounded up): zcomp's arrow (hotspot 0,0) there, not magnified, and
# a client's ff0000 cursor, 16x16 with its hotspot at 8,8 in surface coordinates, at
# buffer scale 1 (16x16 pixels, hotspot 8,8) and 2 (32x32, hotspot 16,16: the hotspot
# scaled into buffer pixels) with that hotspot there too; all on the cursor plane
# (logged, and the plane's rectangle in vkms' atomic state).
# zc-vm-timeout: 300
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
CLIENT=$ZC_BUILD_DIR/tests/vm/zc-vm-input-client
dev=$(card_of_driver vkms) || { echo "no vkms card"; exit 1; }
state=/sys/kernel/debug/dri/${dev##*card}/state
udev_db_write_input

# plane_at X Y: the state shows a plane with its top-left at X,Y (the cursor plane:
# no window is there).
plane_at() { grep -qE "crtc-pos=[0-9]+x[0-9]+\+$1\+$2\$" "$state"; }

# client_cursor NAME SCALE_120 C: a client's ff0000 cursor, 16x16 with its hotspot at 8,8
# in surface coordinates, drawn at buffer scale C: N = 16C pixels, hotspot 8C,8C.
client_cursor() {
  local name=$1-c$3 s=$2 c=$3 x y px py tx ty n=$((16 * $3)) client
  "$CLIENT" --seconds=120 --cursor=ff0000 --cursor-scale="$c" > "$OUT/$name.log" 2>&1 &
  client=$!
  wait_log "$OUT/$name.log" 'ready' 60
  zc-vm-monitor mouse_move 1 0 > /dev/null
  zc-vm-monitor mouse_move -1 0 > /dev/null
  wait_log "$OUT/$name.log" 'cursor set: ff0000' 30 || bad "$name: no client cursor"
  read -r x y < <(cursor_pos "$LOG")
  px=$(( (x * s + 60) / 120 )) py=$(( (y * s + 60) / 120 ))
  tx=$((px - 8 * c)) ty=$((py - 8 * c))
  echo "$name: pointer at $x,$y (logical), pixel $px,$py: ${n}x$n image at $tx,$ty"
  nap 1
  writeback_take "$WB" "$name" || bad "$name: no writeback frame"
  # Red from tx,ty to tx+n,ty+n (its first and last 16x16 blocks), and no further.
  zc-vm-cursor-check "$OUT/$name.ppm" $tx $ty ff0000 &&
    zc-vm-cursor-check "$OUT/$name.ppm" $((tx + n - 16)) $((ty + n - 16)) ff0000 &&
    zc-vm-cursor-check -n "$OUT/$name.ppm" $((tx + n - 8)) $((ty + n - 8)) ff0000 &&
    ok "$name: the ${n}x$n image unmagnified, its hotspot at $px,$py" ||
    bad "$name: not the ${n}x$n image with its hotspot at $px,$py"
  grep -E 'crtc-pos=[1-9]' "$state" | tee "$OUT/$name.planes"
  plane_at $tx $ty && ok "$name: a plane at $tx,$ty" || bad "$name: no plane at $tx,$ty"
  kill $client; wait $client
}

# scenario NAME SCALE_120 ZCOMP-SCALE
scenario() {
  local name=$1 s=$2 x y px py
  WB=$PWD/wb-$name LOG=$OUT/$name-zcomp.log
  mkdir -p "$WB"
  echo "=== $name: --scale=$3"
  ZC_KMS_WRITEBACK_DUMP=$WB zcomp_start "$dev" "$LOG" --mode=640x480 --scale="$3" || return 1
  wait_log "$LOG" 'input: added QEMU Virtio Mouse' 180 || { bad "$name: no mouse"; return 1; }
  zc-vm-monitor mouse_move -3000 -3000 > /dev/null
  zc-vm-monitor mouse_move 61 47 > /dev/null
  read -r x y < <(cursor_pos "$LOG")
  # The output pixel of logical x: edge_pixels' rounding, half up.
  px=$(( (x * s + 60) / 120 )) py=$(( (y * s + 60) / 120 ))
  echo "$name: pointer at $x,$y (logical), pixel $px,$py"
  wait_log "$LOG" 'cursor on plane' 10 || bad "$name: the arrow is not on the cursor plane"
  nap 1
  writeback_take "$WB" "$name-arrow" || bad "$name-arrow: no writeback frame"
  zc-vm-cursor-check "$OUT/$name-arrow.ppm" "$px" "$py" &&
    ok "$name: the arrow unmagnified at $px,$py" || bad "$name: no arrow at $px,$py"
  grep -E 'crtc-pos=[1-9]' "$state" | tee "$OUT/$name-arrow.planes"
  plane_at "$px" "$py" && ok "$name: a plane at $px,$py" || bad "$name: no plane at $px,$py"

  client_cursor "$name" "$s" 1
  client_cursor "$name" "$s" 2
  zcomp_stop || bad "$name: zcomp did not exit cleanly"
  grep -E 'cursor on plane|scale' "$LOG" | grep -v debug | head -3
}

scenario scale-2 240 2
scenario scale-1.5 180 1.5
exit $fail
