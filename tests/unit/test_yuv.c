/* Issue 14: every YUV format of the table converted by the CPU path
 * (dmabuf_convert_yuv, libyuv) to the colours of the reference matrix
 * (dmabuf_yuv_to_xrgb, BT.601 limited range), at odd sizes, from planes
 * allocated to exactly the bytes the format's layout says they span, so
 * ASan catches any read past a plane. */
#include <drm_fourcc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/formats.h"
#include "check.h"
#include "renderer/dmabuf.h"

/* BT.601 limited-range bars: red, green, blue, white, and a mid grey. */
static const uint8_t bars[][3] = {
	{ 81, 90, 240 }, { 145, 54, 34 }, { 41, 240, 110 }, { 235, 128, 128 }, { 126, 128, 128 },
};
#define N_BARS (sizeof(bars) / sizeof(bars[0]))

struct yuv_image {
	const struct zc_format_info *info;
	int32_t width, height;
	uint8_t *plane[3];
	struct zc_cpu_view view;
};

/* The bar of pixel (x, y): vertical bars as wide as a chroma block, so every
 * chroma sample covers one colour. */
static const uint8_t *bar_at(const struct zc_format_info *info, int32_t x, int32_t y)
{
	(void)y;
	return bars[(size_t)(x / info->hsub) % N_BARS];
}

/* Byte offsets of Y, U and V of a pixel within a packed macropixel. */
static void packed_positions(uint32_t f, int *y, int *u, int *v)
{
	switch (f) {
	case DRM_FORMAT_YUYV: *y = 0; *u = 1; *v = 3; break;
	case DRM_FORMAT_YVYU: *y = 0; *u = 3; *v = 1; break;
	case DRM_FORMAT_UYVY: *y = 1; *u = 0; *v = 2; break;
	default:              *y = 1; *u = 2; *v = 0; break; /* VYUY */
	}
}

static void put_packed(struct yuv_image *img, int32_t x, int32_t y, const uint8_t *c)
{
	int py, pu, pv;
	packed_positions(img->info->drm, &py, &pu, &pv);
	uint8_t *m = img->plane[0] + (size_t)y * img->view.stride[0] + (size_t)(x / 2) * 4;
	m[py + (x % 2) * 2] = c[0];
	m[pu] = c[1];
	m[pv] = c[2];
}

static void put_pixel(struct yuv_image *img, int32_t x, int32_t y, const uint8_t *c)
{
	const struct zc_format_info *info = img->info;
	if (info->n_planes == 1) {
		put_packed(img, x, y, c);
		return;
	}
	img->plane[0][(size_t)y * img->view.stride[0] + (size_t)x] = c[0];
	size_t row = (size_t)(y / info->vsub), col = (size_t)(x / info->hsub);
	bool vu = info->drm == DRM_FORMAT_NV21 || info->drm == DRM_FORMAT_NV61 ||
		info->drm == DRM_FORMAT_YVU420;
	if (info->n_planes == 2) {
		uint8_t *uv = img->plane[1] + row * img->view.stride[1] + col * 2;
		uv[vu ? 1 : 0] = c[1];
		uv[vu ? 0 : 1] = c[2];
		return;
	}
	img->plane[vu ? 2 : 1][row * img->view.stride[vu ? 2 : 1] + col] = c[1];
	img->plane[vu ? 1 : 2][row * img->view.stride[vu ? 1 : 2] + col] = c[2];
}

/* Each plane its own allocation of exactly its extent; `pad` bytes of
 * stride beyond the row. */
static bool image_init(struct yuv_image *img, uint32_t format, int32_t w, int32_t h,
	uint32_t pad)
{
	*img = (struct yuv_image){ .info = format_info(format), .width = w, .height = h };
	if (!img->info)
		return false;
	img->view = (struct zc_cpu_view){ .format = format, .n_planes = img->info->n_planes };
	for (int i = 0; i < img->info->n_planes; i++) {
		uint32_t min = format_min_stride(img->info, i, (uint32_t)w);
		uint32_t stride = min + pad * format_sample_bytes(img->info, i);
		uint64_t extent = dmabuf_plane_extent(stride, min,
			format_plane_height(img->info, i, (uint32_t)h));
		img->plane[i] = malloc((size_t)extent);
		if (!img->plane[i])
			return false;
		memset(img->plane[i], 0x5a, (size_t)extent);
		img->view.data[i] = img->plane[i];
		img->view.stride[i] = stride;
	}
	for (int32_t y = 0; y < h; y++)
		for (int32_t x = 0; x < w; x++)
			put_pixel(img, x, y, bar_at(img->info, x, y));
	return true;
}

static void image_finish(struct yuv_image *img)
{
	for (int i = 0; i < 3; i++)
		free(img->plane[i]);
}

static bool close_to(uint32_t got, uint32_t want, int tolerance)
{
	for (int s = 0; s < 24; s += 8) {
		int d = (int)((got >> s) & 0xff) - (int)((want >> s) & 0xff);
		if (d > tolerance || d < -tolerance)
			return false;
	}
	return (got >> 24) == 0xff;
}

