/*
 * wl_touch: each touch point belongs to the surface it went down on (its
 * focus, kept until the point goes up), so two fingers on two windows reach
 * two clients. Events of one hardware frame end with wl_touch.frame to every
 * client that got some; a cancel (the device went away with points down)
 * goes to every client that has points.
 */
#include "touch.h"

#include <stdlib.h>
#include <wayland-server-protocol.h>

#include "seat.h"
#include "core/grab.h"
#include "core/surface.h"

#define TOUCH_MAX_POINTS 16

struct touch_point {
	bool active;
	int32_t id; /* libinput's seat slot */
	struct zc_surface *surface; /* NULL: went down outside any surface, or taken */
	uint32_t serial; /* of its down */
	double x, y;     /* where it is, layout coordinates */
	struct wl_listener surface_destroy;
	struct zc_touch *touch;
};

struct zc_touch {
	struct zc_server *server;
	struct wl_list resources; /* wl_touch resource links */
	struct touch_point points[TOUCH_MAX_POINTS];
	/* Clients sent events since the last frame (at most one per point). */
	struct wl_client *dirty[TOUCH_MAX_POINTS];
	int n_dirty;
	struct zc_grab *grab; /* follows the point grab_id, which clients no longer see */
	int32_t grab_id;
	/* The latest down, and the latest down or up, sent: for popup grabs
	 * (the clients are compared, never used). */
	struct wl_client *down_client, *input_client;
	uint32_t down_serial, input_serial;
};

static void touch_grab_end(struct zc_touch *touch);

static struct wl_client *point_client(const struct touch_point *p)
{
	return p->surface ? wl_resource_get_client(p->surface->resource) : NULL;
}

static void mark_dirty(struct zc_touch *touch, struct wl_client *client)
{
	for (int i = 0; i < touch->n_dirty; i++) {
		if (touch->dirty[i] == client)
			return;
	}
	if (touch->n_dirty < TOUCH_MAX_POINTS)
		touch->dirty[touch->n_dirty++] = client;
}

static void point_release(struct touch_point *p)
{
	if (p->surface)
		wl_list_remove(&p->surface_destroy.link);
	p->surface = NULL;
	p->active = false;
}

static void point_send_up(struct touch_point *p, uint32_t time_msec)
{
	struct wl_client *client = point_client(p);
	uint32_t serial = wl_display_next_serial(p->touch->server->display);
	p->touch->input_client = client;
	p->touch->input_serial = serial;
	struct wl_resource *resource;
	wl_resource_for_each(resource, &p->touch->resources) {
		if (wl_resource_get_client(resource) == client)
			wl_touch_send_up(resource, serial, time_msec, p->id);
	}
}

/* The surface is gone: the client hears the point go up now (wl_touch.up
 * names no surface), or its id would stay taken for good. The point stays
 * active, sending nothing more, until the finger lifts. */
static void handle_point_surface_destroy(struct wl_listener *listener, void *data)
{
	struct touch_point *p = wl_container_of(listener, p, surface_destroy);
	struct wl_client *client = point_client(p);
	point_send_up(p, server_time_msec(p->touch->server));
	struct wl_resource *resource;
	wl_resource_for_each(resource, &p->touch->resources) {
		if (wl_resource_get_client(resource) == client)
			wl_touch_send_frame(resource);
	}
	wl_list_remove(&p->surface_destroy.link);
	p->surface = NULL;
}

static struct touch_point *point_find(struct zc_touch *touch, int32_t id)
{
	for (int i = 0; i < TOUCH_MAX_POINTS; i++) {
		if (touch->points[i].active && touch->points[i].id == id)
			return &touch->points[i];
	}
	return NULL;
}

static struct touch_point *point_alloc(struct zc_touch *touch, int32_t id)
{
	for (int i = 0; i < TOUCH_MAX_POINTS; i++) {
		struct touch_point *p = &touch->points[i];
		if (!p->active) {
			*p = (struct touch_point){ .active = true, .id = id, .touch = touch };
			p->surface_destroy.notify = handle_point_surface_destroy;
			return p;
		}
	}
	return NULL;
}

