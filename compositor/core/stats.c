#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "surface.h"

void stats_record_draw(struct zc_surface *surface, const struct zc_draw_stats *draw)
{
	if (draw->path >= ZC_DRAW_PATH_COUNT)
		return;
	surface->stats.frames[draw->path]++;
	surface->stats.cpu_bytes += draw->cpu_bytes;
}

static bool stats_empty(const struct zc_surface_stats *stats)
{
	for (int i = 0; i < ZC_DRAW_PATH_COUNT; i++) {
		if (stats->frames[i])
			return false;
	}
	return true;
}

static void stats_write_json(FILE *f, struct zc_surface *surface, pid_t pid)
{
	const struct zc_surface_stats *st = &surface->stats;
	fprintf(f, "{\"event\":\"surface\",\"client_pid\":%d,\"surface\":%u,\"frames\":{",
		(int)pid, wl_resource_get_id(surface->resource));
	for (int i = ZC_DRAW_PATH_NONE + 1; i < ZC_DRAW_PATH_COUNT; i++)
		fprintf(f, "%s\"%s\":%llu", i > 1 ? "," : "",
			zc_draw_path_name((enum zc_draw_path)i), (unsigned long long)st->frames[i]);
	fprintf(f, "},\"cpu_bytes\":%llu", (unsigned long long)st->cpu_bytes);
	if (st->plane)
		fprintf(f, ",\"composited\":\"%s\"", st->plane);
	fputs("}\n", f);
	fflush(f);
}

void stats_report_surface(struct zc_surface *surface)
{
	const struct zc_surface_stats *st = &surface->stats;
	if (stats_empty(st))
		return;
	pid_t pid = 0;
	wl_client_get_credentials(wl_resource_get_client(surface->resource), &pid, NULL, NULL);
	zc_info("surface %u of pid %d: %llu gpu-import, %llu cpu-mmap, %llu cpu-upload, "
		"%llu scanout, %llu solid-fill frames; "
		"%llu bytes read by the CPU%s%s", wl_resource_get_id(surface->resource), (int)pid,
		(unsigned long long)st->frames[ZC_DRAW_PATH_GPU_IMPORT],
		(unsigned long long)st->frames[ZC_DRAW_PATH_CPU_MMAP],
		(unsigned long long)st->frames[ZC_DRAW_PATH_CPU_UPLOAD],
		(unsigned long long)st->frames[ZC_DRAW_PATH_SCANOUT],
		(unsigned long long)st->frames[ZC_DRAW_PATH_SOLID_FILL],
		(unsigned long long)st->cpu_bytes, st->plane ? "; composited: " : "",
		st->plane ? st->plane : "");
	if (surface->server->stats_file)
		stats_write_json(surface->server->stats_file, surface, pid);
}

void stats_report_renderer(struct zc_server *server)
{
	const struct zc_renderer *r = server->renderer;
	if (!r || !r->stats.frames)
		return;
	const struct zc_renderer_stats *st = &r->stats;
	zc_info("renderer %s: %llu frames, %llu of them read back by the CPU (%llu bytes)",
		renderer_name(r), (unsigned long long)st->frames,
		(unsigned long long)st->readback_frames, (unsigned long long)st->readback_bytes);
	if (!server->stats_file)
		return;
	fprintf(server->stats_file, "{\"event\":\"renderer\",\"renderer\":\"%s\",\"frames\":%llu,"
		"\"readback_frames\":%llu,\"readback_bytes\":%llu}\n", renderer_name(r),
		(unsigned long long)st->frames, (unsigned long long)st->readback_frames,
		(unsigned long long)st->readback_bytes);
	fflush(server->stats_file);
}

bool stats_open(struct zc_server *server, const char *path)
{
	server->stats_file = fopen(path, "a");
	if (!server->stats_file) {
		zc_err("cannot open the statistics file %s: %s", path, strerror(errno));
		return false;
	}
	return true;
}

void stats_close(struct zc_server *server)
{
	if (server->stats_file)
		fclose(server->stats_file);
	server->stats_file = NULL;
}
