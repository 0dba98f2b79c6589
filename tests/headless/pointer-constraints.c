/* Issue 15: relative-pointer and pointer-constraints, driven through
 * seat_notify_motion as the libinput backend calls it (accelerated and raw
 * deltas), with a real client: relative events with both deltas, a lock
 * that holds the cursor (and warps to its hint when released), oneshot and
 * persistent lifetimes, a confinement to a region, and each error. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "zct.h"
#include "base/log.h"
#include "core/surface.h"
#include "input/seat.h"
#include "pointer-constraints-unstable-v1-client-protocol.h"
#include "relative-pointer-unstable-v1-client-protocol.h"

#define SOCKET "zc-constraints-test"
#define WAIT_MS 2000

/* ---- on zcomp's thread ---- */

struct input_args {
	double x, y; /* absolute position, or relative delta */
	bool relative;
	double cursor_x, cursor_y; /* out: where the cursor is afterwards */
	int32_t view_x, view_y;    /* out: the first view's position */
};

static void input_fn(struct zc_server *server, void *arg)
{
	struct input_args *a = arg;
	if (a->relative) {
		struct zc_pointer_motion m = { .time_usec = 0x123456789abcULL, .dx = a->x,
			.dy = a->y, .dx_unaccel = a->x * 2, .dy_unaccel = a->y * 2 };
		seat_notify_motion(server->seat, &m);
	} else {
		seat_notify_motion_absolute(server->seat, 10, a->x, a->y);
	}
	seat_notify_frame(server->seat);
	seat_get_cursor(server->seat, &a->cursor_x, &a->cursor_y);
}

static void view_fn(struct zc_server *server, void *arg)
{
	struct input_args *a = arg;
	struct zc_view *view = wl_container_of(server->views.next, view, link);
	a->view_x = view->x;
	a->view_y = view->y;
	seat_get_cursor(server->seat, &a->cursor_x, &a->cursor_y);
}

/* Moves the first window 2 px right and back (every other call). */
static void nudge_view_fn(struct zc_server *server, void *arg)
{
	static int32_t dx = 2;
	struct zc_view *view = wl_container_of(server->views.next, view, link);
	view_move(view, view->x + dx, view->y);
	dx = -dx;
}

/* Puts the top window where the cursor is not. */
static void top_view_away_fn(struct zc_server *server, void *arg)
{
	struct zc_view *view = wl_container_of(server->views.prev, view, link);
	view_move(view, 400, 300);
}

/* ---- the client ---- */

struct ctx {
	struct harness *h;
	struct zct_client *client;
	struct zct_window *window;
	struct wl_seat *seat;
	struct zct_pointer pointer;
	struct zwp_relative_pointer_manager_v1 *rel_manager;
	struct zwp_pointer_constraints_v1 *constraints;
	int32_t vx, vy; /* the window's layout position */

	int rel_motions, locked, unlocked, confined, unconfined;
	bool got_rel;
	uint64_t rel_usec;
	double rel_dx, rel_dy, rel_ux, rel_uy;
};

static void handle_relative_motion(void *data, struct zwp_relative_pointer_v1 *rel,
	uint32_t hi, uint32_t lo, wl_fixed_t dx, wl_fixed_t dy, wl_fixed_t ux, wl_fixed_t uy)
{
	struct ctx *c = data;
	c->rel_motions++;
	c->got_rel = true;
	c->rel_usec = (uint64_t)hi << 32 | lo;
	c->rel_dx = wl_fixed_to_double(dx);
	c->rel_dy = wl_fixed_to_double(dy);
	c->rel_ux = wl_fixed_to_double(ux);
	c->rel_uy = wl_fixed_to_double(uy);
}

static const struct zwp_relative_pointer_v1_listener relative_listener = {
	.relative_motion = handle_relative_motion,
};

static void handle_locked(void *data, struct zwp_locked_pointer_v1 *l)
{
	((struct ctx *)data)->locked++;
}

static void handle_unlocked(void *data, struct zwp_locked_pointer_v1 *l)
{
	((struct ctx *)data)->unlocked++;
}

static const struct zwp_locked_pointer_v1_listener locked_listener = {
	.locked = handle_locked,
	.unlocked = handle_unlocked,
};

static void handle_confined(void *data, struct zwp_confined_pointer_v1 *l)
{
	((struct ctx *)data)->confined++;
}

static void handle_unconfined(void *data, struct zwp_confined_pointer_v1 *l)
{
	((struct ctx *)data)->unconfined++;
}

static const struct zwp_confined_pointer_v1_listener confined_listener = {
	.confined = handle_confined,
	.unconfined = handle_unconfined,
};

/* Injects input once zcomp has the client's requests, then lets the
 * client read what it caused. */
