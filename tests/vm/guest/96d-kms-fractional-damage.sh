#!/bin/bash
# Issue 15: damage when a view moves between a plane and composition at --scale=1.5, on
# vkms at 640x480. Two still zc-dmabuf --fractional windows (3 frames, then --linger:
# nothing they do repaints them), so what the writeback connector reads back is what
# zcomp's damage tracking (in output pixels) repainted:
#   A   a 160x120 window (cascade: logical 32,32 = pixels 48,48), 240x180 vkms dumb
#       buffers: on an overlay plane;
#   B   fullscreen on top, logical 320x240 centred at 53,40 (pixels 80,60), 480x360
#       XBGR8888 udmabuf buffers, which vkms' planes do not take: composited, and A,
#       overlapped by it, is composited too: A's 240x180 must be drawn into the primary
#       where it left its plane; the frame is A under B, exact;
#   B gone: A back on its plane, B's area repainted: A alone over the background.
# zc-vm-timeout: 240
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
DMABUF=$ZC_BUILD_DIR/clients/zc-dmabuf
dev=$(card_of_driver vkms) || { echo "no vkms card"; exit 1; }
minor=${dev##*card}
WB=$PWD/wb
mkdir -p "$WB"
A="48 48 240 180" B="80 60 480 360"
# Outside the windows: one background colour (a single rectangle included).
export ZC_PATTERN_BACKGROUND=1

# planes: the planes vkms' atomic state shows with a framebuffer, "plane-N WxH+X+Y".
planes() {
  awk '/^plane\[/ { name = $2 } /^\tfb=/ { fb = $1 }
       /^\tcrtc-pos=/ { if (fb != "fb=0") print name, substr($1, 10) }' \
    "/sys/kernel/debug/dri/$minor/state"
}

# frame NAME RECTS...: writeback frames until one is the stack RECTS (the last client is
# up; 10 tries); ok or bad, with the planes then.
frame() {
  local name=$1 i out="" rc=1
  shift
  for i in $(seq 1 10); do
    nap 1
    writeback_take "$WB" "$name" || { bad "$name: no writeback frame"; return 1; }
    # shellcheck disable=SC2068
    out=$(zc-vm-pattern-check "$OUT/$name.ppm" $@ 2>&1)
    rc=$?
    [ $rc = 0 ] && break
  done
  echo "$name: writeback frame $i ($SECONDS s): $out"
  planes | tee "$OUT/$name.planes"
  [ $rc = 0 ] && ok "$name: the frame is exactly the stack $*" ||
    bad "$name: the frame is not the stack $*"
}

ZC_KMS_WRITEBACK_DUMP=$WB zcomp_start "$dev" "$OUT/zcomp.log" --mode=640x480 --scale=1.5 \
  --stats="$OUT/stats.jsonl" || exit 1
"$DMABUF" -S dumb -d vkms -b 2 -n 3 --linger --window --fractional -s 160x120 \
  > "$OUT/a.log" 2>&1 &
a=$!
frame a "$A"
grep -qx 'plane-[1-9][0-9]* 240x180+48+48' "$OUT/a.planes" && ok "a: on an overlay plane" ||
  bad "a: not on an overlay plane at 48,48"

"$DMABUF" -S udmabuf -f xbgr8888 -b 2 -n 3 --linger --fractional -s 320x240 \
  > "$OUT/b.log" 2>&1 &
b=$!
frame ab "$A" "$B"
grep -q '+48+48' "$OUT/ab.planes" && bad "ab: a is still on a plane under the composited b"
grep -qx 'plane-0 640x480+0+0' "$OUT/ab.planes" && [ "$(wc -l < "$OUT/ab.planes")" = 1 ] &&
  ok "ab: both composited (only the primary plane)" || bad "ab: planes"

kill -TERM $b
wait $b || bad "b: zc-dmabuf exited $?"
frame a-again "$A"
grep -qx 'plane-[1-9][0-9]* 240x180+48+48' "$OUT/a-again.planes" &&
  ok "a-again: back on an overlay plane" || bad "a-again: not back on an overlay plane"
kill -TERM $a
wait $a || bad "a: zc-dmabuf exited $?"
zcomp_stop || bad "zcomp did not exit cleanly"
cat "$OUT/a.log" "$OUT/b.log"
grep '"event":"surface"' "$OUT/stats.jsonl"
grep -E ' (error|warn):' "$OUT/zcomp.log" | head -5
echo "done ($SECONDS s)"
exit $fail
