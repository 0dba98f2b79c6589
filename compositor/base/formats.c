#include "formats.h"

#include <drm_fourcc.h>
#include <stdlib.h>
#include <wayland-server-protocol.h>

#define RGB(fourcc, pix, bits, alpha) \
	{ .drm = DRM_FORMAT_##fourcc, .pixman = (pix), .n_planes = 1, \
	  .bpp = { (bits) }, .hsub = 1, .vsub = 1, .has_alpha = (alpha), .name = #fourcc }

#define YUV(fourcc, planes, b0, b1, b2, h, v) \
	{ .drm = DRM_FORMAT_##fourcc, .n_planes = (planes), .bpp = { (b0), (b1), (b2) }, \
	  .hsub = (h), .vsub = (v), .yuv = true, .name = #fourcc }

/* Packed RGB formats map one to one onto pixman's: both describe a pixel as
 * one little-endian word, DRM naming it from the top bit down. */
static const struct zc_format_info formats[] = {
	RGB(ARGB8888, PIXMAN_a8r8g8b8, 32, true),
	RGB(XRGB8888, PIXMAN_x8r8g8b8, 32, false),
	RGB(ABGR8888, PIXMAN_a8b8g8r8, 32, true),
	RGB(XBGR8888, PIXMAN_x8b8g8r8, 32, false),
	RGB(RGBA8888, PIXMAN_r8g8b8a8, 32, true),
	RGB(RGBX8888, PIXMAN_r8g8b8x8, 32, false),
	RGB(BGRA8888, PIXMAN_b8g8r8a8, 32, true),
	RGB(BGRX8888, PIXMAN_b8g8r8x8, 32, false),
	RGB(ARGB2101010, PIXMAN_a2r10g10b10, 32, true),
	RGB(XRGB2101010, PIXMAN_x2r10g10b10, 32, false),
	RGB(ABGR2101010, PIXMAN_a2b10g10r10, 32, true),
	RGB(XBGR2101010, PIXMAN_x2b10g10r10, 32, false),
	RGB(RGB888, PIXMAN_r8g8b8, 24, false),
	RGB(BGR888, PIXMAN_b8g8r8, 24, false),
	RGB(RGB565, PIXMAN_r5g6b5, 16, false),
	RGB(BGR565, PIXMAN_b5g6r5, 16, false),
	RGB(ARGB1555, PIXMAN_a1r5g5b5, 16, true),
	RGB(XRGB1555, PIXMAN_x1r5g5b5, 16, false),
	RGB(ABGR1555, PIXMAN_a1b5g5r5, 16, true),
	RGB(XBGR1555, PIXMAN_x1b5g5r5, 16, false),
	RGB(ARGB4444, PIXMAN_a4r4g4b4, 16, true),
	RGB(XRGB4444, PIXMAN_x4r4g4b4, 16, false),
	RGB(ABGR4444, PIXMAN_a4b4g4r4, 16, true),
	RGB(XBGR4444, PIXMAN_x4b4g4r4, 16, false),
	RGB(RGB332, PIXMAN_r3g3b2, 8, false),
	RGB(BGR233, PIXMAN_b2g3r3, 8, false),
	/* YUV: no pixman format; the CPU path converts (renderer/dmabuf.c).
	 * Packed 4:2:2 stores two pixels in one 32-bit macropixel, so its
	 * rows hold whole pairs (format_min_stride rounds the width up). */
	YUV(YUYV, 1, 16, 0, 0, 2, 1),
	YUV(YVYU, 1, 16, 0, 0, 2, 1),
	YUV(UYVY, 1, 16, 0, 0, 2, 1),
	YUV(VYUY, 1, 16, 0, 0, 2, 1),
	YUV(NV12, 2, 8, 16, 0, 2, 2),
	YUV(NV21, 2, 8, 16, 0, 2, 2),
	YUV(NV16, 2, 8, 16, 0, 2, 1),
	YUV(NV61, 2, 8, 16, 0, 2, 1),
	YUV(YUV420, 3, 8, 8, 8, 2, 2),
	YUV(YVU420, 3, 8, 8, 8, 2, 2),
	YUV(YUV422, 3, 8, 8, 8, 2, 1),
	YUV(YUV444, 3, 8, 8, 8, 1, 1),
};

const struct zc_format_info *format_info(uint32_t drm_format)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (formats[i].drm == drm_format)
			return &formats[i];
	}
	return NULL;
}

