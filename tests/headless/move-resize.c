/* Interactive move and resize (issue 15): xdg_toplevel.move and .resize with
 * the serial of a held press, driven in process through seat_notify_* and
 * touch_notify_* (the paths libinput feeds) with a real client. A move
 * follows the pointer exactly; a resize from an edge keeps the opposite
 * edge where it was across each ack and commit; size hints bound it; a
 * stale or wrong serial starts nothing; the client gets no pointer events
 * during a grab (a leave at its start, an enter at its end); maximized
 * windows are not moved; an invalid edges value is a protocol error. */
#include <linux/input-event-codes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "zct.h"
#include "base/log.h"
#include "core/surface.h"
#include "input/seat.h"
#include "input/touch.h"

#define SOCKET "zc-move-resize-test"
#define WIN_W 200
#define WIN_H 150

struct mr_client {
	struct zct_client *zc;
	struct wl_seat *seat;
	struct zct_pointer pointer;
	struct zct_touch touch;
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	struct zcc_buffer *buffer;
	/* The latest configure. */
	uint32_t serial, acked;
	int32_t width, height;
	bool resizing, maximized;
	int configures;
};

/* ---- the client ---- */

static void handle_xdg_configure(void *data, struct xdg_surface *s, uint32_t serial)
{
	struct mr_client *c = data;
	c->serial = serial;
	c->configures++;
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = handle_xdg_configure,
};

static void handle_toplevel_configure(void *data, struct xdg_toplevel *t, int32_t width,
	int32_t height, struct wl_array *states)
{
	struct mr_client *c = data;
	c->width = width;
	c->height = height;
	c->resizing = c->maximized = false;
	uint32_t *state;
	wl_array_for_each(state, states) {
		c->resizing = c->resizing || *state == XDG_TOPLEVEL_STATE_RESIZING;
		c->maximized = c->maximized || *state == XDG_TOPLEVEL_STATE_MAXIMIZED;
	}
}

static void handle_toplevel_close(void *data, struct xdg_toplevel *t)
{
}

static void handle_toplevel_bounds(void *data, struct xdg_toplevel *t, int32_t width,
	int32_t height)
{
}

static void handle_toplevel_caps(void *data, struct xdg_toplevel *t, struct wl_array *caps)
{
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = handle_toplevel_configure,
	.close = handle_toplevel_close,
	.configure_bounds = handle_toplevel_bounds,
	.wm_capabilities = handle_toplevel_caps,
};

/* Acks the latest configure (unless acked) and commits a buffer of width x
 * height. */
static void mr_commit(struct mr_client *c, int32_t width, int32_t height)
{
	if (c->serial != c->acked)
		xdg_surface_ack_configure(c->xdg_surface, c->serial);
	c->acked = c->serial;
	if (c->buffer)
		zcc_buffer_destroy(c->buffer);
	c->buffer = zct_pattern_buffer(c->zc, width, height, WL_SHM_FORMAT_XRGB8888, 0);
	if (c->buffer)
		zct_show(c->surface, c->buffer);
	zct_roundtrip(c->zc);
}

static void mr_client_destroy(struct mr_client *c)
{
	if (c->toplevel)
		xdg_toplevel_destroy(c->toplevel);
	if (c->xdg_surface)
		xdg_surface_destroy(c->xdg_surface);
	if (c->surface)
		wl_surface_destroy(c->surface);
	if (c->buffer)
		zcc_buffer_destroy(c->buffer);
	zct_touch_finish(&c->touch);
	zct_pointer_finish(&c->pointer);
	if (c->seat)
		wl_seat_release(c->seat);
	zct_client_destroy(c->zc);
	memset(c, 0, sizeof(*c));
}

