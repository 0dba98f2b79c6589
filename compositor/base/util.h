#ifndef ZC_UTIL_H
#define ZC_UTIL_H

/* Small helpers every layer may use. */

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

#endif
