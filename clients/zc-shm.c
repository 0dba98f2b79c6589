/* zc-shm: shows the frame-numbered test pattern through wl_shm, paced by
 * frame callbacks, and reports what wp_presentation says became of it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "presentation-time-client-protocol.h"
#include "xdg-shell-client-protocol.h"

#define N_SLOTS 3
#define FRAME_TIMEOUT_MS 5000

struct options {
	long frames; /* 0: until killed */
	int32_t width, height;
	const struct zcc_format *format;
	bool fullscreen;
	const char *output; /* fullscreen on this output (wl_output.name) */
	long interval_ms; /* at least this long between frames */
};

struct stats {
	uint32_t submitted, presented, discarded;
	struct zcc_latencies latencies;
};

struct app {
	struct options opt;
	struct wl_display *display;
	struct zcc_globals globals;
	struct zcc_window window;
	int32_t width, height; /* what the next buffer must be */
	bool frame_done;
	/* The frame callback not yet done: a compositor may send it after the
	 * frame's feedback (zcomp times it to its next deadline). */
	struct wl_callback *frame_cb;
	uint32_t pending_feedbacks;
	struct zcc_buffer *slots[N_SLOTS];
	struct stats stats;
};

struct feedback {
	struct app *app;
	struct wp_presentation_feedback *resource;
	int64_t commit_ns;
};

static volatile sig_atomic_t stop_requested;

static void handle_signal(int sig)
{
	stop_requested = 1;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: zc-shm [--frames N] [--size WxH] [--format NAME] [--fullscreen]\n"
		"              [--output NAME] [--interval MS]\n"
		"  --frames N   frames to show, 0 = until killed (default 120)\n"
		"  --size WxH   window size (default 256x256)\n"
		"  --format F   xrgb8888, argb8888, rgb565, xrgb2101010, ... (default xrgb8888)\n"
		"  --fullscreen ask for fullscreen; the configured size wins\n"
		"  --output NAME  fullscreen on that output (wl_output.name, e.g. Virtual-2)\n"
		"  --interval MS  at least MS between frames (spares an emulated machine)\n");
}

static bool parse_size(const char *s, int32_t *w, int32_t *h)
{
	char *end;
	long lw = strtol(s, &end, 10);
	if (end == s || *end != 'x')
		return false;
	const char *hs = end + 1;
	long lh = strtol(hs, &end, 10);
	if (end == hs || *end || lw <= 0 || lh <= 0 || lw > 16384 || lh > 16384)
		return false;
	*w = (int32_t)lw;
	*h = (int32_t)lh;
	return true;
}

/* Accepts "--opt value" and "--opt=value"; returns the value or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	size_t len = strlen(name);
	if (strncmp(argv[*i], name, len) != 0)
		return NULL;
	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (argv[*i][len] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static bool parse_args(int argc, char **argv, struct options *opt)
{
	for (int i = 1; i < argc; i++) {
		const char *v;
		char *end;
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			exit(0);
		} else if (strcmp(argv[i], "--fullscreen") == 0) {
			opt->fullscreen = true;
		} else if ((v = option_value(argc, argv, &i, "--output"))) {
			opt->output = v;
			opt->fullscreen = true;
		} else if ((v = option_value(argc, argv, &i, "--interval"))) {
			opt->interval_ms = strtol(v, &end, 10);
			if (*end || end == v || opt->interval_ms < 0)
				return false;
		} else if ((v = option_value(argc, argv, &i, "--frames"))) {
			opt->frames = strtol(v, &end, 10);
			if (*end || end == v || opt->frames < 0)
				return false;
		} else if ((v = option_value(argc, argv, &i, "--size"))) {
			if (!parse_size(v, &opt->width, &opt->height))
				return false;
		} else if ((v = option_value(argc, argv, &i, "--format"))) {
			opt->format = zcc_format_by_name(v);
			if (!opt->format)
				return false;
		} else {
			return false;
		}
	}
	return true;
}

static void handle_frame_done(void *data, struct wl_callback *callback, uint32_t time)
{
	struct app *app = data;
	app->frame_done = true;
	app->frame_cb = NULL;
	wl_callback_destroy(callback);
}

static const struct wl_callback_listener frame_listener = {
	.done = handle_frame_done,
};

static void feedback_destroy(struct feedback *fb)
{
	fb->app->pending_feedbacks--;
	wp_presentation_feedback_destroy(fb->resource);
	free(fb);
}

static void handle_feedback_sync_output(void *data,
	struct wp_presentation_feedback *resource, struct wl_output *output)
{
}

static void handle_feedback_presented(void *data, struct wp_presentation_feedback *resource,
	uint32_t sec_hi, uint32_t sec_lo, uint32_t nsec, uint32_t refresh,
	uint32_t seq_hi, uint32_t seq_lo, uint32_t flags)
{
	struct feedback *fb = data;
	int64_t when = (int64_t)(((uint64_t)sec_hi << 32) | sec_lo) * 1000000000 + nsec;
	fb->app->stats.presented++;
	zcc_latencies_present(&fb->app->stats.latencies, fb->commit_ns, when, refresh);
	feedback_destroy(fb);
}

static void handle_feedback_discarded(void *data, struct wp_presentation_feedback *resource)
{
	struct feedback *fb = data;
	fb->app->stats.discarded++;
	feedback_destroy(fb);
}

static const struct wp_presentation_feedback_listener feedback_listener = {
	.sync_output = handle_feedback_sync_output,
	.presented = handle_feedback_presented,
	.discarded = handle_feedback_discarded,
};

/* A free buffer of the current size: reused only once released, and
 * replaced when the configured size changed. */
