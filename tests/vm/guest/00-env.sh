#!/bin/bash
# The guest environment itself: kernel, mounts, the trees the tests need, the request channel.
set -eu
echo "kernel: $(uname -r)"
echo "uptime: $(cut -d' ' -f1 /proc/uptime) s"
grep -E ' (/|/tmp|/run|/run/zc-vm/out) ' /proc/mounts
for d in "$ZC_SOURCE_DIR" "$ZC_BUILD_DIR"; do
  [ -d "$d" ] || { echo "missing $d"; exit 1; }
done
[ -f "$ZC_SOURCE_DIR/meson.build" ] || { echo "source tree not visible"; exit 1; }
echo "source: $ZC_SOURCE_DIR build: $ZC_BUILD_DIR"
touch /tmp/writable && rm /tmp/writable
echo "modules:"; cut -d' ' -f1 /proc/modules | sort | tr '\n' ' '; echo
for m in virtio_gpu vgem vkms uinput virtio_input; do
  grep -q "^$m " /proc/modules || { echo "module $m not loaded"; exit 1; }
done
ls -l /dev/dri /dev/udmabuf /dev/dma_heap /dev/uinput /dev/input
for c in /sys/class/drm/card[0-9]*; do
  [ -e "$c/device/driver" ] && echo "$(basename "$c"): $(basename "$(readlink "$c/device/driver")")"
done
# The request channel answers.
zc-vm-monitor "info version"
