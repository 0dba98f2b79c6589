#ifndef ZC_SESSION_H
#define ZC_SESSION_H

/*
 * The seat session: access to DRM (and later input) devices through libseat,
 * which talks to logind or seatd on a real machine, or opens devices itself
 * with its noop backend (LIBSEAT_BACKEND=noop, as root in the test VM).
 *
 * The session is active while we own the seat. On a VT switch it becomes
 * inactive: the seat manager takes DRM master away and nothing may be
 * committed until it is active again.
 */

#include <stdbool.h>
#include <wayland-server-core.h>

struct libseat;

struct zc_session {
	struct libseat *seat;
	struct wl_event_source *source;
	bool active;
	/* Emitted whenever active changes; data: the session. */
	struct wl_signal active_changed;
};

/* Opens the seat and waits (briefly) until it is first enabled; NULL with a
 * logged reason on failure. */
struct zc_session *session_create(struct wl_event_loop *loop);
void session_destroy(struct zc_session *session);

const char *session_seat_name(const struct zc_session *session);
/* Opens a device node through the seat; returns the fd or -1. Give it back
 * with session_close_device, which also closes the fd. */
int session_open_device(struct zc_session *session, const char *path, int *device_id);
void session_close_device(struct zc_session *session, int device_id, int fd);
/* Asks the seat manager for VT vt (Ctrl+Alt+Fn); the switch itself shows
 * up as a disable of our session. */
void session_switch_vt(struct zc_session *session, int vt);

#endif
