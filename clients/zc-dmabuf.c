/* zc-dmabuf: shows the frame-numbered test pattern through linux-dmabuf,
 * from udmabuf, a DRM card's dumb buffers or the dma-heap system heap,
 * reusing a buffer only once zcomp released it, and reports what
 * wp_presentation says became of each frame. */
#include <drm_fourcc.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <xf86drm.h>

#include "dmabuf-alloc.h"
#include "fifo-v1-client-protocol.h"
#include "tearing-control-v1-client-protocol.h"
#include "presentation-time-client-protocol.h"
#include "xdg-shell-client-protocol.h"
#include "zc-dmabuf.h"

volatile sig_atomic_t stop_requested;

static void handle_signal(int sig)
{
	stop_requested = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: zc-dmabuf [OPTIONS]\n"
		"  -S, --source=NAME   udmabuf, dumb or heap (default udmabuf)\n"
		"  -d, --device=DEV    dumb: card node path or driver name (default vgem)\n"
		"  -f, --format=NAME   xrgb8888 argb8888 xbgr8888 abgr8888 rgb565 nv12 yuv420 yuyv\n"
		"  -s, --size=WxH      buffer size (default 256x256)\n"
		"      --stride=BYTES  luma/RGB row stride (default: smallest, 4-aligned)\n"
		"      --offset=BYTES  offset of the first plane in the dma-buf\n"
		"  -n, --frames=N      frames to show, 0 = until killed (default 60)\n"
		"      --linger        then keep the window, unchanged, until killed\n"
		"  -r, --rate=FPS      at most this many frames a second (default: as paced)\n"
		"  -b, --buffers=N     buffers in rotation, 1..%d (default 3)\n"
		"      --immed         create buffers with create_immed\n"
		"      --verify        capture the last frame and compare it pixel by pixel\n"
		"      --window        a normal window where zcomp places it, not fullscreen\n"
		"                      (not with --verify: the client cannot know where)\n"
		"      --fence-hold=MS dumb on vgem: hold frame 1 behind a vgem fence for MS\n"
		"      --cycles=N      create, show and destroy N buffers, one each\n"
		"      --subsurface    frames in a synchronized subsurface covering a black window\n"
		"      --fifo          pace with wp_fifo_v1 (set_barrier + wait_barrier on every\n"
		"                      commit, no frame callbacks; frame callbacks where not offered)\n"
		"      --async         ask for async presentation (wp_tearing_control_v1; fails where\n"
		"                      it is not offered)\n"
		"      --fractional    --size is the logical size: buffers at round(size x scale/120)\n"
		"                      (wp_fractional_scale_v1), shown there by a wp_viewport\n"
		"      --provoke=CASE  provoke a protocol error (\"list\" names them, \"all\")\n"
		"      --sync=explicit wp_linux_drm_syncobj_v1: acquire and release timeline points\n"
		"                      (default implicit: the dma-buf's own fences)\n"
		"      --sync-device=PATH render node for the timelines (default: the first with them)\n"
		"      --sync-hold=MS  hold frame 1 behind an unsignalled acquire point for MS (a vgem\n"
		"                      fence with -S dumb -d vgem, else signalled from the CPU)\n"
		"      --sync-hold-file=PATH  and until PATH exists (at most %d s more)\n"
		"      --sync-hold-queue  commit the next frame, its point signalled, right behind\n"
		"                      the held one: it must wait for it\n"
		"      --sync-destroy  hold the last frame instead and destroy every timeline and\n"
		"                      the syncobj surface while it is held\n"
		"      --provoke-sync=CASE  provoke a wp_linux_drm_syncobj error (\"list\", \"all\")\n",
		MAX_BUFFERS, HOLD_FILE_MAX_S);
}

static bool parse_size(const char *text, int32_t *w, int32_t *h)
{
	char *end;
	long a = strtol(text, &end, 10);
	if (*end != 'x')
		return false;
	long b = strtol(end + 1, &end, 10);
	if (*end || a <= 0 || b <= 0 || a > 16384 || b > 16384)
		return false;
	*w = (int32_t)a;
	*h = (int32_t)b;
	return true;
}