/* A client with a pointer (and touch) and a mapped WIN_W x WIN_H window. */
static bool mr_client_create(struct mr_client *c, struct zct_compositor *comp,
	int32_t min_w, int32_t min_h, int32_t max_w, int32_t max_h)
{
	memset(c, 0, sizeof(*c));
	c->zc = zct_client_connect(comp);
	c->seat = c->zc ? zct_bind(c->zc, &wl_seat_interface, 7) : NULL;
	if (!c->seat)
		return false;
	zct_pointer_init(&c->pointer, c->seat);
	zct_touch_init(&c->touch, c->seat);
	struct zcc_globals *g = &c->zc->globals;
	c->surface = wl_compositor_create_surface(g->compositor);
	c->xdg_surface = xdg_wm_base_get_xdg_surface(g->wm_base, c->surface);
	xdg_surface_add_listener(c->xdg_surface, &xdg_surface_listener, c);
	c->toplevel = xdg_surface_get_toplevel(c->xdg_surface);
	xdg_toplevel_add_listener(c->toplevel, &toplevel_listener, c);
	xdg_toplevel_set_min_size(c->toplevel, min_w, min_h);
	xdg_toplevel_set_max_size(c->toplevel, max_w, max_h);
	wl_surface_commit(c->surface);
	zct_roundtrip(c->zc);
	bool configured = c->configures == 1;
	ZCT_CHECK(configured, "%d initial configures", c->configures);
	mr_commit(c, WIN_W, WIN_H);
	return configured;
}

/* A set-up that failed is a failed test, never a silent pass. */
static bool created(bool ok, const char *fn)
{
	ZCT_CHECK(ok, "%s: client set-up failed", fn);
	return ok;
}
#define MR_CREATED(ok) created((ok), __func__)

/* ---- zcomp's side ---- */

struct view_box {
	int32_t x, y, w, h;
	bool found;
};

static void read_top_view(struct zc_server *server, void *arg)
{
	struct view_box *box = arg;
	struct zc_view *view;
	box->found = false;
	wl_list_for_each(view, &server->views, link) {
		if (!view->mapped)
			continue;
		*box = (struct view_box){ view->x, view->y, view->surface->width,
			view->surface->height, true };
	}
}

static struct view_box top_view(struct harness *h)
{
	struct view_box box;
	server_run(h, read_top_view, &box);
	ZCT_CHECK(box.found, "no mapped window");
	return box;
}

enum input_kind { IN_MOTION, IN_PRESS, IN_RELEASE, IN_TOUCH_DOWN, IN_TOUCH_MOTION, IN_TOUCH_UP };

struct input {
	enum input_kind kind;
	double x, y;
};

static void inject(struct zc_server *server, void *arg)
{
	const struct input *in = arg;
	struct zc_touch *touch = seat_get_touch(server->seat);
	switch (in->kind) {
	case IN_MOTION:
		seat_notify_motion_absolute(server->seat, 10, in->x, in->y);
		break;
	case IN_PRESS:
	case IN_RELEASE:
		seat_notify_button(server->seat, 10, BTN_LEFT, in->kind == IN_PRESS);
		break;
	case IN_TOUCH_DOWN:
		touch_notify_down(touch, 10, 0, in->x, in->y);
		break;
	case IN_TOUCH_MOTION:
		touch_notify_motion(touch, 10, 0, in->x, in->y);
		break;
	case IN_TOUCH_UP:
		touch_notify_up(touch, 10, 0);
		break;
	}
	if (in->kind <= IN_RELEASE)
		seat_notify_frame(server->seat);
	else
		touch_notify_frame(touch);
}

static void send_input(struct harness *h, struct mr_client *c, enum input_kind kind, double x,
	double y)
{
	struct input in = { kind, x, y };
	server_run(h, inject, &in);
	zct_roundtrip(c->zc);
}

static void set_touch_capable(struct zc_server *server, void *arg)
{
	seat_set_touch_capable(server->seat, *(bool *)arg);
}

/* ---- the tests ---- */

/* A drag by a pointer press moves the window by exactly the pointer's path
 * (fractions rounded); the client sees a leave, no motion or release, and
 * an enter at the end. */
