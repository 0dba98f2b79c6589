/* memfd_create and file seals for the keymap. */
#define _GNU_SOURCE
#include "seat.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <linux/input-event-codes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-server-protocol.h>
#include <xkbcommon/xkbcommon.h>

#include "data_device.h"
#include "grab.h"
#include "core/cursor.h"
#include "core/output.h"
#include "seat_keymap.h"
#include "core/surface.h"
#include "touch.h"

#define SEAT_VERSION 9
/* Typical desktop values: 25 keys/s after 600 ms. */
#define SEAT_REPEAT_RATE 25
#define SEAT_REPEAT_DELAY 600

struct zc_seat {
	struct zc_server *server;
	struct wl_global *global;
	struct wl_list seats, keyboards, pointers; /* resource links */
	struct zc_touch *touch;
	bool touch_capable; /* a touch device is present */

	struct xkb_context *xkb;
	struct xkb_keymap *keymap;
	struct xkb_state *state;
	int keymap_fd;
	uint32_t keymap_size;
	/* Keys clients saw pressed: bindings swallow theirs. */
	struct wl_array pressed;
	uint32_t mods[4]; /* depressed, latched, locked, group: as last sent */

	struct zc_surface *kb_focus;
	struct wl_listener kb_focus_destroy;
	struct zc_surface *ptr_focus;
	struct wl_listener ptr_focus_destroy;
	double cursor_x, cursor_y;
	wl_fixed_t ptr_sent_x, ptr_sent_y; /* the focus-local position last sent */
	uint32_t ptr_enter_serial; /* wl_pointer.set_cursor must name it */
	/* The latest key and button presses: their serial and client, which
	 * may cite them (xdg-activation tokens). */
	uint32_t key_serial, button_serial;
	struct wl_client *key_client, *button_client;
	/* The latest key or button event, press or release: clients open
	 * menus on a release too and cite its serial (xdg_popup.grab). */
	uint32_t input_serial;
	struct wl_client *input_client;
	int buttons_down; /* > 0: the pointer focus is held (implicit grab) */
	struct zc_grab *grab; /* the pointer goes to it, not to clients (grab.c) */

	/* A focused client whose socket stays full (see seat_note_delivery). */
	struct wl_client *stalled;
	int stalled_events;
	struct wl_listener stalled_destroy;
	struct wl_event_source *stalled_idle;

	struct zc_seat_signals signals;
	struct zc_seat_motion_filter *motion_filter;

	struct wl_listener views_changed;
	struct wl_listener scene_changed;
	struct wl_event_source *refocus_idle;
	seat_switch_vt_fn switch_vt;
	void *switch_vt_data;
};

/* ---- resources ---- */

static void handle_resource_release(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static struct wl_client *surface_client(struct zc_surface *surface)
{
	return surface ? wl_resource_get_client(surface->resource) : NULL;
}

/* ---- clients that stopped reading ---- */

/* Events sent while the client's socket stays full pile up in libwayland's
 * 4 KiB buffer; every event is at least 8 bytes, so after this many the
 * buffer has overflowed, libwayland has marked the client broken, and it
 * only disconnects it once the socket shows activity, which a client that
 * never reads never causes. Meanwhile it would keep the focus. */
#define SEAT_STALL_EVENTS 512

static void seat_forget_stalled(struct zc_seat *seat)
{
	if (!seat->stalled)
		return;
	wl_list_remove(&seat->stalled_destroy.link);
	if (seat->stalled_idle)
		wl_event_source_remove(seat->stalled_idle);
	seat->stalled_idle = NULL;
	seat->stalled = NULL;
	seat->stalled_events = 0;
}

static void handle_seat_stalled_destroy(struct wl_listener *listener, void *data)
{
	struct zc_seat *seat = wl_container_of(listener, seat, stalled_destroy);
	seat_forget_stalled(seat);
}

/* Not from inside event delivery: destroying the client refocuses. */
static void handle_seat_stalled_idle(void *data)
{
	struct zc_seat *seat = data;
	struct wl_client *client = seat->stalled;
	seat->stalled_idle = NULL;
	pid_t pid = 0;
	wl_client_get_credentials(client, &pid, NULL, NULL);
	zc_warn("seat: client (pid %d) reads no events, disconnecting it", (int)pid);
	seat_forget_stalled(seat);
	wl_client_destroy(client);
}

/* Called for each input event sent to client. */
static void seat_note_delivery(struct zc_seat *seat, struct wl_client *client)
{
	struct pollfd pfd = { .fd = wl_client_get_fd(client), .events = POLLOUT };
	bool writable = poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLOUT);
	if (client != seat->stalled) {
		if (writable)
			return;
		seat_forget_stalled(seat);
		seat->stalled = client;
		wl_client_add_destroy_listener(client, &seat->stalled_destroy);
	}
	seat->stalled_events = writable ? 0 : seat->stalled_events + 1;
	if (seat->stalled_events > SEAT_STALL_EVENTS && !seat->stalled_idle)
		seat->stalled_idle = wl_event_loop_add_idle(seat->server->loop,
			handle_seat_stalled_idle, seat);
}

