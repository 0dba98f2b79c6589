#!/bin/bash
# Issue 14, KMS: zcomp on vkms (overlay planes, writeback) shows an NV12 and a YUYV
# zc-dmabuf window. Whether a YUV buffer may go on a plane is decided at start-up from the
# plane's IN_FORMATS and its COLOR_ENCODING/COLOR_RANGE (logged); each window's path
# accounting must agree with that decision (scanout frames when the planes take YUV,
# cpu-mmap frames when they do not), and the writeback capture shows the window's pixels
# within 3 levels of the BT.601 limited-range reference (zc-dmabuf --verify).
# zc-vm-timeout: 400
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
DMABUF=$ZC_BUILD_DIR/clients/zc-dmabuf
fail=0
json_field() { grep -o "\"$2\":[0-9]*" <<<"$1" | head -1 | cut -d: -f2; }
dev=$(card_of_driver vkms) || { echo "no vkms card"; exit 1; }
zcomp_start "$dev" "$OUT/zcomp.log" --mode=1024x768 --stats="$OUT/stats.jsonl" || exit 1
line=$(grep -o 'YUV on overlays: [a-z]*' "$OUT/zcomp.log" | head -1)
echo "decision: ${line:-none logged}"
[ -n "$line" ] || { echo "FAIL: no YUV plane decision in the log"; fail=1; }
n=0
for f in nv12 yuyv; do
  n=$((n + 1))
  out=$(timeout 120 "$DMABUF" -n 40 -b 3 -s 320x240 -S udmabuf -f $f --verify 2>&1)
  rc=$?
  echo "$f: $(grep -E '^verify|^zc-dmabuf:' <<<"$out" | tail -2 | tr '\n' ' ')"
  [ $rc = 0 ] || { echo "FAIL: $f: zc-dmabuf exit $rc"; tail -5 <<<"$out"; fail=1; }
done
zcomp_stop
for k in 1 2; do
  s=$(grep '"event":"surface"' "$OUT/stats.jsonl" | sed -n "${k}p")
  echo "stats $k: $s"
  scanout=$(json_field "$s" scanout); mmap=$(json_field "$s" cpu-mmap)
  case "$line" in
    *yes) [ "${scanout:-0}" -ge 1 ] ;;
    *) [ "${scanout:-0}" = 0 ] && [ "${mmap:-0}" -ge 1 ] ;;
  esac || { echo "FAIL: surface $k's path disagrees with the decision ($line)"; fail=1; }
done
exit $fail
