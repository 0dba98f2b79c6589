#!/bin/bash
# The PRIME import + AddFB2 matrix (virtio-gpu vs vkms, per exporter) of shared/vm-facts.md.
exec "$ZC_BUILD_DIR/tests/vm/zc-vm-prime"
