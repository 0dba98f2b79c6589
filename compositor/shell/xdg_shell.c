/*
 * xdg_wm_base and xdg_surface: the parts shared by toplevels and popups.
 *
 * The configure sequence: a role change or the initial commit schedules a
 * configure on an idle source (so that several requests make one
 * sequence, and wl_surface events of the same commit go first); each sent
 * sequence is remembered until acked; the last ack before a commit is
 * applied by that commit. A commit with a buffer maps, a commit without one
 * unmaps and returns the surface to the state right after get_toplevel or
 * get_popup, so the next commit is an initial commit again.
 */
#include "xdg_shell.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "core/output.h"
#include "xdg-shell-server-protocol.h"

#define XDG_WM_BASE_VERSION 6

static const struct xdg_surface_interface xdg_surface_impl;
static bool xdg_role_precommit(struct zc_surface *surface);
static void xdg_role_commit(struct zc_surface *surface);

const struct zc_surface_role xdg_toplevel_surface_role = {
	.name = "xdg_toplevel",
	.precommit = xdg_role_precommit,
	.commit = xdg_role_commit,
};

const struct zc_surface_role xdg_popup_surface_role = {
	.name = "xdg_popup",
	.precommit = xdg_role_precommit,
	.commit = xdg_role_commit,
};

/* ---- outputs ---- */

bool xdg_shell_output_box(struct zc_server *server, struct zc_output *output,
	struct zc_xdg_box *box)
{
	if (!output && !wl_list_empty(&server->outputs))
		output = wl_container_of(server->outputs.next, output, link);
	if (!output) {
		*box = (struct zc_xdg_box){ 0 };
		return false;
	}
	*box = (struct zc_xdg_box){
		.x = output->x,
		.y = output->y,
		.width = output->logical_width,
		.height = output->logical_height,
	};
	return true;
}

struct zc_output *xdg_shell_output_near(struct zc_server *server, int32_t x, int32_t y)
{
	struct zc_output *output = output_at(server, x, y);
	if (!output && !wl_list_empty(&server->outputs))
		output = wl_container_of(server->outputs.next, output, link);
	return output;
}

/* ---- configure sequences ---- */

static void configure_list_clear(struct zc_xdg_surface *xdg)
{
	struct zc_xdg_configure *c, *tmp;
	wl_list_for_each_safe(c, tmp, &xdg->configures, link) {
		wl_list_remove(&c->link);
		free(c);
	}
	free(xdg->acked);
	xdg->acked = NULL;
}

static void handle_configure_idle(void *data)
{
	struct zc_xdg_surface *xdg = data;
	xdg->configure_idle = NULL;
	struct zc_xdg_configure *c = calloc(1, sizeof(*c));
	if (!c) {
		wl_resource_post_no_memory(xdg->resource);
		return;
	}
	c->serial = wl_display_next_serial(xdg->shell->server->display);
	bool send = false;
	if (xdg->role == XDG_ROLE_TOPLEVEL) {
		xdg_toplevel_fill_configure(xdg->toplevel, c);
		xdg_toplevel_emit_configure(xdg->toplevel, c);
		send = true;
	} else if (xdg->role == XDG_ROLE_POPUP) {
		send = xdg_popup_emit_configure(xdg->popup, c);
	}
	if (!send) {
		free(c);
		return;
	}
	wl_list_insert(xdg->configures.prev, &c->link);
	xdg_surface_send_configure(xdg->resource, c->serial);
}

void xdg_surface_schedule_configure(struct zc_xdg_surface *xdg)
{
	/* Before the initial commit the client is still setting up: that
	 * commit sends the first configure, with everything asked so far. */
	if (!xdg->initialized || xdg->configure_idle || !xdg->surface)
		return;
	xdg->configure_idle = wl_event_loop_add_idle(xdg->shell->server->loop,
		handle_configure_idle, xdg);
	if (!xdg->configure_idle)
		wl_resource_post_no_memory(xdg->resource);
}