static void test_move(struct harness *h, struct zct_compositor *comp)
{
	struct mr_client c;
	const struct zct_pointer *p = &c.pointer;
	if (!MR_CREATED(mr_client_create(&c, comp, 0, 0, 0, 0)))
		goto out;
	struct view_box start = top_view(h);
	double px = start.x + 50, py = start.y + 10;
	send_input(h, &c, IN_MOTION, px, py);
	send_input(h, &c, IN_PRESS, 0, 0);
	ZCT_CHECK(p->enters == 1 && p->buttons == 1, "enters %d, buttons %d", p->enters,
		p->buttons);
	int motions = p->motions, buttons = p->buttons;
	xdg_toplevel_move(c.toplevel, c.seat, p->press_serial);
	zct_roundtrip(c.zc);
	ZCT_CHECK(p->leaves == 1, "%d leaves at the start of a move", p->leaves);
	const double path[][2] = { { 37, 23 }, { -12.4, 61.6 }, { 120, -5 }, { 80.5, 40.5 } };
	for (size_t i = 0; i < ZC_LEN(path); i++) {
		send_input(h, &c, IN_MOTION, px + path[i][0], py + path[i][1]);
		struct view_box now = top_view(h);
		int32_t ex = start.x + (int32_t)lround(path[i][0]);
		int32_t ey = start.y + (int32_t)lround(path[i][1]);
		ZCT_CHECK(now.x == ex && now.y == ey, "step %zu: window at %d,%d, not %d,%d", i,
			now.x, now.y, ex, ey);
	}
	ZCT_CHECK(p->motions == motions, "%d motions reached the client during the move",
		p->motions - motions);
	send_input(h, &c, IN_RELEASE, 0, 0);
	ZCT_CHECK(p->buttons == buttons, "the release reached the client");
	ZCT_CHECK(p->enters == 2, "%d enters after the move", p->enters);
	/* Over: motion goes to the client again and moves nothing. */
	struct view_box end = top_view(h);
	send_input(h, &c, IN_MOTION, px + 90, py + 45);
	struct view_box after = top_view(h);
	ZCT_CHECK(after.x == end.x && after.y == end.y, "window moved after the release");
	ZCT_CHECK(p->motions == motions + 1, "motion after the move: %d",
		p->motions - motions);
	zct_expect_no_error(c.zc, "move");
out:
	mr_client_destroy(&c);
}

/* Serials that name no held press of this window start nothing: the last
 * press once released, an enter serial, a made-up one, a press held on
 * another client's window. */
static void test_bad_serials(struct harness *h, struct zct_compositor *comp)
{
	struct mr_client c, other;
	bool ok = mr_client_create(&c, comp, 0, 0, 0, 0);
	ok = mr_client_create(&other, comp, 0, 0, 0, 0) && ok;
	if (!MR_CREATED(ok))
		goto out;
	struct view_box top = top_view(h); /* other's window */
	send_input(h, &other, IN_MOTION, top.x + 5, top.y + 5);
	send_input(h, &other, IN_PRESS, 0, 0);
	send_input(h, &other, IN_RELEASE, 0, 0);
	uint32_t stale = other.pointer.press_serial;
	send_input(h, &other, IN_PRESS, 0, 0);
	const uint32_t serials[] = { stale, other.pointer.enter_serial,
		other.pointer.press_serial + 1000 };
	for (size_t i = 0; i < ZC_LEN(serials); i++) {
		xdg_toplevel_move(other.toplevel, other.seat, serials[i]);
		xdg_toplevel_resize(other.toplevel, other.seat, serials[i],
			XDG_TOPLEVEL_RESIZE_EDGE_LEFT);
	}
	/* c's window, with other's held press. */
	xdg_toplevel_move(c.toplevel, c.seat, other.pointer.press_serial);
	zct_roundtrip(c.zc);
	zct_roundtrip(other.zc);
	int configures = other.configures;
	send_input(h, &other, IN_MOTION, top.x + 60, top.y + 50);
	struct view_box now = top_view(h);
	ZCT_CHECK(now.x == top.x && now.y == top.y, "window moved to %d,%d by a bad serial",
		now.x, now.y);
	ZCT_CHECK(other.pointer.leaves == 0 && other.configures == configures,
		"a bad serial grabbed (%d leaves, %d configures)", other.pointer.leaves,
		other.configures - configures);
	send_input(h, &other, IN_RELEASE, 0, 0);
	zct_expect_no_error(c.zc, "bad serials");
	zct_expect_no_error(other.zc, "bad serials");
out:
	mr_client_destroy(&other);
	mr_client_destroy(&c);
}

