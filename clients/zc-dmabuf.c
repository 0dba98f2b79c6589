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
#include "dmabuf-client.h"
#include "presentation-time-client-protocol.h"
#include "xdg-shell-client-protocol.h"

#define MAX_BUFFERS 8
#define TIMEOUT_MS 5000

/* vgem's fence ioctls (include/uapi/drm/vgem_drm.h), absent from libdrm. */
struct vgem_fence_attach {
	uint32_t handle, flags, out_fence, pad;
};
struct vgem_fence_signal {
	uint32_t fence, flags;
};
#define VGEM_FENCE_WRITE 0x1
#define VGEM_IOCTL_FENCE_ATTACH DRM_IOWR(DRM_COMMAND_BASE + 0x1, struct vgem_fence_attach)
#define VGEM_IOCTL_FENCE_SIGNAL DRM_IOW(DRM_COMMAND_BASE + 0x2, struct vgem_fence_signal)

struct options {
	struct dmabuf_client_options buf;
	long frames;
	double rate; /* frames per second; 0: every frame callback */
	int n_buffers;
	bool verify;
	bool window; /* a normal window where zcomp places it, not fullscreen */
	int fence_hold_ms;
	const char *provoke;
	long cycles;
};

struct slot {
	struct dmabuf_alloc alloc;
	struct wl_buffer *wl_buffer;
	bool busy;
};

struct app {
	struct options opt;
	struct dmabuf_client client;
	struct zcc_window window;
	bool frame_done;
	int card_fd;
	struct slot slots[MAX_BUFFERS];
	uint32_t submitted, presented, discarded, pending_feedbacks;
	uint32_t zero_copy; /* presented with the ZERO_COPY flag: scanned out directly */
	struct zcc_latencies latencies;
	int64_t origin_x, origin_y; /* where a fullscreen window lands */
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
	fprintf(f,
		"usage: zc-dmabuf [OPTIONS]\n"
		"  -S, --source=NAME   udmabuf, dumb or heap (default udmabuf)\n"
		"  -d, --device=DEV    dumb: card node path or driver name (default vgem)\n"
		"  -f, --format=NAME   xrgb8888 argb8888 xbgr8888 abgr8888 rgb565 nv12 yuv420 yuyv\n"
		"  -s, --size=WxH      buffer size (default 256x256)\n"
		"      --stride=BYTES  luma/RGB row stride (default: smallest, 4-aligned)\n"
		"      --offset=BYTES  offset of the first plane in the dma-buf\n"
		"  -n, --frames=N      frames to show, 0 = until killed (default 60)\n"
		"  -r, --rate=FPS      at most this many frames a second (default: as paced)\n"
		"  -b, --buffers=N     buffers in rotation, 1..%d (default 3)\n"
		"      --immed         create buffers with create_immed\n"
		"      --verify        capture the last frame and compare it pixel by pixel\n"
		"      --window        a normal window where zcomp places it, not fullscreen\n"
		"                      (not with --verify: the client cannot know where)\n"
		"      --fence-hold=MS dumb on vgem: hold frame 1 behind a vgem fence for MS\n"
		"      --cycles=N      create, show and destroy N buffers, one each\n"
		"      --provoke=CASE  provoke a protocol error (\"list\" names them, \"all\")\n",
		MAX_BUFFERS);
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
	return optind == argc && !(opt->window && opt->verify);
}

/* ---- window ---- */

/* Fullscreen, so a capture knows where to look: at the origin of an output
 * as large as the buffer, centred on a larger one. With --window zcomp
 * places it; a test that knows its placement checks the pixels. */
static bool window_create(struct app *app)
{
	struct zcc_globals *g = &app->client.globals;
	if (!g->wm_base || g->n_outputs == 0) {
		fprintf(stderr, "zc-dmabuf: no xdg_wm_base or no output\n");
		return false;
	}
	zcc_window_init(&app->window, g, "zc-dmabuf", !app->opt.window, g->outputs[0].wl_output);
	const struct zcc_output *out = &g->outputs[0];
	int32_t w = app->opt.buf.width, h = app->opt.buf.height;
	app->origin_x = w < out->mode_width ? (out->mode_width - w) / 2 : 0;
	app->origin_y = h < out->mode_height ? (out->mode_height - h) / 2 : 0;
	return zcc_dispatch_until(app->client.display, &app->window.configured, TIMEOUT_MS);
}

static void window_destroy(struct app *app)
{
	zcc_window_finish(&app->window);
}

/* ---- buffers ---- */

static void handle_buffer_release(void *data, struct wl_buffer *wl_buffer)
{
	((struct slot *)data)->busy = false;
}

static const struct wl_buffer_listener buffer_listener = {
	.release = handle_buffer_release,
};

static bool slot_create(struct app *app, struct slot *slot)
{
	if (!dmabuf_client_alloc(&app->client, &app->opt.buf, app->card_fd, &slot->alloc))
		return false;
	slot->wl_buffer = dmabuf_client_create_buffer(&app->client, &app->opt.buf,
		&slot->alloc);
	if (!slot->wl_buffer)
		return false;
	wl_buffer_add_listener(slot->wl_buffer, &buffer_listener, slot);
	return true;
}