/* Back to the state right after the role object was made. */
void xdg_surface_reset(struct zc_xdg_surface *xdg)
{
	if (xdg->configure_idle) {
		wl_event_source_remove(xdg->configure_idle);
		xdg->configure_idle = NULL;
	}
	configure_list_clear(xdg);
	xdg->initialized = false;
	xdg->configured = false;
	xdg->mapped = false;
	xdg->has_pending_geometry = false;
	xdg->has_set_geometry = false;
	xdg->geometry = (struct zc_xdg_box){ 0 };
	xdg->geometry_drift_x = xdg->geometry_drift_y = 0;
}

/* ---- geometry ---- */

static int64_t box_x2(const struct zc_xdg_box *b)
{
	return (int64_t)b->x + b->width;
}

static int64_t box_y2(const struct zc_xdg_box *b)
{
	return (int64_t)b->y + b->height;
}

static void box_union(struct zc_xdg_box *acc, const struct zc_xdg_box *b)
{
	if (b->width <= 0 || b->height <= 0)
		return;
	if (acc->width <= 0 || acc->height <= 0) {
		*acc = *b;
		return;
	}
	/* 64-bit edges: boxes placed at extreme positions must not overflow. */
	int64_t x1 = acc->x < b->x ? acc->x : b->x;
	int64_t y1 = acc->y < b->y ? acc->y : b->y;
	int64_t x2 = box_x2(acc) > box_x2(b) ? box_x2(acc) : box_x2(b);
	int64_t y2 = box_y2(acc) > box_y2(b) ? box_y2(acc) : box_y2(b);
	*acc = (struct zc_xdg_box){ (int32_t)x1, (int32_t)y1, zc_sat32(x2 - x1), zc_sat32(y2 - y1) };
}

static bool box_intersect(const struct zc_xdg_box *a, const struct zc_xdg_box *b,
	struct zc_xdg_box *out)
{
	int64_t x1 = a->x > b->x ? a->x : b->x;
	int64_t y1 = a->y > b->y ? a->y : b->y;
	int64_t x2 = box_x2(a) < box_x2(b) ? box_x2(a) : box_x2(b);
	int64_t y2 = box_y2(a) < box_y2(b) ? box_y2(a) : box_y2(b);
	if (x2 <= x1 || y2 <= y1)
		return false;
	*out = (struct zc_xdg_box){ (int32_t)x1, (int32_t)y1, zc_sat32(x2 - x1), zc_sat32(y2 - y1) };
	return true;
}

static void add_surface_extent(struct zc_surface *surface, int32_t sx, int32_t sy, void *data)
{
	struct zc_xdg_box b = { sx, sy, surface->width, surface->height };
	box_union(data, &b);
}

/* The set geometry clamped to the surface tree's extent; when the two do
 * not overlap (or nothing is shown yet) the set geometry stands, so a
 * client never sees its geometry collapse to nothing. */
static void xdg_surface_compute_geometry(struct zc_xdg_surface *xdg)
{
	struct zc_xdg_box extent = { 0 };
	surface_for_each_mapped(xdg->surface, add_surface_extent, &extent);
	if (!xdg->has_set_geometry) {
		xdg->geometry = extent;
		return;
	}
	if (!box_intersect(&xdg->set_geometry, &extent, &xdg->geometry))
		xdg->geometry = xdg->set_geometry;
}

static void xdg_surface_apply_geometry(struct zc_xdg_surface *xdg)
{
	bool requested = xdg->has_pending_geometry;
	if (requested) {
		xdg->set_geometry = xdg->pending_geometry;
		xdg->has_set_geometry = true;
		xdg->has_pending_geometry = false;
	}
	struct zc_xdg_box old = xdg->geometry;
	xdg_surface_compute_geometry(xdg);
	xdg->geometry_drift_x = requested ? 0 : xdg->geometry.x - old.x;
	xdg->geometry_drift_y = requested ? 0 : xdg->geometry.y - old.y;
}