static struct zcc_buffer *acquire_buffer(struct app *app)
{
	/* 0 means "you choose": keep the size asked for on the command line. */
	app->width = app->window.width > 0 ? app->window.width : app->opt.width;
	app->height = app->window.height > 0 ? app->window.height : app->opt.height;
	for (int i = 0; i < N_SLOTS; i++) {
		struct zcc_buffer *b = app->slots[i];
		if (b && !b->busy && (b->width != app->width || b->height != app->height)) {
			zcc_buffer_destroy(b);
			app->slots[i] = NULL;
		}
		if (app->slots[i] && !app->slots[i]->busy)
			return app->slots[i];
	}
	for (int i = 0; i < N_SLOTS; i++) {
		if (!app->slots[i]) {
			app->slots[i] = zcc_buffer_create(app->globals.shm, app->width,
				app->height, app->opt.format->shm);
			return app->slots[i];
		}
	}
	return NULL; /* all busy: wait for a release */
}

static clockid_t presentation_clock(const struct app *app)
{
	return app->globals.has_presentation_clock ? app->globals.presentation_clock :
		CLOCK_MONOTONIC;
}

static void submit_frame(struct app *app, struct zcc_buffer *buffer)
{
	zcc_pattern_fill(buffer->data, buffer->stride, buffer->width, buffer->height,
		buffer->format, app->stats.submitted);
	wl_surface_attach(app->window.surface, buffer->wl_buffer, 0, 0);
	wl_surface_damage_buffer(app->window.surface, 0, 0, buffer->width, buffer->height);
	app->frame_cb = wl_surface_frame(app->window.surface);
	wl_callback_add_listener(app->frame_cb, &frame_listener, app);
	struct feedback *fb = calloc(1, sizeof(*fb));
	if (fb && app->globals.presentation) {
		fb->app = app;
		fb->resource = wp_presentation_feedback(app->globals.presentation, app->window.surface);
		wp_presentation_feedback_add_listener(fb->resource, &feedback_listener, fb);
		app->pending_feedbacks++;
		fb->commit_ns = zcc_now_nsec(presentation_clock(app));
	} else {
		free(fb);
	}
	wl_surface_commit(app->window.surface);
	buffer->busy = true;
	app->frame_done = false;
	app->stats.submitted++;
}

/* Waits for a condition, giving up on a signal, close, error or timeout. */
static bool wait_for(struct app *app, const bool *flag)
{
	int64_t deadline = zcc_now_nsec(CLOCK_MONOTONIC) + FRAME_TIMEOUT_MS * 1000000LL;
	while (!*flag && !stop_requested && !app->window.closed) {
		if (zcc_dispatch_timeout(app->display, 100) < 0)
			return false;
		if (zcc_now_nsec(CLOCK_MONOTONIC) > deadline) {
			fprintf(stderr, "zc-shm: nothing from the compositor for %d ms\n",
				FRAME_TIMEOUT_MS);
			return false;
		}
	}
	return true;
}

static bool any_buffer_free(struct app *app)
{
	for (int i = 0; i < N_SLOTS; i++) {
		if (!app->slots[i] || !app->slots[i]->busy)
			return true;
	}
	return false;
}

static bool wait_for_free_buffer(struct app *app)
{
	int64_t deadline = zcc_now_nsec(CLOCK_MONOTONIC) + FRAME_TIMEOUT_MS * 1000000LL;
	while (!any_buffer_free(app)) {
		if (stop_requested || app->window.closed)
			return true;
		if (zcc_dispatch_timeout(app->display, 100) < 0)
			return false;
		if (zcc_now_nsec(CLOCK_MONOTONIC) > deadline) {
			fprintf(stderr, "zc-shm: no wl_buffer.release for %d ms\n",
				FRAME_TIMEOUT_MS);
			return false;
		}
	}
	return true;
}

/* --interval: events keep being handled while the client holds back. */
static bool wait_interval(struct app *app, int64_t since_ns)
{
	int64_t until = since_ns + app->opt.interval_ms * 1000000LL;
	int64_t now;
	while (!stop_requested && (now = zcc_now_nsec(CLOCK_MONOTONIC)) < until) {
		if (zcc_dispatch_timeout(app->display, (int)((until - now) / 1000000 + 1)) < 0)
			return false;
	}
	return true;
}

