#!/bin/bash
# Issue 14, GL path: zcomp -b kms -r gl on virtio-gpu (llvmpipe, the guest's only GL) shows
# NV12, YUV420 and YUYV zc-dmabuf frames from the device's own dumb buffers, from udmabuf and
# from vgem. Colours: zc-dmabuf --verify captures the frame (ext-image-copy-capture of the
# GL-rendered front buffer) and compares every pixel with the BT.601 limited-range
# reference, the CPU path's matrix, within 3 levels. Paths: llvmpipe lists YUV only as
# external images, which a software rasterizer cannot check, so the device's own buffers
# must be imported plane by plane (R8/GR88/ABGR8888 EGLImages, conversion shader:
# gpu-import, no CPU bytes); foreign buffers, which llvmpipe cannot map, are uploaded plane
# by plane for the same shader (cpu-mmap, the planes' bytes). Both from the log's per-buffer
# decision and the surface path accounting (--stats).
# zc-vm-timeout: 300
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
export MESA_SHADER_CACHE_DIR=$PWD/shader-cache
DMABUF=$ZC_BUILD_DIR/clients/zc-dmabuf
fail=0
json_field() { grep -o "\"$2\":[0-9]*" <<<"$1" | head -1 | cut -d: -f2; }
dev=$(card_of_driver virtio_gpu) || { echo "FAIL: no virtio-gpu card"; exit 1; }
zcomp_start "$dev" "$OUT/zcomp.log" -r gl --stats="$OUT/stats.jsonl" || exit 1
# llvmpipe's first frames compile its shaders: warm up so the client's waits hold.
"$ZC_SHM" --frames 3 > "$OUT/warm.log" 2>&1
cases=()
for f in nv12 yuv420 yuyv; do
  for src in "dumb -d virtio_gpu" udmabuf "dumb -d vgem"; do
    cases+=("$f $src")
    # shellcheck disable=SC2086
    out=$(timeout 90 "$DMABUF" -n 6 -b 2 -s 320x240 -f $f -S $src --verify 2>&1)
    rc=$?
    echo "$f $src: $(grep -E '^verify|^zc-dmabuf:' <<<"$out" | tail -2 | tr '\n' ' ')"
    [ $rc = 0 ] || { echo "FAIL: $f $src: zc-dmabuf exit $rc"; tail -5 <<<"$out"; fail=1; }
  done
done
zcomp_stop || fail=1
echo "renderer decisions:"
grep -E 'gl: dma-buf' "$OUT/zcomp.log" | sed 's/^/  /' | sort | uniq -c | head -20
grep -q 'gpu-import (EGLImage per plane, conversion shader' "$OUT/zcomp.log" ||
  { echo "FAIL: no per-plane import logged"; fail=1; }
k=0
for c in "${cases[@]}"; do
  k=$((k + 1))
  s=$(grep '"event":"surface"' "$OUT/stats.jsonl" | grep -v '"cpu-upload":[1-9]' | sed -n "${k}p")
  gpu=$(json_field "$s" gpu-import); mmap=$(json_field "$s" cpu-mmap)
  bytes=$(json_field "$s" cpu_bytes)
  # The CPU reads the planes as they are: 1.5 bytes a pixel (2 for YUYV), not 4.
  case "$c" in yuyv*) per=$((320 * 240 * 2)) ;; *) per=$((320 * 240 * 3 / 2)) ;; esac
  echo "$c: gpu-import ${gpu:-0} cpu-mmap ${mmap:-0} cpu bytes ${bytes:-?}"
  case "$c" in
    *virtio_gpu) [ "${gpu:-0}" -ge 1 ] && [ "${mmap:-0}" = 0 ] && [ "${bytes:-1}" = 0 ] ;;
    *) [ "${mmap:-0}" -ge 1 ] && [ "${gpu:-0}" = 0 ] && [ "${bytes:-0}" = $((mmap * per)) ] ;;
  esac || { echo "FAIL: $c: unexpected path or bytes ($s)"; fail=1; }
done
exit $fail