void xdg_surface_geometry_origin(const struct zc_xdg_surface *xdg, int32_t *x, int32_t *y)
{
	*x = zc_sat32((int64_t)xdg->view.x + xdg->geometry.x);
	*y = zc_sat32((int64_t)xdg->view.y + xdg->geometry.y);
}

void xdg_surface_move_geometry_to(struct zc_xdg_surface *xdg, int32_t x, int32_t y)
{
	view_move(&xdg->view, zc_sat32((int64_t)x - xdg->geometry.x),
		zc_sat32((int64_t)y - xdg->geometry.y));
}

/* ---- the wl_surface role ---- */

static struct zc_xdg_surface *xdg_surface_from_surface(struct zc_surface *surface)
{
	if (surface->role != &xdg_toplevel_surface_role && surface->role != &xdg_popup_surface_role)
		return NULL;
	return surface->role_data;
}

static bool xdg_role_precommit(struct zc_surface *surface)
{
	struct zc_xdg_surface *xdg = xdg_surface_from_surface(surface);
	if (!xdg)
		return true; /* the xdg_surface is gone: the surface shows nothing */
	bool attaches = (surface->pending.fields & ZC_STATE_BUFFER) && surface->pending.buffer;
	if (attaches && !xdg->configured && !xdg->initialized) {
		wl_resource_post_error(xdg->resource, XDG_SURFACE_ERROR_UNCONFIGURED_BUFFER,
			"buffer in the initial commit");
		return false;
	}
	if (attaches && !xdg->configured) {
		/* The initial commit was made, so a configure is owed: a client
		 * that commits its first buffer before acking it raced its own
		 * configure (wlcs does). Tolerated, as Mir does; the surface maps
		 * with the state the client chose, the configure still follows. */
		zc_debug("xdg_surface@%u: buffer committed before the first ack_configure, tolerated",
			wl_resource_get_id(xdg->resource));
		xdg->configured = true;
	}
	switch (xdg->role) {
	case XDG_ROLE_TOPLEVEL:
		return xdg_toplevel_precommit(xdg->toplevel);
	case XDG_ROLE_POPUP:
		return xdg_popup_precommit(xdg->popup);
	case XDG_ROLE_NONE:
		break;
	}
	wl_resource_post_error(xdg->resource, XDG_SURFACE_ERROR_NOT_CONSTRUCTED,
		"commit on an xdg_surface without a role object");
	return false;
}

static void xdg_role_commit(struct zc_surface *surface)
{
	struct zc_xdg_surface *xdg = xdg_surface_from_surface(surface);
	if (!xdg || xdg->role == XDG_ROLE_NONE)
		return;
	xdg_surface_apply_geometry(xdg);
	struct zc_xdg_configure *acked = xdg->acked;
	xdg->acked = NULL;
	bool was_mapped = xdg->mapped;
	if (xdg->role == XDG_ROLE_TOPLEVEL)
		xdg_toplevel_commit(xdg->toplevel, acked);
	else
		xdg_popup_commit(xdg->popup, acked);
	free(acked);
	/* The commit that unmaps is not an initial commit: the client must
	 * make a new one before it gets a configure. A buffer still current
	 * from an earlier role object does not make it one either. */
	if (xdg->initialized || xdg->role == XDG_ROLE_NONE || (was_mapped && !xdg->mapped))
		return;
	xdg->initialized = true;
	if (xdg->role == XDG_ROLE_POPUP)
		xdg_popup_initial_commit(xdg->popup);
	xdg_surface_schedule_configure(xdg);
}

/* xdg-shell: "any attempts by a client to attach or manipulate a buffer
 * prior to the first xdg_surface.configure call must also be treated as
 * errors"; that configure answers the initial commit (a buffer attached
 * after it, before the ack, is tolerated: see xdg_role_precommit). */
