/* Issue 16: input follows the scene under a still pointer or finger. A
 * window moving or resizing under the cursor, a subsurface moving or
 * restacking under it and a subsurface tree losing its parent's buffer
 * re-pick the pointer focus (enter/leave, or a motion when the focus stays
 * but moved); a destroyed touched surface gets its wl_touch.up. zcomp runs
 * in this process (headless backend) so the test moves views and injects
 * input on its thread. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "zct.h"
#include "base/log.h"
#include "core/surface.h"
#include "input/seat.h"
#include "input/touch.h"

#define SOCKET "zc-scene-input-test"

/* ---- on zcomp's thread ---- */

struct server_args {
	double x, y;       /* pointer or touch position; view position */
	int32_t vx, vy;    /* out: the first view's position */
	int touch;         /* 1 down, 2 up */
};

static void view_get_fn(struct zc_server *server, void *arg)
{
	struct server_args *a = arg;
	struct zc_view *view = wl_container_of(server->views.next, view, link);
	a->vx = view->x;
	a->vy = view->y;
}

/* What a window manager does: the view moves, no client request. */
static void view_move_fn(struct zc_server *server, void *arg)
{
	struct server_args *a = arg;
	struct zc_view *view = wl_container_of(server->views.next, view, link);
	view_move(view, (int32_t)a->x, (int32_t)a->y);
}

static void motion_fn(struct zc_server *server, void *arg)
{
	struct server_args *a = arg;
	seat_notify_motion_absolute(server->seat, 10, a->x, a->y);
	seat_notify_frame(server->seat);
}

static void touch_fn(struct zc_server *server, void *arg)
{
	struct server_args *a = arg;
	struct zc_touch *touch = seat_get_touch(server->seat);
	seat_set_touch_capable(server->seat, true);
	if (a->touch == 1)
		touch_notify_down(touch, 20, 7, a->x, a->y);
	else if (a->touch == 2)
		touch_notify_up(touch, 30, 7);
	touch_notify_frame(touch);
}

/* ---- the client ---- */

struct ctx {
	struct harness *h;
	struct zct_client *client;
	struct zct_window *window;
	struct wl_seat *seat;
	struct wl_pointer *pointer;
	struct wl_touch *touch;
	int32_t vx, vy;

	struct wl_surface *focus;
	int enters, leaves, motions;
	double px, py;
	int downs, ups;
	int32_t up_id;
};

static void handle_pointer_enter(void *data, struct wl_pointer *p, uint32_t serial,
	struct wl_surface *surface, wl_fixed_t x, wl_fixed_t y)
{
	struct ctx *c = data;
	c->focus = surface;
	c->enters++;
	c->px = wl_fixed_to_double(x);
	c->py = wl_fixed_to_double(y);
}

static void handle_pointer_leave(void *data, struct wl_pointer *p, uint32_t serial,
	struct wl_surface *surface)
{
	struct ctx *c = data;
	c->focus = NULL;
	c->leaves++;
}

static void handle_pointer_motion(void *data, struct wl_pointer *p, uint32_t time,
	wl_fixed_t x, wl_fixed_t y)
{
	struct ctx *c = data;
	c->motions++;
	c->px = wl_fixed_to_double(x);
	c->py = wl_fixed_to_double(y);
}

static void handle_pointer_button(void *data, struct wl_pointer *p, uint32_t serial,
	uint32_t time, uint32_t button, uint32_t state)
{
}

static void handle_pointer_axis(void *data, struct wl_pointer *p, uint32_t time,
	uint32_t axis, wl_fixed_t value)
{
}

static void handle_pointer_frame(void *data, struct wl_pointer *p)
{
}

static const struct wl_pointer_listener pointer_listener = {
	.enter = handle_pointer_enter,
	.leave = handle_pointer_leave,
	.motion = handle_pointer_motion,
	.button = handle_pointer_button,
	.axis = handle_pointer_axis,
	.frame = handle_pointer_frame,
};

static void handle_touch_down(void *data, struct wl_touch *t, uint32_t serial, uint32_t time,
	struct wl_surface *surface, int32_t id, wl_fixed_t x, wl_fixed_t y)
{
	((struct ctx *)data)->downs++;
}

