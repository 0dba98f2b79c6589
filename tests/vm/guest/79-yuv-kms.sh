#!/bin/bash
# Issue 14, KMS: whether a YUV buffer goes on a plane. At start-up zcomp logs, per plane,
# the YUV formats its IN_FORMATS lists and whether it has COLOR_ENCODING/COLOR_RANGE (ids
# and enum values resolved once by name); a YUV buffer may go on a plane only when both
# hold, else it is composited, and path accounting (--stats) says why:
#   "no plane lists the format", or "no plane can be told the YUV encoding ...".
# On vkms (overlay planes, writeback): NV12 and YUYV windows; on virtio-gpu (primary only):
# an NV12 buffer the size of the mode, so the primary plane is what is tried. Each surface's
# frames must agree with what the planes list (scanout frames when a plane takes the format,
# else composited frames and the matching reason), and the capture (vkms: writeback) shows
# the pixels within 3 levels of BT.601 limited range (zc-dmabuf --verify).
# zc-vm-timeout: 300
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
DMABUF=$ZC_BUILD_DIR/clients/zc-dmabuf
fail=0
json_field() { grep -o "\"$2\":[0-9]*" <<<"$1" | head -1 | cut -d: -f2; }
fourcc_name() { case $1 in nv12) echo NV12 ;; yuyv) echo YUYV ;; esac; }

# run_card DRIVER SIZE FORMATS...: one zcomp on DRIVER's card, one zc-dmabuf per format.
run_card() {
  local drv=$1 size=$2 dev f k=0 s
  shift 2
  dev=$(card_of_driver "$drv") || { echo "FAIL: no $drv card"; fail=1; return; }
  rm -f "$OUT/stats-$drv.jsonl"
  zcomp_start "$dev" "$OUT/zcomp-$drv.log" --mode=1024x768 \
    --stats="$OUT/stats-$drv.jsonl" || { fail=1; return; }
  echo "$drv planes:"
  grep -o 'kms: plane [0-9]* lists YUV:.*' "$OUT/zcomp-$drv.log" | sed 's/^/  /'
  grep -q 'kms: plane [0-9]* lists YUV:' "$OUT/zcomp-$drv.log" ||
    { echo "FAIL: $drv: no plane's YUV formats logged"; fail=1; }
  for f in "$@"; do
    out=$(timeout 120 "$DMABUF" -n 30 -b 3 -s "$size" -S udmabuf -f "$f" --verify 2>&1)
    rc=$?
    echo "$drv $f: $(grep -E '^verify|^zc-dmabuf:' <<<"$out" | tail -2 | tr '\n' ' ')"
    [ $rc = 0 ] || { echo "FAIL: $drv $f: zc-dmabuf exit $rc"; tail -5 <<<"$out"; fail=1; }
  done
  zcomp_stop || fail=1
  for f in "$@"; do
    k=$((k + 1))
    s=$(grep '"event":"surface"' "$OUT/stats-$drv.jsonl" | sed -n "${k}p")
    echo "$drv $f stats: $s"
    local name listed scanout mmap reason
    name=$(fourcc_name "$f")
    listed=$(grep -o 'kms: plane [0-9]* lists YUV:.*' "$OUT/zcomp-$drv.log" | grep -w "$name")
    scanout=$(json_field "$s" scanout); mmap=$(json_field "$s" cpu-mmap)
    reason=$(grep -o '"composited":"[^"]*"' <<<"$s")
    if [ -z "$listed" ]; then
      echo "$drv $f: decision: composited: no plane lists the format"
      [ "${scanout:-0}" = 0 ] && [ "${mmap:-0}" -ge 1 ] &&
        [ "$reason" = '"composited":"no plane lists the format"' ]
    elif grep -q 'no COLOR_ENCODING' <<<"$listed"; then
      echo "$drv $f: decision: composited: listed, but no COLOR_ENCODING/COLOR_RANGE"
      [ "${scanout:-0}" = 0 ] && [ "${mmap:-0}" -ge 1 ] &&
        grep -q 'cannot\|can be told' <<<"$reason"
    else
      echo "$drv $f: decision: a plane takes it (COLOR_ENCODING/COLOR_RANGE set)"
      [ "${scanout:-0}" -ge 1 ]
    fi || { echo "FAIL: $drv $f: path accounting disagrees with the planes ($s)"; fail=1; }
  done
}

run_card vkms 320x240 nv12 yuyv
run_card virtio_gpu 1024x768 nv12
exit $fail
