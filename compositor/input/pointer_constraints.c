/* zwp_pointer_constraints_v1: a client locks the cursor in place or
 * confines it to a region of its surface while that surface has the
 * pointer. The seat asks us (its motion filter) where relative motion may
 * take the cursor; relative-pointer events still flow while locked. */
#include "pointer_constraints.h"

#include <math.h>
#include <stdlib.h>

#include "core/surface.h"
#include "pointer-constraints-unstable-v1-server-protocol.h"
#include "seat.h"

#define POINTER_CONSTRAINTS_VERSION 1
/* A confined cursor stops on the last whole pixel inside a region's right
 * and bottom edges, as Mir does and wlcs checks: the pixel the cursor
 * shows, not a fraction short of the edge. */
#define CONSTRAINT_EDGE 1.0

struct zc_pointer_constraints {
	struct zc_server *server;
	struct wl_global *global;
	struct wl_list constraints; /* zc_constraint.link */
	struct zc_seat_motion_filter filter;
	struct wl_listener pointer_moved, keyboard_focus;
	bool updating; /* a warp on deactivation moves the pointer again */
};

struct constraint_state {
	bool has_region; /* false: the whole surface */
	pixman_region32_t region;
	bool has_hint;
	double hint_x, hint_y;
};

struct zc_constraint {
	struct zc_pointer_constraints *pc;
	struct wl_resource *resource;
	struct zc_surface *surface; /* NULL once it went: the constraint is inert */
	bool lock;                  /* locked_pointer, else confined_pointer */
	uint32_t lifetime;
	bool active, defunct;       /* defunct: a oneshot that ended */
	struct constraint_state pending, current;
	bool region_pending, hint_pending;
	struct wl_listener surface_destroy, surface_commit;
	struct wl_list link;
};

static void constraints_update(struct zc_pointer_constraints *pc);

static struct zc_constraint *constraint_for(struct zc_pointer_constraints *pc,
	struct zc_surface *surface)
{
	struct zc_constraint *c;
	wl_list_for_each(c, &pc->constraints, link) {
		if (c->surface == surface)
			return c;
	}
	return NULL;
}

/* Where the cursor may be: the surface's input region within its size, cut
 * down to the constraint's region. */
static void constraint_region(struct zc_constraint *c, pixman_region32_t *out)
{
	struct zc_surface *s = c->surface;
	pixman_region32_init_rect(out, 0, 0, (uint32_t)s->width, (uint32_t)s->height);
	pixman_region32_intersect(out, out, &s->current.input);
	if (c->current.has_region)
		pixman_region32_intersect(out, out, &c->current.region);
}

static bool constraint_contains(struct zc_constraint *c, double sx, double sy,
	pixman_box32_t *box)
{
	pixman_region32_t region;
	constraint_region(c, &region);
	bool in = pixman_region32_contains_point(&region, (int)floor(sx), (int)floor(sy), box);
	pixman_region32_fini(&region);
	return in;
}

static void constraint_send(struct zc_constraint *c, bool active)
{
	if (c->lock && active)
		zwp_locked_pointer_v1_send_locked(c->resource);
	else if (c->lock)
		zwp_locked_pointer_v1_send_unlocked(c->resource);
	else if (active)
		zwp_confined_pointer_v1_send_confined(c->resource);
	else
		zwp_confined_pointer_v1_send_unconfined(c->resource);
}

static void constraint_activate(struct zc_constraint *c)
{
	c->active = true;
	constraint_send(c, true);
}

/* notify: the client still listens (not from its destructor). */
static void constraint_deactivate(struct zc_constraint *c, bool notify)
{
	c->active = false;
	if (c->lifetime == ZWP_POINTER_CONSTRAINTS_V1_LIFETIME_ONESHOT)
		c->defunct = true;
	if (notify)
		constraint_send(c, false);
}

/* The client unlocked while locked: put the cursor where it says the
 * user sees it (its position hint), if that is on the surface. */
