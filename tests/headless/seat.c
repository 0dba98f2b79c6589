/* Issue 8: the seat driven directly through seat_notify_*, with real
 * Wayland clients. zcomp's core runs in a thread of this process (headless
 * backend) so the test can inject input; the clients talk to it over its
 * socket like any other client. */
#include <errno.h>
#include <linux/input-event-codes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-client.h>
#include <xkbcommon/xkbcommon.h>

#include "common.h"
#include "xdg-shell-client-protocol.h"

#include "harness.h"
#include "zct.h"
#include "xdg-activation-v1-client-protocol.h"
#include "input/seat.h"
#include "core/server.h"
#include "core/surface.h"

#define SOCKET "zc-seat-test"

/* ---- injected input (runs on zcomp's thread) ---- */

struct key_args {
	uint32_t key;
	bool pressed;
	int repeat; /* press+release pairs instead, when > 0 */
};

static void key_fn(struct zc_server *server, void *arg)
{
	struct key_args *k = arg;
	if (k->repeat == 0) {
		seat_notify_key(server->seat, server_time_msec(server), k->key, k->pressed);
		return;
	}
	for (int i = 0; i < k->repeat; i++) {
		seat_notify_key(server->seat, 1, k->key, true);
		seat_notify_key(server->seat, 2, k->key, false);
	}
}

static void key(struct harness *h, uint32_t code, bool pressed)
{
	struct key_args k = { .key = code, .pressed = pressed };
	server_run(h, key_fn, &k);
}

struct pointer_args {
	double x, y;
	uint32_t button;
	bool pressed;
	uint32_t axis;
	double value;
};

static void motion_fn(struct zc_server *server, void *arg)
{
	struct pointer_args *p = arg;
	seat_notify_motion_absolute(server->seat, 10, p->x, p->y);
	seat_notify_frame(server->seat);
}

static void button_fn(struct zc_server *server, void *arg)
{
	struct pointer_args *p = arg;
	seat_notify_button(server->seat, 11, p->button, p->pressed);
	seat_notify_frame(server->seat);
}

static void axis_fn(struct zc_server *server, void *arg)
{
	struct pointer_args *p = arg;
	seat_notify_axis(server->seat, 12, p->axis, p->value, 120);
	seat_notify_frame(server->seat);
}

/* The layout position of the n-th view from the bottom. */
struct view_pos_args {
	int index;
	int32_t x, y;
	bool found;
};

static void view_pos_fn(struct zc_server *server, void *arg)
{
	struct view_pos_args *a = arg;
	struct zc_view *view;
	int i = 0;
	wl_list_for_each(view, &server->views, link) {
		if (i++ == a->index) {
			a->x = view->x;
			a->y = view->y;
			a->found = true;
		}
	}
}

/* ---- a client that records what the seat sends ---- */

struct tclient {
	struct wl_display *display;
	struct zcc_globals globals;
	struct wl_registry *registry;
	struct wl_seat *seat;
	struct wl_keyboard *keyboard;
	struct zct_pointer pointer;
	struct xdg_activation_v1 *activation;
	uint32_t caps;

	struct xkb_context *xkb;
	struct xkb_keymap *keymap;
	struct xkb_state *state;
	bool keymap_sealed;
	int32_t repeat_rate, repeat_delay;

	struct wl_surface *kb_focus;
	int kb_enters, kb_leaves;
	size_t enter_keys;
	uint32_t last_key, last_key_state, key_serial;
	xkb_keysym_t last_sym;
	int n_keys;
	uint32_t mods_depressed;
};

