/*
 * The pixman renderer: composition on the CPU. Client buffers are read in
 * place through their CPU view (shm pool mapping, mmapped dma-buf), never
 * copied first; the only pixels written are the damaged ones of the target.
 */
#include <drm_fourcc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dmabuf.h"
#include "base/formats.h"
#include "renderers.h"

struct pix_renderer {
	struct zc_renderer base;
	struct zc_buffer *target;
	pixman_image_t *target_image;
	struct zc_format_set formats;
	uint64_t frame; /* frames begun, for shadow freshness */
};

/*
 * A buffer pixman cannot wrap in place (planar YUV; rows or planes not
 * 4-byte aligned, as pixman requires) is read into a shadow image cached on
 * the buffer. Reading only the client's damage is right while the buffer
 * stays on screen; a buffer that comes back after a release may have
 * changed anywhere, so a shadow not drawn in the last frame is read whole.
 */
struct pix_shadow {
	struct zc_addon base;
	pixman_image_t *image;
	bool valid;
	uint64_t frame; /* last frame it was drawn in */
	uint64_t releases; /* the buffer's release count when last read */
};

static struct pix_renderer *pix_from_renderer(struct zc_renderer *renderer)
{
	return (struct pix_renderer *)renderer;
}

/* A pixman image over a CPU view, valid until the access ends. */
static pixman_image_t *pix_image_from_view(const struct zc_buffer *buffer,
	const struct zc_cpu_view *view)
{
	const struct zc_format_info *info = format_info(view->format);
	if (!info || !info->pixman || view->n_planes != 1)
		return NULL;
	return pixman_image_create_bits_no_clear(info->pixman, buffer->width, buffer->height,
		view->data[0], (int)view->stride[0]);
}

/* mmap succeeds or fails per exporter, so try it once at import: a buffer
 * that cannot be mapped is refused at create time, not drawn blank later. No
 * sync here: that would wait for the producer inside a request. */
static bool pix_can_map(const struct zc_dmabuf_attribs *a)
{
	struct dmabuf_mapping maps[ZC_MAX_PLANES];
	if (!dmabuf_map_planes(a, maps))
		return false;
	dmabuf_unmap_planes(maps);
	return true;
}

static bool pix_import_buffer(struct zc_renderer *renderer, struct zc_buffer *buffer)
{
	struct pix_renderer *pix = pix_from_renderer(renderer);
	const struct zc_dmabuf_attribs *dmabuf = buffer_get_dmabuf(buffer);
	if (dmabuf)
		return format_set_has(&pix->formats, dmabuf->format, dmabuf->modifier) &&
			pix_can_map(dmabuf);
	const struct zc_format_info *info = format_info(buffer->format);
	return info && (info->pixman || info->yuv);
}

/* pixman reads rows as 32-bit words: data and stride must be aligned. */
static bool pix_view_wrappable(const struct zc_cpu_view *view)
{
	const struct zc_format_info *info = format_info(view->format);
	return info && info->pixman && view->n_planes == 1 && view->stride[0] % 4 == 0 &&
		(uintptr_t)view->data[0] % 4 == 0;
}

static void pix_shadow_destroy(struct zc_addon *addon)
{
	struct pix_shadow *shadow = wl_container_of(addon, shadow, base);
	pixman_image_unref(shadow->image);
	free(shadow);
}

static struct pix_shadow *pix_shadow_get(struct pix_renderer *pix, struct zc_buffer *buffer)
{
	struct zc_addon *att = addon_find(&buffer->addons, pix);
	struct pix_shadow *shadow;
	if (att)
		return wl_container_of(att, shadow, base);
	const struct zc_format_info *info = format_info(buffer->format);
	pixman_format_code_t format = info && info->pixman ? info->pixman : PIXMAN_x8r8g8b8;
	shadow = calloc(1, sizeof(*shadow));
	if (!shadow)
		return NULL;
	shadow->image = pixman_image_create_bits(format, buffer->width, buffer->height, NULL, 0);
	if (!shadow->image) {
		free(shadow);
		return NULL;
	}
	addon_init(&shadow->base, &buffer->addons, pix, pix_shadow_destroy);
	return shadow;
}

