/*
 * Issue 14: every YUV format through the GL renderer's conversion shader
 * (per-plane textures) against the pixman renderer's CPU path (libyuv), in
 * process on the host's EGL (llvmpipe): same buffer, same draws, every
 * pixel within TOLERANCE levels per channel. Both follow BT.601 limited
 * range; libyuv computes in 6-bit fixed point, the shader in floats, so
 * they may round apart by a level or two, never by a wrong matrix (which
 * moves saturated colours by tens of levels). Odd sizes, padded strides,
 * a crop starting on an odd pixel, and damage-only uploads with their
 * path accounting. Skipped (77) where EGL cannot start.
 */
#include <drm_fourcc.h>
#include <stdlib.h>
#include <string.h>

#include "base/buffer.h"
#include "base/formats.h"
#include "base/log.h"
#include "renderer/dmabuf.h"
#include "renderer/renderers.h"
#include "renderer-check.h"

#define TOLERANCE 3
#define W 48
#define H 32

/* A multi-planar buffer in memory (memory_buffer_create is single-plane):
 * each plane's rows padded by 8 bytes, so strides are not the width. */
struct yuv_buffer {
	struct zc_buffer base;
	struct zc_cpu_view view;
	size_t size[3];
};

static void yuv_buffer_destroy(struct zc_buffer *buffer)
{
	struct yuv_buffer *b = (struct yuv_buffer *)buffer;
	for (int i = 0; i < 3; i++)
		free(b->view.data[i]);
	free(b);
}

static bool yuv_buffer_begin(struct zc_buffer *buffer, uint32_t access, struct zc_cpu_view *view)
{
	(void)access;
	*view = ((struct yuv_buffer *)buffer)->view;
	return true;
}

static void yuv_buffer_end(struct zc_buffer *buffer)
{
	(void)buffer;
}

static const struct zc_buffer_impl yuv_buffer_impl = {
	.name = "memory",
	.destroy = yuv_buffer_destroy,
	.begin_cpu_access = yuv_buffer_begin,
	.end_cpu_access = yuv_buffer_end,
};

static struct yuv_buffer *yuv_buffer_create(int32_t w, int32_t h, uint32_t format)
{
	const struct zc_format_info *info = format_info(format);
	struct yuv_buffer *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->view.format = format;
	b->view.n_planes = info->n_planes;
	for (int i = 0; i < info->n_planes; i++) {
		b->view.stride[i] = format_min_stride(info, i, (uint32_t)w) + 8;
		b->size[i] = (size_t)b->view.stride[i] * format_plane_height(info, i, (uint32_t)h);
		b->view.data[i] = calloc(1, b->size[i]);
	}
	buffer_init(&b->base, &yuv_buffer_impl, NULL, w, h, format);
	return b;
}

/* Where a sample lives: Y of pixel (x, y), or chroma c (0 Cb, 1 Cr) of the
 * chroma sample covering it. */
static uint8_t *luma_at(struct yuv_buffer *b, int32_t x, int32_t y)
{
	const struct zc_format_info *info = format_info(b->view.format);
	uint8_t *row = (uint8_t *)b->view.data[0] + (size_t)y * b->view.stride[0];
	if (info->n_planes > 1)
		return row + x;
	bool y_first = b->view.format == DRM_FORMAT_YUYV || b->view.format == DRM_FORMAT_YVYU;
	return row + (x / 2) * 4 + (y_first ? 0 : 1) + (x % 2) * 2;
}

