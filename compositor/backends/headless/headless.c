/*
 * The headless backend: virtual outputs whose "scanout" is a buffer in
 * memory and whose vblank is a timer on a fixed grid at the mode's refresh
 * rate. Frames are shown on the first grid point after their commit, so
 * timing behaves like a display, and nothing runs while nothing changes.
 */
#include <drm_fourcc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "backends/backends.h"
#include "base/buffer.h"
#include "core/output.h"

#define HEADLESS_BUFFERS 2

struct headless_output {
	struct zc_output *output;
	struct zc_buffer *buffers[HEADLESS_BUFFERS];
	uint64_t rendered_at[HEADLESS_BUFFERS]; /* frame count when last rendered */
	uint64_t frames_rendered;
	int timer_fd;
	struct wl_event_source *timer;
	struct timespec epoch;  /* grid origin */
	struct timespec target; /* the vblank the pending frame waits for */
};

struct headless_backend {
	struct zc_backend base;
};

static uint64_t ts_to_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

static struct timespec ns_to_ts(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000ull),
		.tv_nsec = (long)(ns % 1000000000ull) };
}

static struct zc_buffer *headless_acquire_buffer(struct zc_output *output, int *age)
{
	struct headless_output *ho = output->backend_data;
	for (int i = 0; i < HEADLESS_BUFFERS; i++) {
		struct zc_buffer *buf = ho->buffers[i];
		if (buf == output->front || buf == output->in_flight)
			continue;
		*age = ho->rendered_at[i] ? (int)(ho->frames_rendered - ho->rendered_at[i] + 1) : 0;
		return buf;
	}
	return NULL;
}

static int buffer_index(struct headless_output *ho, struct zc_buffer *buffer)
{
	for (int i = 0; i < HEADLESS_BUFFERS; i++) {
		if (ho->buffers[i] == buffer)
			return i;
	}
	return -1;
}

/* The next grid point strictly after now. */
static struct timespec next_vblank(struct headless_output *ho)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	uint64_t period = output_refresh_nsec(ho->output);
	uint64_t since = ts_to_ns(&now) - ts_to_ns(&ho->epoch);
	return ns_to_ts(ts_to_ns(&ho->epoch) + (since / period + 1) * period);
}

static bool headless_commit(struct zc_output *output, struct zc_buffer *buffer)
{
	struct headless_output *ho = output->backend_data;
	if (buffer) {
		int i = buffer_index(ho, buffer);
		if (i < 0)
			return false;
		ho->rendered_at[i] = ++ho->frames_rendered;
	}
	ho->target = next_vblank(ho);
	struct itimerspec its = { .it_value = ho->target };
	if (timerfd_settime(ho->timer_fd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		zc_err("headless: timerfd_settime: %s", strerror(errno));
		return false;
	}
	return true;
}

static int handle_headless_vblank(int fd, uint32_t mask, void *data)
{
	struct headless_output *ho = data;
	uint64_t expirations;
	if (read(fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		zc_warn("headless: timer read: %s", strerror(errno));
	/* The sequence is the vblank counter of the grid, not a frame count:
	 * clients derive skipped refreshes from it. */
	uint64_t seq = (ts_to_ns(&ho->target) - ts_to_ns(&ho->epoch)) /
		output_refresh_nsec(ho->output);
	output_present(ho->output, &ho->target, seq, ZC_PRESENT_VSYNC);
	return 0;
}

static void headless_output_destroy(struct zc_output *output)
{
	struct headless_output *ho = output->backend_data;
	if (ho->timer)
		wl_event_source_remove(ho->timer);
	if (ho->timer_fd >= 0)
		close(ho->timer_fd);
	for (int i = 0; i < HEADLESS_BUFFERS; i++) {
		if (ho->buffers[i])
			buffer_drop(ho->buffers[i]);
	}
	free(ho);
}

static const struct zc_output_impl headless_output_impl = {
	.acquire_buffer = headless_acquire_buffer,
	.commit = headless_commit,
	.destroy = headless_output_destroy,
};

static bool headless_output_init(struct headless_output *ho, struct zc_server *server,
	const struct zc_output_config *config)
{
	clock_gettime(CLOCK_MONOTONIC, &ho->epoch);
	for (int i = 0; i < HEADLESS_BUFFERS; i++) {
		ho->buffers[i] = memory_buffer_create(config->width, config->height,
			config->render_format);
		if (!ho->buffers[i])
			return false;
	}
	ho->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (ho->timer_fd < 0)
		return false;
	ho->timer = wl_event_loop_add_fd(server->loop, ho->timer_fd, WL_EVENT_READABLE,
		handle_headless_vblank, ho);
	return ho->timer != NULL;
}

static bool headless_add_output(struct zc_server *server, int index)
{
	const struct zc_options *opts = server->options;
	char name[32], description[64];
	snprintf(name, sizeof(name), "HEADLESS-%d", index + 1);
	snprintf(description, sizeof(description), "zcomp virtual output %d", index + 1);
	struct zc_output_config config = {
		.name = name,
		.description = description,
		.make = "zcomp",
		.model = "headless",
		.width = opts->width > 0 ? opts->width : 1280,
		.height = opts->height > 0 ? opts->height : 720,
		.refresh_mhz = opts->refresh_mhz > 0 ? opts->refresh_mhz : 60000,
		.render_format = DRM_FORMAT_XRGB8888,
	};
	struct headless_output *ho = calloc(1, sizeof(*ho));
	if (!ho)
		return false;
	ho->timer_fd = -1;
	if (!headless_output_init(ho, server, &config)) {
		zc_err("headless: cannot create output %s", name);
		struct zc_output stub = { .backend_data = ho };
		headless_output_destroy(&stub);
		return false;
	}
	/* From here on the output's destroy hook frees ho. */
	struct zc_output *output = output_create(server, &headless_output_impl, &config, ho);
	if (!output)
		return false;
	ho->output = output;
	return true;
}

static bool headless_start(struct zc_backend *backend)
{
	int n = backend->server->options->n_outputs > 0 ? backend->server->options->n_outputs : 1;
	for (int i = 0; i < n; i++) {
		if (!headless_add_output(backend->server, i))
			return false;
	}
	return true;
}

static void headless_destroy(struct zc_backend *backend)
{
	struct zc_server *server = backend->server;
	struct zc_output *output, *tmp;
	wl_list_for_each_safe(output, tmp, &server->outputs, link) {
		if (output->impl == &headless_output_impl)
			output_destroy(output);
	}
	free(backend);
}

static const struct zc_backend_impl headless_backend_impl = {
	.name = "headless",
	.start = headless_start,
	.destroy = headless_destroy,
};

struct zc_backend *headless_backend_create(struct zc_server *server)
{
	struct headless_backend *backend = calloc(1, sizeof(*backend));
	if (!backend)
		return NULL;
	backend->base.impl = &headless_backend_impl;
	backend->base.server = server;
	backend->base.drm_fd = -1;
	return &backend->base;
}