static struct input_args move(struct ctx *c, double x, double y, bool relative)
{
	zct_roundtrip(c->client);
	struct input_args a = { .x = x, .y = y, .relative = relative };
	server_run(c->h, input_fn, &a);
	zct_roundtrip(c->client);
	return a;
}

/* Locks the pointer on the window and lets zcomp answer. */
static struct zwp_locked_pointer_v1 *lock_pointer(struct ctx *c, uint32_t lifetime)
{
	struct zwp_locked_pointer_v1 *lock = zwp_pointer_constraints_v1_lock_pointer(
		c->constraints, c->window->surface, c->pointer.wl_pointer, NULL, lifetime);
	zwp_locked_pointer_v1_add_listener(lock, &locked_listener, c);
	zct_roundtrip(c->client);
	return lock;
}

static bool ctx_open(struct ctx *c, struct harness *h, struct zct_compositor *comp)
{
	*c = (struct ctx){ .h = h };
	c->client = zct_client_connect(comp);
	if (!c->client)
		return false;
	c->seat = zct_bind(c->client, &wl_seat_interface, 7);
	c->rel_manager = zct_bind(c->client, &zwp_relative_pointer_manager_v1_interface, 1);
	c->constraints = zct_bind(c->client, &zwp_pointer_constraints_v1_interface, 1);
	c->window = zct_window_create(c->client, false);
	if (!c->seat || !c->rel_manager || !c->constraints || !c->window ||
		!zct_window_map(c->window))
		return false;
	zct_pointer_init(&c->pointer, c->seat);
	struct input_args a = { 0 };
	server_run(h, view_fn, &a);
	c->vx = a.view_x;
	c->vy = a.view_y;
	move(c, c->vx + 16, c->vy + 16, false); /* the window has the pointer */
	return true;
}

static void ctx_close(struct ctx *c)
{
	zct_pointer_finish(&c->pointer);
	if (c->constraints)
		zwp_pointer_constraints_v1_destroy(c->constraints);
	if (c->rel_manager)
		zwp_relative_pointer_manager_v1_destroy(c->rel_manager);
	if (c->seat)
		wl_seat_release(c->seat);
	zct_window_destroy(c->window);
	zct_client_destroy(c->client);
}

/* Both deltas and the microsecond time reach the client; the cursor moves
 * by the accelerated delta. */
static void test_relative(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	if (!ctx_open(&c, h, comp))
		goto out;
	struct zwp_relative_pointer_v1 *rel =
		zwp_relative_pointer_manager_v1_get_relative_pointer(c.rel_manager,
			c.pointer.wl_pointer);
	zwp_relative_pointer_v1_add_listener(rel, &relative_listener, &c);
	int before = c.pointer.motions;
	struct input_args a = move(&c, 3, -2, true);
	ZCT_CHECK(c.got_rel, "no relative_motion");
	ZCT_CHECK(c.rel_usec == 0x123456789abcULL, "utime %#llx", (unsigned long long)c.rel_usec);
	ZCT_CHECK(c.rel_dx == 3 && c.rel_dy == -2 && c.rel_ux == 6 && c.rel_uy == -4,
		"deltas %g,%g unaccelerated %g,%g", c.rel_dx, c.rel_dy, c.rel_ux, c.rel_uy);
	ZCT_CHECK(c.pointer.motions == before + 1, "%d wl_pointer.motion, not 1",
		c.pointer.motions - before);
	ZCT_CHECK(a.cursor_x == c.vx + 19 && a.cursor_y == c.vy + 14, "cursor at %g,%g",
		a.cursor_x, a.cursor_y);
	zwp_relative_pointer_v1_destroy(rel);
	zct_expect_no_error(c.client, "relative pointer");
out:
	ctx_close(&c);
}

/* A persistent lock: the cursor stays, relative events flow, the lock comes
 * back when the pointer returns, and releasing it warps to the hint. */