static void constraint_warp_to_hint(struct zc_constraint *c)
{
	int32_t x, y;
	if (!c->lock || !c->current.has_hint || !c->surface ||
		!surface_get_layout_position(c->surface, &x, &y))
		return;
	if (c->current.hint_x < 0 || c->current.hint_y < 0 ||
		c->current.hint_x >= c->surface->width || c->current.hint_y >= c->surface->height)
		return;
	seat_warp_cursor(c->pc->server->seat, x + c->current.hint_x, y + c->current.hint_y);
}

/* The pointer focus, if a constraint there may hold the pointer: its
 * window must have the keyboard too (as weston does), so a window the user
 * left for another lets the pointer go even where it stays on top of it. */
static struct zc_surface *constrainable_focus(struct zc_seat *seat)
{
	struct zc_surface *focus = seat_get_pointer_focus(seat);
	struct zc_surface *kb = seat_get_keyboard_focus(seat);
	if (!focus || !kb || surface_get_root(kb) != surface_get_root(focus))
		return NULL;
	return focus;
}

/* A constraint is active while its surface has the pointer (and its window
 * the keyboard) and the cursor entered its region; oneshot ones never come
 * back. */
static void constraints_update(struct zc_pointer_constraints *pc)
{
	if (pc->updating)
		return;
	pc->updating = true;
	struct zc_seat *seat = pc->server->seat;
	struct zc_surface *focus = constrainable_focus(seat);
	struct zc_constraint *c;
	wl_list_for_each(c, &pc->constraints, link) {
		if (c->active && c->surface != focus)
			constraint_deactivate(c, true);
	}
	c = focus ? constraint_for(pc, focus) : NULL;
	int32_t fx, fy;
	if (c && !c->active && !c->defunct && surface_get_layout_position(focus, &fx, &fy)) {
		double cx, cy;
		seat_get_cursor(seat, &cx, &cy);
		if (constraint_contains(c, cx - fx, cy - fy, NULL))
			constraint_activate(c);
	}
	pc->updating = false;
}

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* A lock holds the cursor; a confinement lets it go anywhere in the
 * region, else slides it along the edge of the rectangle it is in. */
static void handle_constraints_filter(struct zc_seat_motion_filter *filter,
	struct zc_surface *focus, double from_x, double from_y, double *to_x, double *to_y)
{
	struct zc_pointer_constraints *pc = wl_container_of(filter, pc, filter);
	struct zc_constraint *c = constraint_for(pc, focus);
	if (!c || !c->active)
		return;
	pixman_box32_t box;
	if (c->lock) {
		*to_x = from_x;
		*to_y = from_y;
	} else if (!constraint_contains(c, *to_x, *to_y, NULL) &&
		constraint_contains(c, from_x, from_y, &box)) {
		*to_x = clamp(*to_x, box.x1, box.x2 - CONSTRAINT_EDGE);
		*to_y = clamp(*to_y, box.y1, box.y2 - CONSTRAINT_EDGE);
	} else if (!constraint_contains(c, *to_x, *to_y, NULL)) {
		*to_x = from_x; /* the region shrank away from under the cursor */
		*to_y = from_y;
	}
}

static bool handle_constraints_locked(struct zc_seat_motion_filter *filter,
	struct zc_surface *focus)
{
	struct zc_pointer_constraints *pc = wl_container_of(filter, pc, filter);
	struct zc_constraint *c = constraint_for(pc, focus);
	return c && c->active && c->lock;
}

static void handle_pointer_moved(struct wl_listener *listener, void *data)
{
	struct zc_pointer_constraints *pc = wl_container_of(listener, pc, pointer_moved);
	constraints_update(pc);
}

static void handle_keyboard_focus(struct wl_listener *listener, void *data)
{
	struct zc_pointer_constraints *pc = wl_container_of(listener, pc, keyboard_focus);
	constraints_update(pc);
}

/* ---- the constraint objects ---- */

static void constraint_forget_surface(struct zc_constraint *c)
{
	if (!c->surface)
		return;
	wl_list_remove(&c->surface_destroy.link);
	wl_list_remove(&c->surface_commit.link);
	c->surface = NULL;
}

