#ifndef ZC_TOUCH_H
#define ZC_TOUCH_H

/*
 * The seat's touch points and wl_touch resources (touch.c). Input sources
 * (libinput touchscreens, backends/session/input_devices.c) feed points in layout coordinates with
 * the device's seat slot as id; each point's events go to the surface it
 * went down on.
 */

#include <stdbool.h>
#include <stdint.h>

#include "core/server.h"

struct zc_touch;

struct zc_touch *touch_create(struct zc_server *server);
void touch_destroy(struct zc_touch *touch);
/* A client's wl_seat.get_touch. */
void touch_bind(struct zc_touch *touch, struct wl_client *client, uint32_t version,
	uint32_t id);

void touch_notify_down(struct zc_touch *touch, uint32_t time_msec, int32_t id, double x,
	double y);
void touch_notify_motion(struct zc_touch *touch, uint32_t time_msec, int32_t id, double x,
	double y);
void touch_notify_up(struct zc_touch *touch, uint32_t time_msec, int32_t id);
/* Ends the events of one hardware frame. */
void touch_notify_frame(struct zc_touch *touch);
/* The points were lost (their device went away): clients forget them. */
void touch_notify_cancel(struct zc_touch *touch);
bool touch_has_points(const struct zc_touch *touch);
/* Whether serial is that of the latest touch down, or of the latest down
 * or up, sent to client. */
bool touch_is_input_serial(const struct zc_touch *touch, struct wl_client *client,
	uint32_t serial);

/* Touch grabs (grab.c is the host): grab follows the point whose down has
 * serial, on a surface of root's window; its client gets wl_touch.cancel.
 * The grab ends when the point goes up or is cancelled. */
struct zc_grab;
struct zc_surface;
bool touch_grab_begin(struct zc_touch *touch, struct zc_grab *grab, struct zc_surface *root,
	uint32_t serial, double *x, double *y);
bool touch_grabbed(const struct zc_touch *touch);
void touch_grab_cancel(struct zc_touch *touch, struct zc_grab *grab);

#endif