struct resize_case {
	uint32_t edges;
	double dx, dy;          /* the pointer's path */
	int32_t want_w, want_h; /* the size it asks for */
};

/* One resize: configures carry the new size and the resizing state; the
 * window moves only at the commit of the acked size, and then so that the
 * edges opposite the dragged ones stay put; the last configure drops the
 * resizing state. */
static void run_resize(struct harness *h, struct zct_compositor *comp,
	const struct resize_case *rc, int32_t min_w, int32_t min_h, int32_t max_w, int32_t max_h)
{
	struct mr_client c;
	if (!MR_CREATED(mr_client_create(&c, comp, min_w, min_h, max_w, max_h)))
		goto out;
	struct view_box start = top_view(h);
	int32_t right = start.x + start.w, bottom = start.y + start.h;
	double px = start.x + 3, py = start.y + 3;
	send_input(h, &c, IN_MOTION, px, py);
	send_input(h, &c, IN_PRESS, 0, 0);
	int configures = c.configures;
	xdg_toplevel_resize(c.toplevel, c.seat, c.pointer.press_serial, rc->edges);
	zct_roundtrip(c.zc);
	ZCT_CHECK(c.configures == configures + 1 && c.resizing && c.width == WIN_W &&
		c.height == WIN_H, "edges %u: start configure %dx%d resizing %d", rc->edges,
		c.width, c.height, c.resizing);
	send_input(h, &c, IN_MOTION, px + rc->dx, py + rc->dy);
	ZCT_CHECK(c.resizing && c.width == rc->want_w && c.height == rc->want_h,
		"edges %u: configure %dx%d (resizing %d), not %dx%d", rc->edges, c.width,
		c.height, c.resizing, rc->want_w, rc->want_h);
	struct view_box now = top_view(h);
	ZCT_CHECK(now.x == start.x && now.y == start.y && now.w == WIN_W,
		"edges %u: window changed to %d,%d %dx%d before the client committed",
		rc->edges, now.x, now.y, now.w, now.h);
	mr_commit(&c, c.width, c.height);
	now = top_view(h);
	bool left = rc->edges & XDG_TOPLEVEL_RESIZE_EDGE_LEFT;
	bool topedge = rc->edges & XDG_TOPLEVEL_RESIZE_EDGE_TOP;
	int32_t ex = left ? right - rc->want_w : start.x;
	int32_t ey = topedge ? bottom - rc->want_h : start.y;
	ZCT_CHECK(now.x == ex && now.y == ey && now.w == rc->want_w && now.h == rc->want_h,
		"edges %u: window at %d,%d %dx%d after the commit, not %d,%d %dx%d", rc->edges,
		now.x, now.y, now.w, now.h, ex, ey, rc->want_w, rc->want_h);
	send_input(h, &c, IN_RELEASE, 0, 0);
	ZCT_CHECK(!c.resizing && c.width == rc->want_w && c.height == rc->want_h,
		"edges %u: final configure %dx%d resizing %d", rc->edges, c.width, c.height,
		c.resizing);
	mr_commit(&c, c.width, c.height);
	now = top_view(h);
	ZCT_CHECK(now.x == ex && now.y == ey, "edges %u: window went to %d,%d after the end",
		rc->edges, now.x, now.y);
	zct_expect_no_error(c.zc, "resize");
out:
	mr_client_destroy(&c);
}

static void test_resize_edges(struct harness *h, struct zct_compositor *comp)
{
	const struct resize_case cases[] = {
		{ XDG_TOPLEVEL_RESIZE_EDGE_LEFT, -30, 7, WIN_W + 30, WIN_H },
		{ XDG_TOPLEVEL_RESIZE_EDGE_TOP, 5, 40, WIN_W, WIN_H - 40 },
		{ XDG_TOPLEVEL_RESIZE_EDGE_TOP_LEFT, 25, -20, WIN_W - 25, WIN_H + 20 },
		{ XDG_TOPLEVEL_RESIZE_EDGE_BOTTOM_RIGHT, 31, 17, WIN_W + 31, WIN_H + 17 },
		{ XDG_TOPLEVEL_RESIZE_EDGE_BOTTOM_LEFT, -10, -50, WIN_W + 10, WIN_H - 50 },
	};
	for (size_t i = 0; i < ZC_LEN(cases); i++)
		run_resize(h, comp, &cases[i], 0, 0, 0, 0);
}

