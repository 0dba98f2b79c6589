/* Issue 15: xdg_popup.grab with our own clients, in process (zcomp's
 * headless backend; input injected through seat_notify_* and
 * touch_notify_*, the paths libinput feeds). A grab needs the serial of the
 * client's latest input, else the popup is dismissed; while it runs, the
 * topmost grabbing popup has the keyboard, other clients get no pointer
 * events, and a press outside the client's surfaces, a touch down outside
 * them or a new window dismiss the popups; a nested grab hands the keyboard
 * back to its parent when it goes. */
#include <linux/input-event-codes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "zct.h"
#include "base/log.h"
#include "core/surface.h"
#include "input/seat.h"
#include "input/touch.h"

#define SOCKET "zc-popup-grab-test"
/* Window sizes tell the two clients' views apart on zcomp's side. */
#define A_W 60
#define A_H 40
#define B_W 200
#define B_H 150
#define POPUP_W 30
#define POPUP_H 20

/* ---- on zcomp's thread ---- */

struct view_pos {
	int32_t width;     /* in: which view */
	int32_t x, y;      /* out */
	bool found;
};

static void view_pos_fn(struct zc_server *server, void *arg)
{
	struct view_pos *p = arg;
	struct zc_view *view;
	p->found = false;
	wl_list_for_each(view, &server->views, link) {
		if (view->mapped && view->surface->width == p->width) {
			p->x = view->x;
			p->y = view->y;
			p->found = true;
		}
	}
}

enum input_kind { INPUT_MOTION, INPUT_BUTTON, INPUT_TOUCH };

struct input {
	enum input_kind kind;
	double x, y;
	bool pressed;
};

static void input_fn(struct zc_server *server, void *arg)
{
	const struct input *in = arg;
	struct zc_touch *touch = seat_get_touch(server->seat);
	switch (in->kind) {
	case INPUT_MOTION:
		seat_notify_motion_absolute(server->seat, 10, in->x, in->y);
		seat_notify_frame(server->seat);
		break;
	case INPUT_BUTTON:
		seat_notify_button(server->seat, 20, BTN_LEFT, in->pressed);
		seat_notify_frame(server->seat);
		break;
	case INPUT_TOUCH:
		seat_set_touch_capable(server->seat, true);
		if (in->pressed)
			touch_notify_down(touch, 30, 5, in->x, in->y);
		else
			touch_notify_up(touch, 40, 5);
		touch_notify_frame(touch);
		break;
	}
}

/* ---- the clients ---- */

struct keyboard {
	struct wl_keyboard *wl_keyboard;
	struct wl_surface *focus;
};

static void handle_keymap(void *data, struct wl_keyboard *k, uint32_t format, int32_t fd,
	uint32_t size)
{
	close(fd);
}

static void handle_enter(void *data, struct wl_keyboard *k, uint32_t serial,
	struct wl_surface *surface, struct wl_array *keys)
{
	struct keyboard *kb = data;
	kb->focus = surface;
}

static void handle_leave(void *data, struct wl_keyboard *k, uint32_t serial,
	struct wl_surface *surface)
{
	struct keyboard *kb = data;
	if (kb->focus == surface)
		kb->focus = NULL;
}

static void handle_key(void *data, struct wl_keyboard *k, uint32_t serial, uint32_t time,
	uint32_t key, uint32_t state)
{
}

static void handle_modifiers(void *data, struct wl_keyboard *k, uint32_t serial,
	uint32_t depressed, uint32_t latched, uint32_t locked, uint32_t group)
{
}

static void handle_repeat_info(void *data, struct wl_keyboard *k, int32_t rate, int32_t delay)
{
}

static const struct wl_keyboard_listener keyboard_listener = {
	.keymap = handle_keymap,
	.enter = handle_enter,
	.leave = handle_leave,
	.key = handle_key,
	.modifiers = handle_modifiers,
	.repeat_info = handle_repeat_info,
};

struct popup {
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_popup *xdg_popup;
	struct zcc_buffer *buffer;
	uint32_t serial;
	bool configured, done;
};

static void handle_popup_surface_configure(void *data, struct xdg_surface *s, uint32_t serial)
{
	struct popup *p = data;
	p->serial = serial;
	p->configured = true;
}