static void slot_destroy(struct slot *slot)
{
	if (slot->wl_buffer)
		wl_buffer_destroy(slot->wl_buffer);
	if (slot->alloc.map || slot->alloc.fd >= 0)
		dmabuf_alloc_destroy(&slot->alloc);
	*slot = (struct slot){ .alloc = { .fd = -1 } };
}

/* A buffer zcomp is done with, waiting for a release if all are busy. */
static struct slot *slot_acquire(struct app *app)
{
	int64_t deadline = zcc_now_nsec(CLOCK_MONOTONIC) + (int64_t)TIMEOUT_MS * 1000000;
	while (!stop_requested) {
		for (int i = 0; i < app->opt.n_buffers; i++) {
			if (!app->slots[i].busy)
				return &app->slots[i];
		}
		int left = (int)((deadline - zcc_now_nsec(CLOCK_MONOTONIC)) / 1000000);
		if (left <= 0 || zcc_dispatch_timeout(app->client.display, left) < 0)
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
	if (fb->commit_ns >= 0)
		zcc_latencies_add(&app->latencies, when - fb->commit_ns);
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

static void request_feedback(struct app *app)
{
	struct zcc_globals *g = &app->client.globals;
	struct feedback *fb = calloc(1, sizeof(*fb));
	if (!g->presentation || !fb) {
		free(fb);
		return;
	}
	fb->app = app;
	fb->commit_ns = g->has_presentation_clock ? zcc_now_nsec(g->presentation_clock) : -1;
	fb->resource = wp_presentation_feedback(g->presentation, app->window.surface);
	wp_presentation_feedback_add_listener(fb->resource, &feedback_listener, fb);
	app->pending_feedbacks++;
}

static void handle_frame_done(void *data, struct wl_callback *callback, uint32_t time)
{
	((struct app *)data)->frame_done = true;
	wl_callback_destroy(callback);
}

static const struct wl_callback_listener frame_listener = {
	.done = handle_frame_done,
};

/* ---- the frame loop ---- */

static void submit(struct app *app, struct slot *slot)
{
	app->frame_done = false;
	wl_callback_add_listener(wl_surface_frame(app->window.surface), &frame_listener, app);
	request_feedback(app);
	wl_surface_attach(app->window.surface, slot->wl_buffer, 0, 0);
	wl_surface_damage_buffer(app->window.surface, 0, 0, INT32_MAX, INT32_MAX);
	wl_surface_commit(app->window.surface);
	slot->busy = true;
	app->submitted++;
}

/* Waits for the frame callback and then for the rate's period. */
static bool pace(struct app *app, int64_t *next_ns)
{
	if (!zcc_dispatch_until(app->client.display, &app->frame_done, TIMEOUT_MS))
		return false;
	if (app->opt.rate <= 0)
		return true;
	int64_t now = zcc_now_nsec(CLOCK_MONOTONIC);
	while (now < *next_ns && !stop_requested) {
		zcc_dispatch_timeout(app->client.display, (int)((*next_ns - now) / 1000000) + 1);
		now = zcc_now_nsec(CLOCK_MONOTONIC);
	}
	*next_ns = now + (int64_t)(1e9 / app->opt.rate);
	return true;
}

static int64_t capture_frame_number(struct app *app)
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

static bool run_frames(struct app *app)
{
	int64_t next_ns = 0;
	bool ok = true;
	for (long frame = 0; !stop_requested && !app->window.closed &&
	     (app->opt.frames == 0 || frame < app->opt.frames); frame++) {
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
		else
			submit(app, slot);
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
		slot_destroy(&slot);
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
	       "discarded %u zero-copy %u latency p50 %.2f ms p99 %.2f ms\n",
		sources[app->opt.buf.source], dmabuf_format_name(l->format), l->width, l->height,
		l->stride[0], l->offset[0], app->submitted, app->presented, app->discarded,
		app->zero_copy, zcc_latencies_ms(&app->latencies, 0.5),
		zcc_latencies_ms(&app->latencies, 0.99));
}

static bool run(struct app *app)
{
	if (!window_create(app))
		return false;
	if (app->opt.cycles)
		return run_cycles(app);
	bool ok = run_frames(app);
	/* The last frames' feedback, before counting. */
	int64_t deadline = zcc_now_nsec(CLOCK_MONOTONIC) + (int64_t)TIMEOUT_MS * 1000000;
	while (ok && app->pending_feedbacks && zcc_now_nsec(CLOCK_MONOTONIC) < deadline)
		zcc_dispatch_timeout(app->client.display, 100);
	if (ok && app->opt.verify && app->submitted)
		ok = verify_last_frame(app);
	print_summary(app);
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
	if (app.opt.buf.source == DMABUF_SOURCE_DUMB &&
	    (app.card_fd = dmabuf_open_card(app.opt.buf.device)) < 0)
		return 1;
	for (int i = 0; i < MAX_BUFFERS; i++)
		app.slots[i].alloc.fd = -1;
	bool ok = dmabuf_client_connect(&app.client, &app.opt.buf) && run(&app);
	for (int i = 0; i < MAX_BUFFERS; i++)
		slot_destroy(&app.slots[i]);
	window_destroy(&app);
	dmabuf_client_disconnect(&app.client);
	if (app.card_fd >= 0)
		close(app.card_fd);
	zcc_latencies_finish(&app.latencies);
	return ok ? 0 : 1;
}