static void test_lock_persistent(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	if (!ctx_open(&c, h, comp))
		goto out;
	struct zwp_relative_pointer_v1 *rel =
		zwp_relative_pointer_manager_v1_get_relative_pointer(c.rel_manager,
			c.pointer.wl_pointer);
	zwp_relative_pointer_v1_add_listener(rel, &relative_listener, &c);
	struct zwp_locked_pointer_v1 *lock =
		lock_pointer(&c, ZWP_POINTER_CONSTRAINTS_V1_LIFETIME_PERSISTENT);
	ZCT_CHECK(c.locked == 1, "%d locked events", c.locked);
	int motions = c.pointer.motions;
	struct input_args a = move(&c, 7, 5, true);
	ZCT_CHECK(a.cursor_x == c.vx + 16 && a.cursor_y == c.vy + 16,
		"locked cursor moved to %g,%g", a.cursor_x, a.cursor_y);
	ZCT_CHECK(c.rel_motions == 1 && c.rel_dx == 7, "%d relative events while locked (dx %g)",
		c.rel_motions, c.rel_dx);
	ZCT_CHECK(c.pointer.motions == motions, "wl_pointer.motion while locked");
	/* The window moving under the locked pointer sends no motion either. */
	server_run(h, nudge_view_fn, NULL);
	zct_roundtrip(c.client);
	zct_roundtrip(c.client);
	ZCT_CHECK(c.pointer.motions == motions, "wl_pointer.motion when the locked window moved");
	server_run(h, nudge_view_fn, NULL);
	zct_roundtrip(c.client);
	/* An absolute device takes the pointer away: unlocked; back: locked. */
	move(&c, c.vx + 100, c.vy + 100, false);
	ZCT_CHECK(c.unlocked == 1, "%d unlocked events after leaving", c.unlocked);
	move(&c, c.vx + 16, c.vy + 16, false);
	ZCT_CHECK(c.locked == 2, "persistent lock not back: %d locked events", c.locked);
	zwp_locked_pointer_v1_set_cursor_position_hint(lock, wl_fixed_from_int(3),
		wl_fixed_from_int(4));
	wl_surface_commit(c.window->surface);
	zwp_locked_pointer_v1_destroy(lock);
	zct_roundtrip(c.client);
	a = (struct input_args){ 0 };
	server_run(h, view_fn, &a);
	ZCT_CHECK(a.cursor_x == c.vx + 3 && a.cursor_y == c.vy + 4,
		"after unlock the cursor is at %g,%g, not at the hint %d,%d", a.cursor_x,
		a.cursor_y, c.vx + 3, c.vy + 4);
	zwp_relative_pointer_v1_destroy(rel);
	zct_expect_no_error(c.client, "persistent lock");
out:
	ctx_close(&c);
}

/* A oneshot lock ends for good when the pointer leaves. */
static void test_lock_oneshot(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	if (!ctx_open(&c, h, comp))
		goto out;
	struct zwp_locked_pointer_v1 *lock =
		lock_pointer(&c, ZWP_POINTER_CONSTRAINTS_V1_LIFETIME_ONESHOT);
	move(&c, c.vx + 100, c.vy + 100, false);
	move(&c, c.vx + 16, c.vy + 16, false);
	ZCT_CHECK(c.locked == 1 && c.unlocked == 1, "oneshot: %d locked, %d unlocked",
		c.locked, c.unlocked);
	struct input_args a = move(&c, 2, 2, true);
	ZCT_CHECK(a.cursor_x == c.vx + 18, "a defunct lock still holds the cursor");
	zwp_locked_pointer_v1_destroy(lock);
	/* A persistent lock whose surface goes first: inert, then destroyed. */
	lock = lock_pointer(&c, ZWP_POINTER_CONSTRAINTS_V1_LIFETIME_PERSISTENT);
	ZCT_CHECK(c.locked == 2, "the second lock did not activate");
	zct_window_destroy(c.window);
	c.window = NULL;
	a = move(&c, 3, 3, true);
	ZCT_CHECK(c.unlocked == 2 && a.cursor_x == c.vx + 21,
		"surface gone: %d unlocked, cursor x %g", c.unlocked, a.cursor_x - c.vx);
	zwp_locked_pointer_v1_destroy(lock);
	zct_expect_no_error(c.client, "oneshot lock, lock of a destroyed surface");
out:
	ctx_close(&c);
}

/* Confined to a 10x10 box at 4,4 of the 32x32 window: activates once the
 * cursor is inside, then motion stops at the box's edges. */
static void test_confine(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	if (!ctx_open(&c, h, comp))
		goto out;
	move(&c, c.vx + 20, c.vy + 20, false);
	struct wl_region *region = wl_compositor_create_region(c.client->globals.compositor);
	wl_region_add(region, 4, 4, 10, 10);
	struct zwp_confined_pointer_v1 *confine = zwp_pointer_constraints_v1_confine_pointer(
		c.constraints, c.window->surface, c.pointer.wl_pointer, region,
		ZWP_POINTER_CONSTRAINTS_V1_LIFETIME_PERSISTENT);
	wl_region_destroy(region);
	zwp_confined_pointer_v1_add_listener(confine, &confined_listener, &c);
	zct_roundtrip(c.client);
	ZCT_CHECK(c.confined == 0, "confined while the cursor is outside the region");
	move(&c, c.vx + 8, c.vy + 8, false);
	ZCT_CHECK(c.confined == 1, "%d confined events inside the region", c.confined);
	struct input_args a = move(&c, 50, -50, true);
	ZCT_CHECK(a.cursor_x == c.vx + 13 && a.cursor_y == c.vy + 4,
		"confined cursor went to %g,%g (box %d,%d-%d,%d)", a.cursor_x - c.vx,
		a.cursor_y - c.vy, 4, 4, 14, 14);
	a = move(&c, -3, 2, true);
	ZCT_CHECK(fabs(a.cursor_y - (c.vy + 6)) < 1e-9, "inside the box motion is free: y %g",
		a.cursor_y - c.vy);
	/* A new region applies at the next commit. */
	region = wl_compositor_create_region(c.client->globals.compositor);
	wl_region_add(region, 0, 0, 32, 32);
	zwp_confined_pointer_v1_set_region(confine, region);
	wl_region_destroy(region);
	wl_surface_commit(c.window->surface);
	a = move(&c, 12, 12, true);
	ZCT_CHECK(a.cursor_y == c.vy + 18, "the new region did not apply: y %g",
		a.cursor_y - c.vy);
	zwp_confined_pointer_v1_destroy(confine);
	zct_expect_no_error(c.client, "confine");
out:
	ctx_close(&c);
}