static void handle_xdg_surface_surface_attach(struct wl_listener *listener, void *data)
{
	struct zc_xdg_surface *xdg = wl_container_of(listener, xdg, surface_attach);
	if (!xdg->configured && !xdg->initialized)
		wl_resource_post_error(xdg->resource, XDG_SURFACE_ERROR_UNCONFIGURED_BUFFER,
			"buffer attached before the initial commit");
}

/* A commit on an xdg_surface that never had a role object: the surface has
 * no role, so only this signal sees it. */
static void handle_xdg_surface_surface_commit(struct wl_listener *listener, void *data)
{
	struct zc_xdg_surface *xdg = wl_container_of(listener, xdg, surface_commit);
	if (xdg->surface->role)
		return;
	if (xdg->surface->buffer)
		wl_resource_post_error(xdg->resource, XDG_SURFACE_ERROR_UNCONFIGURED_BUFFER,
			"buffer committed before the first ack_configure");
	else
		wl_resource_post_error(xdg->resource, XDG_SURFACE_ERROR_NOT_CONSTRUCTED,
			"commit on an xdg_surface without a role object");
}

bool xdg_surface_begin_role(struct zc_xdg_surface *xdg, enum zc_xdg_role role)
{
	if (xdg->role != XDG_ROLE_NONE) {
		wl_resource_post_error(xdg->resource, XDG_SURFACE_ERROR_ALREADY_CONSTRUCTED,
			"xdg_surface already has a role object");
		return false;
	}
	const struct zc_surface_role *srole = role == XDG_ROLE_TOPLEVEL ?
		&xdg_toplevel_surface_role : &xdg_popup_surface_role;
	if (!xdg->client)
		return false;
	if (!surface_set_role(xdg->surface, srole, xdg, xdg->client->resource,
		    XDG_WM_BASE_ERROR_ROLE))
		return false;
	xdg->role = role;
	return true;
}

void xdg_surface_end_role(struct zc_xdg_surface *xdg)
{
	if (xdg->role == XDG_ROLE_TOPLEVEL)
		xdg_toplevel_destroy(xdg->toplevel);
	else if (xdg->role == XDG_ROLE_POPUP)
		xdg_popup_destroy(xdg->popup);
}

void xdg_surface_post_wm_error(struct zc_xdg_surface *xdg, uint32_t code, const char *fmt, ...)
{
	if (!xdg->client)
		return; /* only while the client disconnects */
	char msg[256];
	va_list args;
	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	wl_resource_post_error(xdg->client->resource, code, "%s", msg);
}

/* ---- xdg_surface ---- */

struct zc_xdg_surface *xdg_surface_from_resource(struct wl_resource *resource)
{
	if (!wl_resource_instance_of(resource, &xdg_surface_interface, &xdg_surface_impl))
		return NULL;
	return wl_resource_get_user_data(resource);
}

/* Detaches from the wl_surface, which is going or gone. */
static void xdg_surface_make_inert(struct zc_xdg_surface *xdg)
{
	if (!xdg->surface)
		return;
	xdg_surface_end_role(xdg);
	view_finish(&xdg->view);
	if (xdg->surface->role_data == xdg)
		xdg->surface->role_data = NULL;
	wl_list_remove(&xdg->surface_destroy.link);
	wl_list_remove(&xdg->surface_commit.link);
	wl_list_remove(&xdg->surface_attach.link);
	xdg->surface = NULL;
}

/* wl_surface.destroy asks for defunct_role_object when the role object is
 * still alive, but Debian 12's SDL 2.26 destroys a visible window's
 * wl_surface before its xdg_toplevel (SDL_DestroyWindow), and weston and
 * wlroots let it pass: the role object just becomes inert, as if destroyed. */
