/* The Qt 6 maximize/fullscreen/unmaximize sequence: the client acks each
 * state configure and commits its old buffer once more before redrawing.
 * zcomp must tolerate that transient mismatch (issue 15). */
#include "zct.h"

/* Asks for a state change, acks the configure it brings and commits the
 * old-sized buffer again, exactly as Qt does for one frame. */
static void ack_and_commit_old(struct zct_client *client, struct zct_window *window,
	const char *what)
{
	if (!zct_window_ack_configure(window, what))
		return;
	wl_surface_damage_buffer(window->surface, 0, 0, 1, 1);
	wl_surface_commit(window->surface);
	zct_expect_no_error(client, what);
}

/* Qt's next frame: a buffer of the configured size (or the old size when
 * the configure leaves it to the client). */
static void commit_new_size(struct zct_client *client, struct zct_window *window,
	int32_t old_w, int32_t old_h, const char *what)
{
	int32_t w = window->width > 0 ? window->width : old_w;
	int32_t h = window->height > 0 ? window->height : old_h;
	struct zcc_buffer *buffer = zct_pattern_buffer(client, w, h, WL_SHM_FORMAT_XRGB8888, 3);
	if (!buffer)
		return;
	wl_surface_attach(window->surface, buffer->wl_buffer, 0, 0);
	wl_surface_damage_buffer(window->surface, 0, 0, w, h);
	wl_surface_commit(window->surface);
	zct_expect_no_error(client, what);
	zcc_buffer_destroy(window->buffer);
	window->buffer = buffer;
}

static void test_qt_sequence(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, false) : NULL;
	if (!window || !zct_window_map(window))
		goto cleanup;
	int32_t old_w = window->buffer->width, old_h = window->buffer->height;
	xdg_toplevel_set_maximized(window->toplevel);
	ack_and_commit_old(client, window, "maximize, old size once");
	commit_new_size(client, window, old_w, old_h, "maximize, new size");
	ZCT_CHECK(window->width == 128 && window->height == 96,
		"maximized configure is %dx%d, not the output's 128x96", window->width, window->height);
	xdg_toplevel_set_fullscreen(window->toplevel, NULL);
	ack_and_commit_old(client, window, "fullscreen, old size once");
	commit_new_size(client, window, old_w, old_h, "fullscreen, new size");
	xdg_toplevel_unset_fullscreen(window->toplevel);
	xdg_toplevel_unset_maximized(window->toplevel);
	ack_and_commit_old(client, window, "unmaximize, old size once");
	commit_new_size(client, window, old_w, old_h, "unmaximize, new size");
cleanup:
	zct_window_destroy(window);
	zct_client_destroy(client);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = 128, .height = 96 };
	if (zct_compositor_start(&comp, &config))
		ZCT_RUN(test_qt_sequence, &comp);
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
