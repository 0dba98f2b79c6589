/*
 * xdg_toplevel: windows. Placement policy: a new window cascades on the
 * output under the pointer (or the first), never starting exactly where
 * another window starts, or centres over its parent window; maximized and
 * fullscreen windows cover an output; the topmost window is the activated
 * one. Requested states take effect when the client acks the configure
 * carrying them and commits, never earlier.
 */
#include "xdg_shell.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/cursor.h"
#include "core/output.h"
#include "xdg-shell-server-protocol.h"

#define CASCADE_STEP 32
#define CASCADE_STEPS 10

static const struct xdg_toplevel_interface toplevel_impl;

static struct zc_xdg_toplevel *toplevel_from_resource(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource); /* NULL once inert */
}

struct zc_xdg_toplevel *xdg_toplevel_from_surface(struct zc_surface *surface)
{
	if (surface->role != &xdg_toplevel_surface_role || !surface->role_data)
		return NULL;
	struct zc_xdg_surface *xdg = surface->role_data;
	return xdg->toplevel;
}

/* ---- outputs ---- */

static void toplevel_set_fullscreen_output(struct zc_xdg_toplevel *toplevel,
	struct zc_output *output)
{
	if (toplevel->fullscreen_output)
		wl_list_remove(&toplevel->fullscreen_output_destroy.link);
	toplevel->fullscreen_output = output;
	if (output)
		wl_signal_add(&output->destroy, &toplevel->fullscreen_output_destroy);
}

static void handle_toplevel_fullscreen_output_destroy(struct wl_listener *listener, void *data)
{
	struct zc_xdg_toplevel *toplevel =
		wl_container_of(listener, toplevel, fullscreen_output_destroy);
	toplevel_set_fullscreen_output(toplevel, NULL);
	if (toplevel->want_fullscreen)
		xdg_surface_schedule_configure(toplevel->base);
}

/* The output a new window opens on: the one under the pointer, else (no
 * pointer yet) the first. */
static struct zc_output *placement_output(struct zc_server *server)
{
	double px, py;
	if (!cursor_get_position(server->cursor, &px, &py))
		return NULL;
	return xdg_shell_output_near(server, (int32_t)floor(px), (int32_t)floor(py));
}

/* The output a maximized or fullscreen window goes to: the one asked for,
 * else the one under the window's centre, else (not mapped yet) the one a
 * new window opens on. */
static struct zc_output *toplevel_output(struct zc_xdg_toplevel *toplevel)
{
	struct zc_xdg_surface *xdg = toplevel->base;
	if (toplevel->want_fullscreen && toplevel->fullscreen_output)
		return toplevel->fullscreen_output;
	if (!xdg->mapped)
		return placement_output(xdg->shell->server);
	int32_t x, y;
	xdg_surface_geometry_origin(xdg, &x, &y);
	return xdg_shell_output_near(xdg->shell->server, x + xdg->geometry.width / 2,
		y + xdg->geometry.height / 2);
}

/* ---- placement ---- */

static int32_t clamp_into(int32_t pos, int32_t size, int32_t start, int32_t length)
{
	if (pos + size > start + length)
		pos = start + length - size;
	return pos < start ? start : pos;
}

/* Whether another mapped toplevel's window geometry starts at x, y. */
static bool spot_taken(const struct zc_xdg_toplevel *toplevel, int32_t x, int32_t y)
{
	const struct zc_xdg_toplevel *other;
	wl_list_for_each(other, &toplevel->base->shell->toplevels, link) {
		int32_t ox, oy;
		if (other == toplevel || !other->base->mapped)
			continue;
		xdg_surface_geometry_origin(other->base, &ox, &oy);
		if (ox == x && oy == y)
			return true;
	}
	return false;
}

/* Cascade spot k: the first CASCADE_STEPS go down the diagonal, kept on the
 * output; past them (every one taken, as by windows the size of the output)
 * the diagonal goes on in half steps, past the output's edge if it must. */
