#ifndef ZC_SEAT_H
#define ZC_SEAT_H

/*
 * The seat: one wl_seat global (v9) with a keyboard (xkbcommon keymap), a
 * pointer and, while a touch device is present, touch (touch.c). Input
 * sources (libinput in backends/session/input_devices.c, or tests) feed it
 * through the seat_notify_* functions; the seat routes events to the focused
 * surfaces: the keyboard goes where the shell policy says (the activated
 * toplevel), the pointer to the surface under the cursor. A click asks the
 * shell to raise and activate the window.
 *
 * Compositor keybindings, taken before clients see the keys:
 *   Ctrl+Alt+Backspace  ends zcomp
 *   Alt+Tab             the shell cycles windows (the bottom-most comes up)
 *   Ctrl+Alt+F1..F12    switches VT (through the switch_vt hook, if set)
 */

#include <stdbool.h>
#include <stdint.h>

#include "core/server.h"

struct zc_seat;
struct zc_surface;
struct zc_touch;

/* Where the keymap comes from; NULL fields take xkbcommon's defaults, which
 * honour XKB_DEFAULT_RULES/MODEL/LAYOUT/VARIANT/OPTIONS. */
struct zc_seat_keymap_names {
	const char *layout, *variant, *options;
};

/* Creates the global and server->seat; false on failure (logged). */
bool seat_global_create(struct zc_server *server);
void seat_global_destroy(struct zc_server *server);

/* Key events with evdev key codes (linux/input-event-codes.h). */
void seat_notify_key(struct zc_seat *seat, uint32_t time_msec, uint32_t key, bool pressed);
/* A mouse's motion as libinput reports it: the accelerated delta moves the
 * cursor (layout pixels), the unaccelerated one is the device's own count,
 * for relative-pointer clients (games). */
struct zc_pointer_motion {
	uint64_t time_usec;
	double dx, dy;
	double dx_unaccel, dy_unaccel;
};

/* Relative motion (a pointer constraint may hold or limit the cursor), or
 * an absolute position in layout coordinates; the cursor stays inside the
 * outputs. */
void seat_notify_motion(struct zc_seat *seat, const struct zc_pointer_motion *motion);
void seat_notify_motion_absolute(struct zc_seat *seat, uint32_t time_msec, double x, double y);
/* Buttons are evdev codes (BTN_LEFT ...). */
void seat_notify_button(struct zc_seat *seat, uint32_t time_msec, uint32_t button,
	bool pressed);
/* Scroll along WL_POINTER_AXIS_*; value in surface pixels; discrete is the
 * wheel's v120 steps (0 for continuous sources). */
void seat_notify_axis(struct zc_seat *seat, uint32_t time_msec, uint32_t axis, double value,
	int32_t value120);
/* Ends a group of pointer events (wl_pointer.frame). */
void seat_notify_frame(struct zc_seat *seat);

/* The topmost surface taking input at layout point (x, y), and the point in
 * it; NULL if none, or if a popup grab keeps input to another client. */
struct zc_surface *seat_surface_at(struct zc_seat *seat, double x, double y,
	double *sx, double *sy);
/* Touch (touch.h): announced in wl_seat.capabilities while a device has it. */
void seat_set_touch_capable(struct zc_seat *seat, bool capable);
struct zc_touch *seat_get_touch(struct zc_seat *seat);

/* Raises and activates surface's window; the keyboard follows. */
void seat_activate(struct zc_seat *seat, struct zc_surface *surface);
/* Whether serial is that of the latest key or button press, sent to client,
 * and client still has the keyboard focus: what a user just did there. */
bool seat_is_recent_input(const struct zc_seat *seat, struct wl_client *client,
	uint32_t serial);
/* Whether serial is that of the latest key or button press sent to client,
 * or of the latest key or button event (a release too), wherever the
 * keyboard is now. */
bool seat_is_input_serial(const struct zc_seat *seat, struct wl_client *client,
	uint32_t serial);

/* cursor-shape-v1 on a wl_pointer resource: the theme's cursor called name
 * (else alt), under the rules of wl_pointer.set_cursor (the client has the
 * pointer, serial is its latest enter); otherwise ignored. */
void seat_pointer_set_named_cursor(struct wl_resource *pointer, uint32_t serial,
	const char *name, const char *alt);

/* Where the cursor is, in layout coordinates. */
void seat_get_cursor(const struct zc_seat *seat, double *x, double *y);
/* Moves the cursor without telling clients (a lock's position hint); the
 * focus follows. */
void seat_warp_cursor(struct zc_seat *seat, double x, double y);
struct zc_surface *seat_get_pointer_focus(const struct zc_seat *seat);
struct zc_surface *seat_get_keyboard_focus(const struct zc_seat *seat);
/* The seat behind a wl_pointer resource; NULL once the seat went. */
struct zc_seat *seat_from_pointer(struct wl_resource *pointer);

/* What other input modules follow (relative-pointer, pointer-constraints,
 * idle). */
struct zc_seat_signals {
	/* Relative motion, before the cursor moves; data: const struct
	 * zc_pointer_motion. */
	struct wl_signal relative_motion;
	/* The cursor moved, or the pointer focus changed; data: NULL. */
	struct wl_signal pointer_moved;
	/* Any input event from a user (key, button, motion, scroll, touch). */
	struct wl_signal activity;
	/* The keyboard focus changed; data: NULL. */
	struct wl_signal keyboard_focus;
};
struct zc_seat_signals *seat_get_signals(struct zc_seat *seat);
/* Touch and other sources outside this file report user activity here. */
void seat_notify_activity(struct zc_seat *seat);

/* A pointer constraint: where relative motion from (from_x, from_y) to
 * (*to_x, *to_y), in the focused surface's coordinates, may take the cursor;
 * filter rewrites *to. At most one filter (pointer-constraints). */
struct zc_seat_motion_filter {
	void (*filter)(struct zc_seat_motion_filter *filter, struct zc_surface *focus,
		double from_x, double from_y, double *to_x, double *to_y);
	/* Whether a lock holds the pointer on focus: no wl_pointer.motion. */
	bool (*locked)(struct zc_seat_motion_filter *filter, struct zc_surface *focus);
};
void seat_set_motion_filter(struct zc_seat *seat, struct zc_seat_motion_filter *filter);

/* Pointer grabs (grab.c is the host): grab takes the pointer if serial is
 * the latest button press, on a surface of root's window, and a button is
 * still down; clients get a leave now and an enter when it ends. */
struct zc_grab;
bool seat_pointer_grab_begin(struct zc_seat *seat, struct zc_grab *grab,
	struct zc_surface *root, uint32_t serial, double *x, double *y);
bool seat_pointer_grabbed(const struct zc_seat *seat);
void seat_pointer_grab_cancel(struct zc_seat *seat, struct zc_grab *grab);

/* A VT switch request (Ctrl+Alt+Fn); the session owner installs it. */
typedef void (*seat_switch_vt_fn)(void *data, int vt);
void seat_set_switch_vt(struct zc_seat *seat, seat_switch_vt_fn fn, void *data);

#endif