static void handle_constraint_surface_destroy(struct wl_listener *listener, void *data)
{
	struct zc_constraint *c = wl_container_of(listener, c, surface_destroy);
	if (c->active)
		constraint_deactivate(c, true);
	constraint_forget_surface(c);
}

/* set_region and set_cursor_position_hint are double-buffered. */
static void handle_constraint_surface_commit(struct wl_listener *listener, void *data)
{
	struct zc_constraint *c = wl_container_of(listener, c, surface_commit);
	if (c->region_pending) {
		c->current.has_region = c->pending.has_region;
		pixman_region32_copy(&c->current.region, &c->pending.region);
		c->region_pending = false;
	}
	if (c->hint_pending) {
		c->current.has_hint = true;
		c->current.hint_x = c->pending.hint_x;
		c->current.hint_y = c->pending.hint_y;
		c->hint_pending = false;
	}
	constraints_update(c->pc);
}

static void constraint_resource_destroy(struct wl_resource *resource)
{
	struct zc_constraint *c = wl_resource_get_user_data(resource);
	bool was_active = c->active;
	/* The warp moves the pointer: this one must not come back meanwhile. */
	c->active = false;
	c->defunct = true;
	if (was_active)
		constraint_warp_to_hint(c);
	constraint_forget_surface(c);
	wl_list_remove(&c->link);
	pixman_region32_fini(&c->pending.region);
	pixman_region32_fini(&c->current.region);
	free(c);
}

static void handle_constraint_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void constraint_set_region(struct zc_constraint *c, struct wl_resource *region)
{
	c->pending.has_region = region != NULL;
	if (region)
		pixman_region32_copy(&c->pending.region, region_from_resource(region));
	c->region_pending = true;
}

static void handle_constraint_set_region(struct wl_client *client,
	struct wl_resource *resource, struct wl_resource *region)
{
	constraint_set_region(wl_resource_get_user_data(resource), region);
}

static void handle_locked_set_cursor_position_hint(struct wl_client *client,
	struct wl_resource *resource, wl_fixed_t x, wl_fixed_t y)
{
	struct zc_constraint *c = wl_resource_get_user_data(resource);
	c->pending.hint_x = wl_fixed_to_double(x);
	c->pending.hint_y = wl_fixed_to_double(y);
	c->hint_pending = true;
}

static const struct zwp_locked_pointer_v1_interface locked_impl = {
	.destroy = handle_constraint_destroy,
	.set_cursor_position_hint = handle_locked_set_cursor_position_hint,
	.set_region = handle_constraint_set_region,
};

static const struct zwp_confined_pointer_v1_interface confined_impl = {
	.destroy = handle_constraint_destroy,
	.set_region = handle_constraint_set_region,
};

struct constraint_request {
	bool lock;
	uint32_t id;
	struct wl_resource *surface, *region;
	uint32_t lifetime;
};

static struct zc_constraint *constraint_create(struct zc_pointer_constraints *pc,
	struct wl_resource *manager, const struct constraint_request *req)
{
	struct zc_constraint *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	const struct wl_interface *iface = req->lock ? &zwp_locked_pointer_v1_interface :
		&zwp_confined_pointer_v1_interface;
	c->resource = wl_resource_create(wl_resource_get_client(manager), iface,
		wl_resource_get_version(manager), req->id);
	if (!c->resource) {
		free(c);
		return NULL;
	}
	c->pc = pc;
	c->lock = req->lock;
	c->lifetime = req->lifetime;
	c->surface = surface_from_resource(req->surface);
	pixman_region32_init(&c->pending.region);
	pixman_region32_init(&c->current.region);
	/* The region given at creation applies at once. */
	constraint_set_region(c, req->region);
	c->current.has_region = c->pending.has_region;
	pixman_region32_copy(&c->current.region, &c->pending.region);
	c->region_pending = false;
	c->surface_destroy.notify = handle_constraint_surface_destroy;
	c->surface_commit.notify = handle_constraint_surface_commit;
	wl_signal_add(&c->surface->destroy_signal, &c->surface_destroy);
	wl_signal_add(&c->surface->commit_signal, &c->surface_commit);
	wl_list_insert(&pc->constraints, &c->link);
	wl_resource_set_implementation(c->resource, req->lock ? (const void *)&locked_impl :
		(const void *)&confined_impl, c, constraint_resource_destroy);
	return c;
}

