#!/bin/bash
# Issue 15: fractional-scale-v1 on a real KMS device. zcomp -b kms on vkms at
# --mode=640x480, zc-dmabuf fullscreen with vkms dumb buffers, the writeback connector
# reading back what the CRTC really scans out:
#   frac-2     --scale=2, zc-dmabuf --fractional for the logical 320x240 window:
#              preferred_scale 240 and 640x480 buffers, which land 1:1 and are scanned
#              out on the primary plane (every presented frame ZERO_COPY, path accounting
#              counts scanout frames only and 0 CPU bytes); the writeback frame is the
#              pattern unmagnified (and not a 2x magnification);
#   plain-2    --scale=2, the same client without --fractional: a 320x240 buffer,
#              composited and magnified 2x (exact 2x2 blocks), never scanned out;
#   frac-1.5   --scale=1.5, --fractional for the output's logical 426x320: 639x480
#              buffers (exact), on an overlay plane at 0,0 (vkms' atomic state shows
#              639x480+0+0) beside the composited primary; the writeback frame is the
#              pattern 1:1 at 0,0 and the last column background;
#   frac-1.5c  the same for a logical 320x240 window, which fullscreen centres at 53,40:
#              480x360 buffers on an overlay plane at 80,60 (edges at 79.5 and 559.5
#              rounded alike), the pattern 1:1 there over the background.
# zc-vm-timeout: 240
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
DMABUF=$ZC_BUILD_DIR/clients/zc-dmabuf
dev=$(card_of_driver vkms) || { echo "no vkms card"; exit 1; }
minor=${dev##*card}

# field TEXT NAME: the number after NAME (`"name":N` in JSON, `name N` in a summary);
# bash alone (starting programs is slow in a busy TCG guest).
field() { [[ $1 =~ \"?$2\"?[:\ ]([0-9]+) ]] && echo "${BASH_REMATCH[1]}"; }

# planes NAME: the planes vkms' atomic state shows with a framebuffer, "plane-N WxH+X+Y"
# a line (kept in $OUT/NAME.planes).
planes() {
  awk '/^plane\[/ { name = $2 } /^\tfb=/ { fb = $1 }
       /^\tcrtc-pos=/ { if (fb != "fb=0") print name, substr($1, 10) }' \
    "/sys/kernel/debug/dri/$minor/state" | tee "$OUT/$1.planes"
}

# run NAME SCALE SIZE CHECK [ZC-DMABUF ARGS...]: zcomp at --scale=SCALE, zc-dmabuf
# fullscreen with -s SIZE; writeback frames until one passes CHECK (the client is up; 8
# tries), then the planes. Sets CHECKED (0: the last frame passed CHECK), SUMMARY, FRAC
# (the client's fractional line) and STATS (its surface's JSON line).
run() {
  local name=$1 scale=$2 size=$3 check=$4 client i
  shift 4
  WB=$PWD/wb-$name CHECKED=1 SUMMARY="" FRAC="" STATS=""
  mkdir -p "$WB"
  : > "$OUT/$name.check"
  ZC_KMS_WRITEBACK_DUMP=$WB zcomp_start "$dev" "$OUT/$name-zcomp.log" --mode=640x480 \
    --scale="$scale" --stats="$OUT/$name.jsonl" || return 1
  "$DMABUF" -S dumb -d vkms -b 3 -n 0 -s "$size" "$@" > "$OUT/$name.log" 2>&1 &
  client=$!
  for i in $(seq 1 8); do
    nap 1
    if ! writeback_take "$WB" "$name"; then bad "$name: no writeback frame"; break; fi
    $check "$OUT/$name.ppm" > "$OUT/$name.check"
    CHECKED=$?
    [ $CHECKED = 0 ] && break
  done
  echo "$name: writeback frame $i ($SECONDS s): $(cat "$OUT/$name.check")"
  planes "$name"
  kill -TERM $client
  wait $client || bad "$name: zc-dmabuf exited $?"
  zcomp_stop || bad "$name: zcomp did not exit cleanly"
  cat "$OUT/$name.log"
  SUMMARY=$(grep '^zc-dmabuf: dumb' "$OUT/$name.log" | tail -1)
  FRAC=$(grep '^zc-dmabuf: fractional' "$OUT/$name.log" | tail -1)
  STATS=$(grep '"event":"surface"' "$OUT/$name.jsonl" | head -1)
  echo "$name stats: $STATS"
  grep -E ' (error|warn):|cannot be scanned|refuses' "$OUT/$name-zcomp.log" | head -5
}

# scanned_out NAME: every presented frame ZERO_COPY, path accounting scanout frames only.
scanned_out() {
  local zc pr
  zc=$(field "$SUMMARY" zero-copy)
  pr=$(field "$SUMMARY" presented)
  [ "${pr:-0}" -ge 10 ] && [ "$zc" = "$pr" ] && ok "$1: $zc of $pr frames ZERO_COPY" ||
    bad "$1: ${zc:-?} of ${pr:-?} frames ZERO_COPY"
  [ "$(field "$STATS" scanout)" -ge 10 ] 2>/dev/null &&
    [ "$(field "$STATS" cpu-mmap)" = 0 ] && [ "$(field "$STATS" gpu-import)" = 0 ] &&
    [ "$(field "$STATS" cpu_bytes)" = 0 ] && [[ $STATS != *composited* ]] &&
    ok "$1: path accounting: scanout only, 0 CPU bytes" ||
    bad "$1: path accounting is not scanout only"
}

pattern_2x() { ZC_MAGNIFIED=2 zc-vm-pattern-check "$@"; }
# The pattern 1:1 in $RECT (X Y W H; empty: the whole frame), the rest background.
pattern_1to1() { ZC_PATTERN_BACKGROUND=1 zc-vm-pattern-check "$1" $RECT; }

# fractional NAME SCALE SCALE_120 LOGICAL BUFFER PLANE RECT: zc-dmabuf --fractional for a
# LOGICAL window at --scale=SCALE is told SCALE_120 and draws BUFFER-sized buffers, scanned out on the plane vkms'
# state shows as PLANE (an ERE of "plane-N WxH+X+Y" lines), the writeback frame the
# pattern 1:1 in RECT (empty: the whole frame).
fractional() {
  local name=$1 s120=$3 logical=$4 buf=$5
  RECT=$7
  echo "=== $name: --scale=$2, --fractional, logical $logical ($SECONDS s)"
  run "$name" "$2" "$logical" pattern_1to1 --fractional
  grep -q "preferred scale $s120/120: $buf buffers for the $logical window" "$OUT/$name.log" &&
    grep -q " $buf " <<<"$SUMMARY" &&
    grep -q "$buf buffers at scale $s120/120, viewport $logical" <<<"$FRAC" &&
    ok "$name: $buf buffers for the $logical window" || bad "$name: buffer size"
  scanned_out "$name"
  grep -qxE "$6" "$OUT/$name.planes" && ok "$name: planes: $(paste -sd ' ' "$OUT/$name.planes")" ||
    bad "$name: no plane line is $6"
  [ "$CHECKED" = 0 ] && ok "$name: the writeback frame is the pattern 1:1 (${RECT:-whole frame})" ||
    bad "$name: the writeback frame is not the pattern 1:1 (${RECT:-whole frame})"
}

# Only the primary plane, with the client's buffer (scanned_out).
fractional frac-2 2 240 320x240 640x480 'plane-0 640x480\+0\+0' ""
[ "$(wc -l < "$OUT/frac-2.planes")" = 1 ] || bad "frac-2: more than the primary plane"
pattern_2x "$OUT/frac-2.ppm" > /dev/null && bad "frac-2: the frame is magnified"

echo "=== plain-2: --scale=2, no --fractional: a 320x240 buffer ($SECONDS s)"
RECT=""
run plain-2 2 320x240 pattern_2x
grep -q ' 320x240 ' <<<"$SUMMARY" && [ -z "$FRAC" ] && ok "plain-2: 320x240 buffers" ||
  bad "plain-2: buffer size"
zc=$(field "$SUMMARY" zero-copy)
[ "${zc:-1}" = 0 ] && [ "$(field "$STATS" scanout)" = 0 ] &&
  [ "$(field "$STATS" cpu-mmap)$(field "$STATS" gpu-import)" != 00 ] &&
  ok "plain-2: composited (${zc:-?} ZERO_COPY, no scanout frames)" || bad "plain-2: scanned out"
[ "$CHECKED" = 0 ] && ok "plain-2: the pattern magnified 2x" ||
  bad "plain-2: not the pattern magnified 2x"
pattern_1to1 "$OUT/plain-2.ppm" > /dev/null && bad "plain-2: not magnified"

# The output's logical size (426x320), and a window fullscreen centres at 53,40 (its
# edges at 79.5 and 559.5 pixels, rounded alike): on an overlay plane.
fractional frac-1.5 1.5 180 426x320 639x480 'plane-[1-9][0-9]* 639x480\+0\+0' "0 0 639 480"
fractional frac-1.5c 1.5 180 320x240 480x360 'plane-[1-9][0-9]* 480x360\+80\+60' "80 60 480 360"
echo "done ($SECONDS s)"
exit $fail
