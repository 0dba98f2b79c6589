#ifndef ZC_GRAB_H
#define ZC_GRAB_H

/*
 * Input grabs: for as long as a press lasts, the seat hands its pointer (or
 * one touch point) to a grab instead of to clients, as the shell's
 * interactive move and resize need. The seat (input/) installs the host on
 * the server (zc_server.grab_host); the shell starts grabs through it, so
 * neither names the other. Popup grabs (xdg_popup.grab) are the shell's
 * own state; the seat asks about them through core/shell_policy.h.
 */

#include <stdbool.h>
#include <stdint.h>

struct wl_client;
struct zc_surface;
struct zc_grab;

struct zc_grab_impl {
	/* The pointer or the grabbing touch point moved to layout (x, y). */
	void (*motion)(struct zc_grab *grab, double x, double y);
	/* The press is over (last button up, touch point up, seat gone); the
	 * seat has already dropped the grab. */
	void (*end)(struct zc_grab *grab);
};

struct zc_grab {
	const struct zc_grab_impl *impl;
};

struct zc_grab_host_impl {
	/* Starts grab if serial is that of a press (button or touch down) on
	 * a surface of root's window that is still held and no grab runs;
	 * *x, *y get where the press is now. */
	bool (*start)(void *data, struct zc_grab *grab, struct zc_surface *root, uint32_t serial,
		double *x, double *y);
	/* Ends a running grab early (its window went): no end call follows. */
	void (*cancel)(void *data, struct zc_grab *grab);
	/* Whether serial is that of a user action client was sent: its latest
	 * button or key press or touch down, or the latest input event at all
	 * (a release too: menus open on one). What a popup grab needs. */
	bool (*serial_is_input)(void *data, struct wl_client *client, uint32_t serial);
};

struct zc_grab_host {
	const struct zc_grab_host_impl *impl; /* NULL: no seat, no grabs */
	void *data;
};

static inline bool grab_host_start(const struct zc_grab_host *host, struct zc_grab *grab,
	struct zc_surface *root, uint32_t serial, double *x, double *y)
{
	return host->impl && host->impl->start(host->data, grab, root, serial, x, y);
}

static inline void grab_host_cancel(const struct zc_grab_host *host, struct zc_grab *grab)
{
	if (host->impl)
		host->impl->cancel(host->data, grab);
}

static inline bool grab_host_serial_is_input(const struct zc_grab_host *host,
	struct wl_client *client, uint32_t serial)
{
	return host->impl && host->impl->serial_is_input(host->data, client, serial);
}

#endif
