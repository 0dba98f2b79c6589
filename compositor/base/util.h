#ifndef ZC_UTIL_H
#define ZC_UTIL_H

/* Small helpers every layer may use. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#define ZC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define ZC_NSEC_PER_SEC 1000000000ull

static inline uint64_t timespec_to_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * ZC_NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

static inline struct timespec timespec_from_ns(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / ZC_NSEC_PER_SEC),
		.tv_nsec = (long)(ns % ZC_NSEC_PER_SEC) };
}

/* CLOCK_MONOTONIC now, in nanoseconds. */
static inline uint64_t timespec_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return timespec_to_ns(&ts);
}

/* Saturates a 64-bit result to int32: client coordinates are added and
 * scaled in 64 bits and come back clamped, never overflowing. */
static inline int32_t zc_sat32(int64_t v)
{
	return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

static inline int64_t zc_clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Far beyond any output or buffer, yet twice it still fits in int32: layout
 * and surface coordinates from clients are clamped to +-this. */
#define ZC_COORD_LIMIT (1 << 28)

/* The rectangle (x, y, w, h), in 64 bits, clipped to [lo, hi] on both axes,
 * as x, y, width, height in int32 (what pixman's *_rect calls take).
 * False when nothing is left. */
static inline bool zc_rect_clip(int64_t x, int64_t y, int64_t w, int64_t h,
	int64_t lo, int64_t hi, int32_t out[4])
{
	int64_t x1 = zc_clamp64(x, lo, hi), x2 = zc_clamp64(x + w, lo, hi);
	int64_t y1 = zc_clamp64(y, lo, hi), y2 = zc_clamp64(y + h, lo, hi);
	if (w <= 0 || h <= 0 || x2 <= x1 || y2 <= y1)
		return false;
	out[0] = (int32_t)x1;
	out[1] = (int32_t)y1;
	out[2] = (int32_t)(x2 - x1);
	out[3] = (int32_t)(y2 - y1);
	return true;
}

#endif
