/*
 * The GL renderer against the pixman renderer, in process, on the host's
 * EGL (Mesa's surfaceless platform, llvmpipe): the same draws into memory
 * targets must give the same pixels; uploads and read-backs must touch only
 * the damage; path accounting must say what happened. Skipped (77) where
 * EGL cannot start at all.
 */
#include <drm_fourcc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buffer.h"
#include "base/log.h"
#include "base/formats.h"
#include "renderer/renderers.h"
#include "renderer-check.h"

#define W 64
#define H 48

static const float black[4] = { 0, 0, 0, 1 };

/* A deterministic pattern: every pixel differs from its neighbours. */
static void fill(struct zc_buffer *b, uint32_t seed, bool alpha)
{
	struct zc_cpu_view v;
	if (!buffer_begin_cpu_access(b, ZC_CPU_WRITE, &v))
		return;
	const struct zc_format_info *info = format_info(b->format);
	for (int32_t y = 0; y < b->height; y++) {
		uint8_t *row = (uint8_t *)v.data[0] + (size_t)y * v.stride[0];
		for (int32_t x = 0; x < b->width; x++) {
			uint32_t p = (uint32_t)(x * 37 + y * 101) * 2654435761u + seed;
			if (info->bpp[0] == 16) {
				((uint16_t *)row)[x] = (uint16_t)p;
				continue;
			}
			uint32_t a = alpha ? (p >> 24) : 0xff;
			/* Premultiplied: no channel above alpha. */
			uint32_t r = ((p >> 16) & 0xff) * a / 255, g = ((p >> 8) & 0xff) * a / 255;
			uint32_t bl = (p & 0xff) * a / 255;
			((uint32_t *)row)[x] = a << 24 | r << 16 | g << 8 | bl;
		}
	}
	buffer_end_cpu_access(b);
}

static void set_pixel(struct zc_buffer *b, int32_t x, int32_t y, uint32_t value)
{
	struct zc_cpu_view v;
	if (!buffer_begin_cpu_access(b, ZC_CPU_WRITE, &v))
		return;
	((uint32_t *)((uint8_t *)v.data[0] + (size_t)y * v.stride[0]))[x] = value;
	buffer_end_cpu_access(b);
}

static bool on_edge(const int32_t box[4], int32_t x, int32_t y)
{
	bool in_x = x >= box[0] && x < box[0] + box[2];
	bool in_y = y >= box[1] && y < box[1] + box[3];
	return in_x && in_y && (x == box[0] || y == box[1] || x == box[0] + box[2] - 1 ||
		y == box[1] + box[3] - 1);
}

/* Pixels differing by more than tolerance in any channel, not counting
 * the edge of `skip_edge` (when not NULL). */
static int compare(struct zc_buffer *a, struct zc_buffer *b, int tolerance,
	const int32_t *skip_edge)
{
	int bad = 0;
	for (int32_t y = 0; y < a->height; y++) {
		for (int32_t x = 0; x < a->width; x++) {
			if (skip_edge && on_edge(skip_edge, x, y))
				continue;
			uint32_t p = get_pixel(a, x, y), q = get_pixel(b, x, y);
			for (int s = 0; s < 24; s += 8) {
				int d = (int)((p >> s) & 0xff) - (int)((q >> s) & 0xff);
				if (d > tolerance || d < -tolerance) {
					if (bad++ < 3)
						fprintf(stderr, "  (%d,%d): pixman %06x gl %06x\n", x, y,
							p, q);
					break;
				}
			}
		}
	}
	return bad;
}

struct scenario {
	const char *name;
	uint32_t format;
	int32_t src_w, src_h;
	int32_t dst[4];
	double sbox[4];
	int tolerance; /* 0: pixel-exact */
	/* Filtered: pixman samples transparent black beyond the buffer's
	 * edge (repeat none), GL the edge texel (clamp): edges differ. */
	bool filtered;
};