/* ---- keymap ---- */

static bool seat_init_xkb(struct zc_seat *seat)
{
	seat->xkb = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	if (!seat->xkb) {
		zc_err("seat: cannot create an xkbcommon context");
		return false;
	}
	seat->keymap = seat_keymap_compile(seat->xkb, seat->server->options);
	if (!seat->keymap) {
		zc_err("seat: even the default keymap does not compile (xkeyboard-config missing?)");
		return false;
	}
	seat->state = xkb_state_new(seat->keymap);
	return seat->state &&
		seat_keymap_make_fd(seat->keymap, &seat->keymap_fd, &seat->keymap_size);
}

/* ---- keyboard ---- */

static void keyboard_send_modifiers(struct zc_seat *seat, struct wl_resource *keyboard,
	uint32_t serial)
{
	wl_keyboard_send_modifiers(keyboard, serial, seat->mods[0], seat->mods[1],
		seat->mods[2], seat->mods[3]);
}

static void keyboard_send_enter(struct zc_seat *seat, struct wl_resource *keyboard)
{
	uint32_t serial = wl_display_next_serial(seat->server->display);
	wl_keyboard_send_enter(keyboard, serial, seat->kb_focus->resource, &seat->pressed);
	keyboard_send_modifiers(seat, keyboard, serial);
}

static void keyboard_set_focus(struct zc_seat *seat, struct zc_surface *surface)
{
	if (seat->kb_focus == surface)
		return;
	struct wl_resource *keyboard;
	struct wl_client *old_client = surface_client(seat->kb_focus);
	if (seat->kb_focus) {
		uint32_t serial = wl_display_next_serial(seat->server->display);
		wl_resource_for_each(keyboard, &seat->keyboards) {
			if (wl_resource_get_client(keyboard) == old_client)
				wl_keyboard_send_leave(keyboard, serial, seat->kb_focus->resource);
		}
		wl_list_remove(&seat->kb_focus_destroy.link);
	}
	seat->kb_focus = surface;
	if (surface_client(surface) != old_client) /* earlier presses are not the new client's */
		seat->key_client = seat->button_client = NULL;
	data_device_set_focus(seat->server, surface_client(surface));
	if (surface) {
		wl_signal_add(&surface->destroy_signal, &seat->kb_focus_destroy);
		wl_resource_for_each(keyboard, &seat->keyboards) {
			if (wl_resource_get_client(keyboard) == surface_client(surface))
				keyboard_send_enter(seat, keyboard);
		}
	}
	wl_signal_emit_mutable(&seat->signals.keyboard_focus, NULL);
}

/* A dying surface gets no leave: its client has dropped it. */
static void handle_kb_focus_destroy(struct wl_listener *listener, void *data)
{
	struct zc_seat *seat = wl_container_of(listener, seat, kb_focus_destroy);
	wl_list_remove(&seat->kb_focus_destroy.link);
	seat->kb_focus = NULL;
	wl_signal_emit_mutable(&seat->signals.keyboard_focus, NULL);
}

/* The keyboard goes where the shell says (its activated window). */
static void seat_refocus_keyboard(struct zc_seat *seat)
{
	keyboard_set_focus(seat, shell_policy_focused_surface(&seat->server->shell_policy));
}

static void seat_update_modifiers(struct zc_seat *seat)
{
	uint32_t mods[4] = {
		xkb_state_serialize_mods(seat->state, XKB_STATE_MODS_DEPRESSED),
		xkb_state_serialize_mods(seat->state, XKB_STATE_MODS_LATCHED),
		xkb_state_serialize_mods(seat->state, XKB_STATE_MODS_LOCKED),
		xkb_state_serialize_layout(seat->state, XKB_STATE_LAYOUT_EFFECTIVE),
	};
	if (memcmp(mods, seat->mods, sizeof(mods)) == 0)
		return;
	memcpy(seat->mods, mods, sizeof(mods));
	if (!seat->kb_focus)
		return;
	uint32_t serial = wl_display_next_serial(seat->server->display);
	struct wl_resource *keyboard;
	wl_resource_for_each(keyboard, &seat->keyboards) {
		if (wl_resource_get_client(keyboard) == surface_client(seat->kb_focus))
			keyboard_send_modifiers(seat, keyboard, serial);
	}
}

static bool pressed_remove(struct wl_array *pressed, uint32_t key)
{
	uint32_t *k;
	wl_array_for_each(k, pressed) {
		if (*k != key)
			continue;
		uint32_t *last = (uint32_t *)((char *)pressed->data + pressed->size) - 1;
		*k = *last;
		pressed->size -= sizeof(*k);
		return true;
	}
	return false;
}

