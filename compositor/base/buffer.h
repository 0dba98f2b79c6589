#ifndef ZC_BUFFER_H
#define ZC_BUFFER_H

/*
 * The one buffer object. Every pixel source (wl_shm, linux-dmabuf, an
 * output's own render target) is a zc_buffer. Its lifetime is:
 *
 *   created with its wl_buffer resource
 *   -> buffer_lock() by whoever still needs the pixels (the surface that
 *      shows it, a plane scanning it out, a capture reading it)
 *   -> buffer_unlock(): at zero locks, wl_buffer.release is sent
 *   -> freed when both the resource is gone and no lock is held.
 *
 * What is derived from the buffer (a renderer's EGLImage or pixman image, a
 * KMS framebuffer, a CPU mapping) hangs off it as an addon (base/addon.h) and
 * is destroyed with it, so imports happen once per buffer, not once per frame.
 * A failed import is recorded too, so it is not retried every frame.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wayland-server-core.h>

#include "addon.h"

struct zc_buffer;

#define ZC_MAX_PLANES 4

/* A CPU view of a buffer's pixels, valid between begin/end_cpu_access. */
struct zc_cpu_view {
	uint32_t format; /* DRM fourcc */
	int n_planes;
	void *data[ZC_MAX_PLANES];
	uint32_t stride[ZC_MAX_PLANES];
};

enum zc_cpu_access {
	ZC_CPU_READ = 1 << 0,
	ZC_CPU_WRITE = 1 << 1,
};

/* Description of a dma-buf backed buffer (linux-dmabuf, later). */
struct zc_dmabuf_attribs {
	int32_t width, height;
	uint32_t format;
	uint64_t modifier;
	int n_planes;
	int fd[ZC_MAX_PLANES];
	uint32_t offset[ZC_MAX_PLANES];
	uint32_t stride[ZC_MAX_PLANES];
};

struct zc_buffer_impl {
	const char *name; /* "shm", "dmabuf", "memory"; shown in logs and stats */
	void (*destroy)(struct zc_buffer *buffer);
	/* Brackets every CPU read or write of the pixels. begin may fail (a
	 * vanished shm file, a dma-buf that cannot be mapped). */
	bool (*begin_cpu_access)(struct zc_buffer *buffer, uint32_t access,
		struct zc_cpu_view *view);
	void (*end_cpu_access)(struct zc_buffer *buffer);
	/* Optional: the dma-buf behind the buffer, for zero-copy imports. */
	const struct zc_dmabuf_attribs *(*get_dmabuf)(struct zc_buffer *buffer);
	/* Optional (implicit sync): a sync_file fd, owned by the caller, that
	 * signals when the producer has finished writing, or -1 when the
	 * contents are ready now. Commits wait on it in the event loop. */
	int (*export_ready_fence)(struct zc_buffer *buffer);
	/* Optional: the buffer is one colour (wp_single_pixel_buffer_v1):
	 * premultiplied RGBA in 0..1, which renderers fill instead of reading
	 * pixels. */
	bool (*get_solid_colour)(struct zc_buffer *buffer, float rgba[4]);
};

struct zc_buffer {
	const struct zc_buffer_impl *impl;
	struct wl_resource *resource; /* NULL for compositor-internal buffers */
	int32_t width, height;
	uint32_t format; /* DRM fourcc */
	bool opaque;     /* the format has no alpha channel */

	int n_locks;
	bool resource_gone;
	struct wl_listener resource_destroy;
	/* What is derived from it (imports, framebuffers, mappings), keyed by
	 * owner; owners that die before buffers (a renderer) take theirs back
	 * with addon_destroy. */
	struct zc_addon_set addons;
	struct wl_signal destroy_signal;
	/* The last lock went: nothing in zcomp reads the pixels any more
	 * (emitted before wl_buffer.release, and before destruction when the
	 * resource is already gone). Explicit sync signals release points here. */
	struct wl_signal release_signal;
	/* Times the last lock went: the client may have changed the pixels
	 * since, whatever damage it sends when it attaches the buffer again
	 * (caches of its contents compare this). */
	uint64_t releases;
};

/* For implementations: fills the common fields and hooks the resource's
 * destruction. resource may be NULL. */
void buffer_init(struct zc_buffer *buffer, const struct zc_buffer_impl *impl,
	struct wl_resource *resource, int32_t width, int32_t height, uint32_t format);

/* Finds the zc_buffer behind a wl_buffer resource, or NULL if the resource is
 * not a buffer we created (a client mistake to report by the caller). */
struct zc_buffer *buffer_from_resource(struct wl_resource *resource);

struct zc_buffer *buffer_lock(struct zc_buffer *buffer);
void buffer_unlock(struct zc_buffer *buffer);
/* Drops the owner's reference for compositor-internal buffers (no resource). */
void buffer_drop(struct zc_buffer *buffer);

bool buffer_begin_cpu_access(struct zc_buffer *buffer, uint32_t access,
	struct zc_cpu_view *view);
void buffer_end_cpu_access(struct zc_buffer *buffer);
const struct zc_dmabuf_attribs *buffer_get_dmabuf(struct zc_buffer *buffer);
int buffer_export_ready_fence(struct zc_buffer *buffer);
/* False when the buffer is not a single colour. */
bool buffer_get_solid_colour(struct zc_buffer *buffer, float rgba[4]);

/* A compositor-owned buffer in plain memory (headless outputs, tests). */
struct zc_buffer *memory_buffer_create(int32_t width, int32_t height, uint32_t format);

#endif
