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
	struct zct_pointer pointer;
	struct zct_touch touch;
	int32_t vx, vy;
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
	zct_pointer_init(&c->pointer, c->seat);
	struct server_args a = { 0 };
	server_run(h, view_get_fn, &a);
	c->vx = a.vx;
	c->vy = a.vy;
	return true;
}

static void ctx_close(struct ctx *c)
{
	zct_touch_finish(&c->touch);
	zct_pointer_finish(&c->pointer);
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
	const struct zct_pointer *p = &c.pointer;
	if (ctx_open(&c, h, comp)) {
		run(&c, motion_fn, c.vx + 200, c.vy + 150);
		ZCT_CHECK(p->focus == NULL, "the pointer is not outside the window");
		/* The window comes to the pointer. */
		run(&c, view_move_fn, c.vx + 190, c.vy + 138);
		ZCT_CHECK(p->focus == c.window->surface && p->enters == 1,
			"no enter when the window moved under the pointer (enters %d)", p->enters);
		ZCT_CHECK(p->x == 10 && p->y == 12, "entered at %.1f,%.1f, not 10,12", p->x,
			p->y);
		/* It moves while under it: same focus, new position. */
		int motions = p->motions;
		run(&c, view_move_fn, c.vx + 193, c.vy + 136);
		ZCT_CHECK(p->enters == 1 && p->motions == motions + 1,
			"moving under the pointer gave %d enters, %d motions", p->enters,
			p->motions - motions);
		ZCT_CHECK(p->x == 7 && p->y == 14, "motion to %.1f,%.1f, not 7,14", p->x, p->y);
		/* No change, no event. */
		run(&c, view_move_fn, c.vx + 193, c.vy + 136);
		ZCT_CHECK(p->motions == motions + 1, "a motion without a change");
		/* It moves away. */
		run(&c, view_move_fn, c.vx, c.vy);
		ZCT_CHECK(p->focus == NULL && p->leaves == 1,
			"no leave when the window moved away");
	}
	ctx_close(&c);
}

static void test_window_resizes(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	const struct zct_pointer *p = &c.pointer;
	if (ctx_open(&c, h, comp)) {
		run(&c, motion_fn, c.vx + 50, c.vy + 40);
		ZCT_CHECK(p->focus == NULL, "the pointer is not outside the window");
		xdg_surface_set_window_geometry(c.window->xdg_surface, 0, 0, 64, 64);
		struct zcc_buffer *big = zct_pattern_buffer(c.client, 64, 64,
			WL_SHM_FORMAT_XRGB8888, 2);
		if (big)
			zct_show(c.window->surface, big);
		settle(&c);
		ZCT_CHECK(p->focus == c.window->surface && p->x == 50 && p->y == 40,
			"growing under the pointer: focus %p at %.1f,%.1f", (void *)p->focus, p->x,
			p->y);
		xdg_surface_set_window_geometry(c.window->xdg_surface, 0, 0, 32, 32);
		zct_show(c.window->surface, c.window->buffer);
		settle(&c);
		ZCT_CHECK(p->focus == NULL && p->leaves == 1, "no leave when it shrank");
		if (big)
			zcc_buffer_destroy(big);
	}
	ctx_close(&c);
}

