#!/bin/bash
# Issues 5 (item 5) and 6: weston's demo clients weston-simple-shm, weston-simple-egl and
# weston-simple-dmabuf-egl (its buffers from vgem's card node) on zcomp --backend=kms with
# the pixman and the GL renderer, on virtio-gpu (checked in QEMU screendumps) and on vkms
# (checked in writeback frames), so from outside zcomp. The clients animate, so each frame
# is checked for what a broken path could not show (zc-vm-window-check: the window box
# exact, background everywhere else, the client's own colours in their places), and the
# path each client's frames took (stats JSON) is the one tests/vm/README.md predicts.
# With GL, the frames are rendered into GBM buffers that KMS scans out: no read-back.
# Both devices run at once, each case after the other on its device.
# zc-vm-timeout: 420
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
for c in weston-simple-shm weston-simple-egl weston-simple-dmabuf-egl; do
  command -v $c > /dev/null || { echo "$c not installed (scripts/deps.sh)"; exit 77; }
done
VGEM=$(card_of_driver vgem) || { echo "no vgem card"; exit 1; }
# One shader cache for every llvmpipe here: compiling is what takes longest under TCG.
export MESA_SHADER_CACHE_DIR=$PWD/shader-cache

# capture DRIVER N OUT.ppm: frame N of the output, taken from outside zcomp.
capture() {
  if [ "$1" = virtio_gpu ]; then
    zc-vm-screendump "$3"
    return
  fi
  local wb=$PWD/wb-$TAG t
  kill -USR1 "$ZCOMP_PID"
  for t in $(seq 1 100); do
    ls "$wb"/*-"$2".ppm > /dev/null 2>&1 && break
    sleep 0.2
  done
  mv "$wb"/*-"$2".ppm "$3" 2> /dev/null
}

# show DRIVER N CLIENT ARGS...: runs the client as the N-th window (zcomp cascades
# windows from 32,32 in steps of 32) until a frame passes zc-vm-window-check.
show() {
  local drv=$1 n=$2 client=$3 size=250 i frame=$PWD/$TAG-$3.ppm
  shift 3
  [ "$client" = simple-dmabuf-egl ] && size=256
  "weston-$client" "$@" > "$OUT/$TAG-$client.log" 2>&1 &
  local pid=$! ok=0 t0=$SECONDS
  echo "$pid $client" >> "pids-$TAG"
  # llvmpipe compiles its shaders before the first frame: tens of seconds under TCG.
  for i in $(seq 1 60); do
    sleep 2
    kill -0 $pid 2> /dev/null || break
    CAPTURES=$((CAPTURES + 1))
    capture "$drv" $((CAPTURES - 1)) "$frame" || continue
    if zc-vm-window-check "$frame" $((32 * n)) $((32 * n)) $size $size "$client" \
         > check.txt 2>&1; then
      ok=1
      break
    fi
  done
  local shown=$((SECONDS - t0))
  kill $pid 2> /dev/null
  wait $pid
  cp "$frame" "$OUT/" 2> /dev/null
  if [ $ok = 1 ]; then
    echo "ok: $TAG $client shown after $shown s ($((SECONDS - t0)) s with its exit)"
  else
    echo "FAIL: $TAG $client not shown correctly; last check:"; sed 's/^/    /' check.txt
    tail -5 "$OUT/$TAG-$client.log" | sed 's/^/    client: /'
  fi
  [ $ok = 1 ]
}

# The path of every client's frames, from the stats JSON lines.
check_paths() {
  python3 - "$PWD/stats-$TAG.jsonl" "pids-$TAG" "$TAG" <<'PY'
import json, sys
stats = [json.loads(l) for l in open(sys.argv[1])]
pids = dict(l.split()[:2] for l in open(sys.argv[2]))
tag, rc = sys.argv[3], 0
# What tests/vm/README.md predicts (from vm-facts): shm is uploaded by the CPU;
# weston-simple-egl on llvmpipe hands over wl_shm buffers as well; vgem dma-bufs are
# mapped by the CPU on virtio-gpu (it cannot import them), while on vkms the opaque
# window goes on an overlay plane as it is (PRIME import + AddFB2 work there).
want = {'simple-shm': 'cpu-upload', 'simple-egl': 'cpu-upload',
        'simple-dmabuf-egl': 'scanout' if tag.startswith('vkms') else 'cpu-mmap'}
for pid, client in pids.items():
    frames = {}
    for s in stats:
        if s.get('event') == 'surface' and str(s['client_pid']) == pid:
            for k, v in s['frames'].items():
                frames[k] = frames.get(k, 0) + v
    used = {k: v for k, v in frames.items() if v}
    good = list(used) == [want[client]]
    print('%s: %s %s frames: %s' % ('ok' if good else 'FAIL', tag, client, used))
    rc |= not good
for s in stats:
    if s.get('event') == 'renderer':
        # GL renders into the scanout buffers: nothing is read back.
        good = s['renderer'] != 'gl' or (s['frames'] > 0 and s['readback_frames'] == 0)
        print('%s: %s renderer %s' % ('ok' if good else 'FAIL', tag, s))
        rc |= not good
sys.exit(rc)
PY
}

# run_case DRIVER RENDERER: one zcomp, the three clients one after the other.
run_case() {
  local drv=$1 r=$2 dev rc=0
  dev=$(card_of_driver "$drv") || { echo "FAIL: no $drv card"; return 1; }
  TAG=$drv-$r CAPTURES=0
  mkdir -p "wb-$TAG"
  : > "pids-$TAG"
  local t0=$SECONDS
  ZC_KMS_WRITEBACK_DUMP=$PWD/wb-$TAG zcomp_start "$dev" "$OUT/zcomp-$TAG.log" -r "$r" \
    --stats="$PWD/stats-$TAG.jsonl" || { echo "FAIL: $TAG: zcomp did not start"; return 1; }
  echo "$TAG: zcomp up after $((SECONDS - t0)) s"
  show "$drv" 1 simple-shm || rc=1
  show "$drv" 2 simple-egl || rc=1
  show "$drv" 3 simple-dmabuf-egl -d "$VGEM" || rc=1
  zcomp_stop || rc=1
  check_paths || rc=1
  cp "stats-$TAG.jsonl" "$OUT/"
  return $rc
}

lane() {
  export WAYLAND_DISPLAY=zc-$1
  local rc=0
  run_case "$1" pixman || rc=1
  run_case "$1" gl || rc=1
  return $rc
}

start=$SECONDS
# GL that cannot start (no EGL vendor): a clear error and exit status 1, nothing left held.
dev=$(card_of_driver virtio_gpu)
__EGL_VENDOR_LIBRARY_FILENAMES=/nonexistent.json timeout 60 "$ZCOMP" -b kms -d "$dev" -r gl \
  -s zc-noegl > noegl.log 2>&1
code=$?
if [ $code = 1 ] && grep -q 'the GL renderer could not start' noegl.log; then
  echo "ok: zcomp -r gl without EGL: $(grep -c error noegl.log) error lines, exit 1"
else
  echo "FAIL: zcomp -r gl without EGL exited $code"; cat noegl.log; exit 1
fi
lane virtio_gpu > lane.virtio_gpu 2>&1 &
virtio=$!
lane vkms > lane.vkms 2>&1 &
vkms=$!
rc=0
wait $virtio || rc=1
wait $vkms || rc=1
cat lane.virtio_gpu lane.vkms
echo "all cases in $((SECONDS - start)) s"
exit $rc