static void cascade_spot(const struct zc_xdg_box *area, unsigned int k, int32_t width,
	int32_t height, int32_t *x, int32_t *y)
{
	if (k < CASCADE_STEPS) {
		int32_t offset = CASCADE_STEP * (int32_t)(k + 1);
		*x = clamp_into(area->x + offset, width, area->x, area->width);
		*y = clamp_into(area->y + offset, height, area->y, area->height);
		return;
	}
	int32_t offset = CASCADE_STEP / 2 * (int32_t)(k - CASCADE_STEPS + 1);
	*x = area->x + offset;
	*y = area->y + offset;
}

/* Next cascade spot from where the last window went, skipping spots where
 * a window already starts: there are only so many windows, so a free spot
 * comes within CASCADE_STEPS + their number. */
static void toplevel_cascade(struct zc_xdg_toplevel *toplevel, int32_t width, int32_t height)
{
	struct zc_xdg_shell *shell = toplevel->base->shell;
	struct zc_xdg_box area;
	xdg_shell_output_box(shell->server, placement_output(shell->server), &area);
	unsigned int first = shell->n_placed % CASCADE_STEPS;
	unsigned int tries = CASCADE_STEPS + (unsigned int)wl_list_length(&shell->toplevels);
	for (unsigned int i = 0; i < tries; i++) {
		unsigned int k = i < CASCADE_STEPS ? (first + i) % CASCADE_STEPS : i;
		cascade_spot(&area, k, width, height, &toplevel->float_x, &toplevel->float_y);
		if (!spot_taken(toplevel, toplevel->float_x, toplevel->float_y)) {
			if (k < CASCADE_STEPS)
				shell->n_placed = k + 1;
			return;
		}
	}
}

/* A dialog is centred on its parent, kept on the parent's output where it
 * fits. */
static void toplevel_centre_on_parent(struct zc_xdg_toplevel *toplevel, int32_t width,
	int32_t height)
{
	struct zc_xdg_surface *parent = toplevel->parent->base;
	int32_t px, py;
	xdg_surface_geometry_origin(parent, &px, &py);
	/* Sizes and positions stay within ZC_COORD_LIMIT: no overflow. */
	int32_t cx = px + parent->geometry.width / 2, cy = py + parent->geometry.height / 2;
	struct zc_xdg_box area;
	xdg_shell_output_box(parent->shell->server,
		xdg_shell_output_near(parent->shell->server, cx, cy), &area);
	toplevel->float_x = clamp_into(cx - width / 2, width, area.x, area.width);
	toplevel->float_y = clamp_into(cy - height / 2, height, area.y, area.height);
}

static void toplevel_place(struct zc_xdg_toplevel *toplevel, int32_t width, int32_t height)
{
	if (toplevel->parent && toplevel->parent->base->mapped)
		toplevel_centre_on_parent(toplevel, width, height);
	else
		toplevel_cascade(toplevel, width, height);
	toplevel->placed = true;
}

void xdg_toplevel_position_for(struct zc_xdg_toplevel *toplevel,
	const struct zc_xdg_toplevel_config *config, int32_t width, int32_t height,
	int32_t *x, int32_t *y)
{
	const struct zc_xdg_box *area = &config->area;
	if (config->fullscreen) {
		/* Smaller than the output: centred, as the protocol asks. */
		*x = area->x + (width < area->width ? (area->width - width) / 2 : 0);
		*y = area->y + (height < area->height ? (area->height - height) / 2 : 0);
		return;
	}
	if (config->maximized) {
		*x = area->x;
		*y = area->y;
		return;
	}
	if (!toplevel->placed)
		toplevel_place(toplevel, width, height);
	*x = toplevel->float_x;
	*y = toplevel->float_y;
}