static void test_subsurface_moves_and_restacks(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	const struct zct_pointer *p = &c.pointer;
	if (ctx_open(&c, h, comp)) {
		struct wl_subsurface *sub;
		struct zcc_buffer *buffer;
		struct wl_surface *child = subsurface_create(&c, c.window->surface, 0, 0, &sub,
			&buffer);
		run(&c, motion_fn, c.vx + 4, c.vy + 5);
		ZCT_CHECK(p->focus == child, "the subsurface does not have the pointer");
		/* It moves off the pointer: the main surface gets it. */
		wl_subsurface_set_position(sub, 8, 8);
		wl_surface_commit(c.window->surface);
		settle(&c);
		ZCT_CHECK(p->focus == c.window->surface && p->x == 4 && p->y == 5,
			"after the subsurface moved away: focus %p at %.1f,%.1f", (void *)p->focus,
			p->x, p->y);
		/* Back under it, partly outside its parent. */
		wl_subsurface_set_position(sub, -3, -2);
		wl_surface_commit(c.window->surface);
		settle(&c);
		ZCT_CHECK(p->focus == child && p->x == 7 && p->y == 7,
			"after the subsurface moved back: focus %p at %.1f,%.1f", (void *)p->focus,
			p->x, p->y);
		/* The part outside the parent takes input too. */
		run(&c, motion_fn, c.vx - 2, c.vy - 1);
		ZCT_CHECK(p->focus == child && p->x == 1 && p->y == 1,
			"outside the parent: focus %p at %.1f,%.1f", (void *)p->focus, p->x, p->y);
		run(&c, motion_fn, c.vx + 4, c.vy + 5);
		/* Restacked below its parent: the parent is on top there. */
		wl_subsurface_place_below(sub, c.window->surface);
		wl_surface_commit(c.window->surface);
		settle(&c);
		ZCT_CHECK(p->focus == c.window->surface,
			"place_below did not hand the pointer over");
		wl_subsurface_place_above(sub, c.window->surface);
		wl_surface_commit(c.window->surface);
		settle(&c);
		ZCT_CHECK(p->focus == child, "place_above did not give the pointer back");
		wl_subsurface_destroy(sub);
		settle(&c);
		ZCT_CHECK(p->focus == c.window->surface, "the removed subsurface kept the pointer");
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
	const struct zct_pointer *p = &c.pointer;
	if (ctx_open(&c, h, comp)) {
		struct wl_subsurface *sub, *sub2;
		struct zcc_buffer *buffer, *buffer2;
		struct wl_surface *mid = subsurface_create(&c, c.window->surface, 0, 0, &sub,
			&buffer);
		struct wl_surface *leaf = subsurface_create(&c, mid, 2, 2, &sub2, &buffer2);
		run(&c, motion_fn, c.vx + 5, c.vy + 5);
		ZCT_CHECK(p->focus == leaf, "the nested subsurface does not have the pointer");
		wl_surface_attach(mid, NULL, 0, 0);
		wl_surface_commit(mid);
		settle(&c);
		ZCT_CHECK(p->focus == c.window->surface && p->x == 5 && p->y == 5,
			"with its parent unmapped the leaf kept input (focus %p)",
			(void *)p->focus);
		if (buffer)
			zct_show(mid, buffer);
		settle(&c);
		ZCT_CHECK(p->focus == leaf && p->x == 3 && p->y == 3,
			"remapping the parent did not give the leaf input back (focus %p)",
			(void *)p->focus);
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
		zct_touch_init(&c.touch, c.seat);
		struct wl_subsurface *sub;
		struct zcc_buffer *buffer;
		struct wl_surface *child = subsurface_create(&c, c.window->surface, 0, 0, &sub,
			&buffer);
		touch(&c, 1, c.vx + 3, c.vy + 3);
		ZCT_CHECK(c.touch.downs == 1, "no touch down on the subsurface");
		wl_subsurface_destroy(sub);
		wl_surface_destroy(child);
		settle(&c);
		ZCT_CHECK(c.touch.ups == 1 && c.touch.id == 7,
			"destroying the touched surface gave %d ups", c.touch.ups);
		touch(&c, 2, 0, 0);
		ZCT_CHECK(c.touch.ups == 1, "a second up when the finger lifted");
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
		zct_touch_init(&c.touch, c.seat);
		touch(&c, 1, c.vx + 3, c.vy + 3);
		ZCT_CHECK(c.touch.downs == 1, "no touch down on the window");
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

static const struct harness_test tests[] = {
	HARNESS_TEST(test_window_moves),
	HARNESS_TEST(test_window_resizes),
	HARNESS_TEST(test_subsurface_moves_and_restacks),
	HARNESS_TEST(test_unmapped_parent_hides_tree),
	HARNESS_TEST(test_touch_up_on_destroy),
	HARNESS_TEST(test_touch_client_gone),
};

int main(void)
{
	return harness_main(SOCKET, 1, tests, ZC_LEN(tests));
}
