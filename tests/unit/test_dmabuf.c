/* The CPU-path helpers of renderer/dmabuf.c and the pixman renderer's
 * shadow images, on what the host has: memfds stand in for dma-bufs where
 * only the mapping matters. */
#define _GNU_SOURCE /* memfd_create */

#include <drm_fourcc.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/buffer.h"
#include "renderer/dmabuf.h"
#include "base/formats.h"
#include "renderer/renderers.h"
#include "check.h"

static int memfd_of(size_t size)
{
	int fd = memfd_create("zc-test-dmabuf", MFD_CLOEXEC);
	if (fd >= 0 && ftruncate(fd, (off_t)size) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_not_dmabufs(void)
{
	int memfd = memfd_of(4096), pipes[2], null = open("/dev/null", O_RDWR);
	CHECK(memfd >= 0 && pipe(pipes) == 0 && null >= 0);
	CHECK(!dmabuf_fd_is_dmabuf(memfd));
	CHECK(!dmabuf_fd_is_dmabuf(pipes[0]));
	CHECK(!dmabuf_fd_is_dmabuf(null));
	CHECK(!dmabuf_fd_is_dmabuf(-1));
	int closed = dup(null);
	close(closed);
	CHECK(!dmabuf_fd_is_dmabuf(closed));
	/* The sync ioctls are the dma-buf's own; elsewhere they fail cleanly. */
	CHECK(dmabuf_sync(memfd, 0) < 0);
	CHECK_EQ(dmabuf_export_ready_fence(memfd, 1), -1);
	CHECK_EQ(dmabuf_fd_size(memfd), 4096);
	close(memfd);
	close(pipes[0]);
	close(pipes[1]);
	close(null);
}

static void test_plane_extent(void)
{
	CHECK_EQ(dmabuf_plane_extent(1024, 1000, 10), 9 * 1024 + 1024);
	/* A stride below a row: the last row still needs a whole row. */
	CHECK_EQ(dmabuf_plane_extent(16, 1000, 2), 16 + 1000);
	CHECK_EQ(dmabuf_plane_extent(100, 100, 0), 0);
	uint64_t big = dmabuf_plane_extent(UINT32_MAX, UINT32_MAX, UINT32_MAX);
	CHECK(big == (uint64_t)UINT32_MAX * UINT32_MAX);
}

static void test_map_unaligned_offset(void)
{
	size_t size = 3 * 4096;
	int fd = memfd_of(size);
	uint8_t *bytes = malloc(size);
	for (size_t i = 0; i < size; i++)
		bytes[i] = (uint8_t)(i * 7);
	CHECK(pwrite(fd, bytes, size, 0) == (ssize_t)size);
	struct dmabuf_mapping map;
	CHECK(dmabuf_map(fd, 4096 + 123, 5000, &map));
	CHECK((uintptr_t)map.base % 4096 == 0 && map.data == (uint8_t *)map.base + 4096 + 123);
	CHECK(map.data[0] == bytes[4096 + 123]);
	CHECK(map.data[4999] == bytes[4096 + 123 + 4999]);
	dmabuf_unmap(&map);
	CHECK(map.base == NULL);
	CHECK(!dmabuf_map(fd, 0, 0, &map));
	free(bytes);
	close(fd);
}

static void test_yuv_values(void)
{
	CHECK_EQ(dmabuf_yuv_to_xrgb(16, 128, 128), 0xff000000u);
	CHECK_EQ(dmabuf_yuv_to_xrgb(235, 128, 128), 0xffffffffu);
	CHECK_EQ(dmabuf_yuv_to_xrgb(0, 128, 128), 0xff000000u);
	CHECK_EQ(dmabuf_yuv_to_xrgb(255, 128, 128), 0xffffffffu);
	CHECK_EQ(dmabuf_yuv_to_xrgb(81, 90, 240), 0xffff0000u);  /* red */
	CHECK_EQ(dmabuf_yuv_to_xrgb(145, 54, 34), 0xff00ff01u);  /* green, as rounded */
	CHECK_EQ(dmabuf_yuv_to_xrgb(41, 240, 110), 0xff0000ffu); /* blue */
}

/* A 4x4 NV12 image whose luma is 16 + 16 * index and chroma neutral. */
struct nv12 {
	uint8_t y[4 * 4];
	uint8_t uv[2 * 4];
};

static void nv12_init(struct nv12 *img, struct zc_cpu_view *view)
{
	for (int i = 0; i < 16; i++)
		img->y[i] = (uint8_t)(16 + 13 * i);
	memset(img->uv, 128, sizeof(img->uv));
	*view = (struct zc_cpu_view){ .format = DRM_FORMAT_NV12, .n_planes = 2,
		.data = { img->y, img->uv }, .stride = { 4, 4 } };
}

static void test_convert_region_only(void)
{
	struct nv12 img;
	struct zc_cpu_view view;
	nv12_init(&img, &view);
	uint32_t dst[16];
	for (int i = 0; i < 16; i++)
		dst[i] = 0x12345678;
	pixman_box32_t box = { 2, 1, 4, 3 };
	struct dmabuf_xrgb_dest dest = { (uint8_t *)dst, 16, 0, 0 };
	CHECK(dmabuf_convert_yuv(&view, 4, 4, &box, &dest));
	/* Exactly the box, though row 1 shares its chroma with row 0. */
	for (int y = 0; y < 4; y++) {
		for (int x = 0; x < 4; x++) {
			bool inside = y >= 1 && y < 3 && x >= 2;
			uint32_t want = inside ? dmabuf_yuv_to_xrgb(img.y[y * 4 + x], 128, 128) :
				0x12345678;
			CHECK_MSG(dst[y * 4 + x] == want, inside ? "inside" : "outside");
		}
	}
	view.n_planes = 3; /* NV12 has two */
	CHECK(!dmabuf_convert_yuv(&view, 4, 4, &box, &dest));
}

/* A buffer over caller memory, as a client dma-buf looks to the renderer. */
struct fake_buffer {
	struct zc_buffer base;
	struct zc_cpu_view view;
	int n_begin;
};

static bool fake_begin(struct zc_buffer *buffer, uint32_t access, struct zc_cpu_view *view)
{
	struct fake_buffer *fake = (struct fake_buffer *)buffer;
	fake->n_begin++;
	*view = fake->view;
	return true;
}

static void fake_end(struct zc_buffer *buffer)
{
}

static void fake_destroy(struct zc_buffer *buffer)
{
}

static const struct zc_buffer_impl fake_impl = {
	.name = "fake",
	.destroy = fake_destroy,
	.begin_cpu_access = fake_begin,
	.end_cpu_access = fake_end,
};

static uint32_t target_pixel(struct zc_buffer *target, int x, int y)
{
	struct zc_cpu_view v;
	buffer_begin_cpu_access(target, ZC_CPU_READ, &v);
	uint32_t p = ((uint32_t *)((uint8_t *)v.data[0] + (size_t)y * v.stride[0]))[x];
	buffer_end_cpu_access(target);
	return p | 0xff000000u;
}

static void draw_frame(struct zc_renderer *r, struct zc_buffer *target, struct zc_buffer *src,
	const pixman_region32_t *buffer_damage)
{
	pixman_region32_t all;
	pixman_region32_init_rect(&all, 0, 0, 4, 4);
	struct zc_draw draw = { .width = 4, .height = 4, .src_width = 4, .src_height = 4,
		.clip = &all, .buffer_damage = buffer_damage };
	CHECK(renderer_begin(r, target, &all));
	renderer_draw_buffer(r, src, &draw);
	CHECK(renderer_end(r));
	pixman_region32_fini(&all);
}

/* An XBGR8888 target: YUV goes through the shadow (the direct conversion
 * writes XRGB/ARGB only); grey pixels read the same in either order. */
static void test_pixman_nv12_shadow(void)
{
	struct zc_renderer *r = pix_renderer_create();
	struct zc_buffer *target = memory_buffer_create(4, 4, DRM_FORMAT_XBGR8888);
	struct nv12 img;
	struct fake_buffer src = { 0 };
	nv12_init(&img, &src.view);
	buffer_init(&src.base, &fake_impl, NULL, 4, 4, DRM_FORMAT_NV12);
	pixman_region32_t damage;
	pixman_region32_init(&damage);

	draw_frame(r, target, &src.base, &damage); /* first draw: all of it */
	CHECK_EQ(target_pixel(target, 3, 3), dmabuf_yuv_to_xrgb(img.y[15], 128, 128));
	/* Next frame, damage covers only (0,0): the other change is not read. */
	img.y[0] = 235;
	img.y[15] = 16;
	pixman_region32_union_rect(&damage, &damage, 0, 0, 1, 1);
	draw_frame(r, target, &src.base, &damage);
	CHECK_EQ(target_pixel(target, 0, 0), 0xffffffffu);
	CHECK_EQ(target_pixel(target, 3, 3), dmabuf_yuv_to_xrgb(16 + 13 * 15, 128, 128));
	/* Missing a frame makes the shadow untrusted: read whole again. */
	draw_frame(r, target, &src.base, &damage); /* keeps it fresh */
	pixman_region32_clear(&damage);
	struct zc_buffer *other = memory_buffer_create(4, 4, DRM_FORMAT_XRGB8888);
	draw_frame(r, target, other, &damage);
	draw_frame(r, target, &src.base, &damage);
	CHECK_EQ(target_pixel(target, 3, 3), 0xff000000u);

	pixman_region32_fini(&damage);
	buffer_drop(other);
	buffer_drop(&src.base); /* destroys the shadow addon */
	buffer_drop(target);
	renderer_destroy(r);
}

/* Into an XRGB8888 target, unscaled YUV is converted straight into the
 * target: exactly the clip, at the draw's offset, nothing around it. */
static void test_pixman_nv12_direct(void)
{
	struct zc_renderer *r = pix_renderer_create();
	struct zc_buffer *target = memory_buffer_create(8, 8, DRM_FORMAT_XRGB8888);
	struct nv12 img;
	struct fake_buffer src = { 0 };
	nv12_init(&img, &src.view);
	buffer_init(&src.base, &fake_impl, NULL, 4, 4, DRM_FORMAT_NV12);
	pixman_region32_t frame, clip;
	pixman_region32_init_rect(&frame, 0, 0, 8, 8);
	pixman_region32_init_rect(&clip, 4, 3, 2, 2); /* buffer pixels (1..2, 0..1) */
	struct zc_draw draw = { .x = 3, .y = 3, .width = 4, .height = 4, .src_width = 4,
		.src_height = 4, .clip = &clip, .buffer_damage = &frame };
	CHECK(renderer_begin(r, target, &frame));
	const float poison[4] = { 1, 0, 1, 1 };
	renderer_clear(r, &frame, poison);
	renderer_draw_buffer(r, &src.base, &draw);
	CHECK(renderer_end(r));
	for (int y = 0; y < 8; y++) {
		for (int x = 0; x < 8; x++) {
			bool inside = x >= 4 && x < 6 && y >= 3 && y < 5;
			uint32_t want = inside ? dmabuf_yuv_to_xrgb(img.y[(y - 3) * 4 + x - 3], 128,
				128) : 0xffff00ffu;
			CHECK_MSG(target_pixel(target, x, y) == want, inside ? "inside" : "outside");
		}
	}
	CHECK(!addon_find(&src.base.addons, r)); /* no shadow was made */
	pixman_region32_fini(&frame);
	pixman_region32_fini(&clip);
	buffer_drop(&src.base);
	buffer_drop(target);
	renderer_destroy(r);
}

/* RGB565 with an odd width and a 2-byte-multiple stride: pixman cannot wrap
 * it in place, so the shadow copy path shows it. */
static void test_pixman_unaligned_rgb565(void)
{
	struct zc_renderer *r = pix_renderer_create();
	struct zc_buffer *target = memory_buffer_create(4, 4, DRM_FORMAT_XRGB8888);
	uint16_t pixels[3 * 4 + 1];
	for (int i = 0; i < 13; i++)
		pixels[i] = 0xf800; /* red */
	struct fake_buffer src = { 0 };
	src.view = (struct zc_cpu_view){ .format = DRM_FORMAT_RGB565, .n_planes = 1,
		.data = { (uint8_t *)pixels + 2 }, .stride = { 6 } };
	buffer_init(&src.base, &fake_impl, NULL, 3, 4, DRM_FORMAT_RGB565);
	pixman_region32_t damage;
	pixman_region32_init(&damage);
	pixman_region32_t all;
	pixman_region32_init_rect(&all, 0, 0, 3, 4);
	struct zc_draw draw = { .width = 3, .height = 4, .src_width = 3, .src_height = 4,
		.clip = &all, .buffer_damage = &damage };
	CHECK(renderer_begin(r, target, &all));
	renderer_draw_buffer(r, &src.base, &draw);
	CHECK(renderer_end(r));
	CHECK_EQ(target_pixel(target, 2, 3), 0xffff0000u);
	pixman_region32_fini(&all);
	pixman_region32_fini(&damage);
	buffer_drop(&src.base);
	buffer_drop(target);
	renderer_destroy(r);
}

static void test_pixman_formats(void)
{
	struct zc_renderer *r = pix_renderer_create();
	const struct zc_format_set *set = renderer_get_formats(r);
	CHECK(format_set_has(set, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR));
	CHECK(format_set_has(set, DRM_FORMAT_RGB565, DRM_FORMAT_MOD_LINEAR));
	CHECK(format_set_has(set, DRM_FORMAT_NV12, DRM_FORMAT_MOD_LINEAR));
	CHECK(format_set_has(set, DRM_FORMAT_YUV420, DRM_FORMAT_MOD_LINEAR));
	CHECK(format_set_has(set, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_INVALID));
	CHECK(!format_set_has(set, DRM_FORMAT_XRGB8888, I915_FORMAT_MOD_X_TILED));
	renderer_destroy(r);
}

int main(void)
{
	RUN(test_not_dmabufs);
	RUN(test_plane_extent);
	RUN(test_map_unaligned_offset);
	RUN(test_yuv_values);
	RUN(test_convert_region_only);
	RUN(test_pixman_nv12_shadow);
	RUN(test_pixman_nv12_direct);
	RUN(test_pixman_unaligned_rgb565);
	RUN(test_pixman_formats);
	return check_exit_status();
}