/* set_min_size and set_max_size bound the sizes a resize asks for. */
static void test_resize_limits(struct harness *h, struct zct_compositor *comp)
{
	const struct resize_case shrink = { XDG_TOPLEVEL_RESIZE_EDGE_TOP_LEFT, 150, 140, 120, 100 };
	const struct resize_case grow = { XDG_TOPLEVEL_RESIZE_EDGE_TOP_LEFT, -100, -100, 260, 170 };
	run_resize(h, comp, &shrink, 120, 100, 260, 170);
	run_resize(h, comp, &grow, 120, 100, 260, 170);
}

/* Maximized windows are neither moved nor resized (as in weston): the
 * client keeps the pointer. */
static void test_maximized(struct harness *h, struct zct_compositor *comp)
{
	struct mr_client c;
	if (!MR_CREATED(mr_client_create(&c, comp, 0, 0, 0, 0)))
		goto out;
	xdg_toplevel_set_maximized(c.toplevel);
	zct_roundtrip(c.zc);
	ZCT_CHECK(c.maximized, "no maximized configure");
	mr_commit(&c, c.width, c.height);
	struct view_box start = top_view(h);
	send_input(h, &c, IN_MOTION, 100, 100);
	send_input(h, &c, IN_PRESS, 0, 0);
	xdg_toplevel_move(c.toplevel, c.seat, c.pointer.press_serial);
	xdg_toplevel_resize(c.toplevel, c.seat, c.pointer.press_serial,
		XDG_TOPLEVEL_RESIZE_EDGE_RIGHT);
	zct_roundtrip(c.zc);
	send_input(h, &c, IN_MOTION, 150, 130);
	struct view_box now = top_view(h);
	ZCT_CHECK(now.x == start.x && now.y == start.y && c.pointer.leaves == 0 && !c.resizing,
		"maximized window moved to %d,%d (leaves %d, resizing %d)", now.x, now.y,
		c.pointer.leaves, c.resizing);
	send_input(h, &c, IN_RELEASE, 0, 0);
	zct_expect_no_error(c.zc, "maximized");
out:
	mr_client_destroy(&c);
}

/* A touch down's serial moves the window with that touch point; the client
 * gets wl_touch.cancel and no more events of the point. */
static void test_touch_move(struct harness *h, struct zct_compositor *comp)
{
	bool capable = true;
	server_run(h, set_touch_capable, &capable);
	struct mr_client c;
	if (!MR_CREATED(mr_client_create(&c, comp, 0, 0, 0, 0)))
		goto out;
	struct view_box start = top_view(h);
	double tx = start.x + 20, ty = start.y + 20;
	send_input(h, &c, IN_TOUCH_DOWN, tx, ty);
	ZCT_CHECK(c.touch.down_serial != 0, "no touch down");
	xdg_toplevel_move(c.toplevel, c.seat, c.touch.down_serial);
	zct_roundtrip(c.zc);
	ZCT_CHECK(c.touch.cancels == 1, "%d touch cancels at the start of a move", c.touch.cancels);
	int motions = c.touch.motions;
	send_input(h, &c, IN_TOUCH_MOTION, tx + 44, ty + 33);
	struct view_box now = top_view(h);
	ZCT_CHECK(now.x == start.x + 44 && now.y == start.y + 33,
		"touch move: window at %d,%d, not %d,%d", now.x, now.y, start.x + 44,
		start.y + 33);
	ZCT_CHECK(c.touch.motions == motions, "touch motion reached the client during the move");
	send_input(h, &c, IN_TOUCH_UP, 0, 0);
	send_input(h, &c, IN_TOUCH_DOWN, tx, ty);
	send_input(h, &c, IN_TOUCH_MOTION, tx + 80, ty + 80);
	send_input(h, &c, IN_TOUCH_UP, 0, 0);
	struct view_box end = top_view(h);
	ZCT_CHECK(end.x == now.x && end.y == now.y, "window moved after the touch went up");
	zct_expect_no_error(c.zc, "touch move");
out:
	mr_client_destroy(&c);
	capable = false;
	server_run(h, set_touch_capable, &capable);
}

