/* What the in-process renderer tests (gl-renderer, gl-yuv) share: a check
 * that counts failures, one frame of one draw, and reading a target pixel. */
#ifndef ZC_RENDERER_CHECK_H
#define ZC_RENDERER_CHECK_H

#include <stdio.h>

#include "base/buffer.h"
#include "renderer/renderers.h"

extern int failures;

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			failures++; \
		} \
	} while (0)

/* One frame: clear the damage black, draw src at dst box from the src box. */
void render(struct zc_renderer *r, struct zc_buffer *target, struct zc_buffer *src,
	const int32_t dst[4], const double sbox[4], const pixman_region32_t *damage,
	const pixman_region32_t *buffer_damage, struct zc_draw_stats *stats);
/* A target pixel, 0xRRGGBB. */
uint32_t get_pixel(struct zc_buffer *b, int32_t x, int32_t y);

#endif