static void toplevel_update_position(struct zc_xdg_toplevel *toplevel)
{
	struct zc_xdg_surface *xdg = toplevel->base;
	int32_t x, y;
	xdg_toplevel_position_for(toplevel, &toplevel->current, xdg->geometry.width,
		xdg->geometry.height, &x, &y);
	xdg_surface_move_geometry_to(xdg, x, y);
}

/* The position of a mapped floating window is its main surface's: an
 * origin drift that no set_window_geometry asked for moves the floating
 * geometry origin with it (as weston and Mir do, and wlcs expects); initial
 * placement, states and interactive resizes still place the geometry. */
static void toplevel_follow_drift(struct zc_xdg_toplevel *toplevel)
{
	struct zc_xdg_surface *xdg = toplevel->base;
	if (!xdg->mapped || toplevel->current.maximized || toplevel->current.fullscreen)
		return;
	toplevel->float_x = zc_sat32((int64_t)toplevel->float_x + xdg->geometry_drift_x);
	toplevel->float_y = zc_sat32((int64_t)toplevel->float_y + xdg->geometry_drift_y);
	xdg_move_resize_drift(toplevel, xdg->geometry_drift_x, xdg->geometry_drift_y);
}

/* ---- configure ---- */

int32_t xdg_toplevel_clamp_size(int32_t size, int32_t min, int32_t max)
{
	if (max > 0 && size > max)
		size = max;
	return min > 0 && size < min ? min : size;
}

void xdg_toplevel_fill_configure(struct zc_xdg_toplevel *toplevel,
	struct zc_xdg_configure *configure)
{
	struct zc_xdg_toplevel_config *config = &configure->toplevel;
	const struct zc_xdg_size_limits *limits = &toplevel->limits;
	config->maximized = toplevel->want_maximized;
	config->fullscreen = toplevel->want_fullscreen;
	config->activated = toplevel->base->shell->activated == toplevel;
	xdg_shell_output_box(toplevel->base->shell->server, toplevel_output(toplevel),
		&config->area);
	if (config->fullscreen) {
		config->width = config->area.width;
		config->height = config->area.height;
	} else if (config->maximized) {
		config->width = xdg_toplevel_clamp_size(config->area.width, limits->min_width,
			limits->max_width);
		config->height = xdg_toplevel_clamp_size(config->area.height, limits->min_height,
			limits->max_height);
	} else if (xdg_move_resize_fill_configure(toplevel, config)) {
		/* the size an interactive resize asks for */
	} else if (toplevel->current.maximized || toplevel->current.fullscreen) {
		/* Leaving maximized or fullscreen: back to the size it had. */
		config->width = toplevel->float_width;
		config->height = toplevel->float_height;
	} else {
		config->width = config->height = 0; /* the client's choice */
	}
}

static bool array_add_u32(struct wl_array *array, uint32_t value)
{
	uint32_t *p = wl_array_add(array, sizeof(*p));
	if (!p)
		return false;
	*p = value;
	return true;
}

static void toplevel_send_extras(struct zc_xdg_toplevel *toplevel,
	const struct zc_xdg_toplevel_config *config)
{
	struct wl_resource *res = toplevel->resource;
	int version = wl_resource_get_version(res);
	if (version >= XDG_TOPLEVEL_WM_CAPABILITIES_SINCE_VERSION && !toplevel->caps_sent) {
		/* No minimize or window menu: nothing could bring them back. */
		struct wl_array caps;
		wl_array_init(&caps);
		if (array_add_u32(&caps, XDG_TOPLEVEL_WM_CAPABILITIES_MAXIMIZE) &&
		    array_add_u32(&caps, XDG_TOPLEVEL_WM_CAPABILITIES_FULLSCREEN))
			xdg_toplevel_send_wm_capabilities(res, &caps);
		else
			wl_resource_post_no_memory(res);
		wl_array_release(&caps);
		toplevel->caps_sent = true;
	}
	if (version >= XDG_TOPLEVEL_CONFIGURE_BOUNDS_SINCE_VERSION &&
	    (toplevel->bounds_width != config->area.width ||
		    toplevel->bounds_height != config->area.height)) {
		xdg_toplevel_send_configure_bounds(res, config->area.width, config->area.height);
		toplevel->bounds_width = config->area.width;
		toplevel->bounds_height = config->area.height;
	}
}