static void handle_xdg_surface_surface_destroy(struct wl_listener *listener, void *data)
{
	struct zc_xdg_surface *xdg = wl_container_of(listener, xdg, surface_destroy);
	if (xdg->role != XDG_ROLE_NONE && !xdg->client_gone)
		zc_debug("xdg_surface: wl_surface destroyed before its %s, tolerated",
			xdg->surface->role->name);
	xdg_surface_make_inert(xdg);
}

static void handle_xdg_surface_destroy(struct wl_client *client, struct wl_resource *resource)
{
	struct zc_xdg_surface *xdg = xdg_surface_from_resource(resource);
	if (xdg && xdg->role != XDG_ROLE_NONE) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_DEFUNCT_ROLE_OBJECT,
			"xdg_surface destroyed before its role object");
		return;
	}
	wl_resource_destroy(resource);
}

static void xdg_surface_destroy(struct zc_xdg_surface *xdg)
{
	xdg_surface_make_inert(xdg);
	xdg_surface_reset(xdg);
	wl_list_remove(&xdg->link);
	free(xdg);
}

static void handle_xdg_surface_resource_destroy(struct wl_resource *resource)
{
	struct zc_xdg_surface *xdg = xdg_surface_from_resource(resource);
	if (xdg)
		xdg_surface_destroy(xdg);
}

/* Requests other than destroy need a live wl_surface and a role object. */
static struct zc_xdg_surface *xdg_surface_constructed(struct wl_resource *resource)
{
	struct zc_xdg_surface *xdg = xdg_surface_from_resource(resource);
	if (!xdg || !xdg->surface)
		return NULL;
	if (xdg->role == XDG_ROLE_NONE) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_NOT_CONSTRUCTED,
			"xdg_surface has no role object");
		return NULL;
	}
	return xdg;
}

static void handle_xdg_surface_get_toplevel(struct wl_client *client,
	struct wl_resource *resource, uint32_t id)
{
	xdg_toplevel_create(resource, id);
}

static void handle_xdg_surface_get_popup(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, struct wl_resource *parent, struct wl_resource *positioner)
{
	xdg_popup_create(resource, id, parent, positioner);
}

static void handle_xdg_surface_set_window_geometry(struct wl_client *client,
	struct wl_resource *resource, int32_t x, int32_t y, int32_t width, int32_t height)
{
	struct zc_xdg_surface *xdg = xdg_surface_constructed(resource);
	if (!xdg)
		return;
	if (width <= 0 || height <= 0) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_INVALID_SIZE,
			"window geometry size %dx%d is not positive", width, height);
		return;
	}
	/* Any int32 is legal; clamped so geometry arithmetic stays in range. */
	xdg->pending_geometry = (struct zc_xdg_box){
		(int32_t)zc_clamp64(x, -ZC_COORD_LIMIT, ZC_COORD_LIMIT),
		(int32_t)zc_clamp64(y, -ZC_COORD_LIMIT, ZC_COORD_LIMIT),
		(int32_t)zc_clamp64(width, 1, ZC_COORD_LIMIT),
		(int32_t)zc_clamp64(height, 1, ZC_COORD_LIMIT) };
	xdg->has_pending_geometry = true;
}

static void handle_xdg_surface_ack_configure(struct wl_client *client,
	struct wl_resource *resource, uint32_t serial)
{
	struct zc_xdg_surface *xdg = xdg_surface_constructed(resource);
	if (!xdg)
		return;
	struct zc_xdg_configure *c, *tmp, *found = NULL;
	wl_list_for_each(c, &xdg->configures, link) {
		if (c->serial == serial) {
			found = c;
			break;
		}
	}
	if (!found) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_INVALID_SERIAL,
			"ack_configure with serial %u, which is not a configure awaiting an ack",
			serial);
		return;
	}
	/* Acking a configure consumes every one sent before it. */
	wl_list_for_each_safe(c, tmp, &xdg->configures, link) {
		wl_list_remove(&c->link);
		if (c == found)
			break;
		free(c);
	}
	free(xdg->acked);
	xdg->acked = found;
	xdg->configured = true;
}

