/*
 * Interactive move and resize (xdg_toplevel.move, .resize), as weston and
 * wlroots do them. A request counts only with the serial of a press (button
 * or touch down) on the window that is still held; it then grabs that
 * pointer or touch point (core/grab.h) until the press ends, and the client
 * gets no pointer events meanwhile. A move puts the window where the
 * pointer drags it; a resize sends configures with the new size (kept
 * within the size hints) and the resizing state, and each commit places
 * the window so that the edges opposite the dragged ones stay put: the
 * position changes with the commit that brings the size, never before.
 * Maximized and fullscreen windows are neither moved nor resized (weston
 * ignores both requests for them too).
 */
#include "xdg_shell.h"

#include <math.h>
#include <stdlib.h>

#include "core/cursor.h"
#include "core/grab.h"
#include "core/server.h"
#include "base/util.h"
#include "xdg-shell-server-protocol.h"

#define EDGE_TOP XDG_TOPLEVEL_RESIZE_EDGE_TOP
#define EDGE_BOTTOM XDG_TOPLEVEL_RESIZE_EDGE_BOTTOM
#define EDGE_LEFT XDG_TOPLEVEL_RESIZE_EDGE_LEFT
#define EDGE_RIGHT XDG_TOPLEVEL_RESIZE_EDGE_RIGHT

struct zc_xdg_grab {
	struct zc_grab base;
	struct zc_xdg_toplevel *toplevel;
	uint32_t edges; /* 0: a move */
	double start_x, start_y; /* where the press was when the grab began */
	struct zc_xdg_box start; /* the window geometry then (layout origin) */
};

/* The cursor a grab shows: cursor-shape names, then the legacy X names. */
struct grab_cursor {
	const char *name, *alt;
};

static const struct grab_cursor grab_cursors[] = {
	[0] = { "grabbing", "fleur" },
	[XDG_TOPLEVEL_RESIZE_EDGE_TOP] = { "n-resize", "top_side" },
	[XDG_TOPLEVEL_RESIZE_EDGE_BOTTOM] = { "s-resize", "bottom_side" },
	[XDG_TOPLEVEL_RESIZE_EDGE_LEFT] = { "w-resize", "left_side" },
	[XDG_TOPLEVEL_RESIZE_EDGE_TOP_LEFT] = { "nw-resize", "top_left_corner" },
	[XDG_TOPLEVEL_RESIZE_EDGE_BOTTOM_LEFT] = { "sw-resize", "bottom_left_corner" },
	[XDG_TOPLEVEL_RESIZE_EDGE_RIGHT] = { "e-resize", "right_side" },
	[XDG_TOPLEVEL_RESIZE_EDGE_TOP_RIGHT] = { "ne-resize", "top_right_corner" },
	[XDG_TOPLEVEL_RESIZE_EDGE_BOTTOM_RIGHT] = { "se-resize", "bottom_right_corner" },
};

static bool toplevel_is_tiled(const struct zc_xdg_toplevel *toplevel)
{
	return toplevel->current.maximized || toplevel->current.fullscreen ||
		toplevel->want_maximized || toplevel->want_fullscreen;
}

static void grab_move(struct zc_xdg_grab *grab, int32_t dx, int32_t dy)
{
	struct zc_xdg_toplevel *toplevel = grab->toplevel;
	toplevel->float_x = zc_sat32((int64_t)grab->start.x + dx);
	toplevel->float_y = zc_sat32((int64_t)grab->start.y + dy);
	xdg_surface_move_geometry_to(toplevel->base, toplevel->float_x, toplevel->float_y);
	xdg_popups_parent_moved(toplevel->base);
}

/* The length along one axis once the dragged edge moved by delta, at
 * least 1 and at most ZC_COORD_LIMIT (a viewport may make a window
 * INT32_MAX wide). */
static int32_t grab_length(int32_t start, uint32_t edges, uint32_t low, uint32_t high,
	int32_t delta)
{
	int64_t growth = edges & high ? delta : edges & low ? -(int64_t)delta : 0;
	return (int32_t)zc_clamp64((int64_t)start + growth, 1, ZC_COORD_LIMIT);
}

static void grab_resize(struct zc_xdg_grab *grab, int32_t dx, int32_t dy)
{
	struct zc_xdg_toplevel *toplevel = grab->toplevel;
	const struct zc_xdg_size_limits *l = &toplevel->limits;
	int32_t width = xdg_toplevel_clamp_size(
		grab_length(grab->start.width, grab->edges, EDGE_LEFT, EDGE_RIGHT, dx),
		l->min_width, l->max_width);
	int32_t height = xdg_toplevel_clamp_size(
		grab_length(grab->start.height, grab->edges, EDGE_TOP, EDGE_BOTTOM, dy),
		l->min_height, l->max_height);
	if (width == toplevel->resize_width && height == toplevel->resize_height)
		return;
	toplevel->resize_width = width;
	toplevel->resize_height = height;
	xdg_surface_schedule_configure(toplevel->base);
}

/* The pointer stays on the outputs, so the deltas are small. */
static void handle_grab_motion(struct zc_grab *base, double x, double y)
{
	struct zc_xdg_grab *grab = wl_container_of(base, grab, base);
	if (toplevel_is_tiled(grab->toplevel))
		return; /* maximized meanwhile: it stays where that put it */
	int32_t dx = (int32_t)lround(x - grab->start_x), dy = (int32_t)lround(y - grab->start_y);
	if (grab->edges)
		grab_resize(grab, dx, dy);
	else
		grab_move(grab, dx, dy);
}

