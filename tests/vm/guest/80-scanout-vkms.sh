#!/bin/bash
# Issue 7, direct scanout on the primary plane. On vkms (which PRIME-imports every dma-buf),
# a fullscreen zc-dmabuf client with buffers the size of the mode, from udmabuf and from
# vgem, is scanned out as it is: every presented frame carries ZERO_COPY, path accounting
# counts scanout frames and zero CPU bytes, the captured output (read straight from the
# client's buffer, which is then the front buffer) equals the client's last frame, and no
# framebuffer outlives zcomp. On virtio-gpu, which cannot import foreign memory, the same
# udmabuf client is composited (cpu-mmap, no ZERO_COPY) with its pixels intact, while the
# device's own dumb buffers scan out directly. A window smaller than the output, shown
# right after the scanout frames, goes on an overlay plane with its pixels intact.
# zc-vm-timeout: 300
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
DMABUF=$ZC_BUILD_DIR/clients/zc-dmabuf
fail=0

# json_field LINE NAME: the number after "NAME": in a stats JSON line.
json_field() {
  grep -o "\"$2\":[0-9]*" <<<"$1" | head -1 | cut -d: -f2
}

# client NAME SIZE ARGS...: zc-dmabuf with --verify; prints its summary, sets ZERO_COPY
# and PRESENTED from it. Fails when the client or its pixel check failed.
client() {
  local name=$1 size=$2
  shift 2
  timeout 120 "$DMABUF" -n 40 -b 3 -s "$size" --verify "$@" > "$OUT/$name.log" 2>&1
  local rc=$?
  local summary
  summary=$(grep '^zc-dmabuf:' "$OUT/$name.log" | tail -1)
  echo "$name: $(grep '^verify:' "$OUT/$name.log" | tail -1)"
  echo "$name: $summary"
  ZERO_COPY=$(grep -o 'zero-copy [0-9]*' <<<"$summary" | awk '{print $2}')
  PRESENTED=$(grep -o 'presented [0-9]*' <<<"$summary" | awk '{print $2}')
  [ $rc = 0 ] || { echo "FAIL: $name: zc-dmabuf exited $rc"; tail -5 "$OUT/$name.log"; }
  return $rc
}

# check_stats FILE N PATH: the Nth surface line of FILE counted frames on PATH only;
# for scanout, with zero CPU bytes.
check_stats() {
  local line
  line=$(grep '"event":"surface"' "$1" | sed -n "$2p")
  echo "stats: $line"
  local want=$3 path n
  for path in gpu-import cpu-mmap cpu-upload scanout; do
    n=$(json_field "$line" "$path")
    if [ "$path" = "$want" ]; then
      [ "${n:-0}" -ge 30 ] || { echo "FAIL: only ${n:-0} $path frames"; return 1; }
    elif [ "$want" = scanout ] && [ "${n:-1}" != 0 ]; then
      echo "FAIL: $n $path frames besides scanout"; return 1
    fi
  done
  if [ "$want" = scanout ]; then
    [ "$(json_field "$line" cpu_bytes)" = 0 ] || { echo "FAIL: the CPU read bytes"; return 1; }
  fi
  return 0
}

# --- vkms: everything scans out ---
dev=$(card_of_driver vkms) || { echo "no vkms card"; exit 1; }
echo "=== vkms ($dev)"
zcomp_start "$dev" "$OUT/zcomp-vkms.log" --mode=1024x768 --stats="$OUT/stats-vkms.jsonl" ||
  exit 1
for src in "-S udmabuf" "-S dumb -d vgem"; do
  # shellcheck disable=SC2086
  client "vkms-${src##* }" 1024x768 $src || fail=1
  [ "${ZERO_COPY:-0}" -ge 30 ] && [ "$ZERO_COPY" = "$PRESENTED" ] ||
    { echo "FAIL: ${ZERO_COPY:-0} of ${PRESENTED:-0} frames presented ZERO_COPY"; fail=1; }
done
# Primary scanout stops: not the output's size, so the centred window goes on an overlay
# plane over a composited primary (a full repaint first); the capture, read back from
# what vkms composes of both planes, is still exact.
client vkms-small 640x480 -S udmabuf || fail=1
[ "${ZERO_COPY:-0}" -ge 30 ] && [ "$ZERO_COPY" = "$PRESENTED" ] ||
  { echo "FAIL: ${ZERO_COPY:-0} of ${PRESENTED:-0} overlay frames presented ZERO_COPY"; fail=1; }
# zcomp ends while a client's buffer is on the plane: a clean exit, no framebuffer left.
"$DMABUF" -n 0 -s 1024x768 -S udmabuf > "$OUT/vkms-running.log" 2>&1 &
running=$!
sleep 3
during=$(fb_count "$dev")
zcomp_stop || fail=1
after=$(fb_count "$dev")
kill -KILL $running 2>/dev/null; wait $running 2>/dev/null
check_stats "$OUT/stats-vkms.jsonl" 1 scanout || fail=1
check_stats "$OUT/stats-vkms.jsonl" 2 scanout || fail=1
check_stats "$OUT/stats-vkms.jsonl" 3 scanout || fail=1
grep -E 'kms: (output|a [0-9])|scanout|refuses' "$OUT/zcomp-vkms.log" | grep -v debug | head
echo "vkms framebuffers: while running ${during:-?}, after exit ${after:-?}"
[ "${during:-0}" -ge 3 ] || { echo "FAIL: no imported framebuffer while scanning out"; fail=1; }
[ "${after:-1}" = 0 ] || { echo "FAIL: framebuffers left after exit"; fail=1; }
grep -E ' (error|warn):' "$OUT/zcomp-vkms.log" | head

# --- virtio-gpu: foreign memory is composited, its own buffers scan out ---
dev=$(card_of_driver virtio_gpu) || { echo "no virtio-gpu card"; exit 1; }
echo "=== virtio-gpu ($dev)"
zcomp_start "$dev" "$OUT/zcomp-virtio.log" --mode=1280x800 \
  --stats="$OUT/stats-virtio.jsonl" || exit 1
client virtio-udmabuf 1280x800 -S udmabuf || fail=1
[ "${ZERO_COPY:-1}" = 0 ] || { echo "FAIL: udmabuf frames ZERO_COPY on virtio-gpu"; fail=1; }
client virtio-own 1280x800 -S dumb -d virtio_gpu || fail=1
[ "${ZERO_COPY:-0}" -ge 30 ] ||
  { echo "FAIL: only ${ZERO_COPY:-0} own-buffer frames ZERO_COPY on virtio-gpu"; fail=1; }
zcomp_stop || fail=1
check_stats "$OUT/stats-virtio.jsonl" 1 cpu-mmap || fail=1
check_stats "$OUT/stats-virtio.jsonl" 2 scanout || fail=1
grep -E 'kms: (output|a [0-9])|scanout|refuses' "$OUT/zcomp-virtio.log" | grep -v debug | head
grep -E ' (error|warn):' "$OUT/zcomp-virtio.log" | head
exit $fail