static const struct xdg_surface_interface xdg_surface_impl = {
	.destroy = handle_xdg_surface_destroy,
	.get_toplevel = handle_xdg_surface_get_toplevel,
	.get_popup = handle_xdg_surface_get_popup,
	.set_window_geometry = handle_xdg_surface_set_window_geometry,
	.ack_configure = handle_xdg_surface_ack_configure,
};

/* ---- xdg_wm_base ---- */

static bool surface_has_content(struct zc_surface *surface)
{
	if (surface->buffer)
		return true;
	return (surface->pending.fields & ZC_STATE_BUFFER) && surface->pending.buffer;
}

/* The wl_surface may get an xdg_surface: no foreign role, no other
 * xdg_surface alive on it. */
static bool surface_may_get_xdg_surface(struct zc_surface *surface, struct wl_resource *wm_base)
{
	if (surface->role && surface->role != &xdg_toplevel_surface_role &&
	    surface->role != &xdg_popup_surface_role) {
		wl_resource_post_error(wm_base, XDG_WM_BASE_ERROR_ROLE,
			"wl_surface@%u already has the role %s",
			wl_resource_get_id(surface->resource), surface->role->name);
		return false;
	}
	if (wl_signal_get(&surface->destroy_signal, handle_xdg_surface_surface_destroy)) {
		wl_resource_post_error(wm_base, XDG_WM_BASE_ERROR_ROLE,
			"wl_surface@%u already has an xdg_surface",
			wl_resource_get_id(surface->resource));
		return false;
	}
	return true;
}

static void xdg_surface_init(struct zc_xdg_surface *xdg, struct zc_xdg_client *xc,
	struct wl_resource *resource, struct zc_surface *surface)
{
	xdg->client = xc;
	xdg->shell = xc->shell;
	xdg->resource = resource;
	xdg->surface = surface;
	wl_list_init(&xdg->configures);
	wl_list_init(&xdg->popups);
	view_init(&xdg->view, surface);
	xdg->surface_destroy.notify = handle_xdg_surface_surface_destroy;
	wl_signal_add(&surface->destroy_signal, &xdg->surface_destroy);
	xdg->surface_commit.notify = handle_xdg_surface_surface_commit;
	wl_signal_add(&surface->commit_signal, &xdg->surface_commit);
	xdg->surface_attach.notify = handle_xdg_surface_surface_attach;
	wl_signal_add(&surface->attach_signal, &xdg->surface_attach);
	wl_list_insert(xc->surfaces.prev, &xdg->link);
	/* A surface that once had an xdg role gets its new xdg_surface. */
	if (surface->role)
		surface->role_data = xdg;
}

static void handle_wm_base_get_xdg_surface(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, struct wl_resource *surface_resource)
{
	struct zc_xdg_client *xc = wl_resource_get_user_data(resource);
	struct zc_surface *surface = surface_from_resource(surface_resource);
	if (!surface_may_get_xdg_surface(surface, resource))
		return;
	/* xdg-shell makes this a client error without naming a code; the
	 * buffer is surface state, so invalid_surface_state (as Mir and wlcs). */
	if (surface_has_content(surface)) {
		wl_resource_post_error(resource, XDG_WM_BASE_ERROR_INVALID_SURFACE_STATE,
			"wl_surface@%u already has a buffer", wl_resource_get_id(surface_resource));
		return;
	}
	struct wl_resource *res = wl_resource_create(client, &xdg_surface_interface,
		wl_resource_get_version(resource), id);
	if (!res)
		goto err_resource;
	struct zc_xdg_surface *xdg = calloc(1, sizeof(*xdg));
	if (!xdg)
		goto err_alloc;
	wl_resource_set_implementation(res, &xdg_surface_impl, xdg,
		handle_xdg_surface_resource_destroy);
	xdg_surface_init(xdg, xc, res, surface);
	return;

err_alloc:
	wl_resource_destroy(res);
err_resource:
	wl_client_post_no_memory(client);
}