static void handle_touch_up(void *data, struct wl_touch *t, uint32_t serial, uint32_t time,
	int32_t id)
{
	struct ctx *c = data;
	c->ups++;
	c->up_id = id;
}

static void handle_touch_motion(void *data, struct wl_touch *t, uint32_t time, int32_t id,
	wl_fixed_t x, wl_fixed_t y)
{
}

static void handle_touch_frame(void *data, struct wl_touch *t)
{
}

static void handle_touch_cancel(void *data, struct wl_touch *t)
{
}

static const struct wl_touch_listener touch_listener = {
	.down = handle_touch_down,
	.up = handle_touch_up,
	.motion = handle_touch_motion,
	.frame = handle_touch_frame,
	.cancel = handle_touch_cancel,
};

/* zcomp re-picks in an idle after the change: two round trips see it. */
static void settle(struct ctx *c)
{
	zct_roundtrip(c->client);
	zct_roundtrip(c->client);
}

static void run(struct ctx *c, server_fn fn, double x, double y)
{
	zct_roundtrip(c->client);
	struct server_args a = { .x = x, .y = y };
	server_run(c->h, fn, &a);
	settle(c);
}

static void touch(struct ctx *c, int what, double x, double y)
{
	zct_roundtrip(c->client);
	struct server_args a = { .x = x, .y = y, .touch = what };
	server_run(c->h, touch_fn, &a);
	settle(c);
}

/* A 32x32 toplevel whose window geometry is pinned, so that subsurfaces
 * outside it never move it. */
static bool ctx_open(struct ctx *c, struct harness *h, struct zct_compositor *comp)
{
	*c = (struct ctx){ .h = h };
	c->client = zct_client_connect(comp);
	if (!c->client)
		return false;
	c->seat = zct_bind(c->client, &wl_seat_interface, 7);
	c->window = zct_window_create(c->client, false);
	if (!c->seat || !c->window)
		return false;
	xdg_surface_set_window_geometry(c->window->xdg_surface, 0, 0, 32, 32);
	if (!zct_window_map(c->window))
		return false;
	c->pointer = wl_seat_get_pointer(c->seat);
	wl_pointer_add_listener(c->pointer, &pointer_listener, c);
	struct server_args a = { 0 };
	server_run(h, view_get_fn, &a);
	c->vx = a.vx;
	c->vy = a.vy;
	return true;
}

static void ctx_close(struct ctx *c)
{
	if (c->touch)
		wl_touch_release(c->touch);
	if (c->pointer)
		wl_pointer_release(c->pointer);
	if (c->seat)
		wl_seat_release(c->seat);
	if (c->window)
		zct_window_destroy(c->window);
	if (c->client)
		zct_client_destroy(c->client);
}

static struct wl_surface *subsurface_create(struct ctx *c, struct wl_surface *parent,
	int32_t x, int32_t y, struct wl_subsurface **sub, struct zcc_buffer **buffer)
{
	struct wl_surface *surface = wl_compositor_create_surface(c->client->globals.compositor);
	*sub = wl_subcompositor_get_subsurface(c->client->globals.subcompositor, surface, parent);
	wl_subsurface_set_desync(*sub);
	wl_subsurface_set_position(*sub, x, y);
	*buffer = zct_pattern_buffer(c->client, 16, 16, WL_SHM_FORMAT_XRGB8888, 1);
	if (*buffer)
		zct_show(surface, *buffer);
	wl_surface_commit(parent);
	settle(c);
	return surface;
}

static void test_window_moves(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	if (ctx_open(&c, h, comp)) {
		run(&c, motion_fn, c.vx + 200, c.vy + 150);
		ZCT_CHECK(c.focus == NULL, "the pointer is not outside the window");
		/* The window comes to the pointer. */
		run(&c, view_move_fn, c.vx + 190, c.vy + 138);
		ZCT_CHECK(c.focus == c.window->surface && c.enters == 1,
			"no enter when the window moved under the pointer (enters %d)", c.enters);
		ZCT_CHECK(c.px == 10 && c.py == 12, "entered at %.1f,%.1f, not 10,12", c.px,
			c.py);
		/* It moves while under it: same focus, new position. */
		int motions = c.motions;
		run(&c, view_move_fn, c.vx + 193, c.vy + 136);
		ZCT_CHECK(c.enters == 1 && c.motions == motions + 1,
			"moving under the pointer gave %d enters, %d motions", c.enters,
			c.motions - motions);
		ZCT_CHECK(c.px == 7 && c.py == 14, "motion to %.1f,%.1f, not 7,14", c.px, c.py);
		/* No change, no event. */
		run(&c, view_move_fn, c.vx + 193, c.vy + 136);
		ZCT_CHECK(c.motions == motions + 1, "a motion without a change");
		/* It moves away. */
		run(&c, view_move_fn, c.vx, c.vy);
		ZCT_CHECK(c.focus == NULL && c.leaves == 1, "no leave when the window moved away");
	}
	ctx_close(&c);
}

