/* (c) wl_buffer.release: sent once a buffer is no longer shown, never while
 * it still is. */
#include "zct.h"

#define W 64
#define H 48

/* Dispatches for about ms, so late events have every chance to arrive. */
static void settle(struct zct_client *client, int ms)
{
	for (int i = 0; i < ms / 10; i++)
		zcc_dispatch_timeout(client->display, 10);
}

static bool show_frame(struct zct_client *client, struct zct_window *window,
	struct zcc_buffer *buffer)
{
	struct zct_frame frame = { 0 };
	zct_request_frame(window->surface, &frame);
	zct_show(window->surface, buffer);
	bool ok = zct_wait(client, &frame.done, 2000);
	ZCT_CHECK(ok, "no frame callback");
	return ok;
}

static bool wait_released(struct zct_client *client, struct zcc_buffer *buffer)
{
	bool released = false;
	for (int i = 0; i < 200 && !released; i++) {
		zcc_dispatch_timeout(client->display, 10);
		released = !buffer->busy;
	}
	return released;
}

static void check_shows(struct zct_client *client, uint32_t frame, const char *when)
{
	struct zcc_image image;
	if (!zct_capture(client, 0, &image))
		return;
	ZCT_CHECK(zct_compare_pattern(&image, 0, 0, W, H, WL_SHM_FORMAT_XRGB8888, frame) == 0,
		"%s: frame %u is not on screen", when, frame);
	zcc_image_finish(&image);
}

static void test_release_after_replace(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, true) : NULL;
	struct zcc_buffer *a = NULL, *b = NULL;
	if (!window)
		goto cleanup;
	a = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 1);
	b = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 2);

	show_frame(client, window, a);
	settle(client, 100);
	ZCT_CHECK(a->busy, "A was released while it is shown");
	check_shows(client, 1, "A shown");

	show_frame(client, window, b);
	ZCT_CHECK(wait_released(client, a), "A not released after B replaced it");
	settle(client, 50);
	ZCT_CHECK(b->busy, "B was released while it is shown");
	check_shows(client, 2, "B shown");

	/* A released buffer may be reused; then B goes. */
	zcc_pattern_fill(a->data, a->stride, W, H, a->format, 3);
	show_frame(client, window, a);
	ZCT_CHECK(wait_released(client, b), "B not released after A came back");
	ZCT_CHECK(a->busy, "A was released while shown again");
	check_shows(client, 3, "A reused");

	/* Committing the shown buffer again (new damage) keeps it. */
	zcc_pattern_fill(a->data, a->stride, W, H, a->format, 4);
	show_frame(client, window, a);
	settle(client, 50);
	ZCT_CHECK(a->busy, "A was released after being committed again");
	check_shows(client, 4, "A recommitted");

	/* Unmapping (a NULL buffer) releases it. */
	wl_surface_attach(window->surface, NULL, 0, 0);
	wl_surface_commit(window->surface);
	ZCT_CHECK(wait_released(client, a), "A not released after attaching NULL");
	zct_expect_no_error(client, "release sequence");
cleanup:
	zct_window_destroy(window);
	zcc_buffer_destroy(a);
	zcc_buffer_destroy(b);
	zct_client_destroy(client);
}

static void test_release_on_surface_destroy(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, true) : NULL;
	struct zcc_buffer *a = NULL;
	if (!window)
		goto cleanup;
	a = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 5);
	show_frame(client, window, a);
	settle(client, 30);
	ZCT_CHECK(a->busy, "released while shown");
	xdg_toplevel_destroy(window->toplevel);
	xdg_surface_destroy(window->xdg_surface);
	wl_surface_destroy(window->surface);
	window->toplevel = NULL;
	window->xdg_surface = NULL;
	window->surface = NULL;
	ZCT_CHECK(wait_released(client, a), "not released after its surface was destroyed");
	zct_expect_no_error(client, "surface destroy");
cleanup:
	zct_window_destroy(window);
	zcc_buffer_destroy(a);
	zct_client_destroy(client);
}

/*
 * A buffer that comes back after a release may have changed anywhere, whatever
 * damage the client sends with it (damage is relative to the surface's previous
 * buffer). Here A returns before B was ever drawn, so "drawn in the previous
 * frame" cannot tell that A's cached copy (GL texture, pixman shadow) is stale.
 */
static void test_reuse_before_repaint(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, true) : NULL;
	struct zcc_buffer *a = NULL, *b = NULL;
	if (!window)
		goto cleanup;
	a = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 11);
	b = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 12);
	show_frame(client, window, a);
	check_shows(client, 11, "A shown");

	zct_show(window->surface, b);
	ZCT_CHECK(wait_released(client, a), "A not released after B replaced it");
	zcc_pattern_fill(a->data, a->stride, W, H, a->format, 13);
	struct zct_frame frame = { 0 };
	zct_request_frame(window->surface, &frame);
	wl_surface_attach(window->surface, a->wl_buffer, 0, 0);
	wl_surface_damage_buffer(window->surface, 0, 0, 1, 1);
	a->busy = true;
	wl_surface_commit(window->surface);
	ZCT_CHECK(zct_wait(client, &frame.done, 2000), "no frame callback for A");
	check_shows(client, 13, "A back with 1x1 damage");
	zct_expect_no_error(client, "reuse before repaint");
cleanup:
	zct_window_destroy(window);
	zcc_buffer_destroy(a);
	zcc_buffer_destroy(b);
	zct_client_destroy(client);
}

/* Destroying a wl_buffer while it is shown is legal; zcomp must cope. */
static void test_destroy_shown_buffer(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, true) : NULL;
	struct zcc_buffer *a = NULL, *b = NULL;
	if (!window)
		goto cleanup;
	a = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 6);
	b = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 7);
	show_frame(client, window, a);
	zcc_buffer_destroy(a);
	a = NULL;
	settle(client, 50);
	show_frame(client, window, b);
	check_shows(client, 7, "after destroying the shown buffer");
	zct_expect_no_error(client, "destroyed shown buffer");
	zct_compositor_alive(comp);
cleanup:
	zct_window_destroy(window);
	zcc_buffer_destroy(a);
	zcc_buffer_destroy(b);
	zct_client_destroy(client);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = W, .height = H };
	if (zct_compositor_start(&comp, &config)) {
		ZCT_RUN(test_release_after_replace, &comp);
		ZCT_RUN(test_release_on_surface_destroy, &comp);
		ZCT_RUN(test_destroy_shown_buffer, &comp);
		ZCT_RUN(test_reuse_before_repaint, &comp);
	}
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