/* ---- keybindings ---- */

/* Alt+Tab: the shell brings another window to the top. */
static void seat_cycle_windows(struct zc_seat *seat)
{
	shell_policy_cycle(&seat->server->shell_policy);
	seat_refocus_keyboard(seat);
}

static bool mod_active(struct zc_seat *seat, const char *name)
{
	return xkb_state_mod_name_is_active(seat->state, name, XKB_STATE_MODS_EFFECTIVE) > 0;
}

/* True if the key pressed was a binding (the client never sees it). */
static bool seat_handle_binding(struct zc_seat *seat, uint32_t key)
{
	xkb_keysym_t sym = xkb_state_key_get_one_sym(seat->state, key + 8);
	bool ctrl = mod_active(seat, XKB_MOD_NAME_CTRL), alt = mod_active(seat, XKB_MOD_NAME_ALT);
	if (sym == XKB_KEY_BackSpace && ctrl && alt) {
		zc_info("seat: Ctrl+Alt+Backspace, shutting down");
		server_terminate(seat->server, 0);
		return true;
	}
	if (sym == XKB_KEY_Tab && alt && !ctrl) {
		seat_cycle_windows(seat);
		return true;
	}
	if (sym >= XKB_KEY_XF86Switch_VT_1 && sym <= XKB_KEY_XF86Switch_VT_12) {
		int vt = (int)(sym - XKB_KEY_XF86Switch_VT_1) + 1;
		zc_info("seat: switch to VT %d%s", vt, seat->switch_vt ? "" : " (no session: ignored)");
		if (seat->switch_vt)
			seat->switch_vt(seat->switch_vt_data, vt);
		return true;
	}
	return false;
}

static void keyboard_send_key(struct zc_seat *seat, uint32_t time, uint32_t key,
	uint32_t state)
{
	if (!seat->kb_focus)
		return;
	uint32_t serial = wl_display_next_serial(seat->server->display);
	if (state == WL_KEYBOARD_KEY_STATE_PRESSED) {
		seat->key_serial = serial;
		seat->key_client = surface_client(seat->kb_focus);
	}
	seat->input_serial = serial;
	seat->input_client = surface_client(seat->kb_focus);
	struct wl_resource *keyboard;
	wl_resource_for_each(keyboard, &seat->keyboards) {
		if (wl_resource_get_client(keyboard) == surface_client(seat->kb_focus))
			wl_keyboard_send_key(keyboard, serial, time, key, state);
	}
	seat_note_delivery(seat, surface_client(seat->kb_focus));
}

void seat_notify_key(struct zc_seat *seat, uint32_t time_msec, uint32_t key, bool pressed)
{
	seat_notify_activity(seat);
	bool forward;
	if (pressed) {
		forward = !seat_handle_binding(seat, key);
		uint32_t *slot = forward ? wl_array_add(&seat->pressed, sizeof(*slot)) : NULL;
		if (slot)
			*slot = key;
	} else {
		forward = pressed_remove(&seat->pressed, key);
	}
	xkb_state_update_key(seat->state, key + 8, pressed ? XKB_KEY_DOWN : XKB_KEY_UP);
	if (forward)
		keyboard_send_key(seat, time_msec, key, pressed ? WL_KEYBOARD_KEY_STATE_PRESSED :
			WL_KEYBOARD_KEY_STATE_RELEASED);
	seat_update_modifiers(seat);
}

static const struct wl_keyboard_interface keyboard_impl = {
	.release = handle_resource_release,
};

static void seat_get_keyboard(struct zc_seat *seat, struct wl_client *client,
	struct wl_resource *seat_resource, uint32_t id)
{
	struct wl_resource *keyboard = server_resource_create_listed(client,
		&wl_keyboard_interface, wl_resource_get_version(seat_resource), id, &keyboard_impl,
		seat, &seat->keyboards);
	if (!keyboard)
		return;
	wl_keyboard_send_keymap(keyboard, WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1, seat->keymap_fd,
		seat->keymap_size);
	if (wl_resource_get_version(keyboard) >= WL_KEYBOARD_REPEAT_INFO_SINCE_VERSION)
		wl_keyboard_send_repeat_info(keyboard, SEAT_REPEAT_RATE, SEAT_REPEAT_DELAY);
	if (seat->kb_focus && surface_client(seat->kb_focus) == client)
		keyboard_send_enter(seat, keyboard);
}

/* ---- pointer ---- */

struct surface_hit {
	double x, y;  /* the point, relative to the root surface */
	struct zc_surface *surface;
	double sx, sy; /* the point in the surface found */
};

