#ifndef ZC_RENDERER_H
#define ZC_RENDERER_H

/*
 * The renderer interface: a const vtable of eight operations. A renderer
 * composites client buffers into a target buffer (an output's back buffer).
 * Both sides are zc_buffers, so one import path serves clients and outputs.
 * A renderer that can render into buffers the display scans out (GL on GBM)
 * allocates the backend's back buffers itself (create_target).
 *
 * Frame protocol, driven by output_repaint():
 *   begin(target, damage) -> draw_buffer()* -> end()
 * where every draw is clipped to the damage the caller passed to begin.
 */

#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/buffer.h"

struct zc_renderer;
struct zc_format_set;

/* How one draw reached the GPU or the target, filled by the renderer (the
 * caller sums these per surface for path accounting). */
enum zc_draw_path {
	ZC_DRAW_PATH_NONE = 0,   /* not drawn (the buffer could not be read) */
	ZC_DRAW_PATH_GPU_IMPORT, /* dma-buf sampled in place by the GPU: zero copy */
	ZC_DRAW_PATH_CPU_MMAP,   /* dma-buf mapped (mmap + sync) and read by the CPU */
	ZC_DRAW_PATH_CPU_UPLOAD, /* shm or memory buffer read by the CPU */
	ZC_DRAW_PATH_SCANOUT,    /* not drawn at all: the display scans the buffer out */
	ZC_DRAW_PATH_SOLID_FILL, /* a one-colour buffer filled: no pixels read at all */
};

struct zc_draw_stats {
	enum zc_draw_path path;
	uint64_t cpu_bytes; /* buffer bytes the CPU read (copied or converted) */
};

static inline const char *zc_draw_path_name(enum zc_draw_path path)
{
	static const char *const names[] = { "none", "gpu-import", "cpu-mmap", "cpu-upload",
		"scanout", "solid-fill" };
	return (unsigned)path < sizeof(names) / sizeof(names[0]) ? names[path] : "?";
}

/* Where and how one buffer lands in the target, all in target pixels. */
struct zc_draw {
	int32_t x, y;          /* destination position */
	int32_t width, height; /* destination size (after scale and viewport) */
	/* Source rectangle in buffer pixels; a size different from the
	 * destination's scales the buffer (wp_viewport, buffer scale). */
	double src_x, src_y, src_width, src_height;
	/* What of the destination must be drawn: the frame's damage intersected
	 * with this buffer's destination box, in target coordinates. */
	const pixman_region32_t *clip;
	/* Buffer pixels the client damaged since the renderer last read them,
	 * in buffer coordinates: a renderer that uploads or syncs reads only
	 * these. */
	const pixman_region32_t *buffer_damage;
	/* Optional (NULL: not wanted): which path this draw took. */
	struct zc_draw_stats *stats;
};

struct zc_renderer_impl {
	const char *name;
	void (*destroy)(struct zc_renderer *renderer);
	/* Prepares a buffer for drawing, once per buffer; the result (or the
	 * failure) is cached on the buffer. Called at buffer create time, so a
	 * buffer no path can use is refused then, never shown blank later. */
	bool (*import_buffer)(struct zc_renderer *renderer, struct zc_buffer *buffer);
	bool (*begin)(struct zc_renderer *renderer, struct zc_buffer *target,
		const pixman_region32_t *damage);
	void (*clear)(struct zc_renderer *renderer, const pixman_region32_t *region,
		const float rgba[4]);
	void (*draw_buffer)(struct zc_renderer *renderer, struct zc_buffer *buffer,
		const struct zc_draw *draw);
	/* Finishes the frame; the target's pixels are complete on return. */
	bool (*end)(struct zc_renderer *renderer);
	/* Optional: a width x height dma-buf of format that this renderer
	 * renders into in place, for a backend to scan out (an internal buffer:
	 * buffer_drop it); NULL when it cannot, with the reason logged. */
	struct zc_buffer *(*create_target)(struct zc_renderer *renderer, int32_t width,
		int32_t height, uint32_t format);
	/* Optional (explicit sync): a sync_file, owned by the caller, that
	 * signals once the work the renderer submitted so far (its reads of
	 * client buffers included) is done; -1 when nothing is outstanding
	 * past end() or the renderer cannot tell. */
	int (*export_fence)(struct zc_renderer *renderer);
};

/* What rendering cost beyond the draws (whose CPU reads the surfaces count):
 * frames ended, and of those the ones whose pixels the CPU copied out of the
 * GPU into the target (read-back), with the bytes copied. */
struct zc_renderer_stats {
	uint64_t frames, readback_frames, readback_bytes;
};

struct zc_renderer {
	const struct zc_renderer_impl *impl;
	struct zc_renderer_stats stats;
	/* Formats the renderer reads, for wl_shm and dma-buf feedback: data the
	 * renderer fills once when it is created, not an operation. */
	const struct zc_format_set *formats;
};

/* Dispatchers: callers never reach into the vtable. */
static inline const char *renderer_name(const struct zc_renderer *r)
{
	return r->impl->name;
}

static inline bool renderer_import_buffer(struct zc_renderer *r, struct zc_buffer *b)
{
	return r->impl->import_buffer(r, b);
}

static inline bool renderer_begin(struct zc_renderer *r, struct zc_buffer *target,
	const pixman_region32_t *damage)
{
	return r->impl->begin(r, target, damage);
}

static inline void renderer_clear(struct zc_renderer *r, const pixman_region32_t *region,
	const float rgba[4])
{
	r->impl->clear(r, region, rgba);
}

static inline void renderer_draw_buffer(struct zc_renderer *r, struct zc_buffer *b,
	const struct zc_draw *draw)
{
	r->impl->draw_buffer(r, b, draw);
}

static inline bool renderer_end(struct zc_renderer *r)
{
	return r->impl->end(r);
}

static inline const struct zc_format_set *renderer_get_formats(struct zc_renderer *r)
{
	return r->formats;
}

static inline struct zc_buffer *renderer_create_target(struct zc_renderer *r, int32_t width,
	int32_t height, uint32_t format)
{
	return r->impl->create_target ? r->impl->create_target(r, width, height, format) : NULL;
}

static inline int renderer_export_fence(struct zc_renderer *r)
{
	return r && r->impl->export_fence ? r->impl->export_fence(r) : -1;
}

static inline void renderer_destroy(struct zc_renderer *r)
{
	if (r)
		r->impl->destroy(r);
}

#endif
