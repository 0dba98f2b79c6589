#include "renderer-check.h"

int failures;

static const float black[4] = { 0, 0, 0, 1 };

uint32_t get_pixel(struct zc_buffer *b, int32_t x, int32_t y)
{
	struct zc_cpu_view v;
	if (!buffer_begin_cpu_access(b, ZC_CPU_READ, &v))
		return 0;
	uint32_t p = ((uint32_t *)((uint8_t *)v.data[0] + (size_t)y * v.stride[0]))[x];
	buffer_end_cpu_access(b);
	return p & 0xffffff;
}

/* One frame: clear the damage, draw src at dst box from the src box. */
void render(struct zc_renderer *r, struct zc_buffer *target, struct zc_buffer *src,
	const int32_t dst[4], const double sbox[4], const pixman_region32_t *damage,
	const pixman_region32_t *buffer_damage, struct zc_draw_stats *stats)
{
	if (!renderer_begin(r, target, damage)) {
		CHECK(false, "%s: begin failed", renderer_name(r));
		return;
	}
	renderer_clear(r, damage, black);
	pixman_region32_t clip;
	pixman_region32_init(&clip);
	pixman_region32_intersect_rect(&clip, damage, dst[0], dst[1], (uint32_t)dst[2],
		(uint32_t)dst[3]);
	struct zc_draw draw = {
		.x = dst[0], .y = dst[1], .width = dst[2], .height = dst[3],
		.src_x = sbox[0], .src_y = sbox[1], .src_width = sbox[2], .src_height = sbox[3],
		.clip = &clip, .buffer_damage = buffer_damage, .stats = stats,
	};
	renderer_draw_buffer(r, src, &draw);
	pixman_region32_fini(&clip);
	CHECK(renderer_end(r), "%s: end failed", renderer_name(r));
}