/* Called bottom to top: the last surface that takes input wins. */
static void hit_test_one(struct zc_surface *surface, int32_t sx, int32_t sy, void *data)
{
	struct surface_hit *hit = data;
	double lx = hit->x - sx, ly = hit->y - sy;
	if (!surface->buffer || lx < 0 || ly < 0 || lx >= surface->width || ly >= surface->height)
		return;
	if (!pixman_region32_contains_point(&surface->current.input, (int)lx, (int)ly, NULL))
		return;
	hit->surface = surface;
	hit->sx = lx;
	hit->sy = ly;
}

struct zc_surface *seat_surface_at(struct zc_seat *seat, double x, double y,
	double *sx, double *sy)
{
	struct zc_view *view;
	struct wl_client *grab = shell_policy_grab_client(&seat->server->shell_policy);
	wl_list_for_each_reverse(view, &seat->server->views, link) {
		struct surface_hit hit = { .x = x - view->x, .y = y - view->y };
		surface_for_each_mapped(view->surface, hit_test_one, &hit);
		if (hit.surface && grab && surface_client(hit.surface) != grab)
			return NULL; /* owner events only (xdg_popup.grab) */
		if (hit.surface) {
			*sx = hit.sx;
			*sy = hit.sy;
			return hit.surface;
		}
	}
	return NULL;
}

static bool pointer_of_focus(struct zc_seat *seat, struct wl_resource *pointer)
{
	return seat->ptr_focus && wl_resource_get_client(pointer) ==
		surface_client(seat->ptr_focus);
}

static void pointer_send_frame(struct wl_resource *pointer)
{
	if (wl_resource_get_version(pointer) >= WL_POINTER_FRAME_SINCE_VERSION)
		wl_pointer_send_frame(pointer);
}

/* The cursor relative to the focused surface. */
static void pointer_focus_coords(struct zc_seat *seat, wl_fixed_t *sx, wl_fixed_t *sy)
{
	int32_t x = 0, y = 0;
	surface_get_layout_position(seat->ptr_focus, &x, &y);
	*sx = wl_fixed_from_double(seat->cursor_x - x);
	*sy = wl_fixed_from_double(seat->cursor_y - y);
	seat->ptr_sent_x = *sx;
	seat->ptr_sent_y = *sy;
}

static void pointer_send_enter(struct zc_seat *seat, struct wl_resource *pointer,
	uint32_t serial)
{
	wl_fixed_t sx, sy;
	pointer_focus_coords(seat, &sx, &sy);
	wl_pointer_send_enter(pointer, serial, seat->ptr_focus->resource, sx, sy);
}

static void pointer_send_motion(struct zc_seat *seat, uint32_t time_msec)
{
	wl_fixed_t sx, sy;
	pointer_focus_coords(seat, &sx, &sy);
	struct wl_resource *pointer;
	wl_resource_for_each(pointer, &seat->pointers) {
		if (pointer_of_focus(seat, pointer))
			wl_pointer_send_motion(pointer, time_msec, sx, sy);
	}
	seat_note_delivery(seat, surface_client(seat->ptr_focus));
}

/* Leave and enter each end their own frame: the new focus may be another
 * client, whose frame must not wait for the next event. */
static void pointer_set_focus(struct zc_seat *seat, struct zc_surface *surface)
{
	if (seat->ptr_focus == surface)
		return;
	struct wl_resource *pointer;
	if (seat->ptr_focus) {
		uint32_t serial = wl_display_next_serial(seat->server->display);
		wl_resource_for_each(pointer, &seat->pointers) {
			if (pointer_of_focus(seat, pointer)) {
				wl_pointer_send_leave(pointer, serial, seat->ptr_focus->resource);
				pointer_send_frame(pointer);
			}
		}
		wl_list_remove(&seat->ptr_focus_destroy.link);
	}
	seat->ptr_focus = surface;
	cursor_set_default(seat->server->cursor);
	if (surface) {
		wl_signal_add(&surface->destroy_signal, &seat->ptr_focus_destroy);
		uint32_t serial = wl_display_next_serial(seat->server->display);
		seat->ptr_enter_serial = serial;
		wl_resource_for_each(pointer, &seat->pointers) {
			if (pointer_of_focus(seat, pointer)) {
				pointer_send_enter(seat, pointer, serial);
				pointer_send_frame(pointer);
			}
		}
	}
	/* Last: a listener (a pointer constraint ending) may move the cursor
	 * and so the focus again, which must start from a finished enter. */
	wl_signal_emit_mutable(&seat->signals.pointer_moved, NULL);
}

static void handle_ptr_focus_destroy(struct wl_listener *listener, void *data)
{
	struct zc_seat *seat = wl_container_of(listener, seat, ptr_focus_destroy);
	wl_list_remove(&seat->ptr_focus_destroy.link);
	seat->ptr_focus = NULL;
	seat->buttons_down = 0;
	cursor_set_default(seat->server->cursor);
	wl_signal_emit_mutable(&seat->signals.pointer_moved, NULL);
}