static const struct xdg_surface_listener popup_surface_listener = {
	.configure = handle_popup_surface_configure,
};

static void handle_popup_configure(void *data, struct xdg_popup *xdg_popup, int32_t x,
	int32_t y, int32_t width, int32_t height)
{
}

static void handle_popup_done(void *data, struct xdg_popup *xdg_popup)
{
	struct popup *p = data;
	p->done = true;
}

static void handle_popup_repositioned(void *data, struct xdg_popup *xdg_popup, uint32_t token)
{
}

static const struct xdg_popup_listener popup_listener = {
	.configure = handle_popup_configure,
	.popup_done = handle_popup_done,
	.repositioned = handle_popup_repositioned,
};

struct party {
	struct zct_client *client;
	struct wl_seat *seat;
	struct zct_window *window;
	struct zct_pointer pointer;
	struct zct_touch touch;
	struct keyboard keyboard;
	int32_t x, y; /* the window's layout position */
};

struct ctx {
	struct harness *h;
	struct party a, b;
};

static void settle(struct ctx *c)
{
	for (int i = 0; i < 2; i++) {
		if (c->a.client)
			zct_roundtrip(c->a.client);
		if (c->b.client)
			zct_roundtrip(c->b.client);
	}
}

static void inject(struct ctx *c, enum input_kind kind, double x, double y, bool pressed)
{
	settle(c);
	struct input in = { .kind = kind, .x = x, .y = y, .pressed = pressed };
	server_run(c->h, input_fn, &in);
	settle(c);
}

static void click(struct ctx *c, double x, double y)
{
	inject(c, INPUT_MOTION, x, y, false);
	inject(c, INPUT_BUTTON, 0, 0, true);
	inject(c, INPUT_BUTTON, 0, 0, false);
}

static bool party_locate(struct ctx *c, struct party *p, int32_t width)
{
	struct view_pos pos = { .width = width };
	server_run(c->h, view_pos_fn, &pos);
	p->x = pos.x;
	p->y = pos.y;
	return pos.found;
}

/* A client with a mapped window of width x height, a pointer, a keyboard
 * and touch. */
static bool party_open(struct ctx *c, struct party *p, struct zct_compositor *comp,
	int32_t width, int32_t height)
{
	*p = (struct party){ .client = zct_client_connect(comp) };
	if (!p->client)
		return false;
	p->seat = zct_bind(p->client, &wl_seat_interface, 7);
	p->window = zct_window_create(p->client, false);
	if (!p->seat || !p->window)
		return false;
	zct_pointer_init(&p->pointer, p->seat);
	zct_touch_init(&p->touch, p->seat);
	p->keyboard.wl_keyboard = wl_seat_get_keyboard(p->seat);
	wl_keyboard_add_listener(p->keyboard.wl_keyboard, &keyboard_listener, &p->keyboard);
	p->window->buffer = zct_pattern_buffer(p->client, width, height,
		WL_SHM_FORMAT_XRGB8888, 1);
	if (!p->window->buffer)
		return false;
	zct_show(p->window->surface, p->window->buffer);
	zct_roundtrip(p->client);
	settle(c);
	zct_roundtrip(p->client);
	return party_locate(c, p, width);
}

static void party_close(struct party *p)
{
	if (p->keyboard.wl_keyboard)
		wl_keyboard_release(p->keyboard.wl_keyboard);
	zct_touch_finish(&p->touch);
	zct_pointer_finish(&p->pointer);
	if (p->seat)
		wl_seat_release(p->seat);
	if (p->window)
		zct_window_destroy(p->window);
	if (p->client)
		zct_client_destroy(p->client);
	*p = (struct party){ 0 };
}

/* A popup of parent's (an xdg_surface) asking for a grab with serial, and
 * mapped unless it was dismissed at once. */
