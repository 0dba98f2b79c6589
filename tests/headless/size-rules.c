/* The xdg-shell size rules zcomp applies, as README "Windows: placement and
 * size rules" lists them (issue 15): what each configure asks for, and
 * where a window that commits another size than asked ends up. */
#include "zct.h"

#define OUT_W 128
#define OUT_H 96

enum request { MAXIMIZE, UNMAXIMIZE, FULLSCREEN, UNFULLSCREEN };

/* A state change: the configure size it must bring, the size the client
 * then commits, and where that lands (x < 0: not checked). */
struct step {
	const char *what;
	enum request request;
	int32_t want_w, want_h;
	int32_t commit_w, commit_h;
	int32_t x, y;
};

static void send_request(struct xdg_toplevel *toplevel, enum request request)
{
	switch (request) {
	case MAXIMIZE: xdg_toplevel_set_maximized(toplevel); break;
	case UNMAXIMIZE: xdg_toplevel_unset_maximized(toplevel); break;
	case FULLSCREEN: xdg_toplevel_set_fullscreen(toplevel, NULL); break;
	case UNFULLSCREEN: xdg_toplevel_unset_fullscreen(toplevel); break;
	}
}

/* Commits a width x height buffer showing frame_number and waits until it
 * is on the output, so that a capture shows it. */
static void commit_size(struct zct_window *window, int32_t width, int32_t height,
	uint32_t frame_number, const char *what)
{
	struct zcc_buffer *buffer = zct_pattern_buffer(window->client, width, height,
		WL_SHM_FORMAT_XRGB8888, frame_number);
	if (!buffer)
		return;
	struct zct_frame frame = { 0 };
	zct_request_frame(window->surface, &frame);
	zct_show(window->surface, buffer);
	ZCT_CHECK(zct_wait(window->client, &frame.done, 2000), "%s: not shown", what);
	zct_expect_no_error(window->client, what);
	zcc_buffer_destroy(window->buffer);
	window->buffer = buffer;
}

/* The pattern of frame_number's buffer has its top-left corner at x, y. */
static void expect_at(struct zct_client *client, int32_t x, int32_t y, uint32_t frame_number,
	const char *what)
{
	struct zcc_image image;
	if (!zct_capture(client, 0, &image))
		return;
	int64_t shown = zcc_image_read_frame(&image, x, y);
	ZCT_CHECK(shown == frame_number, "%s: frame %lld at %d,%d, want frame %u", what,
		(long long)shown, x, y, frame_number);
	zcc_image_finish(&image);
}

static void run_steps(struct zct_window *window, const struct step *steps, int n)
{
	for (int i = 0; i < n; i++) {
		const struct step *s = &steps[i];
		send_request(window->toplevel, s->request);
		if (!zct_window_ack_configure(window, s->what))
			return;
		ZCT_CHECK(window->width == s->want_w && window->height == s->want_h,
			"%s: configure %dx%d, want %dx%d", s->what, window->width, window->height,
			s->want_w, s->want_h);
		uint32_t frame_number = 10 + (uint32_t)i;
		commit_size(window, s->commit_w, s->commit_h, frame_number, s->what);
		if (s->x >= 0)
			expect_at(window->client, s->x, s->y, frame_number, s->what);
	}
}

/* A mapped 32x32 window with these limits committed. */
static struct zct_window *limited_window(struct zct_client *client, int32_t min_w,
	int32_t min_h, int32_t max_w, int32_t max_h)
{
	struct zct_window *window = zct_window_create(client, false);
	if (!window || !zct_window_map(window)) {
		zct_window_destroy(window);
		return NULL;
	}
	xdg_toplevel_set_min_size(window->toplevel, min_w, min_h);
	xdg_toplevel_set_max_size(window->toplevel, max_w, max_h);
	wl_surface_commit(window->surface);
	return window;
}

/* Maximized: the output clamped to the max size, in the output's corner;
 * back to floating: the last floating size; fullscreen: the output whatever
 * the max size, a smaller window (SDL's, not resizable) centred. */
static const struct step max_steps[] = {
	{ "maximized, max size 100x50", MAXIMIZE, 100, 50, 100, 50, 0, 0 },
	{ "back from maximized", UNMAXIMIZE, 32, 32, 32, 32, -1, -1 },
	{ "fullscreen, max size 100x50", FULLSCREEN, OUT_W, OUT_H, 100, 50,
	  (OUT_W - 100) / 2, (OUT_H - 50) / 2 },
	{ "back from fullscreen", UNFULLSCREEN, 32, 32, 32, 32, -1, -1 },
};

/* A min size over the output's: the maximized configure is the min size,
 * the window in the output's corner. */
static const struct step min_steps[] = {
	{ "maximized, min size 200x150", MAXIMIZE, 200, 150, 200, 150, 0, 0 },
};

/* A maximized window keeping a smaller size of its own (SDL, a window that
 * is not resizable): tolerated, in the output's corner. */
static const struct step own_size_steps[] = {
	{ "maximized, keeping 32x32", MAXIMIZE, OUT_W, OUT_H, 32, 32, 0, 0 },
};

static void test_size_rules(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, false) : NULL;
	struct zct_window *other = NULL;
	if (!window)
		goto cleanup;
	ZCT_CHECK(window->width == 0 && window->height == 0,
		"initial configure of a floating window %dx%d, want 0x0", window->width,
		window->height);
	zct_window_destroy(window);
	window = limited_window(client, 0, 0, 100, 50);
	if (window)
		run_steps(window, max_steps, ZC_LEN(max_steps));
	/* A floating window's other configures leave the size to the client. */
	other = limited_window(client, 200, 150, 0, 0);
	if (window && other) {
		ZCT_CHECK(window->width == 0 && window->height == 0,
			"floating window deactivated: configure %dx%d, want 0x0", window->width,
			window->height);
		run_steps(other, min_steps, ZC_LEN(min_steps));
	}
	zct_window_destroy(other);
	other = limited_window(client, 0, 0, 0, 0);
	if (other)
		run_steps(other, own_size_steps, ZC_LEN(own_size_steps));
cleanup:
	zct_window_destroy(other);
	zct_window_destroy(window);
	zct_client_destroy(client);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = OUT_W, .height = OUT_H };
	if (zct_compositor_start(&comp, &config))
		ZCT_RUN(test_size_rules, &comp);
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
