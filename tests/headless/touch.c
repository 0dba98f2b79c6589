/* Issue 8: wl_touch, driven in process through touch_notify_* (harness.h)
 * with two real clients, one window each: the touch capability follows
 * seat_set_touch_capable; each point goes to the surface it went down on,
 * in that surface's coordinates, even when it moves over the other window;
 * frames reach each client that got events; a cancel reaches only the
 * clients with points down. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-client.h>

#include "common.h"
#include "xdg-shell-client-protocol.h"

#include "harness.h"
#include "zct.h"
#include "input/seat.h"
#include "input/touch.h"
#include "core/surface.h"

#define SOCKET "zc-touch-test"

struct tclient {
	struct wl_display *display;
	struct zcc_globals globals;
	struct wl_seat *seat;
	struct zct_touch touch;
	uint32_t caps;
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	struct zcc_buffer *buffer;
	bool configured;
};

static void handle_seat_capabilities(void *data, struct wl_seat *seat, uint32_t caps)
{
	struct tclient *c = data;
	c->caps = caps;
	if ((caps & WL_SEAT_CAPABILITY_TOUCH) && !c->touch.wl_touch)
		zct_touch_init(&c->touch, seat);
}

static void handle_seat_name(void *data, struct wl_seat *seat, const char *name)
{
}

static const struct wl_seat_listener seat_listener = {
	.capabilities = handle_seat_capabilities,
	.name = handle_seat_name,
};

static void handle_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct tclient *c = data;
	if (strcmp(interface, wl_seat_interface.name) == 0 && !c->seat) {
		c->seat = wl_registry_bind(registry, name, &wl_seat_interface, 7);
		wl_seat_add_listener(c->seat, &seat_listener, c);
	}
}

static void handle_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = handle_global,
	.global_remove = handle_global_remove,
};

static void handle_xdg_surface_configure(void *data, struct xdg_surface *xdg_surface,
	uint32_t serial)
{
	struct tclient *c = data;
	xdg_surface_ack_configure(xdg_surface, serial);
	c->configured = true;
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = handle_xdg_surface_configure,
};

/* Stacking changes take an idle pass: two round trips see their events. */
static void settle(struct tclient *c)
{
	wl_display_roundtrip(c->display);
	wl_display_roundtrip(c->display);
}

/* A client with one mapped 100x80 window. */
static struct tclient *tclient_create(void)
{
	struct tclient *c = calloc(1, sizeof(*c));
	c->display = wl_display_connect(SOCKET);
	if (!c->display || !zcc_globals_bind(c->display, &c->globals)) {
		CHECK(false, "cannot connect");
		exit(1);
	}
	struct wl_registry *registry = wl_display_get_registry(c->display);
	wl_registry_add_listener(registry, &registry_listener, c);
	wl_display_roundtrip(c->display);
	wl_registry_destroy(registry);
	c->surface = wl_compositor_create_surface(c->globals.compositor);
	c->xdg_surface = xdg_wm_base_get_xdg_surface(c->globals.wm_base, c->surface);
	xdg_surface_add_listener(c->xdg_surface, &xdg_surface_listener, c);
	c->toplevel = xdg_surface_get_toplevel(c->xdg_surface);
	wl_surface_commit(c->surface);
	wl_display_roundtrip(c->display);
	CHECK(c->configured, "no configure");
	c->buffer = zcc_buffer_create(c->globals.shm, 100, 80, WL_SHM_FORMAT_XRGB8888);
	wl_surface_attach(c->surface, c->buffer->wl_buffer, 0, 0);
	wl_surface_damage(c->surface, 0, 0, 100, 80);
	wl_surface_commit(c->surface);
	settle(c);
	return c;
}

static void tclient_destroy(struct tclient *c)
{
	zct_touch_finish(&c->touch);
	xdg_toplevel_destroy(c->toplevel);
	xdg_surface_destroy(c->xdg_surface);
	wl_surface_destroy(c->surface);
	zcc_buffer_destroy(c->buffer);
	wl_seat_release(c->seat);
	zcc_globals_finish(&c->globals);
	wl_display_disconnect(c->display);
	free(c);
}

/* ---- calls on zcomp's thread ---- */

struct touch_args {
	const char *what; /* "down", "motion", "up", "frame", "cancel", "capable", "incapable" */
	int32_t id;
	double x, y;
	int32_t view_x[2], view_y[2]; /* view positions, bottom first */
};

static void touch_fn(struct zc_server *server, void *arg)
{
	struct touch_args *a = arg;
	struct zc_touch *touch = seat_get_touch(server->seat);
	if (strcmp(a->what, "down") == 0)
		touch_notify_down(touch, 1, a->id, a->x, a->y);
	else if (strcmp(a->what, "motion") == 0)
		touch_notify_motion(touch, 2, a->id, a->x, a->y);
	else if (strcmp(a->what, "up") == 0)
		touch_notify_up(touch, 3, a->id);
	else if (strcmp(a->what, "frame") == 0)
		touch_notify_frame(touch);
	else if (strcmp(a->what, "cancel") == 0)
		touch_notify_cancel(touch);
	else
		seat_set_touch_capable(server->seat, strcmp(a->what, "capable") == 0);
}

