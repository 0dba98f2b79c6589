#ifndef ZC_LOG_H
#define ZC_LOG_H

#include <stdarg.h>

enum zc_log_level {
	ZC_LOG_ERROR = 0,
	ZC_LOG_WARN,
	ZC_LOG_INFO,
	ZC_LOG_DEBUG,
};

void zc_log_init(enum zc_log_level level);
enum zc_log_level zc_log_get_level(void);
/* Parses "error|warn|info|debug"; returns -1 on anything else. */
int zc_log_level_parse(const char *name);

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void zc_log(enum zc_log_level level, const char *fmt, ...);

#define zc_err(...) zc_log(ZC_LOG_ERROR, __VA_ARGS__)
#define zc_warn(...) zc_log(ZC_LOG_WARN, __VA_ARGS__)
#define zc_info(...) zc_log(ZC_LOG_INFO, __VA_ARGS__)
#define zc_debug(...) zc_log(ZC_LOG_DEBUG, __VA_ARGS__)

#endif