static void handle_wm_base_create_positioner(struct wl_client *client,
	struct wl_resource *resource, uint32_t id)
{
	xdg_positioner_create(client, (uint32_t)wl_resource_get_version(resource), id);
}

static void handle_wm_base_pong(struct wl_client *client, struct wl_resource *resource,
	uint32_t serial)
{
	/* zcomp never pings yet, so there is nothing to match the pong with. */
}

/* An xdg_surface whose wl_surface is gone counts as gone too: SDL 2.26
 * leaves those behind (see handle_xdg_surface_surface_destroy). */
static int wm_base_live_surfaces(struct zc_xdg_client *xc)
{
	int n = 0;
	struct zc_xdg_surface *xdg;
	wl_list_for_each(xdg, &xc->surfaces, link)
		n += xdg->surface != NULL;
	return n;
}

static void handle_wm_base_destroy(struct wl_client *client, struct wl_resource *resource)
{
	struct zc_xdg_client *xc = wl_resource_get_user_data(resource);
	int live = wm_base_live_surfaces(xc);
	if (live > 0) {
		wl_resource_post_error(resource, XDG_WM_BASE_ERROR_DEFUNCT_SURFACES,
			"xdg_wm_base destroyed while %d xdg_surfaces are alive", live);
		return;
	}
	wl_resource_destroy(resource);
}

static const struct xdg_wm_base_interface wm_base_impl = {
	.destroy = handle_wm_base_destroy,
	.create_positioner = handle_wm_base_create_positioner,
	.get_xdg_surface = handle_wm_base_get_xdg_surface,
	.pong = handle_wm_base_pong,
};

/* The client is going: its resources die in any order from here on, and
 * none of that is the client's mistake. */
static void handle_xdg_client_destroy(struct wl_listener *listener, void *data)
{
	struct zc_xdg_client *xc = wl_container_of(listener, xc, client_destroy);
	wl_list_remove(&xc->client_destroy.link);
	wl_list_init(&xc->client_destroy.link);
	struct zc_xdg_surface *xdg;
	wl_list_for_each(xdg, &xc->surfaces, link)
		xdg->client_gone = true;
}

static void handle_wm_base_resource_destroy(struct wl_resource *resource)
{
	struct zc_xdg_client *xc = wl_resource_get_user_data(resource);
	struct zc_xdg_surface *xdg, *tmp;
	wl_list_for_each_safe(xdg, tmp, &xc->surfaces, link) {
		xdg->client = NULL;
		wl_list_remove(&xdg->link);
		wl_list_init(&xdg->link);
	}
	wl_list_remove(&xc->client_destroy.link);
	wl_list_remove(&xc->link);
	free(xc);
}

static void bind_wm_base(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct zc_xdg_shell *shell = data;
	struct zc_xdg_client *xc = calloc(1, sizeof(*xc));
	if (!xc)
		goto err_alloc;
	xc->resource = wl_resource_create(client, &xdg_wm_base_interface, (int)version, id);
	if (!xc->resource)
		goto err_resource;
	xc->shell = shell;
	wl_list_init(&xc->surfaces);
	wl_resource_set_implementation(xc->resource, &wm_base_impl, xc,
		handle_wm_base_resource_destroy);
	xc->client_destroy.notify = handle_xdg_client_destroy;
	wl_client_add_destroy_listener(client, &xc->client_destroy);
	wl_list_insert(&shell->clients, &xc->link);
	return;

err_resource:
	free(xc);
err_alloc:
	wl_client_post_no_memory(client);
}

/* ---- focus ---- */

/* The topmost mapped toplevel is the activated one; followed on every
 * change of the stacking (map, unmap, raise). */
