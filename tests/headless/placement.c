/* Window placement (issue 15): new toplevels cascade on the output under
 * the pointer instead of piling up at 0,0, never starting where another
 * window starts, and a dialog (xdg_toplevel.set_parent) is centred on its
 * parent and kept on the output. zcomp runs in this process so the test reads the views'
 * positions. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "zct.h"
#include "base/log.h"
#include "core/surface.h"
#include "input/seat.h"

#define SOCKET "zc-placement-test"
#define MAX_VIEWS 8

struct view_list {
	int n;
	int32_t x[MAX_VIEWS], y[MAX_VIEWS], w[MAX_VIEWS], h[MAX_VIEWS];
};

/* The mapped views, bottom to top (so in mapping order here). */
static void read_views(struct zc_server *server, void *arg)
{
	struct view_list *list = arg;
	struct zc_view *view;
	list->n = 0;
	wl_list_for_each(view, &server->views, link) {
		if (!view->mapped || list->n == MAX_VIEWS)
			continue;
		list->x[list->n] = view->x;
		list->y[list->n] = view->y;
		list->w[list->n] = view->surface->width;
		list->h[list->n] = view->surface->height;
		list->n++;
	}
}

/* A toplevel of width x height (a dialog of parent, if not NULL), mapped. */
static struct zct_window *sized_window(struct zct_client *client, struct zct_window *parent,
	int32_t width, int32_t height)
{
	struct zct_window *window = zct_window_create(client, false);
	if (!window)
		return NULL;
	if (parent)
		xdg_toplevel_set_parent(window->toplevel, parent->toplevel);
	window->width = width;
	window->height = height;
	if (!zct_window_map(window)) {
		zct_window_destroy(window);
		return NULL;
	}
	return window;
}

/* The topmost view: the window mapped last. */
static bool top_view(struct harness *h, int32_t *x, int32_t *y, int32_t *w, int32_t *hh)
{
	struct view_list views;
	server_run(h, read_views, &views);
	if (views.n == 0)
		return false;
	*x = views.x[views.n - 1];
	*y = views.y[views.n - 1];
	*w = views.w[views.n - 1];
	*hh = views.h[views.n - 1];
	return true;
}

static void test_placement(struct harness *h, struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *a = client ? zct_window_create(client, false) : NULL;
	struct zct_window *b = client ? zct_window_create(client, false) : NULL;
	struct zct_window *dialog = NULL;
	if (!a || !b || !zct_window_map(a) || !zct_window_map(b))
		goto cleanup;
	dialog = sized_window(client, b, 10, 6);
	struct view_list views;
	server_run(h, read_views, &views);
	ZCT_CHECK(views.n == 3, "%d mapped views, not 3", views.n);
	if (views.n != 3)
		goto cleanup;
	ZCT_CHECK(views.x[0] != views.x[1] || views.y[0] != views.y[1],
		"second window exactly over the first at %d,%d", views.x[0], views.y[0]);
	ZCT_CHECK(views.x[0] > 0 && views.y[0] > 0, "first window at the corner %d,%d",
		views.x[0], views.y[0]);
	ZCT_CHECK(views.w[2] == 10 && views.h[2] == 6, "dialog is %dx%d", views.w[2], views.h[2]);
	int32_t pcx = views.x[1] * 2 + views.w[1], pcy = views.y[1] * 2 + views.h[1];
	int32_t dcx = views.x[2] * 2 + views.w[2], dcy = views.y[2] * 2 + views.h[2];
	ZCT_CHECK(abs(pcx - dcx) <= 1 && abs(pcy - dcy) <= 1,
		"dialog at %d,%d (%dx%d) not centred on its parent at %d,%d (%dx%d)",
		views.x[2], views.y[2], views.w[2], views.h[2], views.x[1], views.y[1],
		views.w[1], views.h[1]);
	zct_expect_no_error(client, "placement");
cleanup:
	zct_window_destroy(dialog);
	zct_window_destroy(b);
	zct_window_destroy(a);
	zct_client_destroy(client);
}

/* Windows as big as the output: the cascade cannot keep them on it, and
 * still no two start at the same spot. */
static void test_big_windows(struct harness *h, struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *w[3] = { 0 };
	int32_t x[3], y[3], ww, hh;
	for (int i = 0; client && i < 3; i++) {
		w[i] = sized_window(client, NULL, 640, 480);
		if (!w[i] || !top_view(h, &x[i], &y[i], &ww, &hh))
			goto cleanup;
		for (int j = 0; j < i; j++)
			ZCT_CHECK(x[i] != x[j] || y[i] != y[j],
				"output-sized window %d placed exactly over window %d at %d,%d", i, j,
				x[i], y[i]);
	}
	zct_expect_no_error(client, "big windows");
cleanup:
	for (int i = 2; i >= 0; i--)
		zct_window_destroy(w[i]);
	zct_client_destroy(client);
}

