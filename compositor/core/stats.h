#ifndef ZC_STATS_H
#define ZC_STATS_H

/*
 * Path accounting: for every surface, how many of its frames reached the
 * output by which path (gpu-import, cpu-mmap, cpu-upload, scanout, solid-fill) and how many
 * bytes the CPU read for them. Reported in the log and, with --stats=FILE,
 * as one JSON line per surface when it goes away, so tests and users can
 * see what was zero-copy.
 */

#include <stdint.h>

#include "renderer/renderer.h"

#define ZC_DRAW_PATH_COUNT (ZC_DRAW_PATH_SOLID_FILL + 1)

struct zc_surface;
struct zc_server;

struct zc_surface_stats {
	uint64_t frames[ZC_DRAW_PATH_COUNT];
	uint64_t cpu_bytes;
	/* Why the latest plane assignment composited it (NULL: on a plane, or
	 * never planned: no KMS output). */
	const char *plane;
};

void stats_record_draw(struct zc_surface *surface, const struct zc_draw_stats *draw);
/* Logs the surface's totals and appends its JSON line. */
void stats_report_surface(struct zc_surface *surface);
/* Logs the renderer's frame costs and appends its JSON line. */
void stats_report_renderer(struct zc_server *server);
bool stats_open(struct zc_server *server, const char *path);
void stats_close(struct zc_server *server);

#endif