static bool parse_source(const char *name, enum dmabuf_source *source)
{
	static const char *const names[] = { "udmabuf", "dumb", "heap" };
	for (int i = 0; i < 3; i++) {
		if (strcmp(name, names[i]) == 0) {
			*source = (enum dmabuf_source)i;
			return true;
		}
	}
	return false;
}

static bool parse_option(int c, const char *arg, struct options *opt)
{
	switch (c) {
	case 'S': return parse_source(arg, &opt->buf.source);
	case 'd': opt->buf.device = arg; return true;
	case 'f': return (opt->buf.format = dmabuf_format_from_name(arg)) != 0;
	case 's': return parse_size(arg, &opt->buf.width, &opt->buf.height);
	case 1: opt->buf.stride = (uint32_t)strtoul(arg, NULL, 0); return true;
	case 2: opt->buf.offset = (uint32_t)strtoul(arg, NULL, 0); return true;
	case 'n': opt->frames = strtol(arg, NULL, 10); return opt->frames >= 0;
	case 'r': opt->rate = strtod(arg, NULL); return opt->rate >= 0;
	case 'b': opt->n_buffers = atoi(arg); return opt->n_buffers >= 1 &&
		opt->n_buffers <= MAX_BUFFERS;
	case 3: opt->buf.immed = true; return true;
	case 4: opt->verify = true; return true;
	case 5: opt->fence_hold_ms = atoi(arg); return opt->fence_hold_ms > 0;
	case 6: opt->cycles = strtol(arg, NULL, 10); return opt->cycles > 0;
	case 7: opt->provoke = arg; return true;
	case 8: opt->window = true; return true;
	case 9: opt->explicit_sync = strcmp(arg, "explicit") == 0;
		return opt->explicit_sync || strcmp(arg, "implicit") == 0;
	case 10: opt->sync_device = arg; return true;
	case 11: opt->sync_hold_ms = atoi(arg); return opt->sync_hold_ms > 0;
	case 12: opt->sync_destroy = true; return true;
	case 13: opt->provoke_sync = arg; return true;
	case 14: opt->sync_hold_file = arg; return true;
	case 15: opt->sync_hold_queue = true; return true;
	case 16: opt->subsurface = true; return true;
	case 17: opt->fifo = true; return true;
	case 18: opt->async = true; return true;
	case 19: opt->fractional = true; return true;
	case 20: opt->linger = true; return true;
	default: return false;
	}
}