static void test_window_resizes(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	if (ctx_open(&c, h, comp)) {
		run(&c, motion_fn, c.vx + 50, c.vy + 40);
		ZCT_CHECK(c.focus == NULL, "the pointer is not outside the window");
		xdg_surface_set_window_geometry(c.window->xdg_surface, 0, 0, 64, 64);
		struct zcc_buffer *big = zct_pattern_buffer(c.client, 64, 64,
			WL_SHM_FORMAT_XRGB8888, 2);
		if (big)
			zct_show(c.window->surface, big);
		settle(&c);
		ZCT_CHECK(c.focus == c.window->surface && c.px == 50 && c.py == 40,
			"growing under the pointer: focus %p at %.1f,%.1f", (void *)c.focus, c.px,
			c.py);
		xdg_surface_set_window_geometry(c.window->xdg_surface, 0, 0, 32, 32);
		zct_show(c.window->surface, c.window->buffer);
		settle(&c);
		ZCT_CHECK(c.focus == NULL && c.leaves == 1, "no leave when it shrank");
		if (big)
			zcc_buffer_destroy(big);
	}
	ctx_close(&c);
}

static void test_subsurface_moves_and_restacks(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	if (ctx_open(&c, h, comp)) {
		struct wl_subsurface *sub;
		struct zcc_buffer *buffer;
		struct wl_surface *child = subsurface_create(&c, c.window->surface, 0, 0, &sub,
			&buffer);
		run(&c, motion_fn, c.vx + 4, c.vy + 5);
		ZCT_CHECK(c.focus == child, "the subsurface does not have the pointer");
		/* It moves off the pointer: the main surface gets it. */
		wl_subsurface_set_position(sub, 8, 8);
		wl_surface_commit(c.window->surface);
		settle(&c);
		ZCT_CHECK(c.focus == c.window->surface && c.px == 4 && c.py == 5,
			"after the subsurface moved away: focus %p at %.1f,%.1f", (void *)c.focus,
			c.px, c.py);
		/* Back under it, partly outside its parent. */
		wl_subsurface_set_position(sub, -3, -2);
		wl_surface_commit(c.window->surface);
		settle(&c);
		ZCT_CHECK(c.focus == child && c.px == 7 && c.py == 7,
			"after the subsurface moved back: focus %p at %.1f,%.1f", (void *)c.focus,
			c.px, c.py);
		/* The part outside the parent takes input too. */
		run(&c, motion_fn, c.vx - 2, c.vy - 1);
		ZCT_CHECK(c.focus == child && c.px == 1 && c.py == 1,
			"outside the parent: focus %p at %.1f,%.1f", (void *)c.focus, c.px, c.py);
		run(&c, motion_fn, c.vx + 4, c.vy + 5);
		/* Restacked below its parent: the parent is on top there. */
		wl_subsurface_place_below(sub, c.window->surface);
		wl_surface_commit(c.window->surface);
		settle(&c);
		ZCT_CHECK(c.focus == c.window->surface, "place_below did not hand the pointer over");
		wl_subsurface_place_above(sub, c.window->surface);
		wl_surface_commit(c.window->surface);
		settle(&c);
		ZCT_CHECK(c.focus == child, "place_above did not give the pointer back");
		wl_subsurface_destroy(sub);
		settle(&c);
		ZCT_CHECK(c.focus == c.window->surface, "the removed subsurface kept the pointer");
		wl_surface_destroy(child);
		if (buffer)
			zcc_buffer_destroy(buffer);
	}
	ctx_close(&c);
}

