#ifndef ZC_DMABUF_CLIENT_H
#define ZC_DMABUF_CLIENT_H

/*
 * The linux-dmabuf side of zc-dmabuf: binding zwp_linux_dmabuf_v1, learning
 * whether the wanted format is offered (modifier events up to version 3,
 * the feedback's format table from version 4), turning dma-bufs into
 * wl_buffers, and provoking each zwp_linux_buffer_params_v1 error on
 * purpose for the tests.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <wayland-client.h>

#include "common.h"
#include "dmabuf-alloc.h"

struct dmabuf_client_options {
	enum dmabuf_source source;
	const char *device; /* dumb: card path or driver name */
	uint32_t format;
	int32_t width, height;
	uint32_t stride, offset;
	bool immed; /* create_immed instead of create */
};

struct dmabuf_client {
	struct wl_display *display;
	struct zcc_globals globals;
	struct wl_registry *registry;
	struct zwp_linux_dmabuf_v1 *dmabuf;
	uint32_t dmabuf_version;
	struct dmabuf_layout layout;
	bool linear_offered; /* the format with DRM_FORMAT_MOD_LINEAR */
	bool has_main_device;
	dev_t main_device;
};

/* Connects, binds, reads the format offer and lays out the buffers; false
 * with a message on stderr. */
bool dmabuf_client_connect(struct dmabuf_client *client,
	const struct dmabuf_client_options *opt);
void dmabuf_client_disconnect(struct dmabuf_client *client);

bool dmabuf_client_alloc(struct dmabuf_client *client, const struct dmabuf_client_options *opt,
	int card_fd, struct dmabuf_alloc *alloc);
/* The wl_buffer of alloc laid out as client->layout; NULL if zcomp said
 * `failed` (or the connection died). */
struct wl_buffer *dmabuf_client_create_buffer(struct dmabuf_client *client,
	const struct dmabuf_client_options *opt, const struct dmabuf_alloc *alloc);

/* Runs one provocation ("all": each; "list": prints them), each on its own
 * connection; true if zcomp answered every one as the protocol says. */
bool dmabuf_provoke(const struct dmabuf_client_options *opt, const char *which);

#endif