/* The window goes while its move runs: the grab ends, the pointer works. */
static void test_destroy_during_move(struct harness *h, struct zct_compositor *comp)
{
	struct mr_client c;
	if (!MR_CREATED(mr_client_create(&c, comp, 0, 0, 0, 0)))
		goto out;
	struct view_box start = top_view(h);
	send_input(h, &c, IN_MOTION, start.x + 8, start.y + 8);
	send_input(h, &c, IN_PRESS, 0, 0);
	xdg_toplevel_move(c.toplevel, c.seat, c.pointer.press_serial);
	zct_roundtrip(c.zc);
	xdg_toplevel_destroy(c.toplevel);
	c.toplevel = NULL;
	zct_roundtrip(c.zc);
	send_input(h, &c, IN_MOTION, start.x + 30, start.y + 30);
	send_input(h, &c, IN_RELEASE, 0, 0);
	zct_expect_no_error(c.zc, "destroy during move");
out:
	mr_client_destroy(&c);
}

/* A window made INT32_MAX wide by a viewport is moved and resized from its
 * top-left corner without overflowing (the ASan/UBSan build runs this) or
 * an error. */
static void test_huge_window(struct harness *h, struct zct_compositor *comp)
{
	struct mr_client c;
	struct wp_viewport *vp = NULL;
	if (!MR_CREATED(mr_client_create(&c, comp, 0, 0, 0, 0)))
		goto out;
	ZCT_CHECK(c.zc->globals.viewporter != NULL, "no wp_viewporter");
	if (!c.zc->globals.viewporter)
		goto out;
	vp = wp_viewporter_get_viewport(c.zc->globals.viewporter, c.surface);
	wp_viewport_set_destination(vp, INT32_MAX, INT32_MAX);
	mr_commit(&c, WIN_W, WIN_H);
	const uint32_t edges[] = { 0, XDG_TOPLEVEL_RESIZE_EDGE_TOP_LEFT };
	for (size_t i = 0; i < ZC_LEN(edges); i++) {
		struct view_box start = top_view(h);
		send_input(h, &c, IN_MOTION, start.x + 10, start.y + 10);
		send_input(h, &c, IN_PRESS, 0, 0);
		if (edges[i])
			xdg_toplevel_resize(c.toplevel, c.seat, c.pointer.press_serial, edges[i]);
		else
			xdg_toplevel_move(c.toplevel, c.seat, c.pointer.press_serial);
		zct_roundtrip(c.zc);
		send_input(h, &c, IN_MOTION, 0, 0);
		mr_commit(&c, WIN_W, WIN_H);
		send_input(h, &c, IN_RELEASE, 0, 0);
		mr_commit(&c, WIN_W, WIN_H);
	}
	zct_expect_no_error(c.zc, "huge window");
out:
	if (vp)
		wp_viewport_destroy(vp);
	mr_client_destroy(&c);
}

/* An edges value outside the enum is invalid_resize_edge. */
static void test_invalid_edges(struct harness *h, struct zct_compositor *comp)
{
	struct mr_client c;
	if (!MR_CREATED(mr_client_create(&c, comp, 0, 0, 0, 0)))
		goto out;
	xdg_toplevel_resize(c.toplevel, c.seat, 0, 3); /* top and bottom */
	zct_expect_error(c.zc, &xdg_toplevel_interface, XDG_TOPLEVEL_ERROR_INVALID_RESIZE_EDGE,
		"resize edges 3");
out:
	mr_client_destroy(&c);
}

static const struct harness_test tests[] = {
	HARNESS_TEST(test_move),
	HARNESS_TEST(test_bad_serials),
	HARNESS_TEST(test_resize_edges),
	HARNESS_TEST(test_resize_limits),
	HARNESS_TEST(test_maximized),
	HARNESS_TEST(test_touch_move),
	HARNESS_TEST(test_destroy_during_move),
	HARNESS_TEST(test_huge_window),
	HARNESS_TEST(test_invalid_edges),
};

int main(void)
{
	return harness_main(SOCKET, 1, tests, ZC_LEN(tests));
}