static const struct scenario scenarios[] = {
	{ "xrgb8888 1:1", DRM_FORMAT_XRGB8888, 40, 30, { 5, 7, 40, 30 }, { 0, 0, 40, 30 }, 0, false },
	{ "xbgr8888 1:1", DRM_FORMAT_XBGR8888, 40, 30, { 0, 0, 40, 30 }, { 0, 0, 40, 30 }, 0, false },
	{ "argb8888 over", DRM_FORMAT_ARGB8888, 40, 30, { 3, 2, 40, 30 }, { 0, 0, 40, 30 }, 1, false },
	{ "rgb565 1:1", DRM_FORMAT_RGB565, 40, 30, { 1, 1, 40, 30 }, { 0, 0, 40, 30 }, 0, false },
	{ "argb4444 converted", DRM_FORMAT_ARGB4444, 40, 30, { 1, 1, 40, 30 },
	  { 0, 0, 40, 30 }, 1, false },
	{ "crop", DRM_FORMAT_XRGB8888, 40, 30, { 10, 10, 20, 10 }, { 7, 5, 20, 10 }, 0, false },
	{ "2x filtered", DRM_FORMAT_XRGB8888, 20, 15, { 2, 3, 40, 30 }, { 0, 0, 20, 15 }, 1,
	  true },
	{ "0.75x filtered", DRM_FORMAT_XRGB8888, 40, 32, { 2, 3, 30, 24 }, { 0, 0, 40, 32 }, 4,
	  true }, /* pixman weighs in 1/128, llvmpipe in 1/256 */
};

static void test_scenario(struct zc_renderer *pix, struct zc_renderer *gl,
	const struct scenario *s)
{
	int before = failures;
	struct zc_buffer *src = memory_buffer_create(s->src_w, s->src_h, s->format);
	struct zc_buffer *ta = memory_buffer_create(W, H, DRM_FORMAT_XRGB8888);
	struct zc_buffer *tb = memory_buffer_create(W, H, DRM_FORMAT_XRGB8888);
	fill(src, 7, !src->opaque);
	CHECK(renderer_import_buffer(pix, src) && renderer_import_buffer(gl, src),
		"%s: import refused", s->name);
	pixman_region32_t damage;
	pixman_region32_init_rect(&damage, 0, 0, W, H);
	struct zc_draw_stats stats = { 0 };
	render(pix, ta, src, s->dst, s->sbox, &damage, &damage, NULL);
	render(gl, tb, src, s->dst, s->sbox, &damage, &damage, &stats);
	int bad = compare(ta, tb, s->tolerance, s->filtered ? s->dst : NULL);
	CHECK(bad == 0, "%s: %d pixels differ (tolerance %d)", s->name, bad, s->tolerance);
	CHECK(stats.path == ZC_DRAW_PATH_CPU_UPLOAD, "%s: path %s", s->name,
		zc_draw_path_name(stats.path));
	pixman_region32_fini(&damage);
	buffer_drop(src);
	buffer_drop(ta);
	buffer_drop(tb);
	fprintf(stderr, "%s %s\n", failures == before ? "ok  " : "FAIL", s->name);
}

/* A changed 4x2 box, damaged in the next frame, is all that is uploaded;
 * after a frame without the buffer, everything is (it may have changed). */
