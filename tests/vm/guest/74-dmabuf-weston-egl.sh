#!/bin/bash
# Issue 4: weston-simple-dmabuf-egl allocating on vgem (card node, rendering with llvmpipe)
# is displayed by zcomp's CPU path (headless + pixman): the capture shows its content.
# zc-vm-timeout: 420
set -u
B=$ZC_BUILD_DIR
command -v weston-simple-dmabuf-egl >/dev/null || { echo "weston-simple-dmabuf-egl not installed (scripts/deps.sh)"; exit 77; }
export XDG_RUNTIME_DIR=$(mktemp -d)
export WAYLAND_DISPLAY=zc-egl
"$B/compositor/zcomp" --socket=$WAYLAND_DISPLAY --mode=256x256 --log-level=debug > "$ZC_VM_TEST_OUT/zcomp.log" 2>&1 &
zc=$!
for i in $(seq 50); do [ -S "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY" ] && break; sleep 0.1; done
# vgem's device is the platform device "vgem"; it may have no driver link.
card=$(for c in /sys/class/drm/card[0-9]*; do
         [ "$(basename "$(readlink -f "$c/device")")" = vgem ] && basename "$c"; done | head -1)
[ -n "$card" ] || { echo "no vgem card"; ls -l /sys/class/drm/; exit 1; }
echo "vgem is $card"
timeout 300 weston-simple-dmabuf-egl -d "/dev/dri/$card" > "$ZC_VM_TEST_OUT/egl.log" 2>&1 &
egl=$!
rc=0
# llvmpipe under TCG compiles its shaders for a long while before the first
# frame (tens of seconds, minutes on a loaded host): capture until it shows,
# 240 s at most.
for i in $(seq 48); do
  sleep 5
  "$B/clients/zc-capture" "$ZC_VM_TEST_OUT/egl.png" > cap.log 2>&1 || { echo "capture failed"; cat cap.log; rc=1; break; }
  n=$(python3 - "$ZC_VM_TEST_OUT/egl.png" <<'PY' 2>/dev/null
import sys, zlib, struct
d = open(sys.argv[1], 'rb').read(); p = 8; idat = b''
while p < len(d):
    n, k = struct.unpack('>I4s', d[p:p + 8])
    if k == b'IDAT': idat += d[p + 8:p + 8 + n]
    p += 12 + n
print(len(set(zlib.decompress(idat))))
PY
)
  echo "after $((i * 5)) s: $n distinct byte values in the capture"
  [ "${n:-0}" -gt 8 ] && break
done
# The client draws coloured squares: a capture of only the background has 1 colour.
python3 - "$ZC_VM_TEST_OUT/egl.png" <<'PY' || rc=1
import sys, zlib, struct
data = open(sys.argv[1], 'rb').read()
pos, idat, w, h = 8, b'', 0, 0
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
raw, stride = zlib.decompress(idat), w * bpp
prev, colours = bytearray(stride), {}
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(w):
        px = bytes(line[x * bpp:x * bpp + 3])
        colours[px] = colours.get(px, 0) + 1
    prev = line
top = sorted(colours.items(), key=lambda kv: -kv[1])[:4]
print('capture %dx%d: %d colours, most common %s' % (w, h, len(colours), top))
sys.exit(0 if len(colours) >= 3 else 1)
PY
kill -0 $egl 2>/dev/null || { echo "FAIL: weston-simple-dmabuf-egl exited early"; rc=1; }
kill $egl 2>/dev/null; wait $egl
echo "--- client log"; cat "$ZC_VM_TEST_OUT/egl.log"
kill $zc; wait $zc
echo "--- zcomp log"; grep -v "^$" "$ZC_VM_TEST_OUT/zcomp.log" | tail -40
exit $rc