/* Copies the rows of box from a packed view pixman cannot wrap. */
static void pix_copy_box(const struct zc_cpu_view *view, pixman_image_t *dst,
	const pixman_box32_t *box)
{
	const struct zc_format_info *info = format_info(view->format);
	size_t bpp = info->bpp[0] / 8;
	uint8_t *dst_data = (uint8_t *)pixman_image_get_data(dst);
	size_t dst_stride = (size_t)pixman_image_get_stride(dst);
	size_t x = (size_t)box->x1 * bpp, len = (size_t)(box->x2 - box->x1) * bpp;
	for (int32_t y = box->y1; y < box->y2; y++) {
		memcpy(dst_data + (size_t)y * dst_stride + x,
			(const uint8_t *)view->data[0] + (size_t)y * view->stride[0] + x, len);
	}
}

static void pix_shadow_read_box(struct pix_shadow *shadow, const struct zc_buffer *buffer,
	const struct zc_cpu_view *view, const pixman_box32_t *box)
{
	const struct zc_format_info *info = format_info(view->format);
	if (!info->yuv) {
		pix_copy_box(view, shadow->image, box);
		return;
	}
	struct dmabuf_xrgb_dest dest = { (uint8_t *)pixman_image_get_data(shadow->image),
		(uint32_t)pixman_image_get_stride(shadow->image), 0, 0 };
	dmabuf_convert_yuv(view, buffer->width, buffer->height, box, &dest);
}

/* Brings the shadow up to date, reading only what changed, and returns a
 * new reference to it. */
static pixman_image_t *pix_shadow_update(struct pix_renderer *pix, struct zc_buffer *buffer,
	const struct zc_cpu_view *view, const pixman_region32_t *damage)
{
	struct pix_shadow *shadow = pix_shadow_get(pix, buffer);
	if (!shadow)
		return NULL;
	pixman_region32_t stale;
	pixman_region32_init_rect(&stale, 0, 0, (uint32_t)buffer->width, (uint32_t)buffer->height);
	bool fresh = shadow->valid && shadow->frame + 1 >= pix->frame &&
		shadow->releases == buffer->releases;
	if (fresh)
		pixman_region32_intersect(&stale, &stale, (pixman_region32_t *)damage);
	int n;
	const pixman_box32_t *boxes = pixman_region32_rectangles(&stale, &n);
	for (int i = 0; i < n; i++)
		pix_shadow_read_box(shadow, buffer, view, &boxes[i]);
	pixman_region32_fini(&stale);
	shadow->valid = true;
	shadow->frame = pix->frame;
	shadow->releases = buffer->releases;
	return pixman_image_ref(shadow->image);
}

static bool pix_begin(struct zc_renderer *renderer, struct zc_buffer *target,
	const pixman_region32_t *damage)
{
	struct pix_renderer *pix = pix_from_renderer(renderer);
	struct zc_cpu_view view;
	if (!buffer_begin_cpu_access(target, ZC_CPU_WRITE, &view))
		return false;
	pix->target_image = pix_image_from_view(target, &view);
	if (!pix->target_image) {
		buffer_end_cpu_access(target);
		return false;
	}
	pix->target = target;
	pix->frame++;
	return true;
}

static pixman_color_t pix_color(const float rgba[4])
{
	return (pixman_color_t){
		.red = (uint16_t)(rgba[0] * 0xffff),
		.green = (uint16_t)(rgba[1] * 0xffff),
		.blue = (uint16_t)(rgba[2] * 0xffff),
		.alpha = (uint16_t)(rgba[3] * 0xffff),
	};
}

static void pix_clear(struct zc_renderer *renderer, const pixman_region32_t *region,
	const float rgba[4])
{
	struct pix_renderer *pix = pix_from_renderer(renderer);
	pixman_color_t color = pix_color(rgba);
	int n;
	const pixman_box32_t *boxes = pixman_region32_rectangles(
		(pixman_region32_t *)region, &n);
	pixman_image_fill_boxes(PIXMAN_OP_SRC, pix->target_image, &color, n, boxes);
}

