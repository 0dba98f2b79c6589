/* zc-vm-kms-timing [SECONDS [MIN_FRAMES]]  (a Wayland client, in the guest)
 * Redraws a small window as fast as frame callbacks let it for SECONDS
 * (default 10), and on until MIN_FRAMES were presented (at most 60 s), and
 * checks what a display-paced compositor must give: frame callbacks at no
 * more than 1.05 x the refresh rate, presentation timestamps strictly
 * increasing and whole refreshes apart (one, or two where the emulated CPU
 * missed a vblank), no discarded frames. Prints the
 * numbers (rates, interval distribution, feedback flags). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "presentation-time-client-protocol.h"
#include "vmutil.h"
#include "xdg-shell-client-protocol.h"

#define N_BUFFERS 3
#define MAX_SAMPLES 20000

struct app {
	struct wl_display *display;
	struct zcc_globals g;
	struct wl_surface *surface;
	struct zcc_buffer *buffers[N_BUFFERS];
	bool configured, frame_done;
	uint32_t frames, callbacks, discarded;
	int64_t presented[MAX_SAMPLES];
	uint32_t flags[MAX_SAMPLES];
	uint32_t n_presented, refresh_ns;
};

static void handle_configure(void *data, struct xdg_surface *xdg_surface, uint32_t serial)
{
	struct app *app = data;
	xdg_surface_ack_configure(xdg_surface, serial);
	app->configured = true;
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = handle_configure,
};

static void handle_done(void *data, struct wl_callback *cb, uint32_t time)
{
	struct app *app = data;
	app->frame_done = true;
	app->callbacks++;
	wl_callback_destroy(cb);
}

static const struct wl_callback_listener frame_listener = { .done = handle_done };

static void handle_sync_output(void *data, struct wp_presentation_feedback *fb,
	struct wl_output *output)
{
}

static void handle_presented(void *data, struct wp_presentation_feedback *fb, uint32_t sec_hi,
	uint32_t sec_lo, uint32_t nsec, uint32_t refresh, uint32_t seq_hi, uint32_t seq_lo,
	uint32_t flags)
{
	struct app *app = data;
	if (app->n_presented < MAX_SAMPLES) {
		app->presented[app->n_presented] =
			(int64_t)(((uint64_t)sec_hi << 32) | sec_lo) * 1000000000 + nsec;
		app->flags[app->n_presented++] = flags;
	}
	app->refresh_ns = refresh;
	wp_presentation_feedback_destroy(fb);
}

static void handle_discarded(void *data, struct wp_presentation_feedback *fb)
{
	struct app *app = data;
	app->discarded++;
	wp_presentation_feedback_destroy(fb);
}

static const struct wp_presentation_feedback_listener feedback_listener = {
	.sync_output = handle_sync_output,
	.presented = handle_presented,
	.discarded = handle_discarded,
};

static struct zcc_buffer *free_buffer(struct app *app)
{
	for (int i = 0; i < N_BUFFERS; i++) {
		if (!app->buffers[i])
			app->buffers[i] = zcc_buffer_create(app->g.shm, 64, 64,
				WL_SHM_FORMAT_XRGB8888);
		if (app->buffers[i] && !app->buffers[i]->busy)
			return app->buffers[i];
	}
	return NULL;
}

static void draw(struct app *app, struct zcc_buffer *buf)
{
	/* A cheap frame (the VM's CPU is emulated): one colour per frame. */
	for (int32_t y = 0; y < buf->height; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)buf->data + (size_t)y * (size_t)buf->stride);
		for (int32_t x = 0; x < buf->width; x++)
			row[x] = 0xff000000u | (app->frames * 0x010305u);
	}
	app->frames++;
	wl_surface_attach(app->surface, buf->wl_buffer, 0, 0);
	wl_surface_damage_buffer(app->surface, 0, 0, buf->width, buf->height);
	wl_callback_add_listener(wl_surface_frame(app->surface), &frame_listener, app);
	struct wp_presentation_feedback *fb =
		wp_presentation_feedback(app->g.presentation, app->surface);
	wp_presentation_feedback_add_listener(fb, &feedback_listener, app);
	wl_surface_commit(app->surface);
	buf->busy = true;
	app->frame_done = false;
}

static bool setup(struct app *app)
{
	app->display = wl_display_connect(NULL);
	if (!zc_check(app->display != NULL, "connect to the compositor") ||
	    !zc_check(zcc_globals_bind(app->display, &app->g), "bind globals") ||
	    !zc_check(app->g.presentation && app->g.wm_base && app->g.shm,
		    "wp_presentation, xdg_wm_base and wl_shm present"))
		return false;
	app->surface = wl_compositor_create_surface(app->g.compositor);
	struct xdg_surface *xs = xdg_wm_base_get_xdg_surface(app->g.wm_base, app->surface);
	xdg_surface_add_listener(xs, &xdg_surface_listener, app);
	xdg_toplevel_set_title(xdg_surface_get_toplevel(xs), "zc-vm-kms-timing");
	wl_surface_commit(app->surface);
	return zc_check(zcc_dispatch_until(app->display, &app->configured, 5000), "configured");
}