static void handle_keyboard_keymap(void *data, struct wl_keyboard *keyboard, uint32_t format,
	int32_t fd, uint32_t size)
{
	struct tclient *c = data;
	CHECK(format == WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1, "keymap format %u", format);
	/* The seals must forbid writes: a shared mapping for writing fails. */
	void *writable = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	c->keymap_sealed = writable == MAP_FAILED;
	if (writable != MAP_FAILED)
		munmap(writable, size);
	char *text = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (text == MAP_FAILED) {
		CHECK(false, "cannot map the keymap: %s", strerror(errno));
		return;
	}
	c->keymap = xkb_keymap_new_from_string(c->xkb, text, XKB_KEYMAP_FORMAT_TEXT_V1, 0);
	munmap(text, size);
	c->state = c->keymap ? xkb_state_new(c->keymap) : NULL;
}

static void handle_keyboard_enter(void *data, struct wl_keyboard *keyboard, uint32_t serial,
	struct wl_surface *surface, struct wl_array *keys)
{
	struct tclient *c = data;
	c->kb_focus = surface;
	c->kb_enters++;
	c->enter_keys = keys->size / sizeof(uint32_t);
}

static void handle_keyboard_leave(void *data, struct wl_keyboard *keyboard, uint32_t serial,
	struct wl_surface *surface)
{
	struct tclient *c = data;
	CHECK(surface == c->kb_focus, "leave for a surface that had no focus");
	c->kb_focus = NULL;
	c->kb_leaves++;
}

static void handle_keyboard_key(void *data, struct wl_keyboard *keyboard, uint32_t serial,
	uint32_t time, uint32_t key, uint32_t state)
{
	struct tclient *c = data;
	c->key_serial = serial;
	c->last_key = key;
	c->last_key_state = state;
	c->last_sym = c->state ? xkb_state_key_get_one_sym(c->state, key + 8) : 0;
	c->n_keys++;
}

static void handle_keyboard_modifiers(void *data, struct wl_keyboard *keyboard,
	uint32_t serial, uint32_t depressed, uint32_t latched, uint32_t locked, uint32_t group)
{
	struct tclient *c = data;
	c->mods_depressed = depressed;
	if (c->state)
		xkb_state_update_mask(c->state, depressed, latched, locked, 0, 0, group);
}

static void handle_keyboard_repeat_info(void *data, struct wl_keyboard *keyboard,
	int32_t rate, int32_t delay)
{
	struct tclient *c = data;
	c->repeat_rate = rate;
	c->repeat_delay = delay;
}

static const struct wl_keyboard_listener keyboard_listener = {
	.keymap = handle_keyboard_keymap,
	.enter = handle_keyboard_enter,
	.leave = handle_keyboard_leave,
	.key = handle_keyboard_key,
	.modifiers = handle_keyboard_modifiers,
	.repeat_info = handle_keyboard_repeat_info,
};

static void handle_seat_capabilities(void *data, struct wl_seat *seat, uint32_t caps)
{
	struct tclient *c = data;
	c->caps = caps;
}

static void handle_seat_name(void *data, struct wl_seat *seat, const char *name)
{
}

static const struct wl_seat_listener seat_listener = {
	.capabilities = handle_seat_capabilities,
	.name = handle_seat_name,
};

static void handle_registry_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct tclient *c = data;
	if (strcmp(interface, wl_seat_interface.name) == 0) {
		CHECK(version == 9, "wl_seat version %u", version);
		c->seat = wl_registry_bind(registry, name, &wl_seat_interface, 9);
		wl_seat_add_listener(c->seat, &seat_listener, c);
	} else if (strcmp(interface, xdg_activation_v1_interface.name) == 0) {
		c->activation = wl_registry_bind(registry, name, &xdg_activation_v1_interface, 1);
	}
}

static void handle_registry_global_remove(void *data, struct wl_registry *registry,
	uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = handle_registry_global,
	.global_remove = handle_registry_global_remove,
};

