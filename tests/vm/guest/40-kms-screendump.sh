#!/bin/bash
# An atomic commit of a known pattern on virtio-gpu equals the host's QEMU screendump.
# zc-vm-timeout: 120
exec "$ZC_BUILD_DIR/tests/vm/zc-vm-kms-pattern" virtio_gpu
