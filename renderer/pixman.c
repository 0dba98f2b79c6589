/*
 * The pixman renderer: composition on the CPU. Client buffers are read in
 * place through their CPU view (shm pool mapping, mmapped dma-buf), never
 * copied first; the only pixels written are the damaged ones of the target.
 */
#include <math.h>
#include <stdlib.h>

#include "formats.h"
#include "renderer.h"

struct pix_renderer {
	struct zc_renderer base;
	struct zc_buffer *target;
	pixman_image_t *target_image;
	struct zc_format_set formats;
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

static bool pix_import_buffer(struct zc_renderer *renderer, struct zc_buffer *buffer)
{
	const struct zc_format_info *info = format_info(buffer->format);
	return info && info->pixman;
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
	return true;
}

static void pix_clear(struct zc_renderer *renderer, const pixman_region32_t *region,
	const float rgba[4])
{
	struct pix_renderer *pix = pix_from_renderer(renderer);
	pixman_color_t color = {
		.red = (uint16_t)(rgba[0] * 0xffff),
		.green = (uint16_t)(rgba[1] * 0xffff),
		.blue = (uint16_t)(rgba[2] * 0xffff),
		.alpha = (uint16_t)(rgba[3] * 0xffff),
	};
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
	/* Integral scale factors stay sharp; others are filtered. */
	bool sharp = sx == floor(sx) && 1.0 / sx == floor(1.0 / sx) && sy == floor(sy) &&
		1.0 / sy == floor(1.0 / sy);
	pixman_image_set_filter(image, sharp ? PIXMAN_FILTER_NEAREST : PIXMAN_FILTER_BILINEAR,
		NULL, 0);
}

static void pix_draw_buffer(struct zc_renderer *renderer, struct zc_buffer *buffer,
	const struct zc_draw *draw)
{
	struct pix_renderer *pix = pix_from_renderer(renderer);
	struct zc_cpu_view view;
	if (!buffer_begin_cpu_access(buffer, ZC_CPU_READ, &view))
		return;
	pixman_image_t *src = pix_image_from_view(buffer, &view);
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
	return true;
}

static const struct zc_format_set *pix_get_formats(struct zc_renderer *renderer)
{
	return &pix_from_renderer(renderer)->formats;
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
	.get_formats = pix_get_formats,
};

/* Linear layouts of every format pixman reads directly. */
static bool pix_fill_formats(struct zc_format_set *set)
{
	size_t n;
	const struct zc_format_info *table = format_table(&n);
	for (size_t i = 0; i < n; i++) {
		if (table[i].pixman && !format_set_add(set, table[i].drm, 0 /* LINEAR */))
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
	if (!pix_fill_formats(&pix->formats)) {
		pix_destroy(&pix->base);
		return NULL;
	}
	return &pix->base;
}