/* A dialog larger than its parent is centred on it but kept on the output. */
static void test_dialog_on_output(struct harness *h, struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *parent = client ? sized_window(client, NULL, 32, 32) : NULL;
	struct zct_window *dialog = parent ? sized_window(client, parent, 600, 400) : NULL;
	int32_t x, y, w, hh;
	if (!dialog || !top_view(h, &x, &y, &w, &hh))
		goto cleanup;
	ZCT_CHECK(w == 600 && x >= 0 && y >= 0 && x + w <= 640 && y + hh <= 480,
		"600x400 dialog at %d,%d (%dx%d) is not on the 640x480 output", x, y, w, hh);
	zct_expect_no_error(client, "dialog on output");
cleanup:
	zct_window_destroy(dialog);
	zct_window_destroy(parent);
	zct_client_destroy(client);
}

/* Windows made INT32_MAX wide by a viewport, and a dialog of one: placed
 * without overflowing (the ASan/UBSan build runs this) or an error. */
static void test_huge_windows(struct harness *h, struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *huge = client ? zct_window_create(client, false) : NULL;
	struct zct_window *dialog = NULL;
	struct wp_viewport *vp = NULL;
	if (!huge || !client->globals.viewporter)
		goto cleanup;
	vp = wp_viewporter_get_viewport(client->globals.viewporter, huge->surface);
	wp_viewport_set_destination(vp, INT32_MAX, INT32_MAX);
	if (!zct_window_map(huge))
		goto cleanup;
	dialog = sized_window(client, huge, 10, 6);
	int32_t x, y, w, hh;
	if (dialog && top_view(h, &x, &y, &w, &hh))
		ZCT_CHECK(x >= 0 && y >= 0 && x + w <= 640 && y + hh <= 480,
			"dialog of an INT32_MAX window at %d,%d, not on the output", x, y);
	zct_expect_no_error(client, "huge windows");
cleanup:
	zct_window_destroy(dialog);
	if (vp)
		wp_viewport_destroy(vp);
	zct_window_destroy(huge);
	zct_client_destroy(client);
}

struct pointer_at {
	double x, y;
};

static void move_pointer(struct zc_server *server, void *arg)
{
	struct pointer_at *at = arg;
	seat_notify_motion_absolute(server->seat, 10, at->x, at->y);
	seat_notify_frame(server->seat);
}

/* A new window opens on the output under the pointer (the second output
 * is at 640,0), a floating one as a fullscreen one. */
static void test_pointer_output(struct harness *h, struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *a = NULL, *b = NULL, *full = NULL;
	int32_t x, y, w, hh;
	struct pointer_at right = { 900, 200 }, left = { 100, 100 };
	server_run(h, move_pointer, &right);
	a = client ? sized_window(client, NULL, 100, 80) : NULL;
	if (!a || !top_view(h, &x, &y, &w, &hh))
		goto cleanup;
	ZCT_CHECK(x >= 640 && x + w <= 1280 && y >= 0 && y + hh <= 480,
		"window at %d,%d, not on the second output under the pointer", x, y);
	/* Fullscreen from the start (no output named): that output too. */
	full = zct_window_create(client, true);
	if (!full || !zct_window_map(full) || !top_view(h, &x, &y, &w, &hh))
		goto cleanup;
	ZCT_CHECK(x == 640 && y == 0 && w == 640 && hh == 480,
		"fullscreen window at %d,%d (%dx%d), not covering the output under the pointer",
		x, y, w, hh);
	zct_window_destroy(full);
	full = NULL;
	server_run(h, move_pointer, &left);
	b = sized_window(client, NULL, 100, 80);
	if (!b || !top_view(h, &x, &y, &w, &hh))
		goto cleanup;
	ZCT_CHECK(x >= 0 && x + w <= 640, "window at %d,%d, not on the first output", x, y);
	zct_expect_no_error(client, "pointer output");
cleanup:
	zct_window_destroy(full);
	zct_window_destroy(b);
	zct_window_destroy(a);
	zct_client_destroy(client);
}

static const struct harness_test tests[] = {
	HARNESS_TEST(test_placement), /* first: before the pointer ever moved */
	HARNESS_TEST(test_big_windows),
	HARNESS_TEST(test_dialog_on_output),
	HARNESS_TEST(test_huge_windows),
	HARNESS_TEST(test_pointer_output),
};

int main(void)
{
	return harness_main(SOCKET, 2, tests, ZC_LEN(tests));
}