/* The pointer goes to the surface under the cursor, except while a button
 * is held: then the surface that got the press keeps it. */
static void seat_refocus_pointer(struct zc_seat *seat)
{
	if (seat->grab || (seat->buttons_down > 0 && seat->ptr_focus))
		return;
	double sx, sy;
	pointer_set_focus(seat, seat_surface_at(seat, seat->cursor_x, seat->cursor_y, &sx, &sy));
}

/* The union of the outputs; the cursor never leaves it. */
static void seat_clamp_cursor(struct zc_seat *seat)
{
	struct zc_output *output;
	double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
	bool first = true;
	wl_list_for_each(output, &seat->server->outputs, link) {
		double ox1 = output->x + output->logical_width - 1;
		double oy1 = output->y + output->logical_height - 1;
		x0 = first || output->x < x0 ? output->x : x0;
		y0 = first || output->y < y0 ? output->y : y0;
		x1 = first || ox1 > x1 ? ox1 : x1;
		y1 = first || oy1 > y1 ? oy1 : y1;
		first = false;
	}
	seat->cursor_x = seat->cursor_x < x0 ? x0 : seat->cursor_x > x1 ? x1 : seat->cursor_x;
	seat->cursor_y = seat->cursor_y < y0 ? y0 : seat->cursor_y > y1 ? y1 : seat->cursor_y;
}

static void seat_move_cursor(struct zc_seat *seat, double x, double y)
{
	seat->cursor_x = x;
	seat->cursor_y = y;
	seat_clamp_cursor(seat);
	cursor_move(seat->server->cursor, seat->cursor_x, seat->cursor_y);
	seat_refocus_pointer(seat);
}

void seat_notify_motion_absolute(struct zc_seat *seat, uint32_t time_msec, double x, double y)
{
	seat_notify_activity(seat);
	seat_move_cursor(seat, x, y);
	if (seat->grab)
		seat->grab->impl->motion(seat->grab, seat->cursor_x, seat->cursor_y);
	if (!seat->ptr_focus)
		return;
	pointer_send_motion(seat, time_msec);
	wl_signal_emit_mutable(&seat->signals.pointer_moved, NULL);
}

/* The scene changed under a still cursor (as weston and wlroots do): the
 * focus follows what is now under it, and a focus that moved under it
 * hears where the cursor now is on it. */
static void seat_repick_pointer(struct zc_seat *seat)
{
	struct zc_surface *old = seat->ptr_focus;
	seat_refocus_pointer(seat);
	if (!old || seat->ptr_focus != old)
		return;
	if (seat->motion_filter && seat->motion_filter->locked(seat->motion_filter, old))
		return; /* zwp_locked_pointer_v1: no motion while locked */
	int32_t x = 0, y = 0;
	surface_get_layout_position(old, &x, &y);
	if (wl_fixed_from_double(seat->cursor_x - x) == seat->ptr_sent_x &&
	    wl_fixed_from_double(seat->cursor_y - y) == seat->ptr_sent_y)
		return;
	pointer_send_motion(seat, server_time_msec(seat->server));
	struct wl_resource *pointer;
	wl_resource_for_each(pointer, &seat->pointers) {
		if (pointer_of_focus(seat, pointer))
			pointer_send_frame(pointer);
	}
}

/* Relative events reach the focus even when a lock keeps the cursor still
 * (then no wl_pointer.motion: the position did not change). */
void seat_notify_motion(struct zc_seat *seat, const struct zc_pointer_motion *motion)
{
	double x = seat->cursor_x + motion->dx, y = seat->cursor_y + motion->dy;
	int32_t fx = 0, fy = 0;
	if (seat->ptr_focus && seat->motion_filter &&
		surface_get_layout_position(seat->ptr_focus, &fx, &fy)) {
		double tx = x - fx, ty = y - fy;
		seat->motion_filter->filter(seat->motion_filter, seat->ptr_focus,
			seat->cursor_x - fx, seat->cursor_y - fy, &tx, &ty);
		x = tx + fx;
		y = ty + fy;
	}
	wl_signal_emit_mutable(&seat->signals.relative_motion, (void *)motion);
	if (x == seat->cursor_x && y == seat->cursor_y) {
		seat_notify_activity(seat);
		return;
	}
	seat_notify_motion_absolute(seat, (uint32_t)(motion->time_usec / 1000), x, y);
}

void seat_warp_cursor(struct zc_seat *seat, double x, double y)
{
	seat_move_cursor(seat, x, y);
}

struct zc_surface *seat_get_pointer_focus(const struct zc_seat *seat)
{
	return seat->ptr_focus;
}

struct zc_surface *seat_get_keyboard_focus(const struct zc_seat *seat)
{
	return seat->kb_focus;
}

struct zc_seat_signals *seat_get_signals(struct zc_seat *seat)
{
	return &seat->signals;
}

