#!/bin/bash
# udmabuf, dma-heap, vgem, virtio-gpu and vkms dma-bufs: mmap + DMA_BUF_IOCTL_SYNC round trip.
exec "$ZC_BUILD_DIR/tests/vm/zc-vm-dmabuf"
