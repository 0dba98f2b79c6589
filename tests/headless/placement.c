/* Window placement (issue 15): new toplevels cascade on the output instead
 * of piling up at 0,0, and a dialog (xdg_toplevel.set_parent) is centred on
 * its parent. zcomp runs in this process so the test reads the views'
 * positions. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "zct.h"
#include "base/log.h"
#include "core/surface.h"

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

/* A toplevel with a small buffer of its own size, mapped and committed. */
static struct zct_window *dialog_create(struct zct_client *client, struct zct_window *parent)
{
	struct zct_window *dialog = zct_window_create(client, false);
	if (!dialog)
		return NULL;
	xdg_toplevel_set_parent(dialog->toplevel, parent->toplevel);
	dialog->buffer = zct_pattern_buffer(client, 10, 6, WL_SHM_FORMAT_XRGB8888, 2);
	if (dialog->buffer) {
		wl_surface_attach(dialog->surface, dialog->buffer->wl_buffer, 0, 0);
		wl_surface_commit(dialog->surface);
	}
	zct_roundtrip(client);
	return dialog;
}

static void test_placement(struct harness *h, struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *a = client ? zct_window_create(client, false) : NULL;
	struct zct_window *b = client ? zct_window_create(client, false) : NULL;
	struct zct_window *dialog = NULL;
	if (!a || !b || !zct_window_map(a) || !zct_window_map(b))
		goto cleanup;
	dialog = dialog_create(client, b);
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

int main(void)
{
	char dir[] = "/tmp/zc-placement-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	setenv("XDG_RUNTIME_DIR", dir, 1);
	zc_log_init(ZC_LOG_WARN);
	struct harness h;
	struct zct_compositor comp = { 0 };
	snprintf(comp.socket_path, sizeof(comp.socket_path), "%s/%s", dir, SOCKET);
	if (harness_start(&h, SOCKET, NULL))
		ZCT_RUN(test_placement, &h, &comp);
	else
		ZCT_CHECK(false, "set-up failed");
	harness_stop(&h);
	rmdir(dir);
	return zct_exit_status();
}