void seat_notify_activity(struct zc_seat *seat)
{
	wl_signal_emit_mutable(&seat->signals.activity, NULL);
}

void seat_set_motion_filter(struct zc_seat *seat, struct zc_seat_motion_filter *filter)
{
	seat->motion_filter = filter;
}

void seat_activate(struct zc_seat *seat, struct zc_surface *surface)
{
	shell_policy_activate(&seat->server->shell_policy, surface_get_root(surface));
	seat_refocus_keyboard(seat);
}

/* A press focuses and raises the window under the cursor; outside the
 * surfaces of a client holding a popup grab, it dismisses the popups. */
static void seat_click_focus(struct zc_seat *seat)
{
	if (seat->ptr_focus)
		seat_activate(seat, seat->ptr_focus);
	else if (shell_policy_grab_client(&seat->server->shell_policy))
		shell_policy_grab_dismiss(&seat->server->shell_policy);
}

/* ---- grabs (the host is grab.c) ---- */

bool seat_pointer_grab_begin(struct zc_seat *seat, struct zc_grab *grab,
	struct zc_surface *root, uint32_t serial, double *x, double *y)
{
	if (seat->grab || seat->buttons_down == 0 || !seat->ptr_focus ||
	    serial != seat->button_serial || surface_get_root(seat->ptr_focus) != root)
		return false;
	/* Set first: what the leave sets off must not refocus. */
	seat->grab = grab;
	pointer_set_focus(seat, NULL);
	*x = seat->cursor_x;
	*y = seat->cursor_y;
	return true;
}

bool seat_pointer_grabbed(const struct zc_seat *seat)
{
	return seat->grab != NULL;
}

/* The pointer goes back to the surface under it, with its own cursor. */
static struct zc_grab *seat_pointer_grab_drop(struct zc_seat *seat)
{
	struct zc_grab *grab = seat->grab;
	seat->grab = NULL;
	cursor_set_default(seat->server->cursor);
	seat_refocus_pointer(seat);
	return grab;
}

void seat_pointer_grab_cancel(struct zc_seat *seat, struct zc_grab *grab)
{
	if (seat->grab == grab)
		seat_pointer_grab_drop(seat);
}

/* Buttons go to the grab's count only; it ends with the last one up. */
static void seat_pointer_grab_button(struct zc_seat *seat, bool pressed)
{
	if (pressed) {
		seat->buttons_down++;
		return;
	}
	if (seat->buttons_down > 0 && --seat->buttons_down > 0)
		return;
	struct zc_grab *grab = seat_pointer_grab_drop(seat);
	grab->impl->end(grab);
}

static bool seat_is_press_serial(const struct zc_seat *seat, struct wl_client *client,
	uint32_t serial)
{
	return client && ((seat->key_client == client && serial == seat->key_serial) ||
		(seat->button_client == client && serial == seat->button_serial));
}

bool seat_is_input_serial(const struct zc_seat *seat, struct wl_client *client,
	uint32_t serial)
{
	return seat_is_press_serial(seat, client, serial) ||
		(client && seat->input_client == client && serial == seat->input_serial);
}

bool seat_is_recent_input(const struct zc_seat *seat, struct wl_client *client,
	uint32_t serial)
{
	if (!seat->kb_focus || surface_client(seat->kb_focus) != client)
		return false;
	return seat_is_press_serial(seat, client, serial);
}

void seat_notify_button(struct zc_seat *seat, uint32_t time_msec, uint32_t button,
	bool pressed)
{
	seat_notify_activity(seat);
	if (seat->grab) {
		seat_pointer_grab_button(seat, pressed);
		return;
	}
	if (pressed && seat->buttons_down++ == 0)
		seat_click_focus(seat);
	if (!pressed && seat->buttons_down > 0 && --seat->buttons_down == 0)
		seat_refocus_pointer(seat);
	if (!seat->ptr_focus)
		return;
	uint32_t serial = wl_display_next_serial(seat->server->display);
	if (pressed) {
		seat->button_serial = serial;
		seat->button_client = surface_client(seat->ptr_focus);
	}
	seat->input_serial = serial;
	seat->input_client = surface_client(seat->ptr_focus);
	struct wl_resource *pointer;
	wl_resource_for_each(pointer, &seat->pointers) {
		if (pointer_of_focus(seat, pointer))
			wl_pointer_send_button(pointer, serial, time_msec, button, pressed ?
				WL_POINTER_BUTTON_STATE_PRESSED : WL_POINTER_BUTTON_STATE_RELEASED);
	}
}

