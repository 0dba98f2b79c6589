#!/bin/bash
# Issue 4: each zwp_linux_buffer_params_v1 error is provoked and raised as the protocol says;
# fds that are not dma-bufs (memfd, pipe, /dev/null) get `failed` or invalid_wl_buffer.
set -u
B=$ZC_BUILD_DIR
export XDG_RUNTIME_DIR=$(mktemp -d)
rc=0
for src in "-S udmabuf" "-S dumb -d vgem"; do
  # shellcheck disable=SC2086
  timeout 120 "$B/compositor/zcomp" --log-level=error -- "$B/clients/zc-dmabuf" $src \
    --provoke=all || rc=1
done
exit $rc