static void popup_open(struct ctx *c, struct party *p, struct popup *pp,
	struct xdg_surface *parent, uint32_t serial)
{
	struct zcc_globals *g = &p->client->globals;
	*pp = (struct popup){ 0 };
	struct xdg_positioner *pos = xdg_wm_base_create_positioner(g->wm_base);
	xdg_positioner_set_size(pos, POPUP_W, POPUP_H);
	xdg_positioner_set_anchor_rect(pos, 0, 0, 10, 10);
	pp->surface = wl_compositor_create_surface(g->compositor);
	pp->xdg_surface = xdg_wm_base_get_xdg_surface(g->wm_base, pp->surface);
	xdg_surface_add_listener(pp->xdg_surface, &popup_surface_listener, pp);
	pp->xdg_popup = xdg_surface_get_popup(pp->xdg_surface, parent, pos);
	xdg_popup_add_listener(pp->xdg_popup, &popup_listener, pp);
	xdg_positioner_destroy(pos);
	xdg_popup_grab(pp->xdg_popup, p->seat, serial);
	wl_surface_commit(pp->surface);
	settle(c);
	if (pp->done || !pp->configured)
		return;
	xdg_surface_ack_configure(pp->xdg_surface, pp->serial);
	pp->buffer = zct_pattern_buffer(p->client, POPUP_W, POPUP_H, WL_SHM_FORMAT_XRGB8888, 2);
	if (pp->buffer)
		zct_show(pp->surface, pp->buffer);
	settle(c);
}

static void popup_close(struct ctx *c, struct popup *pp)
{
	if (pp->xdg_popup)
		xdg_popup_destroy(pp->xdg_popup);
	if (pp->xdg_surface)
		xdg_surface_destroy(pp->xdg_surface);
	if (pp->surface)
		wl_surface_destroy(pp->surface);
	if (pp->buffer)
		zcc_buffer_destroy(pp->buffer);
	*pp = (struct popup){ 0 };
	settle(c);
}

/* Both clients' windows, then a click on A's: A's latest input serial;
 * false (failure recorded) if that did not happen. */
static bool ctx_open(struct ctx *c, struct harness *h, struct zct_compositor *comp)
{
	*c = (struct ctx){ .h = h };
	bool ok = party_open(c, &c->b, comp, B_W, B_H) && party_open(c, &c->a, comp, A_W, A_H);
	if (ok)
		click(c, c->a.x + 5, c->a.y + 5);
	ok = ok && c->a.pointer.press_serial != 0;
	ZCT_CHECK(ok, "set-up: two windows and a click on the first");
	return ok;
}

static void ctx_close(struct ctx *c)
{
	party_close(&c->a);
	party_close(&c->b);
}

/* A point on B's window that A's does not cover. */
static void point_on_b(const struct ctx *c, double *x, double *y)
{
	*x = c->b.x + B_W - 5;
	*y = c->b.y + B_H - 5;
}

static void test_denied(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	struct popup pp;
	if (!ctx_open(&c, h, comp))
		goto out;
	popup_open(&c, &c.a, &pp, c.a.window->xdg_surface, c.a.pointer.press_serial + 1000);
	ZCT_CHECK(pp.done, "a grab with a made-up serial was not dismissed");
	popup_close(&c, &pp);
	/* Another client's serial is not this client's. */
	click(&c, c.b.x + B_W - 5, c.b.y + B_H - 5);
	popup_open(&c, &c.a, &pp, c.a.window->xdg_surface, c.b.pointer.press_serial);
	ZCT_CHECK(pp.done, "a grab with another client's serial was not dismissed");
	popup_close(&c, &pp);
out:
	ctx_close(&c);
}

static void test_owner_events(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	struct popup pp;
	if (!ctx_open(&c, h, comp))
		goto out;
	/* The release's serial: menus open on a release too. */
	popup_open(&c, &c.a, &pp, c.a.window->xdg_surface, c.a.pointer.press_serial + 1);
	ZCT_CHECK(!pp.done && pp.buffer, "the grab was denied");
	ZCT_CHECK(c.a.keyboard.focus == pp.surface, "the keyboard is not on the popup");
	int b_enters = c.b.pointer.enters, b_buttons = c.b.pointer.buttons;
	double bx, by;
	point_on_b(&c, &bx, &by);
	inject(&c, INPUT_MOTION, bx, by, false);
	ZCT_CHECK(c.b.pointer.enters == b_enters, "another client got the pointer during a grab");
	ZCT_CHECK(c.a.pointer.focus == NULL, "the grabbing client kept the pointer off its surfaces");
	ZCT_CHECK(!pp.done, "moving away dismissed the popup");
	inject(&c, INPUT_BUTTON, 0, 0, true);
	ZCT_CHECK(pp.done, "a press on another client's window left the popup up");
	ZCT_CHECK(c.b.pointer.buttons == b_buttons, "the dismissing press reached the other client");
	inject(&c, INPUT_BUTTON, 0, 0, false);
	ZCT_CHECK(c.a.keyboard.focus == c.a.window->surface,
		"the keyboard did not go back to the window");
	popup_close(&c, &pp);
	/* Once the grab is over, the other client gets the pointer again. */
	inject(&c, INPUT_MOTION, bx + 1, by, false);
	ZCT_CHECK(c.b.pointer.focus != NULL, "the other client never got the pointer back");
out:
	ctx_close(&c);
}