static struct tclient *tclient_connect(void)
{
	struct tclient *c = calloc(1, sizeof(*c));
	c->display = wl_display_connect(SOCKET);
	if (!c->display || !zcc_globals_bind(c->display, &c->globals)) {
		CHECK(false, "cannot connect");
		exit(1);
	}
	c->xkb = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	c->registry = wl_display_get_registry(c->display);
	wl_registry_add_listener(c->registry, &registry_listener, c);
	wl_display_roundtrip(c->display);
	CHECK(c->seat != NULL, "no wl_seat global");
	if (!c->seat)
		exit(1);
	wl_display_roundtrip(c->display);
	c->keyboard = wl_seat_get_keyboard(c->seat);
	wl_keyboard_add_listener(c->keyboard, &keyboard_listener, c);
	zct_pointer_init(&c->pointer, c->seat);
	wl_display_roundtrip(c->display);
	return c;
}

/* Events caused by stacking changes arrive after an idle pass: two round
 * trips always see them. */
static void settle(struct tclient *c)
{
	wl_display_roundtrip(c->display);
	wl_display_roundtrip(c->display);
}

static void tclient_destroy(struct tclient *c)
{
	wl_keyboard_release(c->keyboard);
	zct_pointer_finish(&c->pointer);
	wl_seat_release(c->seat);
	if (c->activation)
		xdg_activation_v1_destroy(c->activation);
	wl_registry_destroy(c->registry);
	zcc_globals_finish(&c->globals);
	wl_display_disconnect(c->display);
	xkb_state_unref(c->state);
	xkb_keymap_unref(c->keymap);
	xkb_context_unref(c->xkb);
	free(c);
}

struct twindow {
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	struct zcc_buffer *buffer;
	bool configured;
};

static void handle_xdg_surface_configure(void *data, struct xdg_surface *xdg_surface,
	uint32_t serial)
{
	struct twindow *w = data;
	xdg_surface_ack_configure(xdg_surface, serial);
	w->configured = true;
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = handle_xdg_surface_configure,
};

static struct twindow *twindow_create(struct tclient *c)
{
	struct twindow *w = calloc(1, sizeof(*w));
	w->surface = wl_compositor_create_surface(c->globals.compositor);
	w->xdg_surface = xdg_wm_base_get_xdg_surface(c->globals.wm_base, w->surface);
	xdg_surface_add_listener(w->xdg_surface, &xdg_surface_listener, w);
	w->toplevel = xdg_surface_get_toplevel(w->xdg_surface);
	wl_surface_commit(w->surface);
	wl_display_roundtrip(c->display);
	CHECK(w->configured, "no configure");
	w->buffer = zcc_buffer_create(c->globals.shm, 100, 80, WL_SHM_FORMAT_XRGB8888);
	wl_surface_attach(w->surface, w->buffer->wl_buffer, 0, 0);
	wl_surface_damage(w->surface, 0, 0, 100, 80);
	wl_surface_commit(w->surface);
	settle(c);
	return w;
}

static void twindow_destroy(struct twindow *w)
{
	xdg_toplevel_destroy(w->toplevel);
	xdg_surface_destroy(w->xdg_surface);
	wl_surface_destroy(w->surface);
	zcc_buffer_destroy(w->buffer);
	free(w);
}

/* ---- the tests ---- */

struct scene {
	struct harness *h;
	struct tclient *c;
	struct twindow *a, *b; /* a mapped first (below b) */
	int32_t ax, ay, bx, by;
};

static void view_pos(struct harness *h, int index, int32_t *x, int32_t *y)
{
	struct view_pos_args args = { .index = index };
	server_run(h, view_pos_fn, &args);
	CHECK(args.found, "no view %d", index);
	*x = args.x;
	*y = args.y;
}

static void motion(struct scene *s, double x, double y)
{
	struct pointer_args p = { .x = x, .y = y };
	server_run(s->h, motion_fn, &p);
	settle(s->c);
}

static void button(struct scene *s, uint32_t code, bool pressed)
{
	struct pointer_args p = { .button = code, .pressed = pressed };
	server_run(s->h, button_fn, &p);
	settle(s->c);
}