/* The point relative to the surface it belongs to. */
static void point_surface_coords(struct touch_point *p, double x, double y, wl_fixed_t *sx,
	wl_fixed_t *sy)
{
	int32_t ox = 0, oy = 0;
	surface_get_layout_position(p->surface, &ox, &oy);
	*sx = wl_fixed_from_double(x - ox);
	*sy = wl_fixed_from_double(y - oy);
}

void touch_notify_down(struct zc_touch *touch, uint32_t time_msec, int32_t id, double x,
	double y)
{
	seat_notify_activity(touch->server->seat);
	if (point_find(touch, id))
		return; /* a second down without an up: ignore it */
	struct touch_point *p = point_alloc(touch, id);
	if (!p)
		return;
	double sx, sy;
	p->x = x;
	p->y = y;
	p->surface = seat_surface_at(touch->server->seat, x, y, &sx, &sy);
	if (!p->surface) {
		/* Outside the surfaces of a client holding a popup grab. */
		if (shell_policy_grab_client(&touch->server->shell_policy))
			shell_policy_grab_dismiss(&touch->server->shell_policy);
		return;
	}
	wl_signal_add(&p->surface->destroy_signal, &p->surface_destroy);
	struct wl_client *client = point_client(p);
	uint32_t serial = wl_display_next_serial(touch->server->display);
	p->serial = serial;
	touch->down_client = touch->input_client = client;
	touch->down_serial = touch->input_serial = serial;
	wl_fixed_t fx = wl_fixed_from_double(sx), fy = wl_fixed_from_double(sy);
	struct wl_resource *resource;
	wl_resource_for_each(resource, &touch->resources) {
		if (wl_resource_get_client(resource) == client)
			wl_touch_send_down(resource, serial, time_msec, p->surface->resource, id,
				fx, fy);
	}
	mark_dirty(touch, client);
}

void touch_notify_motion(struct zc_touch *touch, uint32_t time_msec, int32_t id, double x,
	double y)
{
	seat_notify_activity(touch->server->seat);
	struct touch_point *p = point_find(touch, id);
	if (!p)
		return;
	p->x = x;
	p->y = y;
	if (touch->grab && id == touch->grab_id)
		touch->grab->impl->motion(touch->grab, x, y);
	if (!p->surface)
		return;
	struct wl_client *client = point_client(p);
	wl_fixed_t sx, sy;
	point_surface_coords(p, x, y, &sx, &sy);
	struct wl_resource *resource;
	wl_resource_for_each(resource, &touch->resources) {
		if (wl_resource_get_client(resource) == client)
			wl_touch_send_motion(resource, time_msec, id, sx, sy);
	}
	mark_dirty(touch, client);
}

void touch_notify_up(struct zc_touch *touch, uint32_t time_msec, int32_t id)
{
	struct touch_point *p = point_find(touch, id);
	if (!p)
		return;
	struct wl_client *client = point_client(p);
	if (client) {
		point_send_up(p, time_msec);
		mark_dirty(touch, client);
	}
	point_release(p);
	if (touch->grab && id == touch->grab_id)
		touch_grab_end(touch);
}

void touch_notify_frame(struct zc_touch *touch)
{
	struct wl_resource *resource;
	wl_resource_for_each(resource, &touch->resources) {
		for (int i = 0; i < touch->n_dirty; i++) {
			if (wl_resource_get_client(resource) == touch->dirty[i])
				wl_touch_send_frame(resource);
		}
	}
	touch->n_dirty = 0;
}