/* A lock holds only while its window has the keyboard too (as weston): a new
 * window taking the keyboard, away from the cursor, unlocks it; when that
 * window goes the lock comes back (wlcs's re-selection tests). */
static void test_lock_follows_keyboard(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	if (!ctx_open(&c, h, comp))
		goto out;
	struct zwp_locked_pointer_v1 *lock =
		lock_pointer(&c, ZWP_POINTER_CONSTRAINTS_V1_LIFETIME_PERSISTENT);
	ZCT_CHECK(c.locked == 1, "%d locked events", c.locked);
	for (int i = 0; i < 2; i++) {
		struct zct_window *other = zct_window_create(c.client, false);
		if (!other || !zct_window_map(other)) {
			zct_window_destroy(other);
			break;
		}
		server_run(h, top_view_away_fn, NULL);
		zct_roundtrip(c.client);
		zct_roundtrip(c.client);
		ZCT_CHECK(c.unlocked == i + 1, "round %d: another window has the keyboard, "
			"%d unlocked events", i, c.unlocked);
		struct input_args a = move(&c, 5, 5, true);
		ZCT_CHECK(a.cursor_x == c.vx + 21, "round %d: the unlocked cursor did not move",
			i);
		move(&c, c.vx + 16, c.vy + 16, false);
		zct_window_destroy(other);
		zct_roundtrip(c.client);
		zct_roundtrip(c.client);
		ZCT_CHECK(c.locked == i + 2, "round %d: the window has the keyboard back, "
			"%d locked events", i, c.locked);
	}
	zwp_locked_pointer_v1_destroy(lock);
	zct_expect_no_error(c.client, "lock and keyboard focus");
out:
	ctx_close(&c);
}

/* already_constrained for a second constraint of either kind; a lifetime
 * that is neither value. */
static void test_errors(struct harness *h, struct zct_compositor *comp)
{
	for (int i = 0; i < 3; i++) {
		struct ctx c;
		if (!ctx_open(&c, h, comp)) {
			ctx_close(&c);
			return;
		}
		uint32_t lifetime = i == 2 ? 3 : ZWP_POINTER_CONSTRAINTS_V1_LIFETIME_ONESHOT;
		zwp_pointer_constraints_v1_lock_pointer(c.constraints, c.window->surface,
			c.pointer.wl_pointer, NULL, lifetime);
		if (i == 0)
			zwp_pointer_constraints_v1_lock_pointer(c.constraints, c.window->surface,
				c.pointer.wl_pointer, NULL,
				ZWP_POINTER_CONSTRAINTS_V1_LIFETIME_PERSISTENT);
		else if (i == 1)
			zwp_pointer_constraints_v1_confine_pointer(c.constraints,
				c.window->surface, c.pointer.wl_pointer, NULL,
				ZWP_POINTER_CONSTRAINTS_V1_LIFETIME_PERSISTENT);
		uint32_t code = i < 2 ? ZWP_POINTER_CONSTRAINTS_V1_ERROR_ALREADY_CONSTRAINED :
			WL_DISPLAY_ERROR_INVALID_METHOD;
		zct_expect_error(c.client, &zwp_pointer_constraints_v1_interface, code,
			i == 0 ? "second lock" : i == 1 ? "confine over a lock" : "lifetime 3");
		ctx_close(&c);
	}
}

static const struct harness_test tests[] = {
	HARNESS_TEST(test_relative),
	HARNESS_TEST(test_lock_persistent),
	HARNESS_TEST(test_lock_oneshot),
	HARNESS_TEST(test_confine),
	HARNESS_TEST(test_lock_follows_keyboard),
	HARNESS_TEST(test_errors),
};

int main(void)
{
	return harness_main(SOCKET, 1, tests, ZC_LEN(tests));
}