static void press(struct scene *s, uint32_t code, bool pressed)
{
	key(s->h, code, pressed);
	settle(s->c);
}

static void test_keymap(struct scene *s)
{
	struct tclient *c = s->c;
	CHECK(c->caps == (WL_SEAT_CAPABILITY_POINTER | WL_SEAT_CAPABILITY_KEYBOARD),
		"capabilities %u", c->caps);
	CHECK(c->keymap != NULL, "the keymap did not compile on the client");
	CHECK(c->keymap_sealed, "the keymap file can be mapped writable");
	CHECK(c->repeat_rate == 25 && c->repeat_delay == 600, "repeat %d/%d",
		c->repeat_rate, c->repeat_delay);
}

static void test_keys_follow_activation(struct scene *s)
{
	struct tclient *c = s->c;
	s->a = twindow_create(c);
	CHECK(c->kb_focus == s->a->surface && c->kb_enters == 1, "no enter on the first window");
	press(s, KEY_A, true);
	CHECK(c->last_key == KEY_A && c->last_key_state == WL_KEYBOARD_KEY_STATE_PRESSED &&
		c->last_sym == XKB_KEY_a, "key %u state %u sym 0x%x", c->last_key,
		c->last_key_state, c->last_sym);
	press(s, KEY_A, false);
	press(s, KEY_LEFTSHIFT, true);
	CHECK(c->mods_depressed != 0, "no modifiers event for shift");
	press(s, KEY_A, true);
	CHECK(c->last_sym == XKB_KEY_A, "shift+a gave sym 0x%x", c->last_sym);
	press(s, KEY_A, false);
	press(s, KEY_LEFTSHIFT, false);
	CHECK(c->mods_depressed == 0, "shift still down");
	CHECK(c->last_key_state == WL_KEYBOARD_KEY_STATE_RELEASED, "no release");

	s->b = twindow_create(c);
	CHECK(c->kb_focus == s->b->surface && c->kb_leaves == 1 && c->kb_enters == 2,
		"focus did not follow the new window (enters %d leaves %d)", c->kb_enters,
		c->kb_leaves);
	view_pos(s->h, 0, &s->ax, &s->ay);
	view_pos(s->h, 1, &s->bx, &s->by);
	fprintf(stderr, "# windows at %d,%d and %d,%d\n", s->ax, s->ay, s->bx, s->by);
	CHECK(s->bx > s->ax + 10 || s->by > s->ay + 10, "windows overlap fully");
}

static void test_pointer(struct scene *s)
{
	struct tclient *c = s->c;
	const struct zct_pointer *ptr = &c->pointer;
	int frames = ptr->frames;
	motion(s, s->ax + 3, s->ay + 4);
	CHECK(ptr->focus == s->a->surface && ptr->enters == 1, "no pointer enter on a");
	CHECK(ptr->x == 3 && ptr->y == 4, "enter at %g,%g", ptr->x, ptr->y);
	CHECK(ptr->frames > frames, "no frame after enter");
	motion(s, s->ax + 5, s->ay + 6);
	CHECK(ptr->motions >= 1 && ptr->x == 5 && ptr->y == 6, "motion %d at %g,%g",
		ptr->motions, ptr->x, ptr->y);
	motion(s, s->bx + 50, s->by + 40);
	CHECK(ptr->focus == s->b->surface && ptr->leaves == 1, "pointer did not move to b");
	CHECK(ptr->x == 50 && ptr->y == 40, "enter on b at %g,%g", ptr->x, ptr->y);
	struct pointer_args p = { .axis = WL_POINTER_AXIS_VERTICAL_SCROLL, .value = 15 };
	frames = ptr->frames;
	server_run(s->h, axis_fn, &p);
	settle(c);
	CHECK(ptr->axes == 1 && ptr->axis_value == 15 && ptr->axis_value120 == 120 &&
		ptr->frames == frames + 1, "axis %d value %g v120 %d frames +%d", ptr->axes,
		ptr->axis_value, ptr->axis_value120, ptr->frames - frames);
}