const struct zc_format_info *format_table(size_t *count)
{
	*count = sizeof(formats) / sizeof(formats[0]);
	return formats;
}

/* wl_shm reuses DRM fourccs except for its two original formats. */
uint32_t format_from_shm(uint32_t shm_format)
{
	switch (shm_format) {
	case WL_SHM_FORMAT_ARGB8888:
		return DRM_FORMAT_ARGB8888;
	case WL_SHM_FORMAT_XRGB8888:
		return DRM_FORMAT_XRGB8888;
	default:
		return shm_format;
	}
}

uint32_t format_to_shm(uint32_t drm_format)
{
	switch (drm_format) {
	case DRM_FORMAT_ARGB8888:
		return WL_SHM_FORMAT_ARGB8888;
	case DRM_FORMAT_XRGB8888:
		return WL_SHM_FORMAT_XRGB8888;
	default:
		return drm_format;
	}
}

uint32_t format_sample_bytes(const struct zc_format_info *info, int plane)
{
	/* A packed 4:2:2 macropixel is read as one 32-bit word. */
	if (plane == 0 && info->yuv && info->n_planes == 1)
		return 4;
	return info->bpp[plane] >= 8 ? info->bpp[plane] / 8 : 1;
}

uint64_t format_shm_layout(const struct zc_format_info *info, uint32_t stride, uint32_t height,
	uint32_t strides[3], uint64_t offsets[3])
{
	uint64_t at = 0;
	for (int i = 0; i < info->n_planes; i++) {
		uint32_t unit = format_sample_bytes(info, i);
		if (i > 0 && stride % info->hsub)
			return 0;
		strides[i] = i == 0 ? stride : stride / info->hsub * unit;
		offsets[i] = at;
		/* 32-bit strides times 32-bit heights fit; three such sums too. */
		at += (uint64_t)strides[i] * format_plane_height(info, i, height);
	}
	return at;
}

uint32_t format_plane_height(const struct zc_format_info *info, int plane, uint32_t height)
{
	if (plane == 0)
		return height;
	return (height + info->vsub - 1) / info->vsub;
}

uint32_t format_min_stride(const struct zc_format_info *info, int plane, uint32_t width)
{
	bool subsampled = plane > 0 || (info->yuv && info->n_planes == 1);
	uint64_t w = subsampled ? ((uint64_t)width + info->hsub - 1) / info->hsub : width;
	if (plane == 0 && subsampled)
		w *= info->hsub; /* packed 4:2:2: whole macropixels */
	uint64_t bytes = (w * info->bpp[plane] + 7) / 8;
	return bytes > UINT32_MAX ? 0 : (uint32_t)bytes;
}

const struct zc_format *format_set_get(const struct zc_format_set *set, uint32_t format)
{
	for (size_t i = 0; i < set->n_formats; i++) {
		if (set->formats[i].format == format)
			return &set->formats[i];
	}
	return NULL;
}

bool format_set_has(const struct zc_format_set *set, uint32_t format, uint64_t modifier)
{
	const struct zc_format *f = format_set_get(set, format);
	if (!f)
		return false;
	for (size_t i = 0; i < f->n_modifiers; i++) {
		if (f->modifiers[i] == modifier)
			return true;
	}
	return false;
}

bool format_set_add(struct zc_format_set *set, uint32_t format, uint64_t modifier)
{
	if (format_set_has(set, format, modifier))
		return true;
	struct zc_format *f = (struct zc_format *)format_set_get(set, format);
	if (!f) {
		struct zc_format *grown = realloc(set->formats,
			(set->n_formats + 1) * sizeof(*grown));
		if (!grown)
			return false;
		set->formats = grown;
		f = &set->formats[set->n_formats++];
		*f = (struct zc_format){ .format = format };
	}
	uint64_t *mods = realloc(f->modifiers, (f->n_modifiers + 1) * sizeof(*mods));
	if (!mods)
		return false;
	f->modifiers = mods;
	f->modifiers[f->n_modifiers++] = modifier;
	return true;
}

void format_set_finish(struct zc_format_set *set)
{
	for (size_t i = 0; i < set->n_formats; i++)
		free(set->formats[i].modifiers);
	free(set->formats);
	*set = (struct zc_format_set){ 0 };
}