void xdg_toplevel_emit_configure(struct zc_xdg_toplevel *toplevel,
	const struct zc_xdg_configure *configure)
{
	const struct zc_xdg_toplevel_config *config = &configure->toplevel;
	toplevel_send_extras(toplevel, config);
	xdg_decoration_send_configure(toplevel);
	struct wl_array states;
	wl_array_init(&states);
	bool ok = true;
	if (config->maximized)
		ok = ok && array_add_u32(&states, XDG_TOPLEVEL_STATE_MAXIMIZED);
	if (config->fullscreen)
		ok = ok && array_add_u32(&states, XDG_TOPLEVEL_STATE_FULLSCREEN);
	if (config->activated)
		ok = ok && array_add_u32(&states, XDG_TOPLEVEL_STATE_ACTIVATED);
	if (config->resizing)
		ok = ok && array_add_u32(&states, XDG_TOPLEVEL_STATE_RESIZING);
	if (ok)
		xdg_toplevel_send_configure(toplevel->resource, config->width, config->height,
			&states);
	else
		wl_resource_post_no_memory(toplevel->resource);
	wl_array_release(&states);
}

/* ---- commit, map, unmap ---- */

bool xdg_toplevel_precommit(struct zc_xdg_toplevel *toplevel)
{
	const struct zc_xdg_size_limits *l = &toplevel->pending_limits;
	if ((l->max_width > 0 && l->min_width > l->max_width) ||
	    (l->max_height > 0 && l->min_height > l->max_height)) {
		wl_resource_post_error(toplevel->resource, XDG_TOPLEVEL_ERROR_INVALID_SIZE,
			"min size %dx%d is larger than max size %dx%d", l->min_width,
			l->min_height, l->max_width, l->max_height);
		return false;
	}
	return true;
}

/* xdg_toplevel.state asks a maximized window for exactly the configured size
 * and a fullscreen one for at most that size, but stock toolkits break both
 * for a frame: Qt 6 acks the maximized (or fullscreen) configure and commits
 * its old buffer once more before drawing the new size, and weston and wlroots
 * accept that.  Killing the client would be worse than one odd frame, so a
 * mismatch is tolerated: the window is still placed where the state puts it
 * (the output's corner), and the next commit normally brings the right size. */
static void toplevel_note_size_mismatch(const struct zc_xdg_toplevel *toplevel)
{
	const struct zc_xdg_toplevel_config *config = &toplevel->current;
	const struct zc_xdg_box *geo = &toplevel->base->geometry;
	if (config->width <= 0 || config->height <= 0)
		return;
	bool bad = config->fullscreen ?
		geo->width > config->width || geo->height > config->height :
		config->maximized && (geo->width != config->width || geo->height != config->height);
	if (bad)
		zc_debug("xdg_toplevel: geometry %dx%d off the configured %s size %dx%d, tolerated",
			geo->width, geo->height, config->fullscreen ? "fullscreen" : "maximized",
			config->width, config->height);
}