static bool parse_args(int argc, char **argv, struct options *opt)
{
	static const struct option longs[] = {
		{ "source", required_argument, NULL, 'S' },
		{ "device", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "size", required_argument, NULL, 's' },
		{ "stride", required_argument, NULL, 1 },
		{ "offset", required_argument, NULL, 2 },
		{ "frames", required_argument, NULL, 'n' },
		{ "rate", required_argument, NULL, 'r' },
		{ "buffers", required_argument, NULL, 'b' },
		{ "immed", no_argument, NULL, 3 },
		{ "verify", no_argument, NULL, 4 },
		{ "fence-hold", required_argument, NULL, 5 },
		{ "cycles", required_argument, NULL, 6 },
		{ "provoke", required_argument, NULL, 7 },
		{ "window", no_argument, NULL, 8 },
		{ "sync", required_argument, NULL, 9 },
		{ "sync-device", required_argument, NULL, 10 },
		{ "sync-hold", required_argument, NULL, 11 },
		{ "sync-destroy", no_argument, NULL, 12 },
		{ "provoke-sync", required_argument, NULL, 13 },
		{ "sync-hold-file", required_argument, NULL, 14 },
		{ "sync-hold-queue", no_argument, NULL, 15 },
		{ "subsurface", no_argument, NULL, 16 },
		{ "fifo", no_argument, NULL, 17 },
		{ "async", no_argument, NULL, 18 },
		{ "fractional", no_argument, NULL, 19 },
		{ "linger", no_argument, NULL, 20 },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	*opt = (struct options){
		.buf = { .source = DMABUF_SOURCE_UDMABUF, .device = "vgem",
			 .format = DRM_FORMAT_XRGB8888, .width = 256, .height = 256 },
		.frames = 60,
		.n_buffers = 3,
	};
	int c;
	while ((c = getopt_long(argc, argv, "S:d:f:s:n:r:b:h", longs, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (!parse_option(c, optarg, opt)) {
			usage(stderr);
			return false;
		}
	}
	if ((opt->sync_hold_ms || opt->sync_destroy) && !opt->explicit_sync)
		return false;
	/* The black backdrop of --subsurface is not scaled. */
	return optind == argc && !(opt->window && opt->verify) &&
		!(opt->fractional && opt->subsurface);
}

/* ---- window ---- */

/* A synchronized subsurface exactly over the window, which shows a black
 * wl_shm backdrop: each frame goes to the child, and applies with the
 * window's commit that follows (from the child's cache). */
static bool subsurface_create(struct app *app)
{
	struct zcc_globals *g = &app->client.globals;
	app->backdrop = zcc_buffer_create(g->shm, app->opt.buf.width, app->opt.buf.height,
		WL_SHM_FORMAT_XRGB8888);
	if (!g->subcompositor || !app->backdrop) {
		fprintf(stderr, "zc-dmabuf: no wl_subcompositor or no backdrop\n");
		return false;
	}
	app->child = wl_compositor_create_surface(g->compositor);
	app->subsurface = wl_subcompositor_get_subsurface(g->subcompositor, app->child,
		app->window.surface);
	wl_subsurface_set_position(app->subsurface, 0, 0);
	wl_surface_attach(app->window.surface, app->backdrop->wl_buffer, 0, 0);
	wl_surface_damage_buffer(app->window.surface, 0, 0, INT32_MAX, INT32_MAX);
	return true;
}

/* Fullscreen, so a capture knows where to look: at the origin of an output
 * as large as the buffer, centred on a larger one. With --window zcomp
 * places it; a test that knows its placement checks the pixels. */
static void window_place(struct app *app)
{
	const struct zcc_output *out = &app->client.globals.outputs[0];
	int32_t w = app->opt.buf.width, h = app->opt.buf.height;
	app->origin_x = w < out->mode_width ? (out->mode_width - w) / 2 : 0;
	app->origin_y = h < out->mode_height ? (out->mode_height - h) / 2 : 0;
}

static bool window_create(struct app *app)
{
	struct zcc_globals *g = &app->client.globals;
	if (!g->wm_base || g->n_outputs == 0) {
		fprintf(stderr, "zc-dmabuf: no xdg_wm_base or no output\n");
		return false;
	}
	zcc_window_init(&app->window, g, "zc-dmabuf", !app->opt.window, g->outputs[0].wl_output);
	if (!zcc_dispatch_until(app->client.display, &app->window.configured, TIMEOUT_MS))
		return false;
	if (app->opt.fractional && !fractional_start(app, app->window.surface))
		return false;
	window_place(app);
	if (app->opt.fifo && g->fifo_manager)
		app->fifo = wp_fifo_manager_v1_get_fifo(g->fifo_manager, app->window.surface);
	else if (app->opt.fifo)
		printf("zc-dmabuf: wp_fifo_manager_v1 not offered: paced by frame callbacks\n");
	if (app->opt.async && !g->tearing_manager) {
		fprintf(stderr, "zc-dmabuf: wp_tearing_control_manager_v1 not offered\n");
		return false;
	}
	if (app->opt.async) {
		app->tearing = wp_tearing_control_manager_v1_get_tearing_control(g->tearing_manager,
			app->window.surface);
		wp_tearing_control_v1_set_presentation_hint(app->tearing,
			WP_TEARING_CONTROL_V1_PRESENTATION_HINT_ASYNC);
	}
	return !app->opt.subsurface || subsurface_create(app);
}

void window_destroy(struct app *app)
{
	if (app->frame_cb)
		wl_callback_destroy(app->frame_cb);
	app->frame_cb = NULL;
	if (app->fifo)
		wp_fifo_v1_destroy(app->fifo);
	app->fifo = NULL;
	if (app->tearing)
		wp_tearing_control_v1_destroy(app->tearing);
	app->tearing = NULL;
	if (app->subsurface)
		wl_subsurface_destroy(app->subsurface);
	if (app->child)
		wl_surface_destroy(app->child);
	zcc_buffer_destroy(app->backdrop);
	app->subsurface = NULL;
	app->child = NULL;
	app->backdrop = NULL;
	fractional_finish(app);
	zcc_window_finish(&app->window);
}

struct wl_surface *content_surface(struct app *app)
{
	return app->child ? app->child : app->window.surface;
}

/* ---- buffers ---- */

static void handle_buffer_release(void *data, struct wl_buffer *wl_buffer)
{
	((struct slot *)data)->busy = false;
}

static const struct wl_buffer_listener buffer_listener = {
	.release = handle_buffer_release,
};

bool slot_create(struct app *app, struct slot *slot)
{
	if (!dmabuf_client_alloc(&app->client, &app->opt.buf, app->card_fd, &slot->alloc))
		return false;
	slot->wl_buffer = dmabuf_client_create_buffer(&app->client, &app->opt.buf,
		&slot->alloc);
	if (!slot->wl_buffer)
		return false;
	wl_buffer_add_listener(slot->wl_buffer, &buffer_listener, slot);
	return !app->opt.explicit_sync || dmabuf_sync_release_init(&app->sync, &slot->rel);
}

static void slot_destroy(struct app *app, struct slot *slot)
{
	if (slot->rel.timeline.handle)
		dmabuf_sync_release_finish(&app->sync, &slot->rel);
	if (slot->wl_buffer)
		wl_buffer_destroy(slot->wl_buffer);
	if (slot->alloc.map || slot->alloc.fd >= 0)
		dmabuf_alloc_destroy(&slot->alloc);
	*slot = (struct slot){ .alloc = { .fd = -1 }, .rel = { .efd = -1 } };
}

/* With explicit sync a buffer is free once its release point signalled
 * (wl_buffer.release is then undefined by the protocol). */
static bool slot_busy(const struct app *app, const struct slot *slot)
{
	return app->opt.explicit_sync ? slot->rel.efd >= 0 : slot->busy;
}

struct frame_record *record_of(struct app *app, long frame)
{
	return frame >= 0 && frame < app->n_records ? &app->records[frame] : NULL;
}

/* Dispatches Wayland events and, with explicit sync, notes release points
 * as they signal. */
int app_dispatch(struct app *app, int timeout_ms)
{
	if (!app->opt.explicit_sync)
		return zcc_dispatch_timeout(app->client.display, timeout_ms);
	struct dmabuf_sync_release *rels[MAX_BUFFERS];
	for (int i = 0; i < MAX_BUFFERS; i++)
		rels[i] = &app->slots[i].rel;
	int ret = dmabuf_sync_dispatch(app->client.display, rels, MAX_BUFFERS, timeout_ms);
	for (int i = 0; i < MAX_BUFFERS; i++) {
		struct dmabuf_sync_release *rel = rels[i];
		struct frame_record *rec = rel->signalled ? record_of(app, rel->frame) : NULL;
		if (rec)
			rec->release_ns = rel->signalled_ns;
		if (rel->signalled)
			rel->frame = -1;
	}
	return ret;
}

static bool app_dispatch_until(struct app *app, const bool *flag, int timeout_ms)
{
	int64_t deadline = zcc_now_nsec(CLOCK_MONOTONIC) + (int64_t)timeout_ms * 1000000;
	while (!*flag) {
		int left = (int)((deadline - zcc_now_nsec(CLOCK_MONOTONIC)) / 1000000);
		if (left <= 0 || app_dispatch(app, left) < 0)
			return false;
	}
	return true;
}

/* A buffer zcomp is done with, waiting for a release if all are busy. */
struct slot *slot_acquire(struct app *app)
{
	int64_t deadline = zcc_now_nsec(CLOCK_MONOTONIC) + (int64_t)TIMEOUT_MS * 1000000;
	while (!stop_requested) {
		for (int i = 0; i < app->opt.n_buffers; i++) {
			if (!slot_busy(app, &app->slots[i]))
				return &app->slots[i];
		}
		int left = (int)((deadline - zcc_now_nsec(CLOCK_MONOTONIC)) / 1000000);
		if (left <= 0 || app_dispatch(app, left) < 0)
			break;
	}
	return NULL;
}

/* ---- presentation ---- */

static void feedback_finish(struct feedback *fb)
{
	fb->app->pending_feedbacks--;
	wp_presentation_feedback_destroy(fb->resource);
	free(fb);
}

static void handle_feedback_sync_output(void *data, struct wp_presentation_feedback *f,
	struct wl_output *output)
{
}

static void handle_feedback_presented(void *data, struct wp_presentation_feedback *f,
	uint32_t tv_sec_hi, uint32_t tv_sec_lo, uint32_t tv_nsec, uint32_t refresh,
	uint32_t seq_hi, uint32_t seq_lo, uint32_t flags)
{
	struct feedback *fb = data;
	struct app *app = fb->app;
	int64_t when = (int64_t)(((uint64_t)tv_sec_hi << 32) | tv_sec_lo) * 1000000000 + tv_nsec;
	app->presented++;
	if (flags & WP_PRESENTATION_FEEDBACK_KIND_ZERO_COPY)
		app->zero_copy++;
	struct frame_record *rec = record_of(app, fb->frame);
	if (rec) {
		rec->present_ns = when;
		rec->zero_copy = flags & WP_PRESENTATION_FEEDBACK_KIND_ZERO_COPY;
	}
	if (fb->commit_ns >= 0)
		zcc_latencies_present(&app->latencies, fb->commit_ns, when, refresh);
	feedback_finish(fb);
}

static void handle_feedback_discarded(void *data, struct wp_presentation_feedback *f)
{
	struct feedback *fb = data;
	fb->app->discarded++;
	feedback_finish(fb);
}

static const struct wp_presentation_feedback_listener feedback_listener = {
	.sync_output = handle_feedback_sync_output,
	.presented = handle_feedback_presented,
	.discarded = handle_feedback_discarded,
};

static void request_feedback(struct app *app, long frame)
{
	struct zcc_globals *g = &app->client.globals;
	struct feedback *fb = calloc(1, sizeof(*fb));
	if (!g->presentation || !fb) {
		free(fb);
		return;
	}
	fb->app = app;
	fb->frame = frame;
	fb->commit_ns = g->has_presentation_clock ? zcc_now_nsec(g->presentation_clock) : -1;
	fb->resource = wp_presentation_feedback(g->presentation, app->window.surface);
	wp_presentation_feedback_add_listener(fb->resource, &feedback_listener, fb);
	app->pending_feedbacks++;
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

/* ---- the frame loop ---- */

/* With explicit sync, the acquire point is signalled right after the
 * commit went out unless the frame is held (signal_acquire false). */
bool submit_frame(struct app *app, struct slot *slot, long frame, bool signal_acquire)
{
	app->frame_done = app->fifo != NULL;
	if (app->fifo) {
		wp_fifo_v1_set_barrier(app->fifo);
		wp_fifo_v1_wait_barrier(app->fifo);
	} else {
		app->frame_cb = wl_surface_frame(app->window.surface);
		wl_callback_add_listener(app->frame_cb, &frame_listener, app);
	}
	request_feedback(app, frame);
	if (app->opt.explicit_sync && !dmabuf_sync_set_points(&app->sync, &slot->rel, frame))
		return false;
	struct wl_surface *content = content_surface(app);
	wl_surface_attach(content, slot->wl_buffer, 0, 0);
	wl_surface_damage_buffer(content, 0, 0, INT32_MAX, INT32_MAX);
	wl_surface_commit(content);
	if (content != app->window.surface)
		wl_surface_commit(app->window.surface);
	slot->busy = true;
	app->submitted++;
	if (!app->opt.explicit_sync || !signal_acquire)
		return true;
	wl_display_flush(app->client.display);
	return dmabuf_sync_signal_acquire(&app->sync);
}

static void submit(struct app *app, struct slot *slot)
{
	submit_frame(app, slot, (long)app->submitted, true);
}

/* Waits for the frame callback and then for the rate's period. */
static bool pace(struct app *app, int64_t *next_ns)
{
	if (!app_dispatch_until(app, &app->frame_done, TIMEOUT_MS))
		return false;
	/* fifo: the buffers' releases hold the client back, not callbacks. */
	if (app->fifo && wl_display_flush(app->client.display) < 0)
		return false;
	if (app->opt.rate <= 0)
		return true;
	int64_t now = zcc_now_nsec(CLOCK_MONOTONIC);
	while (now < *next_ns && !stop_requested) {
		app_dispatch(app, (int)((*next_ns - now) / 1000000) + 1);
		now = zcc_now_nsec(CLOCK_MONOTONIC);
	}
	*next_ns = now + (int64_t)(1e9 / app->opt.rate);
	return true;
}

int64_t capture_frame_number(struct app *app)
{
	struct zcc_image image;
	char err[256];
	if (!zcc_capture_output(app->client.display, &app->client.globals,
		    app->client.globals.outputs[0].wl_output, &image, err, sizeof(err))) {
		fprintf(stderr, "zc-dmabuf: capture failed: %s\n", err);
		return -2;
	}
	int64_t frame = zcc_image_read_frame(&image, (int32_t)app->origin_x,
		(int32_t)app->origin_y);
	zcc_image_finish(&image);
	return frame;
}

/* Frame 1 goes out with an unsignalled write fence on its buffer, as a busy
 * GPU would leave it: zcomp must keep showing frame 0, keep answering (the
 * capture proves it), and show frame 1 once the fence signals. */
static bool fence_hold(struct app *app, struct slot *slot)
{
	struct vgem_fence_attach attach = { .handle = slot->alloc.handle,
		.flags = VGEM_FENCE_WRITE };
	if (app->opt.buf.source != DMABUF_SOURCE_DUMB ||
	    ioctl(app->card_fd, VGEM_IOCTL_FENCE_ATTACH, &attach) < 0) {
		fprintf(stderr, "zc-dmabuf: --fence-hold needs dumb buffers on vgem: %s\n",
			strerror(errno));
		return false;
	}
	int64_t t0 = zcc_now_nsec(CLOCK_MONOTONIC);
	submit(app, slot);
	int64_t shown = capture_frame_number(app);
	int64_t capture_ms = (zcc_now_nsec(CLOCK_MONOTONIC) - t0) / 1000000;
	poll(NULL, 0, app->opt.fence_hold_ms);
	struct vgem_fence_signal sig = { .fence = attach.out_fence };
	ioctl(app->card_fd, VGEM_IOCTL_FENCE_SIGNAL, &sig);
	bool ok = shown == 0 && capture_ms < app->opt.fence_hold_ms;
	printf("fence-hold: while fenced frame %lld shown (want 0), capture answered in %lld ms "
	       "(hold %d ms): %s\n", (long long)shown, (long long)capture_ms,
	       app->opt.fence_hold_ms, ok ? "ok" : "FAIL");
	return ok;
}

/* A new preferred scale: buffers of the new size from the next frame on.
 * zcomp keeps showing the old one (destroyed, not yet released) until then. */
static bool rescale(struct app *app)
{
	for (int i = 0; i < MAX_BUFFERS; i++)
		slot_destroy(app, &app->slots[i]);
	if (!fractional_apply(app))
		return false;
	window_place(app);
	return true;
}

static bool run_frames(struct app *app)
{
	int64_t next_ns = 0;
	bool ok = true;
	for (long frame = 0; !stop_requested && !app->window.closed &&
	     (app->opt.frames == 0 || frame < app->opt.frames); frame++) {
		if (fractional_changed(app) && !rescale(app))
			return false;
		struct slot *slot = slot_acquire(app);
		if (!slot) {
			fprintf(stderr, "zc-dmabuf: no buffer released in %d ms\n", TIMEOUT_MS);
			return false;
		}
		if (!slot->wl_buffer && !slot_create(app, slot))
			return false;
		if (!dmabuf_write_pattern(&slot->alloc, &app->client.layout, (uint32_t)frame))
			return false;
		if (frame == 1 && app->opt.fence_hold_ms > 0)
			ok = fence_hold(app, slot) && ok;
		else if (frame == sync_hold_frame(app))
			ok = sync_hold(app, slot, frame) && ok;
		else if (!submit_frame(app, slot, frame, true))
			return false;
		if (app->queued_frame == frame + 1)
			frame++; /* sync_hold submitted it too */
		if (!pace(app, &next_ns)) {
			fprintf(stderr, "zc-dmabuf: no frame callback in %d ms\n", TIMEOUT_MS);
			return false;
		}
	}
	return ok;
}

/* ---- checks ---- */

/* YUV is decoded by libyuv (CPU) or the GPU, both in fixed point of their
 * own: within 3 levels of the reference matrix. Other formats are exact. */
static bool rgb_matches(const struct dmabuf_layout *l, struct zcc_rgb want, struct zcc_rgb got)
{
	if (!dmabuf_format_is_yuv(l->format))
		return zcc_rgb_equal(want, got);
	for (int i = 0; i < 3; i++) {
		int w = want.c[i] >> (want.bits[i] - 8), g = got.c[i] >> (got.bits[i] - 8);
		if (w - g > 3 || g - w > 3)
			return false;
	}
	return true;
}

static bool verify_last_frame(struct app *app)
{
	struct zcc_image image;
	char err[256];
	if (!zcc_capture_output(app->client.display, &app->client.globals,
		    app->client.globals.outputs[0].wl_output, &image, err, sizeof(err))) {
		fprintf(stderr, "zc-dmabuf: capture failed: %s\n", err);
		return false;
	}
	const struct dmabuf_layout *l = &app->client.layout;
	uint32_t frame = (uint32_t)(app->submitted - 1);
	long bad = 0;
	for (int32_t y = 0; y < l->height; y++) {
		for (int32_t x = 0; x < l->width; x++) {
			struct zcc_rgb want = dmabuf_expected_rgb(l, frame, x, y);
			struct zcc_rgb got = zcc_image_get(&image, (int32_t)app->origin_x + x,
				(int32_t)app->origin_y + y);
			if (rgb_matches(l, want, got))
				continue;
			if (bad++ < 5)
				fprintf(stderr, "zc-dmabuf: (%d,%d) is %u,%u,%u, want %u,%u,%u\n", x,
					y, got.c[0], got.c[1], got.c[2], want.c[0], want.c[1],
					want.c[2]);
		}
	}
	zcc_image_finish(&image);
	printf("verify: frame %u, %ld of %ld pixels differ: %s\n", frame, bad,
		(long)l->width * l->height, bad ? "FAIL" : "ok");
	return bad == 0;
}

/* One fresh dma-buf and wl_buffer per cycle, shown and destroyed: what a
 * client that never reuses buffers does to zcomp. */
static bool run_cycles(struct app *app)
{
	for (long i = 0; i < app->opt.cycles && !stop_requested; i++) {
		struct slot slot = { .alloc = { .fd = -1 } };
		bool ok = slot_create(app, &slot) &&
			dmabuf_write_pattern(&slot.alloc, &app->client.layout, (uint32_t)i);
		if (ok) {
			submit(app, &slot);
			/* Wait now and then, so some of them are really drawn. */
			ok = i % 25 ? wl_display_roundtrip(app->client.display) >= 0 :
				pace(app, &(int64_t){ 0 });
		}
		/* Destroyed while still on screen: zcomp keeps the pixels until the
		 * next buffer replaces them, then frees everything. */
		slot_destroy(app, &slot);
		if (!ok) {
			fprintf(stderr, "zc-dmabuf: cycle %ld failed\n", i);
			return false;
		}
	}
	printf("cycles: %ld buffers created, shown and destroyed\n", app->opt.cycles);
	return wl_display_roundtrip(app->client.display) >= 0;
}

static void print_summary(struct app *app)
{
	const struct dmabuf_layout *l = &app->client.layout;
	static const char *const sources[] = { "udmabuf", "dumb", "heap" };
	zcc_latencies_sort(&app->latencies);
	printf("zc-dmabuf: %s %s %dx%d stride %u offset %u: submitted %u presented %u "
	       "discarded %u zero-copy %u latency p50 %.2f ms p99 %.2f ms missed %u\n",
		sources[app->opt.buf.source], dmabuf_format_name(l->format), l->width, l->height,
		l->stride[0], l->offset[0], app->submitted, app->presented, app->discarded,
		app->zero_copy, zcc_latencies_ms(&app->latencies, 0.5),
		zcc_latencies_ms(&app->latencies, 0.99), app->latencies.missed);
	if (app->fractional)
		printf("zc-dmabuf: fractional: %dx%d buffers at scale %u/120, viewport %dx%d\n",
			l->width, l->height, app->buffers_scale_120, app->logical_width,
			app->logical_height);
}

static bool run(struct app *app)
{
	if (!window_create(app) || (app->opt.explicit_sync && !sync_start(app)))
		return false;
	if (app->opt.cycles)
		return run_cycles(app);
	bool ok = run_frames(app);
	/* A still window: whatever zcomp repaints of it then, it repaints
	 * from its damage tracking alone. */
	while (ok && app->opt.linger && !stop_requested && !app->window.closed &&
	       app_dispatch(app, 1000) >= 0)
		;
	/* The last frames' feedback, before counting. */
	int64_t deadline = zcc_now_nsec(CLOCK_MONOTONIC) + (int64_t)TIMEOUT_MS * 1000000;
	while (ok && app->pending_feedbacks && zcc_now_nsec(CLOCK_MONOTONIC) < deadline)
		zcc_dispatch_timeout(app->client.display, 100);
	if (ok && app->opt.verify && app->submitted)
		ok = verify_last_frame(app);
	if (ok && app->opt.explicit_sync)
		ok = verify_sync(app);
	print_summary(app);
	if (app->opt.explicit_sync) {
		window_destroy(app);
		ok = verify_all_released(app) && ok;
	}
	return ok;
}


int main(int argc, char **argv)
{
	struct app app = { .card_fd = -1 };
	if (!parse_args(argc, argv, &app.opt))
		return 2;
	signal(SIGINT, handle_signal);
	signal(SIGTERM, handle_signal);
	if (app.opt.provoke)
		return dmabuf_provoke(&app.opt.buf, app.opt.provoke) ? 0 : 1;
	if (app.opt.provoke_sync)
		return dmabuf_sync_provoke(&app.opt.buf, app.opt.sync_device, app.opt.provoke_sync) ?
			0 : 1;
	if (app.opt.buf.source == DMABUF_SOURCE_DUMB &&
	    (app.card_fd = dmabuf_open_card(app.opt.buf.device)) < 0)
		return 1;
	app.sync.fd = -1;
	app.hold_frame = -1;
	app.queued_frame = -1;
	for (int i = 0; i < MAX_BUFFERS; i++)
		app.slots[i] = (struct slot){ .alloc = { .fd = -1 }, .rel = { .efd = -1 } };
	bool ok = dmabuf_client_connect(&app.client, &app.opt.buf) && run(&app);
	for (int i = 0; i < MAX_BUFFERS; i++)
		slot_destroy(&app, &app.slots[i]);
	window_destroy(&app);
	if (app.queue_timeline.handle)
		dmabuf_sync_timeline_destroy(&app.sync, &app.queue_timeline);
	dmabuf_sync_finish(&app.sync);
	free(app.records);
	dmabuf_client_disconnect(&app.client);
	if (app.card_fd >= 0)
		close(app.card_fd);
	zcc_latencies_finish(&app.latencies);
	return ok ? 0 : 1;
}