static void xdg_shell_update_focus(struct zc_xdg_shell *shell)
{
	struct zc_xdg_toplevel *top = NULL;
	struct zc_view *view;
	wl_list_for_each_reverse(view, &shell->server->views, link) {
		top = xdg_toplevel_from_surface(view->surface);
		if (top)
			break;
	}
	if (top == shell->activated)
		return;
	struct zc_xdg_toplevel *old = shell->activated;
	shell->activated = top;
	if (old)
		xdg_surface_schedule_configure(old->base);
	if (top)
		xdg_surface_schedule_configure(top->base);
	/* Another window came up (a new one, Alt+Tab): the menus of the
	 * one before are done. */
	struct zc_xdg_surface *grab_root = xdg_popup_grab_root(shell);
	if (grab_root && (!top || top->base != grab_root))
		xdg_popup_grab_dismiss(shell);
}

static void handle_views_changed(struct wl_listener *listener, void *data)
{
	struct zc_xdg_shell *shell = wl_container_of(listener, shell, views_changed);
	xdg_shell_update_focus(shell);
}

/* ---- the seat's policy (core/shell_policy.h) ---- */

static struct zc_surface *handle_policy_focused_surface(void *data)
{
	struct zc_xdg_shell *shell = data;
	struct zc_surface *popup = xdg_popup_grab_focus(shell);
	if (popup)
		return popup;
	struct zc_xdg_toplevel *top = shell->activated;
	return top && top->base ? top->base->surface : NULL;
}

static void handle_policy_activate(void *data, struct zc_surface *root)
{
	struct zc_xdg_toplevel *top = xdg_toplevel_from_surface(root);
	if (top)
		xdg_toplevel_raise(top);
}

/* The bottom-most window comes to the top, so repeating it walks through
 * all of them. */
static void handle_policy_cycle(void *data)
{
	struct zc_xdg_shell *shell = data;
	struct zc_view *view;
	wl_list_for_each(view, &shell->server->views, link) {
		struct zc_xdg_toplevel *top = xdg_toplevel_from_surface(view->surface);
		if (top && !top->parent) {
			xdg_toplevel_raise(top);
			return;
		}
	}
}

static struct wl_client *handle_policy_grab_client(void *data)
{
	return xdg_popup_grab_client(data);
}

static void handle_policy_grab_dismiss(void *data)
{
	xdg_popup_grab_dismiss(data);
}

static const struct zc_shell_policy_impl xdg_shell_policy_impl = {
	.focused_surface = handle_policy_focused_surface,
	.activate = handle_policy_activate,
	.cycle = handle_policy_cycle,
	.grab_client = handle_policy_grab_client,
	.grab_dismiss = handle_policy_grab_dismiss,
};

/* ---- the global ---- */

bool xdg_shell_global_create(struct zc_server *server)
{
	struct zc_xdg_shell *shell = calloc(1, sizeof(*shell));
	if (!shell)
		return false;
	shell->server = server;
	wl_list_init(&shell->clients);
	wl_list_init(&shell->toplevels);
	shell->global = wl_global_create(server->display, &xdg_wm_base_interface,
		XDG_WM_BASE_VERSION, shell, bind_wm_base);
	if (!shell->global) {
		free(shell);
		return false;
	}
	shell->views_changed.notify = handle_views_changed;
	wl_signal_add(&server->views_changed, &shell->views_changed);
	server->xdg_shell = shell;
	server->shell_policy = (struct zc_shell_policy){ &xdg_shell_policy_impl, shell };
	return true;
}

/* Called after the clients are gone, with the display. */
void xdg_shell_global_destroy(struct zc_server *server)
{
	struct zc_xdg_shell *shell = server->xdg_shell;
	if (!shell)
		return;
	wl_list_remove(&shell->views_changed.link);
	wl_global_destroy(shell->global);
	free(shell);
	server->xdg_shell = NULL;
	server->shell_policy = (struct zc_shell_policy){ 0 };
}
