#ifndef ZC_FORMATS_H
#define ZC_FORMATS_H

/*
 * What zcomp knows about pixel formats, keyed by DRM fourcc. wl_shm codes
 * are translated at the protocol edge (format_from_shm) and never travel
 * further: inside zcomp every format is a DRM fourcc.
 */

#include <pixman.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct zc_format_info {
	uint32_t drm;               /* DRM fourcc */
	pixman_format_code_t pixman; /* 0 when pixman cannot read it directly */
	uint8_t n_planes;
	uint8_t bpp[3];             /* bits per pixel, per plane */
	uint8_t hsub, vsub;         /* chroma subsampling of planes 1.. */
	bool has_alpha;
	bool yuv;                   /* Y'CbCr: converted to RGB to be shown */
	const char *name;
};

const struct zc_format_info *format_info(uint32_t drm_format);
/* The whole table, for iteration (tests, advertising). */
const struct zc_format_info *format_table(size_t *count);

uint32_t format_from_shm(uint32_t shm_format);
uint32_t format_to_shm(uint32_t drm_format);

/* Bytes a plane's row of `width` pixels needs, or 0 on overflow. */
uint32_t format_min_stride(const struct zc_format_info *info, int plane, uint32_t width);
/* The unit a plane's samples are read in (2 for NV12's CbCr pairs, 4 for a
 * YUYV macropixel): offsets and strides of that plane must be multiples of
 * it, or samples would straddle their neighbours. */
uint32_t format_sample_bytes(const struct zc_format_info *info, int plane);
/* wl_shm carries one offset and stride; multi-planar YUV follows the
 * convention GStreamer's waylandsink and weston share: planes back to back
 * from the offset, each as tall as its subsampled height, chroma strides
 * the luma stride scaled by subsampling and sample size (I420: stride / 2,
 * NV12: stride). Fills each plane's stride and offset from the buffer's
 * start and returns the bytes all planes span, or 0 when the stride does
 * not divide by the subsampling. */
uint64_t format_shm_layout(const struct zc_format_info *info, uint32_t stride, uint32_t height,
	uint32_t strides[3], uint64_t offsets[3]);
/* Rows of plane `plane` for an image `height` rows tall. */
uint32_t format_plane_height(const struct zc_format_info *info, int plane, uint32_t height);

/* A set of formats, each with the modifiers accepted for it. */
struct zc_format {
	uint32_t format;
	size_t n_modifiers;
	uint64_t *modifiers;
};

struct zc_format_set {
	size_t n_formats;
	struct zc_format *formats;
};

void format_set_finish(struct zc_format_set *set);
bool format_set_add(struct zc_format_set *set, uint32_t format, uint64_t modifier);
bool format_set_has(const struct zc_format_set *set, uint32_t format, uint64_t modifier);
const struct zc_format *format_set_get(const struct zc_format_set *set, uint32_t format);

#endif