/* Redraws on every frame callback until the deadline. */
static bool run(struct app *app, double seconds, uint32_t min_frames, int64_t *elapsed_ns)
{
	int64_t start = zcc_now_nsec(CLOCK_MONOTONIC), end = start + (int64_t)(seconds * 1e9);
	int64_t limit = start + 60000000000ll;
	app->frame_done = true;
	for (;;) {
		int64_t now = zcc_now_nsec(CLOCK_MONOTONIC);
		if (now >= limit || (now >= end && app->n_presented >= min_frames))
			break;
		struct zcc_buffer *buf = app->frame_done ? free_buffer(app) : NULL;
		if (buf) {
			draw(app, buf);
			continue;
		}
		if (zcc_dispatch_timeout(app->display, 1000) < 0)
			return zc_check(false, "the connection failed");
	}
	*elapsed_ns = zcc_now_nsec(CLOCK_MONOTONIC) - start;
	/* The last frames' feedback. */
	int64_t drain = zcc_now_nsec(CLOCK_MONOTONIC) + 500000000;
	while (zcc_now_nsec(CLOCK_MONOTONIC) < drain)
		zcc_dispatch_timeout(app->display, 100);
	return true;
}

static int compare_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void check_intervals(struct app *app)
{
	uint32_t n = app->n_presented;
	if (!zc_check(n > 2, "%u frames presented", n))
		return;
	int64_t *d = calloc(n, sizeof(*d));
	uint32_t non_increasing = 0, one = 0, two = 0, more = 0, whole = 0;
	double period = app->refresh_ns;
	for (uint32_t i = 1; i < n; i++) {
		d[i - 1] = app->presented[i] - app->presented[i - 1];
		non_increasing += d[i - 1] <= 0;
		double r = (double)d[i - 1] / period;
		whole += fabs(r - floor(r + 0.5)) < 0.1;
		if (r > 0.9 && r < 1.1)
			one++;
		else if (r > 1.9 && r < 2.1)
			two++;
		else
			more++;
	}
	qsort(d, n - 1, sizeof(*d), compare_i64);
	double median = (double)d[(n - 1) / 2];
	printf("present intervals: min %.3f ms, median %.3f ms, max %.3f ms, refresh %.3f ms; "
		"%u at 1 refresh, %u at 2, %u other\n", (double)d[0] / 1e6, median / 1e6,
		(double)d[n - 2] / 1e6, period / 1e6, one, two, more);
	zc_check(whole == n - 1, "every interval a whole number of refreshes (%u are not)",
		n - 1 - whole);
	zc_check(non_increasing == 0, "timestamps strictly increasing (%u violations)",
		non_increasing);
	zc_check(d[0] > period * 0.9, "no two presents closer than 0.9 refresh");
	/* Under TCG emulation, a frame that needs more than a refresh of CPU
	 * time skips a vblank: intervals of two refreshes are a slow machine,
	 * not a pacing bug. Faster than the refresh would be one. */
	zc_check(median < period * 2.05, "median interval at most two refreshes");
	printf("%.0f%% of intervals are one refresh\n", 100.0 * one / (n - 1));
	free(d);
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 10.0;
	uint32_t min_frames = argc > 2 ? (uint32_t)atol(argv[2]) : 0;
	static struct app app;
	if (!setup(&app))
		return 1;
	int64_t elapsed = 0;
	if (!run(&app, seconds, min_frames, &elapsed))
		return 1;
	double refresh_hz = app.refresh_ns ? 1e9 / app.refresh_ns : 0;
	double cb_hz = app.callbacks / ((double)elapsed / 1e9);
	uint32_t flags = app.n_presented ? app.flags[app.n_presented - 1] : 0;
	printf("frames %u, callbacks %u in %.2f s = %.2f Hz, refresh %.3f Hz, presented %u, "
		"discarded %u, flags 0x%x (vsync %d hw_clock %d hw_completion %d)\n",
		app.frames, app.callbacks, (double)elapsed / 1e9, cb_hz, refresh_hz,
		app.n_presented, app.discarded, flags, !!(flags & 1), !!(flags & 2),
		!!(flags & 4));
	zc_check(refresh_hz > 0, "the feedback reports the refresh");
	zc_check(cb_hz <= refresh_hz * 1.05, "callback rate %.2f Hz <= 1.05 x %.2f Hz", cb_hz,
		refresh_hz);
	zc_check(cb_hz >= refresh_hz * 0.2, "callback rate at least a fifth of the refresh rate");
	zc_check(app.discarded == 0, "no frame discarded");
	check_intervals(&app);
	printf("%d failure(s)\n", zc_failures);
	return zc_failures ? 1 : 0;
}
