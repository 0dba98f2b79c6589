/* The xdg-shell size rules zcomp applies, as README "Windows: placement and
 * size rules" lists them (issue 15): what each configure asks for, and
 * where a window that commits another size than asked ends up. */
#include "zct.h"

#define OUT_W 128
#define OUT_H 96

/* Roundtrips for the configure a request brought and acks it. */
static void take_configure(struct zct_client *client, struct zct_window *window,
	const char *what)
{
	int before = window->n_configures;
	zct_roundtrip(client);
	ZCT_CHECK(window->n_configures > before, "%s: no configure", what);
	xdg_surface_ack_configure(window->xdg_surface, window->serial);
}

/* Commits a width x height buffer showing frame and waits until it is on
 * the output, so that a capture shows it. */
static void commit_size(struct zct_client *client, struct zct_window *window, int32_t width,
	int32_t height, uint32_t frame_number, const char *what)
{
	struct zcc_buffer *buffer = zct_pattern_buffer(client, width, height,
		WL_SHM_FORMAT_XRGB8888, frame_number);
	if (!buffer)
		return;
	struct zct_frame frame = { 0 };
	zct_request_frame(window->surface, &frame);
	zct_show(window->surface, buffer);
	ZCT_CHECK(zct_wait(client, &frame.done, 2000), "%s: not shown", what);
	zct_expect_no_error(client, what);
	zcc_buffer_destroy(window->buffer);
	window->buffer = buffer;
}

/* The window shows frame_number's pattern as width x height at x, y. */
static void expect_shown(struct zct_client *client, int32_t x, int32_t y, int32_t width,
	int32_t height, uint32_t frame_number, const char *what)
{
	struct zcc_image image;
	if (!zct_capture(client, 0, &image))
		return;
	ZCT_CHECK(zct_compare_pattern(&image, x, y, width, height, WL_SHM_FORMAT_XRGB8888,
		frame_number) == 0, "%s: not shown as %dx%d at %d,%d", what, width, height, x, y);
	zcc_image_finish(&image);
}

static void expect_size(const struct zct_window *window, int32_t width, int32_t height,
	const char *what)
{
	ZCT_CHECK(window->width == width && window->height == height,
		"%s: configure %dx%d, want %dx%d", what, window->width, window->height, width,
		height);
}

/* Maximized: the output clamped to max size; back to floating: the last
 * floating size; fullscreen: the output whatever the max size, a smaller
 * window centred; a floating window's other configures: 0x0. */
static void test_max_size(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, false) : NULL;
	struct zct_window *other = NULL;
	if (!window)
		goto cleanup;
	expect_size(window, 0, 0, "initial configure of a floating window");
	if (!zct_window_map(window))
		goto cleanup;
	xdg_toplevel_set_max_size(window->toplevel, 100, 50);
	wl_surface_commit(window->surface);
	xdg_toplevel_set_maximized(window->toplevel);
	take_configure(client, window, "maximize");
	expect_size(window, 100, 50, "maximized with max size 100x50");
	commit_size(client, window, 100, 50, 1, "maximized 100x50");
	expect_shown(client, 0, 0, 100, 50, 1, "maximized");

	xdg_toplevel_unset_maximized(window->toplevel);
	take_configure(client, window, "unmaximize");
	expect_size(window, 32, 32, "back from maximized");
	commit_size(client, window, 32, 32, 2, "floating again");

	xdg_toplevel_set_fullscreen(window->toplevel, NULL);
	take_configure(client, window, "fullscreen");
	expect_size(window, OUT_W, OUT_H, "fullscreen with max size 100x50");
	/* As SDL does for a window that is not resizable: its own size. */
	commit_size(client, window, 100, 50, 3, "fullscreen, smaller");
	expect_shown(client, (OUT_W - 100) / 2, (OUT_H - 50) / 2, 100, 50, 3,
		"fullscreen smaller than the output, centred");

	xdg_toplevel_unset_fullscreen(window->toplevel);
	take_configure(client, window, "unfullscreen");
	expect_size(window, 32, 32, "back from fullscreen");
	commit_size(client, window, 32, 32, 4, "floating at last");

	int before = window->n_configures;
	other = zct_window_create(client, false);
	if (other && zct_window_map(other)) {
		zct_roundtrip(client);
		ZCT_CHECK(window->n_configures > before, "no configure on losing activation");
		expect_size(window, 0, 0, "floating window deactivated");
	}
cleanup:
	zct_window_destroy(other);
	zct_window_destroy(window);
	zct_client_destroy(client);
}

/* A min size over the output's: the maximized configure is the min size,
 * and the window starts in the output's corner. A maximized window that
 * keeps a smaller size (SDL with a window that is not resizable) is
 * tolerated and in the corner too. */
static void test_min_size(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *big = client ? zct_window_create(client, false) : NULL;
	struct zct_window *fixed = client ? zct_window_create(client, false) : NULL;
	if (!big || !fixed || !zct_window_map(big) || !zct_window_map(fixed))
		goto cleanup;
	xdg_toplevel_set_min_size(big->toplevel, 200, 150);
	wl_surface_commit(big->surface);
	xdg_toplevel_set_maximized(big->toplevel);
	take_configure(client, big, "maximize with min size");
	expect_size(big, 200, 150, "maximized with min size 200x150");
	commit_size(client, big, 200, 150, 5, "maximized 200x150");
	struct zcc_image image;
	if (zct_capture(client, 0, &image)) {
		ZCT_CHECK(zcc_image_read_frame(&image, 0, 0) == 5,
			"maximized window larger than the output not in its corner");
		zcc_image_finish(&image);
	}
	xdg_toplevel_set_maximized(fixed->toplevel);
	take_configure(client, fixed, "maximize a fixed-size window");
	commit_size(client, fixed, 32, 32, 6, "maximized, keeping 32x32");
	expect_shown(client, 0, 0, 32, 32, 6, "maximized window keeping its size");
cleanup:
	zct_window_destroy(fixed);
	zct_window_destroy(big);
	zct_client_destroy(client);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = OUT_W, .height = OUT_H };
	if (zct_compositor_start(&comp, &config)) {
		ZCT_RUN(test_max_size, &comp);
		ZCT_RUN(test_min_size, &comp);
	}
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
