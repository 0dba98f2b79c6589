# Sourced by the camera guest tests (77, 78): a client showing vivid's frames on zcomp -b kms,
# 640x360 like the camera, on virtio-gpu (checked from QEMU screendumps: what the display
# scans out) and on vkms (checked from ext-image-copy-capture, which zcomp serves from the
# writeback connector: what the CRTC scans out).
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"

# camera_display N: the display of the Nth case: virtio-gpu and vkms in turn.
camera_display() { [ $(($1 % 2)) = 1 ] && echo virtio_gpu || echo vkms; }

# camera_start DRIVER LOG: zcomp on DRIVER's card at the camera's size.
camera_start() {
  local dev
  dev=$(card_of_driver "$1") || { echo "no $1 card"; return 1; }
  zcomp_start "$dev" "$2" --mode=640x360
}

# camera_grab DRIVER BASE: what the display shows, into BASE.ppm (virtio-gpu screendump)
# or BASE.png (vkms: zc-capture, served from writeback); prints the file's name.
camera_grab() {
  if [ "$1" = virtio_gpu ]; then
    zc-vm-screendump "$2.ppm" > cap.log 2>&1 && echo "$2.ppm"
  else
    "$ZC_BUILD_DIR/clients/zc-capture" "$2.png" > cap.log 2>&1 && echo "$2.png"
  fi
}

# wait_bars DRIVER BASE PID: grabs every second until zc-vm-bars.py accepts the picture (0)
# or the client PID exits or 80 s pass (1); bars.log keeps the last verdict.
wait_bars() {
  local drv=$1 base=$2 pid=$3 i f
  for i in $(seq 80); do
    nap 1
    kill -0 "$pid" 2>/dev/null || return 1
    f=$(camera_grab "$drv" "$base") || continue
    python3 "$ZC_SOURCE_DIR/tests/vm/zc-vm-bars.py" "$f" > bars.log 2>&1 && return 0
  done
  return 1
}

# camera_stop DRIVER LOG: stops zcomp; on vkms the capture must have come from writeback.
camera_stop() {
  zcomp_stop || return 1
  [ "$1" != vkms ] || grep -q 'writeback frame read back' "$2" ||
    { echo "    no writeback read-back in the log"; return 1; }
}

# accounting ZCOMP_LOG: the last surface's path accounting line.
accounting() {
  grep -o '[0-9]* gpu-import, [0-9]* cpu-mmap, [0-9]* cpu-upload, [0-9]* scanout.*' "$1" |
    tail -1
}
