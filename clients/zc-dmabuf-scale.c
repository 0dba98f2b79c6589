/* zc-dmabuf --fractional: draws at the scale zcomp prefers for the surface
 * (fractional-scale-v1) and shows the buffer at the logical size through a
 * wp_viewport destination, as a HiDPI client does. The buffer then has as
 * many pixels as the window covers on an output magnified by that scale,
 * so it can land there 1:1 (and be scanned out). */
#include <stdio.h>

#include "fractional-scale-v1-client-protocol.h"
#include "viewporter-client-protocol.h"
#include "zc-dmabuf.h"

static void handle_preferred_scale(void *data, struct wp_fractional_scale_v1 *fractional,
	uint32_t scale)
{
	((struct app *)data)->scale_120 = scale;
}

static const struct wp_fractional_scale_v1_listener fractional_listener = {
	.preferred_scale = handle_preferred_scale,
};

/* The protocol's rounding: logical size × scale / 120, half away from zero. */
static int32_t scaled(int32_t logical, uint32_t scale_120)
{
	return (int32_t)(((int64_t)logical * scale_120 + 60) / 120);
}

/* Lays the buffers out for the scale last preferred and sets the viewport
 * destination, which applies with the next commit (that of the first
 * buffer of the new size). */
bool fractional_apply(struct app *app)
{
	struct dmabuf_client_options *buf = &app->opt.buf;
	int32_t w = scaled(app->logical_width, app->scale_120);
	int32_t h = scaled(app->logical_height, app->scale_120);
	if (!dmabuf_layout_init(&app->client.layout, buf->format, w, h, buf->stride,
		    buf->offset)) {
		fprintf(stderr, "zc-dmabuf: no %dx%d layout for scale %u/120\n", w, h,
			app->scale_120);
		return false;
	}
	buf->width = w;
	buf->height = h;
	app->buffers_scale_120 = app->scale_120;
	wp_viewport_set_destination(app->viewport, app->logical_width, app->logical_height);
	printf("zc-dmabuf: preferred scale %u/120: %dx%d buffers for the %dx%d window\n",
		app->scale_120, w, h, app->logical_width, app->logical_height);
	return true;
}

/* --size is the logical size from here on; waits for the first
 * preferred_scale before any buffer is made. */
bool fractional_start(struct app *app, struct wl_surface *surface)
{
	struct zcc_globals *g = &app->client.globals;
	if (!g->fractional_scale_manager || !g->viewporter) {
		fprintf(stderr, "zc-dmabuf: no wp_fractional_scale_manager_v1 or wp_viewporter\n");
		return false;
	}
	app->logical_width = app->opt.buf.width;
	app->logical_height = app->opt.buf.height;
	app->fractional = wp_fractional_scale_manager_v1_get_fractional_scale(
		g->fractional_scale_manager, surface);
	wp_fractional_scale_v1_add_listener(app->fractional, &fractional_listener, app);
	app->viewport = wp_viewporter_get_viewport(g->viewporter, surface);
	int64_t deadline = zcc_now_nsec(CLOCK_MONOTONIC) + (int64_t)TIMEOUT_MS * 1000000;
	while (!app->scale_120) {
		int left = (int)((deadline - zcc_now_nsec(CLOCK_MONOTONIC)) / 1000000);
		if (left <= 0 || zcc_dispatch_timeout(app->client.display, left) < 0) {
			fprintf(stderr, "zc-dmabuf: no preferred_scale in %d ms\n", TIMEOUT_MS);
			return false;
		}
	}
	return fractional_apply(app);
}

bool fractional_changed(const struct app *app)
{
	return app->fractional && app->scale_120 != app->buffers_scale_120;
}

void fractional_finish(struct app *app)
{
	if (app->viewport)
		wp_viewport_destroy(app->viewport);
	if (app->fractional)
		wp_fractional_scale_v1_destroy(app->fractional);
	app->viewport = NULL;
	app->fractional = NULL;
}
