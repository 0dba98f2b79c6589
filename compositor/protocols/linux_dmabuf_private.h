#ifndef ZC_LINUX_DMABUF_PRIVATE_H
#define ZC_LINUX_DMABUF_PRIVATE_H

/* Shared by linux_dmabuf.c (buffers, the global) and linux_dmabuf_feedback.c
 * (version 4 feedback, the format table, scan-out tranches). */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <wayland-server-core.h>

#include "base/formats.h"
#include "core/server.h"

struct zc_surface;

struct dmabuf_table_entry {
	uint32_t format;
	uint32_t pad;
	uint64_t modifier;
};

struct zc_linux_dmabuf {
	struct zc_server *server;
	struct wl_global *global;
	bool has_main_device;
	dev_t main_device;
	/* Version 4 feedback: one sealed table; the default tranche names all
	 * of it, a scan-out tranche the pairs a plane takes. */
	int table_fd;
	size_t table_size;
	struct dmabuf_table_entry *table; /* the table's contents */
	size_t n_table;
	struct wl_array indices; /* uint16_t */
};

bool linux_dmabuf_table_init(struct zc_linux_dmabuf *dmabuf, const struct zc_format_set *set);
/* A feedback object; surface NULL for the default feedback. A surface's
 * feedback follows its plane results (scan-out tranches). */
void linux_dmabuf_feedback_create(struct wl_client *client, struct wl_resource *dmabuf_resource,
	uint32_t id, struct zc_surface *surface);

#endif