/* Maps destination pixels back to source pixels when the draw scales. */
static void pix_set_transform(pixman_image_t *image, const struct zc_draw *draw)
{
	double sx = draw->src_width / draw->width;
	double sy = draw->src_height / draw->height;
	bool integral_offset = draw->src_x == floor(draw->src_x) && draw->src_y == floor(draw->src_y);
	if (sx == 1.0 && sy == 1.0 && integral_offset)
		return;
	/* Destination offset (i, j) samples source (sx * i + x, sy * j + y). */
	pixman_transform_t t;
	pixman_transform_init_identity(&t);
	t.matrix[0][0] = pixman_double_to_fixed(sx);
	t.matrix[0][2] = pixman_double_to_fixed(draw->src_x);
	t.matrix[1][1] = pixman_double_to_fixed(sy);
	t.matrix[1][2] = pixman_double_to_fixed(draw->src_y);
	pixman_image_set_transform(image, &t);
	/* Magnified by a whole factor (--scale=2 over a scale-1 buffer), pixels
	 * are repeated and stay sharp; other factors are filtered. */
	bool sharp = 1.0 / sx == floor(1.0 / sx) && 1.0 / sy == floor(1.0 / sy);
	pixman_image_set_filter(image, sharp ? PIXMAN_FILTER_NEAREST : PIXMAN_FILTER_BILINEAR,
		NULL, 0);
	/* The filter's taps past the buffer's edge read the edge, as GL's
	 * CLAMP_TO_EDGE does, not transparency (a faded border). */
	pixman_image_set_repeat(image, PIXMAN_REPEAT_PAD);
}

/* Path accounting: pixman reads every drawn pixel with the CPU, in place
 * (a mapped dma-buf or the shm pool); bytes are those of the clip, in the
 * source's bytes per pixel (an estimate when the draw scales). */
static void pix_record_draw(struct zc_buffer *buffer, const struct zc_draw *draw)
{
	if (!draw->stats)
		return;
	const struct zc_format_info *info = format_info(buffer->format);
	uint64_t pixels = 0;
	int n;
	const pixman_box32_t *b = pixman_region32_rectangles(
		(pixman_region32_t *)draw->clip, &n);
	for (int i = 0; i < n; i++)
		pixels += (uint64_t)(b[i].x2 - b[i].x1) * (uint64_t)(b[i].y2 - b[i].y1);
	draw->stats->path = buffer_get_dmabuf(buffer) ? ZC_DRAW_PATH_CPU_MMAP :
		ZC_DRAW_PATH_CPU_UPLOAD;
	/* Chroma planes add their subsampled share of each pixel. */
	uint64_t bits = info ? info->bpp[0] : 0;
	for (int i = 1; info && i < info->n_planes; i++)
		bits += info->bpp[i] / (info->hsub * info->vsub);
	draw->stats->cpu_bytes = pixels * bits / 8;
}

/* A one-colour buffer: the destination box filled (premultiplied, like
 * every Wayland buffer), whatever the viewport scales it to. */
static void pix_fill(struct pix_renderer *pix, const struct zc_buffer *buffer,
	const struct zc_draw *draw, const float rgba[4])
{
	pixman_color_t color = pix_color(rgba);
	pixman_image_t *src = pixman_image_create_solid_fill(&color);
	if (!src)
		return;
	pixman_image_set_clip_region32(pix->target_image, (pixman_region32_t *)draw->clip);
	pixman_image_composite32(buffer->opaque ? PIXMAN_OP_SRC : PIXMAN_OP_OVER, src, NULL,
		pix->target_image, 0, 0, 0, 0, draw->x, draw->y, draw->width, draw->height);
	pixman_image_set_clip_region32(pix->target_image, NULL);
	pixman_image_unref(src);
	if (draw->stats)
		*draw->stats = (struct zc_draw_stats){ .path = ZC_DRAW_PATH_SOLID_FILL };
}

/* YUV shown 1:1 into an XRGB8888 or ARGB8888 target (YUV is opaque):
 * converted straight into the target's clip, one pass, no shadow. */
static bool pix_draw_yuv_direct(struct pix_renderer *pix, struct zc_buffer *buffer,
	const struct zc_cpu_view *view, const struct zc_draw *draw)
{
	const struct zc_format_info *info = format_info(buffer->format);
	uint32_t target = pix->target->format;
	if (!info || !info->yuv ||
	    (target != DRM_FORMAT_XRGB8888 && target != DRM_FORMAT_ARGB8888) ||
	    draw->src_width != draw->width || draw->src_height != draw->height ||
	    draw->src_x != floor(draw->src_x) || draw->src_y != floor(draw->src_y))
		return false;
	struct dmabuf_xrgb_dest dest = {
		(uint8_t *)pixman_image_get_data(pix->target_image),
		(uint32_t)pixman_image_get_stride(pix->target_image),
		draw->x - (int32_t)draw->src_x, draw->y - (int32_t)draw->src_y,
	};
	int n;
	const pixman_box32_t *boxes = pixman_region32_rectangles(
		(pixman_region32_t *)draw->clip, &n);
	for (int i = 0; i < n; i++) {
		pixman_box32_t src = { boxes[i].x1 - dest.dx, boxes[i].y1 - dest.dy,
			boxes[i].x2 - dest.dx, boxes[i].y2 - dest.dy };
		if (!dmabuf_convert_yuv(view, buffer->width, buffer->height, &src, &dest))
			return false;
	}
	return true;
}

