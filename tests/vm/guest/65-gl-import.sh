#!/bin/bash
# Issue 6: the GL renderer's choice per dma-buf, in process, EGL on GBM over virtio-gpu and
# over vkms, and surfaceless: udmabuf and vgem buffers (and the device's own) are shown
# pixel-exact. Own buffers are imported by EGL; foreign ones take the CPU path (virtio-gpu
# refuses them; llvmpipe on vkms/surfaceless accepts them but cannot map them, which the
# renderer detects instead of crashing, see renderer/gl_import.c). Each case runs in its own process
# (llvmpipe compiles its shaders again each time: tens of seconds per case under TCG).
# zc-vm-timeout: 600
set -u
export MESA_SHADER_CACHE_DIR=$(mktemp -d)
exec "$ZC_BUILD_DIR/tests/vm/zc-vm-gl"