/* Converts the box [x1, x2) x [y1, y2) and checks it against the reference
 * matrix within 3 levels (libyuv's fixed point against ours); pixels
 * outside keep their poison. */
static void check_box(uint32_t format, int32_t w, int32_t h, const pixman_box32_t *box)
{
	struct yuv_image img;
	CHECK_MSG(image_init(&img, format, w, h, 3), format_info(format)->name);
	uint32_t *dst = malloc((size_t)w * (size_t)h * 4);
	for (int32_t i = 0; i < w * h; i++)
		dst[i] = 0x12345678;
	struct dmabuf_xrgb_dest dest = { (uint8_t *)dst, (uint32_t)w * 4, 0, 0 };
	CHECK_MSG(dmabuf_convert_yuv(&img.view, w, h, box, &dest), img.info->name);
	int bad = 0;
	for (int32_t y = 0; y < h; y++) {
		for (int32_t x = 0; x < w; x++) {
			const uint8_t *c = bar_at(img.info, x, y);
			uint32_t got = dst[y * w + x];
			bool inside = y >= box->y1 && y < box->y2 && x >= box->x1 && x < box->x2;
			bad += inside ? !close_to(got, dmabuf_yuv_to_xrgb(c[0], c[1], c[2]), 3) :
				got != 0x12345678;
		}
	}
	CHECK_MSG(bad == 0, img.info->name);
	free(dst);
	image_finish(&img);
}

static void test_every_format_colours(void)
{
	size_t n;
	const struct zc_format_info *table = format_table(&n);
	int seen = 0;
	for (size_t i = 0; i < n; i++) {
		if (!table[i].yuv)
			continue;
		seen++;
		check_box(table[i].drm, 16, 8, &(pixman_box32_t){ 0, 0, 16, 8 }); /* even */
		/* odd width and height */
		check_box(table[i].drm, 7, 5, &(pixman_box32_t){ 0, 0, 7, 5 });
		check_box(table[i].drm, 1, 1, &(pixman_box32_t){ 0, 0, 1, 1 }); /* one pixel */
		/* damaged rows only, from an odd row */
		check_box(table[i].drm, 33, 9, &(pixman_box32_t){ 0, 3, 33, 8 });
		/* a box inside, odd edges (mid chroma sample), written exactly */
		check_box(table[i].drm, 33, 9, &(pixman_box32_t){ 5, 3, 20, 8 });
		check_box(table[i].drm, 33, 9, &(pixman_box32_t){ 31, 1, 32, 2 });
	}
	CHECK_EQ(seen, 12);
}

static void test_box_outside_is_harmless(void)
{
	struct yuv_image img;
	CHECK(image_init(&img, DRM_FORMAT_NV12, 5, 3, 0));
	uint32_t dst[15];
	pixman_box32_t beyond = { -10, 3, 40, 90 }, negative = { -4, -9, -1, -2 };
	struct dmabuf_xrgb_dest dest = { (uint8_t *)dst, 20, 0, 0 };
	CHECK(dmabuf_convert_yuv(&img.view, 5, 3, &beyond, &dest));
	CHECK(dmabuf_convert_yuv(&img.view, 5, 3, &negative, &dest));
	/* A view whose planes do not match its format is refused. */
	img.view.n_planes = 1;
	pixman_box32_t all = { 0, 0, 5, 3 };
	CHECK(!dmabuf_convert_yuv(&img.view, 5, 3, &all, &dest));
	img.view.format = DRM_FORMAT_XRGB8888;
	CHECK(!dmabuf_convert_yuv(&img.view, 5, 3, &all, &dest));
	image_finish(&img);
}

static void test_layout_arithmetic(void)
{
	const struct zc_format_info *yuyv = format_info(DRM_FORMAT_YUYV);
	CHECK_EQ(format_min_stride(yuyv, 0, 7), 16); /* 4 macropixels */
	CHECK_EQ(format_min_stride(yuyv, 0, 8), 16);
	CHECK_EQ(format_plane_height(yuyv, 0, 5), 5);
	CHECK_EQ(format_sample_bytes(yuyv, 0), 4);
	const struct zc_format_info *nv16 = format_info(DRM_FORMAT_NV16);
	CHECK_EQ(format_plane_height(nv16, 1, 5), 5);
	CHECK_EQ(format_min_stride(nv16, 1, 5), 6);
	CHECK_EQ(format_sample_bytes(nv16, 1), 2);
	const struct zc_format_info *yuv444 = format_info(DRM_FORMAT_YUV444);
	CHECK_EQ(format_min_stride(yuv444, 2, 5), 5);
	CHECK_EQ(format_plane_height(yuv444, 2, 5), 5);
	const struct zc_format_info *yv12 = format_info(DRM_FORMAT_YVU420);
	CHECK_EQ(format_min_stride(yv12, 1, 5), 3);
	CHECK_EQ(format_plane_height(yv12, 2, 5), 3);
	CHECK_EQ(format_min_stride(yuyv, 0, UINT32_MAX), 0);
	CHECK(format_info(DRM_FORMAT_P010) == NULL);
}

int main(void)
{
	RUN(test_every_format_colours);
	RUN(test_box_outside_is_harmless);
	RUN(test_layout_arithmetic);
	return check_exit_status();
}