static uint8_t *chroma_at(struct yuv_buffer *b, int32_t x, int32_t y, int c)
{
	uint32_t f = b->view.format;
	const struct zc_format_info *info = format_info(f);
	if (info->n_planes == 1) {
		/* Byte of Cb and Cr in a macropixel. */
		static const struct { uint32_t f; uint8_t cb, cr; } at[] = {
			{ DRM_FORMAT_YUYV, 1, 3 }, { DRM_FORMAT_YVYU, 3, 1 },
			{ DRM_FORMAT_UYVY, 0, 2 }, { DRM_FORMAT_VYUY, 2, 0 },
		};
		for (size_t i = 0; i < 4; i++) {
			if (at[i].f == f)
				return (uint8_t *)b->view.data[0] + (size_t)y * b->view.stride[0] +
					(x / 2) * 4 + (c ? at[i].cr : at[i].cb);
		}
		return NULL;
	}
	int32_t cx = x / info->hsub, cy = y / info->vsub;
	if (info->n_planes == 2) {
		bool vu = f == DRM_FORMAT_NV21 || f == DRM_FORMAT_NV61;
		return (uint8_t *)b->view.data[1] + (size_t)cy * b->view.stride[1] + cx * 2 +
			(c ^ vu);
	}
	int plane = 1 + (c ^ (f == DRM_FORMAT_YVU420));
	return (uint8_t *)b->view.data[plane] + (size_t)cy * b->view.stride[plane] + cx;
}

/* Every pixel different, chroma spanning saturated colours. */
static void yuv_fill(struct yuv_buffer *b, uint32_t seed)
{
	for (int32_t y = 0; y < b->base.height; y++) {
		for (int32_t x = 0; x < b->base.width; x++) {
			uint32_t p = (uint32_t)(x * 37 + y * 101) * 2654435761u + seed;
			*luma_at(b, x, y) = (uint8_t)(16 + (p >> 8) % 220);
			*chroma_at(b, x, y, 0) = (uint8_t)(16 + (p >> 16) % 225);
			*chroma_at(b, x, y, 1) = (uint8_t)(16 + (p >> 24) % 225);
		}
	}
}

/* Pixels of a and b further apart than TOLERANCE; the largest gap seen
 * goes to *worst. */
static int compare(struct zc_buffer *a, struct zc_buffer *b, int *worst)
{
	int bad = 0;
	for (int32_t y = 0; y < a->height; y++) {
		for (int32_t x = 0; x < a->width; x++) {
			uint32_t p = get_pixel(a, x, y), q = get_pixel(b, x, y);
			int gap = 0;
			for (int s = 0; s < 24; s += 8) {
				int d = abs((int)((p >> s) & 0xff) - (int)((q >> s) & 0xff));
				gap = d > gap ? d : gap;
			}
			*worst = gap > *worst ? gap : *worst;
			if (gap > TOLERANCE && bad++ < 3)
				fprintf(stderr, "  (%d,%d): pixman %06x gl %06x\n", x, y, p, q);
		}
	}
	return bad;
}

/* Bytes of every plane a box of buffer pixels covers. */
static uint64_t plane_bytes(uint32_t format, int32_t x1, int32_t y1, int32_t x2, int32_t y2)
{
	const struct zc_format_info *info = format_info(format);
	if (info->n_planes == 1)
		return (uint64_t)((x2 + 1) / 2 - x1 / 2) * 4 * (uint64_t)(y2 - y1);
	uint64_t n = (uint64_t)(x2 - x1) * (uint64_t)(y2 - y1);
	uint64_t cw = (uint64_t)((x2 + info->hsub - 1) / info->hsub - x1 / info->hsub);
	uint64_t ch = (uint64_t)((y2 + info->vsub - 1) / info->vsub - y1 / info->vsub);
	return n + cw * ch * 2; /* CbCr pairs, or one byte in each of two planes */
}

struct scene {
	const char *name;
	int32_t src_w, src_h;
	int32_t dst[4];
	double sbox[4];
};

static const struct scene scenes[] = {
	{ "odd size 1:1", 37, 23, { 3, 2, 37, 23 }, { 0, 0, 37, 23 } },
	{ "crop at odd pixel", 40, 30, { 1, 1, 21, 13 }, { 5, 3, 21, 13 } },
};