static void test_nested(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	struct popup p1, p2;
	if (!ctx_open(&c, h, comp))
		goto out;
	uint32_t serial = c.a.pointer.press_serial;
	popup_open(&c, &c.a, &p1, c.a.window->xdg_surface, serial);
	popup_open(&c, &c.a, &p2, p1.xdg_surface, serial);
	ZCT_CHECK(!p1.done && !p2.done, "a nested grab was denied");
	ZCT_CHECK(c.a.keyboard.focus == p2.surface, "the keyboard is not on the topmost popup");
	/* A click inside the grabbing client's own window reaches it. */
	int buttons = c.a.pointer.buttons;
	click(&c, c.a.x + 5, c.a.y + 5);
	ZCT_CHECK(c.a.pointer.buttons == buttons + 2, "a click on the client's own window was lost");
	ZCT_CHECK(!p1.done && !p2.done, "a click on the client's own window dismissed its popups");
	popup_close(&c, &p2);
	ZCT_CHECK(c.a.keyboard.focus == p1.surface, "the keyboard did not go back to the parent popup");
	ZCT_CHECK(!p1.done, "the parent popup went with its child");
	popup_close(&c, &p1);
	ZCT_CHECK(c.a.keyboard.focus == c.a.window->surface, "the keyboard did not go back to the window");
out:
	ctx_close(&c);
}

static void test_new_window(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	struct popup pp;
	struct party third = { 0 };
	if (!ctx_open(&c, h, comp))
		goto out;
	popup_open(&c, &c.a, &pp, c.a.window->xdg_surface, c.a.pointer.press_serial);
	ZCT_CHECK(!pp.done, "the grab was denied");
	ZCT_CHECK(party_open(&c, &third, comp, 90, 70), "a third window did not map");
	settle(&c);
	ZCT_CHECK(pp.done, "a new window left the grabbing popup up");
	popup_close(&c, &pp);
out:
	party_close(&third);
	ctx_close(&c);
}

static void test_touch(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	struct popup pp;
	if (!ctx_open(&c, h, comp))
		goto out;
	inject(&c, INPUT_TOUCH, c.a.x + 5, c.a.y + 5, true);
	inject(&c, INPUT_TOUCH, 0, 0, false);
	ZCT_CHECK(c.a.touch.down_serial != 0, "no touch down reached the window");
	popup_open(&c, &c.a, &pp, c.a.window->xdg_surface, c.a.touch.down_serial);
	ZCT_CHECK(!pp.done, "a grab with a touch down's serial was denied");
	/* Down on another client's window: dismissed, not delivered. */
	int b_downs = c.b.touch.downs;
	double bx, by;
	point_on_b(&c, &bx, &by);
	inject(&c, INPUT_TOUCH, bx, by, true);
	ZCT_CHECK(pp.done, "a touch down on another window left the popup up");
	ZCT_CHECK(c.b.touch.downs == b_downs, "the dismissing touch reached the other client");
	inject(&c, INPUT_TOUCH, 0, 0, false);
	popup_close(&c, &pp);
out:
	ctx_close(&c);
}

int main(void)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(test_denied),
		HARNESS_TEST(test_owner_events),
		HARNESS_TEST(test_nested),
		HARNESS_TEST(test_new_window),
		HARNESS_TEST(test_touch),
	};
	return harness_main(SOCKET, 1, tests, ZC_LEN(tests));
}