static void pix_draw_buffer(struct zc_renderer *renderer, struct zc_buffer *buffer,
	const struct zc_draw *draw)
{
	struct pix_renderer *pix = pix_from_renderer(renderer);
	float rgba[4];
	if (buffer_get_solid_colour(buffer, rgba)) {
		pix_fill(pix, buffer, draw, rgba);
		return;
	}
	struct zc_cpu_view view;
	if (!buffer_begin_cpu_access(buffer, ZC_CPU_READ, &view))
		return;
	if (pix_draw_yuv_direct(pix, buffer, &view, draw)) {
		pix_record_draw(buffer, draw);
		goto out;
	}
	pixman_image_t *src = pix_view_wrappable(&view) ? pix_image_from_view(buffer, &view) :
		pix_shadow_update(pix, buffer, &view, draw->buffer_damage);
	if (!src)
		goto out;
	pix_set_transform(src, draw);
	bool scaled = draw->src_width != draw->width || draw->src_height != draw->height ||
		draw->src_x != floor(draw->src_x) || draw->src_y != floor(draw->src_y);
	int32_t src_x = scaled ? 0 : (int32_t)draw->src_x;
	int32_t src_y = scaled ? 0 : (int32_t)draw->src_y;
	pixman_image_set_clip_region32(pix->target_image, (pixman_region32_t *)draw->clip);
	pixman_image_composite32(buffer->opaque ? PIXMAN_OP_SRC : PIXMAN_OP_OVER, src, NULL,
		pix->target_image, src_x, src_y, 0, 0, draw->x, draw->y, draw->width, draw->height);
	pixman_image_set_clip_region32(pix->target_image, NULL);
	pixman_image_unref(src);
	pix_record_draw(buffer, draw);
out:
	buffer_end_cpu_access(buffer);
}

static bool pix_end(struct zc_renderer *renderer)
{
	struct pix_renderer *pix = pix_from_renderer(renderer);
	pixman_image_unref(pix->target_image);
	pix->target_image = NULL;
	buffer_end_cpu_access(pix->target);
	pix->target = NULL;
	renderer->stats.frames++;
	return true;
}

static void pix_destroy(struct zc_renderer *renderer)
{
	struct pix_renderer *pix = pix_from_renderer(renderer);
	format_set_finish(&pix->formats);
	free(pix);
}

static const struct zc_renderer_impl pix_renderer_impl = {
	.name = "pixman",
	.destroy = pix_destroy,
	.import_buffer = pix_import_buffer,
	.begin = pix_begin,
	.clear = pix_clear,
	.draw_buffer = pix_draw_buffer,
	.end = pix_end,
};

/* A format the CPU path reads: linear, or with the implicit modifier, which
 * buffers of devices without modifiers carry (vgem, virtio-gpu, Mesa's
 * software GBM) and which is linear there. A tiled implicit layout would
 * show scrambled, never read out of bounds. */
static bool pix_add_format(struct zc_format_set *set, uint32_t format)
{
	return format_set_add(set, format, DRM_FORMAT_MOD_LINEAR) &&
		format_set_add(set, format, DRM_FORMAT_MOD_INVALID);
}

/* Every format pixman reads, directly or (planar YUV) converted. */
static bool pix_fill_formats(struct zc_format_set *set)
{
	size_t n;
	const struct zc_format_info *table = format_table(&n);
	for (size_t i = 0; i < n; i++) {
		if ((table[i].pixman || table[i].yuv) && !pix_add_format(set, table[i].drm))
			return false;
	}
	return true;
}

struct zc_renderer *pix_renderer_create(void)
{
	struct pix_renderer *pix = calloc(1, sizeof(*pix));
	if (!pix)
		return NULL;
	pix->base.impl = &pix_renderer_impl;
	pix->base.formats = &pix->formats;
	if (!pix_fill_formats(&pix->formats)) {
		pix_destroy(&pix->base);
		return NULL;
	}
	return &pix->base;
}