static bool run(struct app *app)
{
	int64_t last_submit = 0;
	app->frame_done = true;
	while (!stop_requested && !app->window.closed &&
			(app->opt.frames == 0 || app->stats.submitted < app->opt.frames)) {
		if (!wait_for(app, &app->frame_done) || !wait_interval(app, last_submit))
			return false;
		if (!wait_for_free_buffer(app))
			return false;
		if (stop_requested || app->window.closed)
			break;
		struct zcc_buffer *buffer = acquire_buffer(app);
		if (!buffer) {
			fprintf(stderr, "zc-shm: cannot allocate a buffer\n");
			return false;
		}
		last_submit = zcc_now_nsec(CLOCK_MONOTONIC);
		submit_frame(app, buffer);
	}
	/* Let the last frames' feedback arrive before summarising. */
	int64_t deadline = zcc_now_nsec(CLOCK_MONOTONIC) + 1000000000LL;
	while (app->pending_feedbacks > 0 && zcc_now_nsec(CLOCK_MONOTONIC) < deadline) {
		if (zcc_dispatch_timeout(app->display, 100) < 0)
			return false;
	}
	return true;
}

static void print_summary(struct app *app)
{
	struct stats *st = &app->stats;
	zcc_latencies_sort(&st->latencies);
	printf("zc-shm: %ux%u %s submitted=%u presented=%u discarded=%u "
		"latency_p50=%.2fms latency_p99=%.2fms missed=%u\n",
		app->width, app->height, app->opt.format->name, st->submitted, st->presented,
		st->discarded, zcc_latencies_ms(&st->latencies, 0.50),
		zcc_latencies_ms(&st->latencies, 0.99), st->latencies.missed);
	fflush(stdout);
}

static bool create_window(struct app *app)
{
	struct zcc_globals *g = &app->globals;
	if (!g->compositor || !g->shm || !g->wm_base) {
		fprintf(stderr, "zc-shm: wl_compositor, wl_shm or xdg_wm_base missing\n");
		return false;
	}
	if (!zcc_globals_has_shm_format(g, app->opt.format->shm)) {
		fprintf(stderr, "zc-shm: the compositor does not offer %s\n",
			app->opt.format->name);
		return false;
	}
	const struct zcc_output *output = NULL;
	if (app->opt.output && !(output = zcc_globals_find_output(g, app->opt.output))) {
		fprintf(stderr, "zc-shm: no output called %s\n", app->opt.output);
		return false;
	}
	zcc_window_init(&app->window, g, "zc-shm", app->opt.fullscreen,
		output ? output->wl_output : NULL);
	return wait_for(app, &app->window.configured);
}

static void destroy_app(struct app *app)
{
	for (int i = 0; i < N_SLOTS; i++)
		zcc_buffer_destroy(app->slots[i]);
	if (app->frame_cb)
		wl_callback_destroy(app->frame_cb);
	zcc_window_finish(&app->window);
	zcc_globals_finish(&app->globals);
	zcc_latencies_finish(&app->stats.latencies);
}

/* A protocol error is the compositor telling us we are wrong: say which. */
static void report_display_error(struct wl_display *display)
{
	int err = wl_display_get_error(display);
	if (err == EPROTO) {
		const struct wl_interface *iface;
		uint32_t id;
		uint32_t code = wl_display_get_protocol_error(display, &iface, &id);
		fprintf(stderr, "zc-shm: protocol error %u on %s@%u\n", code,
			iface ? iface->name : "?", id);
	} else if (err) {
		fprintf(stderr, "zc-shm: connection error: %s\n", strerror(err));
	}
}

int main(int argc, char **argv)
{
	struct app app = {
		.opt = { .frames = 120, .width = 256, .height = 256 },
	};
	app.opt.format = zcc_format_get(WL_SHM_FORMAT_XRGB8888);
	if (!parse_args(argc, argv, &app.opt)) {
		usage(stderr);
		return 2;
	}
	app.width = app.opt.width;
	app.height = app.opt.height;

	struct sigaction sa = { .sa_handler = handle_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	app.display = wl_display_connect(NULL);
	if (!app.display) {
		fprintf(stderr, "zc-shm: cannot connect to the Wayland display\n");
		return 1;
	}
	bool ok = zcc_globals_bind(app.display, &app.globals) && create_window(&app) &&
		run(&app);
	if (ok && wl_display_roundtrip(app.display) < 0)
		ok = false;
	print_summary(&app);
	if (wl_display_get_error(app.display))
		ok = false;
	report_display_error(app.display);
	destroy_app(&app);
	wl_display_disconnect(app.display);
	return ok ? 0 : 1;
}