static void views_fn(struct zc_server *server, void *arg)
{
	struct touch_args *a = arg;
	struct zc_view *view;
	int i = 0;
	wl_list_for_each(view, &server->views, link) {
		if (i < 2) {
			a->view_x[i] = view->x;
			a->view_y[i] = view->y;
		}
		i++;
	}
}

static void touch_call(struct harness *h, const char *what, int32_t id, double x, double y)
{
	struct touch_args a = { .what = what, .id = id, .x = x, .y = y };
	server_run(h, touch_fn, &a);
}

static void settle_both(struct tclient *a, struct tclient *b)
{
	settle(a);
	settle(b);
}

static void run(struct harness *h)
{
	struct tclient *a = tclient_create(), *b = tclient_create();
	const struct zct_touch *ta = &a->touch, *tb = &b->touch;
	CHECK(!(a->caps & WL_SEAT_CAPABILITY_TOUCH), "touch announced without a device");
	touch_call(h, "capable", 0, 0, 0);
	settle_both(a, b);
	CHECK((a->caps & WL_SEAT_CAPABILITY_TOUCH) && ta->wl_touch && tb->wl_touch,
		"capabilities %u after a touch device came", a->caps);

	struct touch_args pos = { 0 };
	server_run(h, views_fn, &pos);
	/* b is on top; a point in a that b does not cover, and one in b. */
	double ax = pos.view_x[0] + 5, ay = pos.view_y[0] + 5;
	double bx = pos.view_x[1] + 50, by = pos.view_y[1] + 40;
	CHECK(ax < pos.view_x[1] || ay < pos.view_y[1], "b covers a's corner: %d,%d vs %d,%d",
		pos.view_x[0], pos.view_y[0], pos.view_x[1], pos.view_y[1]);

	touch_call(h, "down", 0, ax, ay);
	touch_call(h, "down", 1, bx, by);
	touch_call(h, "frame", 0, 0, 0);
	settle_both(a, b);
	CHECK(ta->downs == 1 && ta->id == 0 && ta->x == 5 && ta->y == 5,
		"a: %d downs, id %d at %.0f,%.0f", ta->downs, ta->id, ta->x, ta->y);
	CHECK(tb->downs == 1 && tb->id == 1 && tb->x == 50 && tb->y == 40,
		"b: %d downs, id %d at %.0f,%.0f", tb->downs, tb->id, tb->x, tb->y);
	CHECK(ta->frames == 1 && tb->frames == 1, "frames %d, %d", ta->frames, tb->frames);
	/* A down that came must be on the client's own window. */
	CHECK((!ta->downs || ta->down_surface == a->surface) &&
		(!tb->downs || tb->down_surface == b->surface), "down on another surface");

	/* Point 0 moves over b: it stays a's, in a's coordinates. */
	touch_call(h, "motion", 0, bx, by);
	touch_call(h, "frame", 0, 0, 0);
	settle_both(a, b);
	CHECK(ta->motions == 1 && ta->x == bx - pos.view_x[0] && ta->y == by - pos.view_y[0],
		"a: %d motions, at %.0f,%.0f", ta->motions, ta->x, ta->y);
	CHECK(tb->motions == 0 && tb->frames == 1, "b got %d motions, %d frames", tb->motions,
		tb->frames);

	touch_call(h, "up", 0, 0, 0);
	touch_call(h, "up", 1, 0, 0);
	touch_call(h, "frame", 0, 0, 0);
	settle_both(a, b);
	CHECK(ta->ups == 1 && tb->ups == 1 && ta->frames == 3 && tb->frames == 2,
		"ups %d, %d, frames %d, %d", ta->ups, tb->ups, ta->frames, tb->frames);

	/* A cancel goes to the clients with points, and forgets them. */
	touch_call(h, "down", 0, ax, ay);
	touch_call(h, "frame", 0, 0, 0);
	touch_call(h, "cancel", 0, 0, 0);
	touch_call(h, "up", 0, 0, 0);
	settle_both(a, b);
	CHECK(ta->cancels == 1 && tb->cancels == 0, "cancels %d, %d", ta->cancels, tb->cancels);
	CHECK(ta->ups == 1, "an up after the cancel reached the client");
	CHECK(!ta->downs || ta->down_surface == a->surface, "down on another surface");

	touch_call(h, "incapable", 0, 0, 0);
	settle_both(a, b);
	CHECK(!(a->caps & WL_SEAT_CAPABILITY_TOUCH), "touch still announced: %u", a->caps);
	tclient_destroy(a);
	tclient_destroy(b);
}

int main(void)
{
	char dir[] = "/tmp/zc-touch-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	setenv("XDG_RUNTIME_DIR", dir, 1);
	zc_log_init(ZC_LOG_WARN);
	struct harness h;
	if (harness_start(&h, SOCKET, "us")) {
		run(&h);
		harness_stop(&h);
	}
	rmdir(dir);
	fprintf(stderr, "%s touch\n", harness_failures ? "FAIL" : "ok  ");
	return harness_failures ? 1 : 0;
}