void xdg_toplevel_commit(struct zc_xdg_toplevel *toplevel, const struct zc_xdg_configure *acked)
{
	struct zc_xdg_surface *xdg = toplevel->base;
	toplevel->limits = toplevel->pending_limits;
	bool was_resizing = toplevel->current.resizing;
	if (acked)
		toplevel->current = acked->toplevel;
	if (!xdg->surface->buffer) {
		if (xdg->mapped)
			xdg_toplevel_unmap(toplevel);
		return;
	}
	if (!xdg->configured)
		return; /* a buffer left from an earlier role object */
	toplevel_note_size_mismatch(toplevel);
	if (!toplevel->current.maximized && !toplevel->current.fullscreen) {
		toplevel->float_width = xdg->geometry.width;
		toplevel->float_height = xdg->geometry.height;
	}
	toplevel_follow_drift(toplevel);
	xdg_move_resize_commit(toplevel, was_resizing);
	toplevel_update_position(toplevel);
	if (!xdg->mapped) {
		xdg->mapped = true;
		view_map(&xdg->view); /* on top, and so activated */
		zc_debug("xdg_toplevel %s mapped at %d,%d", toplevel->title ? toplevel->title : "",
			xdg->view.x, xdg->view.y);
	}
	xdg_popups_parent_moved(xdg);
}

/* Children of a toplevel that goes away move up to its parent. */
static void toplevel_orphan_children(struct zc_xdg_toplevel *toplevel)
{
	struct zc_xdg_toplevel *other;
	wl_list_for_each(other, &toplevel->base->shell->toplevels, link) {
		if (other->parent == toplevel)
			other->parent = toplevel->parent;
	}
	toplevel->parent = NULL;
}

/* Everything back to right after get_toplevel. */
static void toplevel_reset(struct zc_xdg_toplevel *toplevel)
{
	xdg_move_resize_reset(toplevel);
	free(toplevel->title);
	free(toplevel->app_id);
	toplevel->title = toplevel->app_id = NULL;
	toplevel->pending_limits = toplevel->limits = (struct zc_xdg_size_limits){ 0 };
	toplevel->want_maximized = toplevel->want_fullscreen = false;
	toplevel_set_fullscreen_output(toplevel, NULL);
	toplevel->current = (struct zc_xdg_toplevel_config){ 0 };
	toplevel->placed = false;
	toplevel->float_width = toplevel->float_height = 0;
	toplevel->caps_sent = false;
	toplevel->bounds_width = toplevel->bounds_height = -1;
}

void xdg_toplevel_unmap(struct zc_xdg_toplevel *toplevel)
{
	struct zc_xdg_surface *xdg = toplevel->base;
	xdg_popups_dismiss(xdg);
	toplevel_orphan_children(toplevel);
	if (xdg->shell->activated == toplevel)
		xdg->shell->activated = NULL;
	view_unmap(&xdg->view); /* the next window down gets activated */
	toplevel_reset(toplevel);
	xdg_surface_reset(xdg);
}

void xdg_toplevel_raise(struct zc_xdg_toplevel *toplevel)
{
	if (!toplevel->base->mapped)
		return;
	view_raise(&toplevel->base->view);
	struct zc_xdg_toplevel *child;
	wl_list_for_each(child, &toplevel->base->shell->toplevels, link) {
		if (child->parent == toplevel)
			xdg_toplevel_raise(child);
	}
	xdg_popups_raise(toplevel->base);
}

void xdg_toplevel_destroy(struct zc_xdg_toplevel *toplevel)
{
	struct zc_xdg_surface *xdg = toplevel->base;
	if (xdg->mapped)
		xdg_toplevel_unmap(toplevel);
	xdg_popups_detach(xdg);
	toplevel_orphan_children(toplevel);
	if (xdg->shell->activated == toplevel)
		xdg->shell->activated = NULL;
	toplevel_reset(toplevel);
	wl_list_remove(&toplevel->link);
	wl_resource_set_user_data(toplevel->resource, NULL);
	xdg->toplevel = NULL;
	xdg->role = XDG_ROLE_NONE;
	xdg_surface_reset(xdg);
	free(toplevel);
}

/* ---- requests ---- */

static void handle_toplevel_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void handle_toplevel_resource_destroy(struct wl_resource *resource)
{
	struct zc_xdg_toplevel *toplevel = toplevel_from_resource(resource);
	if (toplevel)
		xdg_toplevel_destroy(toplevel);
}