/* Keys held when focus arrives are in the enter's key array. */
static void test_click_focuses_and_raises(struct scene *s)
{
	struct tclient *c = s->c;
	press(s, KEY_B, true);
	motion(s, s->ax + 2, s->ay + 2);
	CHECK(c->pointer.focus == s->a->surface, "pointer not on a");
	button(s, BTN_LEFT, true);
	CHECK(c->kb_focus == s->a->surface, "click did not move keyboard focus to a");
	CHECK(c->enter_keys == 1, "enter carried %zu pressed keys", c->enter_keys);
	CHECK(c->pointer.buttons == 1 && c->pointer.button == BTN_LEFT &&
		c->pointer.button_state == WL_POINTER_BUTTON_STATE_PRESSED, "button not delivered");
	button(s, BTN_LEFT, false);
	CHECK(c->pointer.button_state == WL_POINTER_BUTTON_STATE_RELEASED, "no release");
	press(s, KEY_B, false);
	CHECK(c->last_key == KEY_B && c->last_key_state == WL_KEYBOARD_KEY_STATE_RELEASED,
		"release of a key held across focus change not delivered");
	/* a is on top now: a point of b under a belongs to a. */
	int32_t x, y;
	view_pos(s->h, 1, &x, &y);
	CHECK(x == s->ax && y == s->ay, "a was not raised (top view at %d,%d)", x, y);
	motion(s, s->bx + 1, s->by + 1);
	CHECK(c->pointer.focus == s->a->surface, "pointer went through the raised window");
}

static void test_alt_tab(struct scene *s)
{
	struct tclient *c = s->c;
	int keys = c->n_keys;
	press(s, KEY_LEFTALT, true);
	press(s, KEY_TAB, true);
	press(s, KEY_TAB, false);
	press(s, KEY_LEFTALT, false);
	CHECK(c->kb_focus == s->b->surface, "Alt+Tab did not focus b");
	/* Alt press on a, Alt release on b: the Tab itself is swallowed. */
	CHECK(c->n_keys == keys + 2 && c->last_key == KEY_LEFTALT, "clients saw %d keys, last %u",
		c->n_keys - keys, c->last_key);
}

static void handle_token_done(void *data, struct xdg_activation_token_v1 *t, const char *token)
{
	snprintf(data, 64, "%s", token);
}

static const struct xdg_activation_token_v1_listener token_listener = { handle_token_done };

/* An xdg-activation token made with serial (0: none). */
static void make_token(struct tclient *c, uint32_t serial, char name[64])
{
	struct xdg_activation_token_v1 *token =
		xdg_activation_v1_get_activation_token(c->activation);
	xdg_activation_token_v1_add_listener(token, &token_listener, name);
	if (serial)
		xdg_activation_token_v1_set_serial(token, serial, c->seat);
	xdg_activation_token_v1_commit(token);
	wl_display_roundtrip(c->display);
	xdg_activation_token_v1_destroy(token);
}

static void activate(struct scene *s, const char *name, struct twindow *w)
{
	xdg_activation_v1_activate(s->c->activation, name, w->surface);
	settle(s->c);
}

/* A token from the focused client's latest key press activates once; one
 * without a serial, with an old one, or used before does nothing. */