static void test_format(struct zc_renderer *pix, struct zc_renderer *gl, uint32_t format,
	const struct scene *sc)
{
	const struct zc_format_info *info = format_info(format);
	int before = failures, worst = 0;
	struct yuv_buffer *src = yuv_buffer_create(sc->src_w, sc->src_h, format);
	struct zc_buffer *ta = memory_buffer_create(W, H, DRM_FORMAT_XRGB8888);
	struct zc_buffer *tb = memory_buffer_create(W, H, DRM_FORMAT_XRGB8888);
	yuv_fill(src, format);
	CHECK(renderer_import_buffer(pix, &src->base) && renderer_import_buffer(gl, &src->base),
		"%s: import refused", info->name);
	pixman_region32_t damage;
	pixman_region32_init_rect(&damage, 0, 0, W, H);
	struct zc_draw_stats stats = { 0 };
	render(pix, ta, &src->base, sc->dst, sc->sbox, &damage, &damage, NULL);
	render(gl, tb, &src->base, sc->dst, sc->sbox, &damage, &damage, &stats);
	int bad = compare(ta, tb, &worst);
	CHECK(bad == 0, "%s %s: %d pixels differ by more than %d", info->name, sc->name, bad,
		TOLERANCE);
	CHECK(stats.path == ZC_DRAW_PATH_CPU_UPLOAD, "%s: path %s", info->name,
		zc_draw_path_name(stats.path));
	uint64_t want = plane_bytes(format, 0, 0, sc->src_w, sc->src_h);
	CHECK(stats.cpu_bytes == want, "%s: %llu bytes read, want %llu (planes as they are)",
		info->name, (unsigned long long)stats.cpu_bytes, (unsigned long long)want);
	pixman_region32_fini(&damage);
	buffer_drop(&src->base);
	buffer_drop(ta);
	buffer_drop(tb);
	fprintf(stderr, "%s %-6s %-18s largest difference %d\n",
		failures == before ? "ok  " : "FAIL", info->name, sc->name, worst);
}

/* A changed pixel, damaged, is all that is uploaded (its chroma samples'
 * rows included), and shows the colour pixman shows. */
static void test_damage(struct zc_renderer *pix, struct zc_renderer *gl, uint32_t format)
{
	const struct zc_format_info *info = format_info(format);
	int worst = 0;
	struct yuv_buffer *src = yuv_buffer_create(W, H, format);
	struct zc_buffer *ta = memory_buffer_create(W, H, DRM_FORMAT_XRGB8888);
	struct zc_buffer *tb = memory_buffer_create(W, H, DRM_FORMAT_XRGB8888);
	yuv_fill(src, 5);
	const int32_t dst[4] = { 0, 0, W, H };
	const double sbox[4] = { 0, 0, W, H };
	pixman_region32_t all, box;
	pixman_region32_init_rect(&all, 0, 0, W, H);
	pixman_region32_init_rect(&box, 11, 7, 3, 3);
	render(gl, tb, &src->base, dst, sbox, &all, &all, NULL);
	*luma_at(src, 12, 8) = 200;
	*chroma_at(src, 12, 8, 0) = 30;
	*chroma_at(src, 12, 8, 1) = 220;
	struct zc_draw_stats st = { 0 };
	render(pix, ta, &src->base, dst, sbox, &all, &all, NULL);
	render(gl, tb, &src->base, dst, sbox, &box, &box, &st);
	CHECK(compare(ta, tb, &worst) == 0, "%s: damaged pixel differs", info->name);
	uint64_t want = plane_bytes(format, 11, 7, 14, 10);
	CHECK(st.cpu_bytes == want, "%s: damage upload %llu bytes, want %llu", info->name,
		(unsigned long long)st.cpu_bytes, (unsigned long long)want);
	pixman_region32_fini(&all);
	pixman_region32_fini(&box);
	buffer_drop(&src->base);
	buffer_drop(ta);
	buffer_drop(tb);
}

int main(void)
{
	zc_log_init(ZC_LOG_WARN);
	struct zc_renderer *gl = gl_renderer_create(-1);
	if (!gl) {
		fprintf(stderr, "no EGL here: skipped\n");
		return 77;
	}
	struct zc_renderer *pix = pix_renderer_create();
	size_t n;
	const struct zc_format_info *table = format_table(&n);
	int formats = 0;
	for (size_t i = 0; i < n; i++) {
		if (!table[i].yuv)
			continue;
		formats++;
		for (size_t s = 0; s < sizeof(scenes) / sizeof(scenes[0]); s++)
			test_format(pix, gl, table[i].drm, &scenes[s]);
		test_damage(pix, gl, table[i].drm);
	}
	CHECK(formats == 12, "%d YUV formats in the table, want 12", formats);
	renderer_destroy(gl);
	renderer_destroy(pix);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