static void constraints_request(struct wl_resource *manager, const struct constraint_request *req)
{
	struct zc_pointer_constraints *pc = wl_resource_get_user_data(manager);
	if (req->lifetime != ZWP_POINTER_CONSTRAINTS_V1_LIFETIME_ONESHOT &&
		req->lifetime != ZWP_POINTER_CONSTRAINTS_V1_LIFETIME_PERSISTENT) {
		/* The protocol has no error for this; libwayland's own code for a
		 * request it cannot carry out is the closest. */
		wl_resource_post_error(manager, WL_DISPLAY_ERROR_INVALID_METHOD,
			"lifetime %u is neither oneshot (1) nor persistent (2)", req->lifetime);
		return;
	}
	if (constraint_for(pc, surface_from_resource(req->surface))) {
		wl_resource_post_error(manager, ZWP_POINTER_CONSTRAINTS_V1_ERROR_ALREADY_CONSTRAINED,
			"the surface already has a pointer constraint on this seat");
		return;
	}
	if (!constraint_create(pc, manager, req)) {
		wl_resource_post_no_memory(manager);
		return;
	}
	constraints_update(pc);
}

static void handle_constraints_lock_pointer(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *surface,
	struct wl_resource *pointer, struct wl_resource *region, uint32_t lifetime)
{
	struct constraint_request req = { true, id, surface, region, lifetime };
	constraints_request(resource, &req);
}

static void handle_constraints_confine_pointer(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *surface,
	struct wl_resource *pointer, struct wl_resource *region, uint32_t lifetime)
{
	struct constraint_request req = { false, id, surface, region, lifetime };
	constraints_request(resource, &req);
}

static const struct zwp_pointer_constraints_v1_interface constraints_impl = {
	.destroy = handle_constraint_destroy,
	.lock_pointer = handle_constraints_lock_pointer,
	.confine_pointer = handle_constraints_confine_pointer,
};

static void bind_constraints(struct wl_client *client, void *data, uint32_t version,
	uint32_t id)
{
	struct wl_resource *resource = wl_resource_create(client,
		&zwp_pointer_constraints_v1_interface, (int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &constraints_impl, data, NULL);
}

bool pointer_constraints_global_create(struct zc_server *server)
{
	struct zc_pointer_constraints *pc = calloc(1, sizeof(*pc));
	if (!pc)
		return false;
	pc->server = server;
	wl_list_init(&pc->constraints);
	pc->filter.filter = handle_constraints_filter;
	pc->filter.locked = handle_constraints_locked;
	pc->pointer_moved.notify = handle_pointer_moved;
	wl_signal_add(&seat_get_signals(server->seat)->pointer_moved, &pc->pointer_moved);
	pc->keyboard_focus.notify = handle_keyboard_focus;
	wl_signal_add(&seat_get_signals(server->seat)->keyboard_focus, &pc->keyboard_focus);
	seat_set_motion_filter(server->seat, &pc->filter);
	server->pointer_constraints = pc;
	pc->global = wl_global_create(server->display, &zwp_pointer_constraints_v1_interface,
		POINTER_CONSTRAINTS_VERSION, pc, bind_constraints);
	return pc->global != NULL;
}

/* After the clients: no constraint is left. */
void pointer_constraints_global_destroy(struct zc_server *server)
{
	struct zc_pointer_constraints *pc = server->pointer_constraints;
	if (!pc)
		return;
	seat_set_motion_filter(server->seat, NULL);
	wl_list_remove(&pc->pointer_moved.link);
	wl_list_remove(&pc->keyboard_focus.link);
	if (pc->global)
		wl_global_destroy(pc->global);
	free(pc);
	server->pointer_constraints = NULL;
}