static void test_damage_upload(struct zc_renderer *gl)
{
	struct zc_buffer *src = memory_buffer_create(W, H, DRM_FORMAT_XRGB8888);
	struct zc_buffer *target = memory_buffer_create(W, H, DRM_FORMAT_XRGB8888);
	struct zc_buffer *other = memory_buffer_create(W, H, DRM_FORMAT_XRGB8888);
	fill(src, 1, false);
	renderer_import_buffer(gl, src);
	const int32_t dst[4] = { 0, 0, W, H };
	const double sbox[4] = { 0, 0, W, H };
	pixman_region32_t all, box;
	pixman_region32_init_rect(&all, 0, 0, W, H);
	pixman_region32_init_rect(&box, 10, 20, 4, 2);
	struct zc_draw_stats st = { 0 };
	render(gl, target, src, dst, sbox, &all, &all, &st);
	CHECK(st.cpu_bytes == (uint64_t)W * H * 4, "first upload: %llu bytes",
		(unsigned long long)st.cpu_bytes);
	set_pixel(src, 11, 21, 0x00123456);
	st = (struct zc_draw_stats){ 0 };
	render(gl, target, src, dst, sbox, &box, &box, &st);
	CHECK(st.cpu_bytes == 4 * 2 * 4, "damage upload: %llu bytes, want 32",
		(unsigned long long)st.cpu_bytes);
	CHECK(get_pixel(target, 11, 21) == 0x123456, "changed pixel shows %06x",
		get_pixel(target, 11, 21));
	/* A frame into another target without src, then src again. */
	renderer_begin(gl, other, &all);
	renderer_clear(gl, &all, black);
	renderer_end(gl);
	st = (struct zc_draw_stats){ 0 };
	render(gl, target, src, dst, sbox, &box, &box, &st);
	CHECK(st.cpu_bytes == (uint64_t)W * H * 4, "stale buffer: %llu bytes, want all",
		(unsigned long long)st.cpu_bytes);
	pixman_region32_fini(&all);
	pixman_region32_fini(&box);
	buffer_drop(src);
	buffer_drop(target);
	buffer_drop(other);
	fprintf(stderr, "ok   damage upload\n");
}

/* Rows outside the frame's damage are not written back. */
static void test_damage_readback(struct zc_renderer *gl)
{
	struct zc_buffer *src = memory_buffer_create(W, H, DRM_FORMAT_XRGB8888);
	struct zc_buffer *target = memory_buffer_create(W, H, DRM_FORMAT_XRGB8888);
	fill(src, 3, false);
	renderer_import_buffer(gl, src);
	const int32_t dst[4] = { 0, 0, W, H };
	const double sbox[4] = { 0, 0, W, H };
	pixman_region32_t all, band;
	pixman_region32_init_rect(&all, 0, 0, W, H);
	pixman_region32_init_rect(&band, 8, 10, 5, 3);
	render(gl, target, src, dst, sbox, &all, &all, NULL);
	set_pixel(target, 1, 9, 0x00abcdef);  /* above the band */
	set_pixel(target, 1, 13, 0x00abcdef); /* below it */
	set_pixel(target, 1, 11, 0x00abcdef); /* in its rows: read back */
	render(gl, target, src, dst, sbox, &band, &band, NULL);
	CHECK(get_pixel(target, 1, 9) == 0xabcdef && get_pixel(target, 1, 13) == 0xabcdef,
		"rows outside the damage were written");
	CHECK(get_pixel(target, 1, 11) != 0xabcdef, "damaged rows were not read back");
	pixman_region32_fini(&all);
	pixman_region32_fini(&band);
	buffer_drop(src);
	buffer_drop(target);
	fprintf(stderr, "ok   damage read-back\n");
}

static void test_formats(struct zc_renderer *gl)
{
	const struct zc_format_set *set = renderer_get_formats(gl);
	CHECK(format_set_has(set, DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR),
		"XRGB8888 linear not advertised");
	CHECK(format_set_has(set, DRM_FORMAT_NV12, DRM_FORMAT_MOD_LINEAR),
		"NV12 linear (CPU path) not advertised");
	fprintf(stderr, "ok   formats (%zu)\n", set->n_formats);
}

int main(void)
{
	zc_log_init(ZC_LOG_INFO);
	struct zc_renderer *gl = gl_renderer_create(-1);
	if (!gl) {
		fprintf(stderr, "no EGL here: skipped\n");
		return 77;
	}
	struct zc_renderer *pix = pix_renderer_create();
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		test_scenario(pix, gl, &scenarios[i]);
	test_damage_upload(gl);
	test_damage_readback(gl);
	test_formats(gl);
	/* A buffer that outlives the renderer loses its addon cleanly. */
	struct zc_buffer *survivor = memory_buffer_create(8, 8, DRM_FORMAT_ARGB8888);
	renderer_import_buffer(gl, survivor);
	renderer_destroy(gl);
	renderer_destroy(pix);
	CHECK(wl_list_empty(&survivor->addons.addons), "addon left after destroy");
	buffer_drop(survivor);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
