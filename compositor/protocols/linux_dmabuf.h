#ifndef ZC_LINUX_DMABUF_H
#define ZC_LINUX_DMABUF_H

/*
 * zwp_linux_dmabuf_v1: client dma-bufs as zc_buffers ("dmabuf" impl).
 *
 * A params object collects planes; create/create_immed validates them in
 * the protocol's order (client mistakes are protocol errors), refuses fds
 * that are not dma-bufs before anything maps them, checks every plane
 * against the dma-buf's size, and asks the renderer to import the buffer
 * there and then: a buffer no path can read is `failed` at once.
 *
 * Version 4 feedback needs a main device. zcomp names its DRM device (the
 * --drm-device, else the first render node); without any DRM device, as on
 * a machine with no /dev/dri, the global stops at version 3, as there is no
 * device a client could allocate for.
 */

#include <stdbool.h>
#include <sys/types.h>

#include "core/server.h"

struct zc_linux_dmabuf;

/* The global, on the main device linux_dmabuf_find_main_device() names
 * (server->linux_dmabuf). */
bool linux_dmabuf_global_create(struct zc_server *server);
void linux_dmabuf_global_destroy(struct zc_server *server);

/* The same on a given main device; NULL: advertise version 3
 * (format/modifier events only). For tests. */
struct zc_linux_dmabuf *linux_dmabuf_create(struct zc_server *server,
	const dev_t *main_device);
void linux_dmabuf_destroy(struct zc_linux_dmabuf *dmabuf);

/* The device named by path, else the first /dev/dri/renderD*; false if
 * there is none. */
bool linux_dmabuf_find_main_device(const char *path, dev_t *device);

#endif