static void test_activation(struct scene *s)
{
	struct tclient *c = s->c;
	CHECK(c->activation != NULL, "no xdg_activation_v1 global");
	if (!c->activation)
		return;
	CHECK(c->kb_focus == s->b->surface, "b should have the focus");
	char none[64] = "", old[64] = "", valid[64] = "";
	make_token(c, 0, none);
	press(s, KEY_C, true);
	uint32_t first = c->key_serial;
	press(s, KEY_C, false);
	press(s, KEY_D, true);
	make_token(c, first, old);
	make_token(c, c->key_serial, valid);
	press(s, KEY_D, false);
	CHECK(*none && *old && *valid, "tokens '%s' '%s' '%s'", none, old, valid);
	activate(s, none, s->a);
	activate(s, old, s->a);
	CHECK(c->kb_focus == s->b->surface, "an invalid token moved the focus");
	activate(s, valid, s->a);
	CHECK(c->kb_focus == s->a->surface, "a valid token did not activate a");
	int32_t x, y;
	view_pos(s->h, 1, &x, &y);
	CHECK(x == s->ax && y == s->ay, "a was not raised (top view at %d,%d)", x, y);
	activate(s, valid, s->b);
	CHECK(c->kb_focus == s->a->surface, "a token was used twice");
	CHECK(wl_display_get_error(c->display) == 0, "protocol error");
}

/* A client that stops reading is cut off by libwayland once its buffer is
 * full; zcomp goes on and focus falls back to the other client. */
static void test_client_not_reading(struct scene *s)
{
	struct tclient *quiet = tclient_connect();
	struct twindow *w = twindow_create(quiet);
	CHECK(quiet->kb_focus == w->surface, "quiet client not focused");
	settle(s->c);
	CHECK(s->c->kb_focus == NULL, "main client kept the focus");
	struct key_args flood = { .key = KEY_X, .repeat = 500 };
	for (int i = 0; i < 400 && s->c->kb_focus == NULL; i++) {
		server_run(s->h, key_fn, &flood);
		wl_display_roundtrip(s->c->display);
	}
	settle(s->c);
	CHECK(s->c->kb_focus != NULL, "focus did not come back after the flood");
	CHECK(wl_display_get_error(s->c->display) == 0, "main client broken");
	int keys = s->c->n_keys;
	press(s, KEY_Q, true);
	press(s, KEY_Q, false);
	CHECK(s->c->n_keys == keys + 2 && s->c->last_key == KEY_Q, "main client gets no keys");
	/* The quiet one finds its connection closed. */
	while (wl_display_dispatch_pending(quiet->display) >= 0 &&
	       wl_display_roundtrip(quiet->display) >= 0)
		;
	CHECK(wl_display_get_error(quiet->display) != 0, "quiet client still connected");
	fprintf(stderr, "# quiet client: %s after %d keys\n",
		strerror(wl_display_get_error(quiet->display)), quiet->n_keys);
	twindow_destroy(w);
	tclient_destroy(quiet);
}

static void test_ctrl_alt_backspace(struct scene *s)
{
	key(s->h, KEY_LEFTCTRL, true);
	key(s->h, KEY_LEFTALT, true);
	key(s->h, KEY_BACKSPACE, true);
	/* wl_display_run returns: the thread ends by itself. */
	pthread_join(s->h->thread, NULL);
	s->h->running = false;
	CHECK(s->h->server.exit_code == 0, "exit code %d", s->h->server.exit_code);
}

static void run_main_scene(void)
{
	struct harness h;
	if (!harness_start(&h, SOCKET, NULL))
		return;
	struct scene s = { .h = &h, .c = tclient_connect() };
	test_keymap(&s);
	test_keys_follow_activation(&s);
	test_pointer(&s);
	test_click_focuses_and_raises(&s);
	test_alt_tab(&s);
	test_activation(&s);
	test_client_not_reading(&s);
	test_ctrl_alt_backspace(&s);
	twindow_destroy(s.a);
	twindow_destroy(s.b);
	tclient_destroy(s.c);
	harness_stop(&h);
}