static void pointer_send_axis(struct wl_resource *pointer, uint32_t time, uint32_t axis,
	double value, int32_t value120)
{
	int version = wl_resource_get_version(pointer);
	if (value120 && version >= WL_POINTER_AXIS_VALUE120_SINCE_VERSION)
		wl_pointer_send_axis_value120(pointer, axis, value120);
	else if (value120 && version >= WL_POINTER_AXIS_DISCRETE_SINCE_VERSION)
		wl_pointer_send_axis_discrete(pointer, axis, value120 / 120);
	wl_pointer_send_axis(pointer, time, axis, wl_fixed_from_double(value));
}

void seat_notify_axis(struct zc_seat *seat, uint32_t time_msec, uint32_t axis, double value,
	int32_t value120)
{
	seat_notify_activity(seat);
	struct wl_resource *pointer;
	wl_resource_for_each(pointer, &seat->pointers) {
		if (pointer_of_focus(seat, pointer))
			pointer_send_axis(pointer, time_msec, axis, value, value120);
	}
}

void seat_notify_frame(struct zc_seat *seat)
{
	struct wl_resource *pointer;
	wl_resource_for_each(pointer, &seat->pointers) {
		if (pointer_of_focus(seat, pointer))
			pointer_send_frame(pointer);
	}
}

void seat_get_cursor(const struct zc_seat *seat, double *x, double *y)
{
	*x = seat->cursor_x;
	*y = seat->cursor_y;
}

/* A cursor is honoured only from the client with the pointer, for its
 * latest enter; the seat, or NULL. */
static struct zc_seat *pointer_may_set_cursor(struct wl_resource *pointer, uint32_t serial)
{
	struct zc_seat *seat = wl_resource_get_user_data(pointer);
	if (!seat || !pointer_of_focus(seat, pointer) || serial != seat->ptr_enter_serial)
		return NULL;
	return seat;
}

static void handle_pointer_set_cursor(struct wl_client *client, struct wl_resource *resource,
	uint32_t serial, struct wl_resource *surface, int32_t hotspot_x, int32_t hotspot_y)
{
	struct zc_seat *seat = pointer_may_set_cursor(resource, serial);
	if (seat)
		cursor_set_surface(seat->server->cursor, resource, surface, hotspot_x, hotspot_y);
}

void seat_pointer_set_named_cursor(struct wl_resource *pointer, uint32_t serial,
	const char *name, const char *alt)
{
	struct zc_seat *seat = pointer_may_set_cursor(pointer, serial);
	if (seat)
		cursor_set_named(seat->server->cursor, name, alt);
}

static const struct wl_pointer_interface pointer_impl = {
	.set_cursor = handle_pointer_set_cursor,
	.release = handle_resource_release,
};

struct zc_seat *seat_from_pointer(struct wl_resource *pointer)
{
	return wl_resource_instance_of(pointer, &wl_pointer_interface, &pointer_impl) ?
		wl_resource_get_user_data(pointer) : NULL;
}

static void seat_get_pointer(struct zc_seat *seat, struct wl_client *client,
	struct wl_resource *seat_resource, uint32_t id)
{
	struct wl_resource *pointer = server_resource_create_listed(client, &wl_pointer_interface,
		wl_resource_get_version(seat_resource), id, &pointer_impl, seat, &seat->pointers);
	if (!pointer)
		return;
	if (pointer_of_focus(seat, pointer)) {
		pointer_send_enter(seat, pointer, wl_display_next_serial(seat->server->display));
		pointer_send_frame(pointer);
	}
}

/* ---- the seat global ---- */

static void handle_seat_get_pointer(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	seat_get_pointer(wl_resource_get_user_data(resource), client, resource, id);
}

static void handle_seat_get_keyboard(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	seat_get_keyboard(wl_resource_get_user_data(resource), client, resource, id);
}

/* Served whether or not a touch device is present: the capability may
 * have gone since the client looked. */
static void handle_seat_get_touch(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	struct zc_seat *seat = wl_resource_get_user_data(resource);
	touch_bind(seat->touch, client, (uint32_t)wl_resource_get_version(resource), id);
}

static const struct wl_seat_interface seat_impl = {
	.get_pointer = handle_seat_get_pointer,
	.get_keyboard = handle_seat_get_keyboard,
	.get_touch = handle_seat_get_touch,
	.release = handle_resource_release,
};

static uint32_t seat_capabilities(const struct zc_seat *seat)
{
	return WL_SEAT_CAPABILITY_POINTER | WL_SEAT_CAPABILITY_KEYBOARD |
		(seat->touch_capable ? WL_SEAT_CAPABILITY_TOUCH : 0);
}

void seat_set_touch_capable(struct zc_seat *seat, bool capable)
{
	if (seat->touch_capable == capable)
		return;
	seat->touch_capable = capable;
	struct wl_resource *resource;
	wl_resource_for_each(resource, &seat->seats)
		wl_seat_send_capabilities(resource, seat_capabilities(seat));
}

struct zc_touch *seat_get_touch(struct zc_seat *seat)
{
	return seat->touch;
}

