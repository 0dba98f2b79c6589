/*
 * The headless backend: virtual outputs whose "scanout" is a buffer in
 * memory and whose vblank is a timer on a fixed grid at the mode's refresh
 * rate. Frames are shown on the first grid point after their commit, so
 * timing behaves like a display, and nothing runs while nothing changes.
 */
#include <drm_fourcc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "backends/backends.h"
#include "base/buffer.h"
#include "core/output.h"
#include "core/refresh_timer.h"
#include "core/swapchain.h"

#define HEADLESS_BUFFERS 2

struct headless_output {
	struct zc_output *output;
	struct zc_swapchain chain;
	struct zc_refresh_timer vblank;
};

struct headless_backend {
	struct zc_backend base;
};

static struct zc_buffer *headless_acquire_buffer(struct zc_output *output, int *age)
{
	struct headless_output *ho = output->backend_data;
	struct zc_buffer *busy[] = { output->front, output->in_flight };
	return swapchain_acquire(&ho->chain, busy, ZC_ARRAY_LEN(busy), age);
}

/* A frame (or an empty one, buffer NULL) is shown at the first grid point
 * after now. */
static bool headless_commit(struct zc_output *output, struct zc_buffer *buffer)
{
	struct headless_output *ho = output->backend_data;
	if (buffer && !swapchain_mark_rendered(&ho->chain, buffer))
		return false;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	struct timespec after_now = timespec_from_ns(timespec_to_ns(&now) + 1);
	return refresh_timer_arm(&ho->vblank, output, &after_now);
}

static void handle_headless_vblank(void *data)
{
	struct headless_output *ho = data;
	/* The sequence is the vblank counter of the grid, not a frame count:
	 * clients derive skipped refreshes from it. */
	output_present(ho->output, &ho->vblank.target,
		refresh_timer_seq(&ho->vblank, ho->output), ZC_PRESENT_VSYNC);
}

static void headless_output_destroy(struct zc_output *output)
{
	struct headless_output *ho = output->backend_data;
	refresh_timer_finish(&ho->vblank);
	swapchain_finish(&ho->chain);
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
	for (int i = 0; i < HEADLESS_BUFFERS; i++) {
		struct zc_buffer *buffer = memory_buffer_create(config->width, config->height,
			config->render_format);
		if (!buffer)
			return false;
		swapchain_add(&ho->chain, buffer);
	}
	return refresh_timer_init(&ho->vblank, server->loop, handle_headless_vblank, ho);
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
	ho->vblank.fd = -1;
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