/* wl_subsurface: a child is mapped only while its parent is. */
static void test_unmapped_parent_hides_tree(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	if (ctx_open(&c, h, comp)) {
		struct wl_subsurface *sub, *sub2;
		struct zcc_buffer *buffer, *buffer2;
		struct wl_surface *mid = subsurface_create(&c, c.window->surface, 0, 0, &sub,
			&buffer);
		struct wl_surface *leaf = subsurface_create(&c, mid, 2, 2, &sub2, &buffer2);
		run(&c, motion_fn, c.vx + 5, c.vy + 5);
		ZCT_CHECK(c.focus == leaf, "the nested subsurface does not have the pointer");
		wl_surface_attach(mid, NULL, 0, 0);
		wl_surface_commit(mid);
		settle(&c);
		ZCT_CHECK(c.focus == c.window->surface && c.px == 5 && c.py == 5,
			"with its parent unmapped the leaf kept input (focus %p)", (void *)c.focus);
		if (buffer)
			zct_show(mid, buffer);
		settle(&c);
		ZCT_CHECK(c.focus == leaf && c.px == 3 && c.py == 3,
			"remapping the parent did not give the leaf input back (focus %p)",
			(void *)c.focus);
		wl_subsurface_destroy(sub2);
		wl_surface_destroy(leaf);
		wl_subsurface_destroy(sub);
		wl_surface_destroy(mid);
		if (buffer)
			zcc_buffer_destroy(buffer);
		if (buffer2)
			zcc_buffer_destroy(buffer2);
	}
	ctx_close(&c);
}

static void test_touch_up_on_destroy(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	if (ctx_open(&c, h, comp)) {
		touch(&c, 0, 0, 0); /* the seat gains touch */
		c.touch = wl_seat_get_touch(c.seat);
		wl_touch_add_listener(c.touch, &touch_listener, &c);
		struct wl_subsurface *sub;
		struct zcc_buffer *buffer;
		struct wl_surface *child = subsurface_create(&c, c.window->surface, 0, 0, &sub,
			&buffer);
		touch(&c, 1, c.vx + 3, c.vy + 3);
		ZCT_CHECK(c.downs == 1, "no touch down on the subsurface");
		wl_subsurface_destroy(sub);
		wl_surface_destroy(child);
		settle(&c);
		ZCT_CHECK(c.ups == 1 && c.up_id == 7, "destroying the touched surface gave %d ups",
			c.ups);
		touch(&c, 2, 0, 0);
		ZCT_CHECK(c.ups == 1, "a second up when the finger lifted");
		if (buffer)
			zcc_buffer_destroy(buffer);
	}
	ctx_close(&c);
}

/* A client that dies with a finger on its window: its wl_touch may go
 * before or after its surfaces; zcomp sends into neither once gone. */
static void test_touch_client_gone(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	if (ctx_open(&c, h, comp)) {
		touch(&c, 0, 0, 0);
		c.touch = wl_seat_get_touch(c.seat);
		wl_touch_add_listener(c.touch, &touch_listener, &c);
		touch(&c, 1, c.vx + 3, c.vy + 3);
		ZCT_CHECK(c.downs == 1, "no touch down on the window");
		zct_client_kill(c.client);
		/* The other client's round trips let zcomp see the hang-up first. */
		struct ctx other;
		ZCT_CHECK(ctx_open(&other, h, comp), "zcomp serves no client after the kill");
		struct server_args a = { .touch = 2 };
		server_run(h, touch_fn, &a);
		ZCT_CHECK(zct_roundtrip(other.client), "zcomp gone after the finger lifted");
		ctx_close(&other);
	}
	ctx_close(&c);
}

int main(void)
{
	zc_log_init(ZC_LOG_WARN);
	struct harness h;
	struct zct_compositor comp = { 0 };
	if (harness_start_private(&h, SOCKET, comp.socket_path, sizeof(comp.socket_path))) {
		ZCT_RUN(test_window_moves, &h, &comp);
		ZCT_RUN(test_window_resizes, &h, &comp);
		ZCT_RUN(test_subsurface_moves_and_restacks, &h, &comp);
		ZCT_RUN(test_unmapped_parent_hides_tree, &h, &comp);
		ZCT_RUN(test_touch_up_on_destroy, &h, &comp);
		ZCT_RUN(test_touch_client_gone, &h, &comp);
	} else {
		ZCT_CHECK(false, "set-up failed");
	}
	harness_stop(&h);
	return zct_exit_status();
}