static void handle_toplevel_set_parent(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *parent_resource)
{
	struct zc_xdg_toplevel *toplevel = toplevel_from_resource(resource);
	if (!toplevel)
		return;
	struct zc_xdg_toplevel *parent = NULL;
	if (parent_resource)
		parent = toplevel_from_resource(parent_resource);
	for (struct zc_xdg_toplevel *p = parent; p; p = p->parent) {
		if (p == toplevel) {
			wl_resource_post_error(resource, XDG_TOPLEVEL_ERROR_INVALID_PARENT,
				"parent would make a loop");
			return;
		}
	}
	/* Only mapped windows have children. */
	toplevel->parent = parent && parent->base->mapped ? parent : NULL;
}

static bool replace_string(char **dst, const char *src, struct wl_resource *resource)
{
	char *copy = strdup(src);
	if (!copy) {
		wl_resource_post_no_memory(resource);
		return false;
	}
	free(*dst);
	*dst = copy;
	return true;
}

static void handle_toplevel_set_title(struct wl_client *client, struct wl_resource *resource,
	const char *title)
{
	struct zc_xdg_toplevel *toplevel = toplevel_from_resource(resource);
	if (toplevel)
		replace_string(&toplevel->title, title, resource);
}

static void handle_toplevel_set_app_id(struct wl_client *client, struct wl_resource *resource,
	const char *app_id)
{
	struct zc_xdg_toplevel *toplevel = toplevel_from_resource(resource);
	if (toplevel)
		replace_string(&toplevel->app_id, app_id, resource);
}

/* zcomp has no window menu (and does not announce one in wm_capabilities):
 * the request is ignored, which the protocol allows. */
static void handle_toplevel_show_window_menu(struct wl_client *client,
	struct wl_resource *resource, struct wl_resource *seat, uint32_t serial, int32_t x,
	int32_t y)
{
}

static void handle_toplevel_move(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *seat, uint32_t serial)
{
	struct zc_xdg_toplevel *toplevel = toplevel_from_resource(resource);
	if (toplevel)
		xdg_toplevel_begin_move(toplevel, serial);
}

static void handle_toplevel_resize(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *seat, uint32_t serial, uint32_t edges)
{
	if (!xdg_toplevel_resize_edge_is_valid(edges, (uint32_t)wl_resource_get_version(resource)))
		wl_resource_post_error(resource, XDG_TOPLEVEL_ERROR_INVALID_RESIZE_EDGE,
			"invalid resize edge %u", edges);
	else if (toplevel_from_resource(resource))
		xdg_toplevel_begin_resize(toplevel_from_resource(resource), serial, edges);
}

static bool check_size_limit(struct wl_resource *resource, int32_t width, int32_t height)
{
	if (width >= 0 && height >= 0)
		return true;
	wl_resource_post_error(resource, XDG_TOPLEVEL_ERROR_INVALID_SIZE,
		"negative size limit %dx%d", width, height);
	return false;
}

static void handle_toplevel_set_max_size(struct wl_client *client,
	struct wl_resource *resource, int32_t width, int32_t height)
{
	struct zc_xdg_toplevel *toplevel = toplevel_from_resource(resource);
	if (!toplevel || !check_size_limit(resource, width, height))
		return;
	toplevel->pending_limits.max_width = width;
	toplevel->pending_limits.max_height = height;
}

static void handle_toplevel_set_min_size(struct wl_client *client,
	struct wl_resource *resource, int32_t width, int32_t height)
{
	struct zc_xdg_toplevel *toplevel = toplevel_from_resource(resource);
	if (!toplevel || !check_size_limit(resource, width, height))
		return;
	toplevel->pending_limits.min_width = width;
	toplevel->pending_limits.min_height = height;
}