/* Every client with a point down gets one cancel; all points are gone. */
void touch_notify_cancel(struct zc_touch *touch)
{
	struct wl_client *clients[TOUCH_MAX_POINTS];
	int n = 0;
	for (int i = 0; i < TOUCH_MAX_POINTS; i++) {
		struct touch_point *p = &touch->points[i];
		struct wl_client *client = p->active ? point_client(p) : NULL;
		bool seen = false;
		for (int j = 0; j < n && client; j++)
			seen = seen || clients[j] == client;
		if (client && !seen)
			clients[n++] = client;
		if (p->active)
			point_release(p);
	}
	struct wl_resource *resource;
	wl_resource_for_each(resource, &touch->resources) {
		for (int j = 0; j < n; j++) {
			if (wl_resource_get_client(resource) == clients[j])
				wl_touch_send_cancel(resource);
		}
	}
	touch->n_dirty = 0;
	if (touch->grab)
		touch_grab_end(touch);
}

bool touch_has_points(const struct zc_touch *touch)
{
	for (int i = 0; i < TOUCH_MAX_POINTS; i++) {
		if (touch->points[i].active)
			return true;
	}
	return false;
}

/* ---- grabs (the host is grab.c) ---- */

/* The client's touch sequence is taken over: it gets wl_touch.cancel, which
 * ends all of its points, so none of them reaches it any more. */
static void touch_take_from_client(struct zc_touch *touch, struct wl_client *client)
{
	struct wl_resource *resource;
	wl_resource_for_each(resource, &touch->resources) {
		if (wl_resource_get_client(resource) == client)
			wl_touch_send_cancel(resource);
	}
	for (int i = 0; i < TOUCH_MAX_POINTS; i++) {
		struct touch_point *p = &touch->points[i];
		if (p->active && point_client(p) == client) {
			wl_list_remove(&p->surface_destroy.link);
			p->surface = NULL;
		}
	}
}

bool touch_grab_begin(struct zc_touch *touch, struct zc_grab *grab, struct zc_surface *root,
	uint32_t serial, double *x, double *y)
{
	for (int i = 0; i < TOUCH_MAX_POINTS && !touch->grab; i++) {
		struct touch_point *p = &touch->points[i];
		if (!p->active || !p->surface || p->serial != serial ||
		    surface_get_root(p->surface) != root)
			continue;
		touch->grab = grab;
		touch->grab_id = p->id;
		*x = p->x;
		*y = p->y;
		touch_take_from_client(touch, point_client(p));
		return true;
	}
	return false;
}

bool touch_is_input_serial(const struct zc_touch *touch, struct wl_client *client,
	uint32_t serial)
{
	return touch && client && ((touch->down_client == client && touch->down_serial == serial) ||
		(touch->input_client == client && touch->input_serial == serial));
}

bool touch_grabbed(const struct zc_touch *touch)
{
	return touch->grab != NULL;
}

void touch_grab_cancel(struct zc_touch *touch, struct zc_grab *grab)
{
	if (touch->grab == grab)
		touch->grab = NULL;
}

static void touch_grab_end(struct zc_touch *touch)
{
	struct zc_grab *grab = touch->grab;
	touch->grab = NULL;
	grab->impl->end(grab);
}

/* ---- resources ---- */

static void handle_touch_release(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_touch_interface touch_impl = {
	.release = handle_touch_release,
};


void touch_bind(struct zc_touch *touch, struct wl_client *client, uint32_t version,
	uint32_t id)
{
	server_resource_create_listed(client, &wl_touch_interface, (int)version, id, &touch_impl,
		touch, &touch->resources);
}

struct zc_touch *touch_create(struct zc_server *server)
{
	struct zc_touch *touch = calloc(1, sizeof(*touch));
	if (!touch)
		return NULL;
	touch->server = server;
	wl_list_init(&touch->resources);
	return touch;
}

/* Resources that outlive it (none after wl_display_destroy_clients) become
 * inert. */
void touch_destroy(struct zc_touch *touch)
{
	if (!touch)
		return;
	if (touch->grab)
		touch_grab_end(touch);
	for (int i = 0; i < TOUCH_MAX_POINTS; i++) {
		if (touch->points[i].active)
			point_release(&touch->points[i]);
	}
	server_resource_list_orphan(&touch->resources);
	free(touch);
}
