#!/bin/bash
# virtio-gpu (card + render node), vgem, vkms (writeback, overlay, cursor), udmabuf,
# dma-heap, uinput and the virtio keyboard/mouse exist; devices found by driver name.
exec "$ZC_BUILD_DIR/tests/vm/zc-vm-devices"