/* The keysyms a client computes for KEY_Y and KEY_Z under a layout. */
static void check_layout(const char *layout, xkb_keysym_t y_sym, xkb_keysym_t z_sym)
{
	struct harness h;
	if (!harness_start(&h, SOCKET, layout))
		return;
	struct scene s = { .h = &h, .c = tclient_connect() };
	s.a = twindow_create(s.c);
	press(&s, KEY_Y, true);
	CHECK(s.c->last_sym == y_sym, "layout %s: KEY_Y gave 0x%x", layout, s.c->last_sym);
	press(&s, KEY_Y, false);
	press(&s, KEY_Z, true);
	CHECK(s.c->last_sym == z_sym, "layout %s: KEY_Z gave 0x%x", layout, s.c->last_sym);
	press(&s, KEY_Z, false);
	twindow_destroy(s.a);
	tclient_destroy(s.c);
	harness_stop(&h);
}

/* Issue 16 (found by tests/fuzz): input regions built from rectangles whose
 * far edge passes INT32_MAX are clipped, not dropped. pixman ignored such
 * a rectangle (logging "Invalid rectangle passed"): the add gave no input
 * region and the subtract removed nothing. */
/* The window's input region: the rectangle add, less subtract if not NULL. */
static void set_input_region(struct scene *s, const int32_t add[4], const int32_t *subtract)
{
	struct wl_region *region = wl_compositor_create_region(s->c->globals.compositor);
	wl_region_add(region, add[0], add[1], add[2], add[3]);
	if (subtract)
		wl_region_subtract(region, subtract[0], subtract[1], subtract[2], subtract[3]);
	wl_surface_set_input_region(s->a->surface, region);
	wl_surface_commit(s->a->surface);
	wl_region_destroy(region);
	settle(s->c);
}

static void check_extreme_input_regions(void)
{
	struct harness h;
	if (!harness_start(&h, SOCKET, NULL))
		return;
	struct scene s = { .h = &h, .c = tclient_connect() };
	s.a = twindow_create(s.c);
	view_pos(&h, 0, &s.ax, &s.ay);
	const int32_t past_max[4] = { 1, 1, INT32_MAX, INT32_MAX }, window[4] = { 0, 0, 100, 80 };
	set_input_region(&s, past_max, NULL);
	motion(&s, s.ax + 5, s.ay + 5);
	CHECK(s.c->pointer.focus == s.a->surface, "add(1, 1, INT32_MAX, INT32_MAX): no input");
	motion(&s, s.ax + 50, s.ay + 300);
	set_input_region(&s, window, past_max);
	motion(&s, s.ax + 5, s.ay + 5);
	CHECK(s.c->pointer.focus != s.a->surface,
		"subtract(1, 1, INT32_MAX, INT32_MAX) kept input");
	motion(&s, s.ax, s.ay);
	CHECK(s.c->pointer.focus == s.a->surface, "subtract took the column x = 0 too");
	twindow_destroy(s.a);
	tclient_destroy(s.c);
	harness_stop(&h);
}

int main(void)
{
	char dir[] = "/tmp/zc-seat-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	setenv("XDG_RUNTIME_DIR", dir, 1);
	/* The test's expectations are for explicit layouts only. */
	unsetenv("XKB_DEFAULT_LAYOUT");
	unsetenv("XKB_DEFAULT_VARIANT");
	unsetenv("XKB_DEFAULT_OPTIONS");
	zc_log_init(ZC_LOG_WARN);
	run_main_scene();
	fprintf(stderr, "%s main scene\n", harness_failures ? "FAIL" : "ok  ");
	int before = harness_failures;
	check_layout("us", XKB_KEY_y, XKB_KEY_z);
	check_layout("de", XKB_KEY_z, XKB_KEY_y);
	/* A layout that does not exist: an error, then the us keymap. */
	check_layout("no-such-layout", XKB_KEY_y, XKB_KEY_z);
	fprintf(stderr, "%s layouts us, de, fallback\n", harness_failures > before ? "FAIL" : "ok  ");
	before = harness_failures;
	check_extreme_input_regions();
	fprintf(stderr, "%s extreme input regions\n", harness_failures > before ? "FAIL" : "ok  ");
	rmdir(dir);
	return harness_failures ? 1 : 0;
}