static void bind_seat(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct zc_seat *seat = data;
	struct wl_resource *resource = server_resource_create_listed(client, &wl_seat_interface,
		(int)version, id, &seat_impl, seat, &seat->seats);
	if (!resource)
		return;
	wl_seat_send_capabilities(resource, seat_capabilities(seat));
	if (version >= WL_SEAT_NAME_SINCE_VERSION)
		wl_seat_send_name(resource, "seat0");
}

/* Stacking changed: refocus once the change is complete (and after any
 * dying surface has been dropped), not in the middle of it. */
static void handle_seat_refocus_idle(void *data)
{
	struct zc_seat *seat = data;
	seat->refocus_idle = NULL;
	seat_refocus_keyboard(seat);
	seat_repick_pointer(seat);
}

/* Whether the window a surface belongs to is on screen. */
static bool surface_shown(struct zc_surface *surface)
{
	struct zc_surface *root = surface_get_root(surface);
	return root->view && root->view->mapped;
}

static void seat_schedule_refocus(struct zc_seat *seat)
{
	if (!seat->refocus_idle)
		seat->refocus_idle = wl_event_loop_add_idle(seat->server->loop,
			handle_seat_refocus_idle, seat);
}

static void handle_seat_views_changed(struct wl_listener *listener, void *data)
{
	struct zc_seat *seat = wl_container_of(listener, seat, views_changed);
	/* The pointer leaves an unmapped window now, while the client still
	 * has the surface: it may destroy it before the refocus below runs,
	 * and then no leave could be sent for it. */
	if (seat->ptr_focus && !surface_shown(seat->ptr_focus))
		pointer_set_focus(seat, NULL);
	seat_schedule_refocus(seat);
}

/* Once per batch of changes (an idle), not per request. */
static void handle_seat_scene_changed(struct wl_listener *listener, void *data)
{
	struct zc_seat *seat = wl_container_of(listener, seat, scene_changed);
	seat_schedule_refocus(seat);
}

void seat_set_switch_vt(struct zc_seat *seat, seat_switch_vt_fn fn, void *data)
{
	seat->switch_vt = fn;
	seat->switch_vt_data = data;
}

bool seat_global_create(struct zc_server *server)
{
	struct zc_seat *seat = calloc(1, sizeof(*seat));
	if (!seat)
		return false;
	seat->server = server;
	seat->keymap_fd = -1;
	wl_list_init(&seat->seats);
	wl_list_init(&seat->keyboards);
	wl_list_init(&seat->pointers);
	wl_array_init(&seat->pressed);
	wl_signal_init(&seat->signals.relative_motion);
	wl_signal_init(&seat->signals.pointer_moved);
	wl_signal_init(&seat->signals.activity);
	wl_signal_init(&seat->signals.keyboard_focus);
	seat->kb_focus_destroy.notify = handle_kb_focus_destroy;
	seat->ptr_focus_destroy.notify = handle_ptr_focus_destroy;
	seat->views_changed.notify = handle_seat_views_changed;
	seat->scene_changed.notify = handle_seat_scene_changed;
	seat->stalled_destroy.notify = handle_seat_stalled_destroy;
	wl_signal_add(&server->views_changed, &seat->views_changed);
	wl_signal_add(&server->scene_changed, &seat->scene_changed);
	server->seat = seat;
	seat->touch = touch_create(server);
	if (!seat->touch || !seat_init_xkb(seat) || !cursor_create(server))
		return false;
	grab_host_install(server);
	seat->global = wl_global_create(server->display, &wl_seat_interface, SEAT_VERSION, seat,
		bind_seat);
	return seat->global != NULL;
}

void seat_global_destroy(struct zc_server *server)
{
	struct zc_seat *seat = server->seat;
	if (!seat)
		return;
	grab_host_uninstall(server);
	if (seat->grab) {
		struct zc_grab *grab = seat->grab;
		seat->grab = NULL;
		grab->impl->end(grab);
	}
	keyboard_set_focus(seat, NULL);
	pointer_set_focus(seat, NULL);
	cursor_destroy(server);
	seat_forget_stalled(seat);
	server_resource_list_orphan(&seat->seats);
	server_resource_list_orphan(&seat->keyboards);
	server_resource_list_orphan(&seat->pointers);
	touch_destroy(seat->touch);
	wl_list_remove(&seat->views_changed.link);
	wl_list_remove(&seat->scene_changed.link);
	if (seat->refocus_idle)
		wl_event_source_remove(seat->refocus_idle);
	if (seat->global)
		wl_global_destroy(seat->global);
	if (seat->keymap_fd >= 0)
		close(seat->keymap_fd);
	xkb_state_unref(seat->state);
	xkb_keymap_unref(seat->keymap);
	xkb_context_unref(seat->xkb);
	wl_array_release(&seat->pressed);
	free(seat);
	server->seat = NULL;
}
