#include "log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static enum zc_log_level log_level = ZC_LOG_INFO;

static const char *const level_names[] = {
	[ZC_LOG_ERROR] = "error",
	[ZC_LOG_WARN] = "warn",
	[ZC_LOG_INFO] = "info",
	[ZC_LOG_DEBUG] = "debug",
};

void zc_log_init(enum zc_log_level level)
{
	log_level = level;
}

enum zc_log_level zc_log_get_level(void)
{
	return log_level;
}

int zc_log_level_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(name, level_names[i]) == 0)
			return (int)i;
	}
	return -1;
}

void zc_log(enum zc_log_level level, const char *fmt, ...)
{
	if (level > log_level)
		return;

	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* One fprintf per line so lines from zcomp and its clients don't interleave mid-line. */
	char line[1024];
	va_list args;
	va_start(args, fmt);
	vsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	fprintf(stderr, "[%5lld.%03ld] zcomp %s: %s\n", (long long)ts.tv_sec,
		ts.tv_nsec / 1000000, level_names[level], line);
}