/* A resize ends with a configure of the last size without the resizing
 * state. */
static void handle_grab_end(struct zc_grab *base)
{
	struct zc_xdg_grab *grab = wl_container_of(base, grab, base);
	struct zc_xdg_toplevel *toplevel = grab->toplevel;
	toplevel->grab = NULL;
	if (grab->edges) {
		toplevel->resize_final = true;
		xdg_surface_schedule_configure(toplevel->base);
	}
	free(grab);
}

static const struct zc_grab_impl xdg_grab_impl = {
	.motion = handle_grab_motion,
	.end = handle_grab_end,
};

static void toplevel_begin_grab(struct zc_xdg_toplevel *toplevel, uint32_t serial,
	uint32_t edges)
{
	struct zc_xdg_surface *xdg = toplevel->base;
	struct zc_server *server = xdg->shell->server;
	if (!xdg->mapped || toplevel->grab || toplevel_is_tiled(toplevel))
		return;
	struct zc_xdg_grab *grab = calloc(1, sizeof(*grab));
	if (!grab) {
		wl_resource_post_no_memory(toplevel->resource);
		return;
	}
	grab->base.impl = &xdg_grab_impl;
	grab->toplevel = toplevel;
	grab->edges = edges;
	xdg_surface_geometry_origin(xdg, &grab->start.x, &grab->start.y);
	grab->start.width = xdg->geometry.width;
	grab->start.height = xdg->geometry.height;
	if (!grab_host_start(&server->grab_host, &grab->base, xdg->surface, serial,
		    &grab->start_x, &grab->start_y)) {
		zc_debug("xdg_toplevel: %s with serial %u: no held press of this window, ignored",
			edges ? "resize" : "move", serial);
		free(grab);
		return;
	}
	toplevel->grab = grab;
	xdg_popups_dismiss(xdg); /* as a click outside them would */
	cursor_set_named(server->cursor, grab_cursors[edges].name, grab_cursors[edges].alt);
	if (!edges)
		return;
	toplevel->resize_edges = edges;
	toplevel->resize_right = zc_sat32((int64_t)grab->start.x + grab->start.width);
	toplevel->resize_bottom = zc_sat32((int64_t)grab->start.y + grab->start.height);
	toplevel->resize_width = grab->start.width;
	toplevel->resize_height = grab->start.height;
	xdg_surface_schedule_configure(xdg); /* the resizing state, at once */
}

void xdg_toplevel_begin_move(struct zc_xdg_toplevel *toplevel, uint32_t serial)
{
	toplevel_begin_grab(toplevel, serial, 0);
}

/* edges is valid (xdg_toplevel.c checked it); NONE resizes nothing. */
void xdg_toplevel_begin_resize(struct zc_xdg_toplevel *toplevel, uint32_t serial,
	uint32_t edges)
{
	if (edges != XDG_TOPLEVEL_RESIZE_EDGE_NONE && edges < ZC_ARRAY_LEN(grab_cursors))
		toplevel_begin_grab(toplevel, serial, edges);
}

void xdg_move_resize_drift(struct zc_xdg_toplevel *toplevel, int32_t dx, int32_t dy)
{
	struct zc_xdg_grab *grab = toplevel->grab;
	if (!grab)
		return;
	grab->start.x = zc_sat32((int64_t)grab->start.x + dx);
	grab->start.y = zc_sat32((int64_t)grab->start.y + dy);
}

void xdg_move_resize_reset(struct zc_xdg_toplevel *toplevel)
{
	struct zc_xdg_grab *grab = toplevel->grab;
	if (grab) {
		grab_host_cancel(&toplevel->base->shell->server->grab_host, &grab->base);
		free(grab);
	}
	toplevel->grab = NULL;
	toplevel->resize_edges = 0;
	toplevel->resize_final = false;
}

bool xdg_move_resize_fill_configure(struct zc_xdg_toplevel *toplevel,
	struct zc_xdg_toplevel_config *config)
{
	bool resizing = toplevel->grab && toplevel->grab->edges;
	if (!resizing && !toplevel->resize_final)
		return false;
	config->width = toplevel->resize_width;
	config->height = toplevel->resize_height;
	config->resizing = resizing;
	toplevel->resize_final = false;
	return true;
}

/* Every commit while the resize runs or its configures are being answered
 * (the last one acked without the resizing state included). */
void xdg_move_resize_commit(struct zc_xdg_toplevel *toplevel, bool was_resizing)
{
	const struct zc_xdg_box *geo = &toplevel->base->geometry;
	bool resizing = (toplevel->grab && toplevel->grab->edges) || was_resizing ||
		toplevel->current.resizing;
	if (!resizing || toplevel->current.maximized || toplevel->current.fullscreen)
		return;
	if (toplevel->resize_edges & EDGE_LEFT)
		toplevel->float_x = zc_sat32((int64_t)toplevel->resize_right - geo->width);
	if (toplevel->resize_edges & EDGE_TOP)
		toplevel->float_y = zc_sat32((int64_t)toplevel->resize_bottom - geo->height);
}
