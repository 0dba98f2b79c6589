#include <drm_fourcc.h>
#include <stdint.h>
#include <string.h>
#include <wayland-server-protocol.h>

#include "base/formats.h"
#include "check.h"

static void test_shm_codes_round_trip(void)
{
	size_t n;
	const struct zc_format_info *table = format_table(&n);
	CHECK(n > 0);
	for (size_t i = 0; i < n; i++) {
		uint32_t shm = format_to_shm(table[i].drm);
		CHECK_EQ(format_from_shm(shm), table[i].drm);
		CHECK(format_info(table[i].drm) == &table[i]);
	}
	/* The two codes where wl_shm and DRM differ. */
	CHECK_EQ(format_to_shm(DRM_FORMAT_ARGB8888), WL_SHM_FORMAT_ARGB8888);
	CHECK_EQ(format_to_shm(DRM_FORMAT_XRGB8888), WL_SHM_FORMAT_XRGB8888);
	CHECK_EQ(format_from_shm(WL_SHM_FORMAT_ARGB8888), DRM_FORMAT_ARGB8888);
	CHECK_EQ(format_from_shm(WL_SHM_FORMAT_XRGB8888), DRM_FORMAT_XRGB8888);
	CHECK_EQ(format_from_shm(WL_SHM_FORMAT_RGB565), DRM_FORMAT_RGB565);
}

static void test_table_is_consistent(void)
{
	size_t n;
	const struct zc_format_info *table = format_table(&n);
	for (size_t i = 0; i < n; i++) {
		const struct zc_format_info *f = &table[i];
		CHECK(f->name && f->name[0]);
		CHECK(f->n_planes >= 1 && f->n_planes <= 3);
		CHECK(f->hsub >= 1 && f->vsub >= 1);
		/* Only single-plane formats can be handed to pixman. */
		CHECK(f->pixman == 0 || f->n_planes == 1);
		for (size_t j = 0; j < i; j++)
			CHECK(table[j].drm != f->drm);
	}
	CHECK(format_info(DRM_FORMAT_C8) == NULL);
	CHECK(format_info(0) == NULL);
	CHECK(format_info(DRM_FORMAT_ARGB8888)->has_alpha);
	CHECK(!format_info(DRM_FORMAT_XRGB8888)->has_alpha);
	CHECK_EQ(format_info(DRM_FORMAT_XRGB2101010)->pixman, PIXMAN_x2r10g10b10);
}

static void test_min_stride(void)
{
	CHECK_EQ(format_min_stride(format_info(DRM_FORMAT_ARGB8888), 0, 10), 40);
	CHECK_EQ(format_min_stride(format_info(DRM_FORMAT_RGB888), 0, 10), 30);
	CHECK_EQ(format_min_stride(format_info(DRM_FORMAT_RGB565), 0, 7), 14);
	CHECK_EQ(format_min_stride(format_info(DRM_FORMAT_RGB332), 0, 7), 7);
	CHECK_EQ(format_min_stride(format_info(DRM_FORMAT_ARGB8888), 0, 0), 0);
	/* Chroma planes are subsampled, rounding up. */
	const struct zc_format_info *nv12 = format_info(DRM_FORMAT_NV12);
	CHECK_EQ(format_min_stride(nv12, 0, 5), 5);
	CHECK_EQ(format_min_stride(nv12, 1, 5), 6);
	const struct zc_format_info *yuv = format_info(DRM_FORMAT_YUV420);
	CHECK_EQ(format_min_stride(yuv, 2, 5), 3);
	/* 2^32 - 1 pixels of 4 bytes do not fit a uint32_t stride. */
	CHECK_EQ(format_min_stride(format_info(DRM_FORMAT_ARGB8888), 0, UINT32_MAX), 0);
	CHECK_EQ(format_min_stride(format_info(DRM_FORMAT_ARGB8888), 0, 1u << 30), 0);
	CHECK_EQ(format_min_stride(format_info(DRM_FORMAT_ARGB8888), 0, (1u << 30) - 1),
		UINT32_MAX - 3);
}

static void test_plane_height(void)
{
	const struct zc_format_info *nv12 = format_info(DRM_FORMAT_NV12);
	CHECK_EQ(format_plane_height(nv12, 0, 5), 5);
	CHECK_EQ(format_plane_height(nv12, 1, 5), 3);
	CHECK_EQ(format_plane_height(nv12, 1, 4), 2);
	CHECK_EQ(format_plane_height(format_info(DRM_FORMAT_XRGB8888), 0, 7), 7);
}

static void test_format_set(void)
{
	struct zc_format_set set = { 0 };
	CHECK(!format_set_has(&set, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR));
	CHECK(format_set_get(&set, DRM_FORMAT_XRGB8888) == NULL);

	CHECK(format_set_add(&set, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR));
	CHECK(format_set_add(&set, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR));
	CHECK(format_set_add(&set, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_INVALID));
	CHECK(format_set_add(&set, DRM_FORMAT_ARGB8888, DRM_FORMAT_MOD_LINEAR));
	CHECK_EQ(set.n_formats, 2);

	const struct zc_format *x = format_set_get(&set, DRM_FORMAT_XRGB8888);
	CHECK(x != NULL);
	if (x)
		CHECK_EQ(x->n_modifiers, 2); /* the duplicate was not added */
	CHECK(format_set_has(&set, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR));
	CHECK(format_set_has(&set, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_INVALID));
	CHECK(!format_set_has(&set, DRM_FORMAT_ARGB8888, DRM_FORMAT_MOD_INVALID));
	CHECK(!format_set_has(&set, DRM_FORMAT_NV12, DRM_FORMAT_MOD_LINEAR));

	format_set_finish(&set);
	CHECK_EQ(set.n_formats, 0);
	CHECK(set.formats == NULL);
	format_set_finish(&set); /* finishing twice is harmless */
}

int main(void)
{
	RUN(test_shm_codes_round_trip);
	RUN(test_table_is_consistent);
	RUN(test_min_stride);
	RUN(test_plane_height);
	RUN(test_format_set);
	return check_exit_status();
}