static void handle_toplevel_set_maximized(struct wl_client *client,
	struct wl_resource *resource)
{
	struct zc_xdg_toplevel *toplevel = toplevel_from_resource(resource);
	if (!toplevel)
		return;
	toplevel->want_maximized = true;
	xdg_surface_schedule_configure(toplevel->base);
}

static void handle_toplevel_unset_maximized(struct wl_client *client,
	struct wl_resource *resource)
{
	struct zc_xdg_toplevel *toplevel = toplevel_from_resource(resource);
	if (!toplevel)
		return;
	toplevel->want_maximized = false;
	xdg_surface_schedule_configure(toplevel->base);
}

static void handle_toplevel_set_fullscreen(struct wl_client *client,
	struct wl_resource *resource, struct wl_resource *output_resource)
{
	struct zc_xdg_toplevel *toplevel = toplevel_from_resource(resource);
	if (!toplevel)
		return;
	toplevel->want_fullscreen = true;
	toplevel_set_fullscreen_output(toplevel,
		output_resource ? output_from_resource(output_resource) : NULL);
	xdg_surface_schedule_configure(toplevel->base);
}

static void handle_toplevel_unset_fullscreen(struct wl_client *client,
	struct wl_resource *resource)
{
	struct zc_xdg_toplevel *toplevel = toplevel_from_resource(resource);
	if (!toplevel)
		return;
	toplevel->want_fullscreen = false;
	toplevel_set_fullscreen_output(toplevel, NULL);
	xdg_surface_schedule_configure(toplevel->base);
}

static void handle_toplevel_set_minimized(struct wl_client *client,
	struct wl_resource *resource)
{
	/* Not advertised in wm_capabilities: ignored, as the protocol says. */
}

static const struct xdg_toplevel_interface toplevel_impl = {
	.destroy = handle_toplevel_destroy,
	.set_parent = handle_toplevel_set_parent,
	.set_title = handle_toplevel_set_title,
	.set_app_id = handle_toplevel_set_app_id,
	.show_window_menu = handle_toplevel_show_window_menu,
	.move = handle_toplevel_move,
	.resize = handle_toplevel_resize,
	.set_max_size = handle_toplevel_set_max_size,
	.set_min_size = handle_toplevel_set_min_size,
	.set_maximized = handle_toplevel_set_maximized,
	.unset_maximized = handle_toplevel_unset_maximized,
	.set_fullscreen = handle_toplevel_set_fullscreen,
	.unset_fullscreen = handle_toplevel_unset_fullscreen,
	.set_minimized = handle_toplevel_set_minimized,
};

void xdg_toplevel_create(struct wl_resource *xdg_resource, uint32_t id)
{
	struct wl_client *client = wl_resource_get_client(xdg_resource);
	struct zc_xdg_surface *xdg = xdg_surface_from_resource(xdg_resource);
	struct wl_resource *res = wl_resource_create(client, &xdg_toplevel_interface,
		wl_resource_get_version(xdg_resource), id);
	if (!res) {
		wl_client_post_no_memory(client);
		return;
	}
	/* Inert until it has a toplevel behind it. */
	wl_resource_set_implementation(res, &toplevel_impl, NULL, handle_toplevel_resource_destroy);
	if (!xdg || !xdg->surface)
		return;
	struct zc_xdg_toplevel *toplevel = calloc(1, sizeof(*toplevel));
	if (!toplevel) {
		wl_client_post_no_memory(client);
		return;
	}
	if (!xdg_surface_begin_role(xdg, XDG_ROLE_TOPLEVEL)) {
		free(toplevel);
		return;
	}
	toplevel->resource = res;
	toplevel->base = xdg;
	toplevel->bounds_width = toplevel->bounds_height = -1;
	toplevel->fullscreen_output_destroy.notify = handle_toplevel_fullscreen_output_destroy;
	wl_list_insert(xdg->shell->toplevels.prev, &toplevel->link);
	xdg->toplevel = toplevel;
	wl_resource_set_user_data(res, toplevel);
}
