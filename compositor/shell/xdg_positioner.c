/*
 * xdg_positioner: the rules a popup is placed by, and the placement itself.
 * Everything here is relative to the parent's window geometry; the caller
 * turns the output into bounds in that space.
 */
#include "xdg_shell.h"

#include <stdlib.h>

#include "base/util.h"

#include "xdg-shell-server-protocol.h"

static const struct xdg_positioner_interface positioner_impl;

const struct zc_xdg_positioner_rules *xdg_positioner_get_rules(struct wl_resource *resource)
{
	if (!wl_resource_instance_of(resource, &xdg_positioner_interface, &positioner_impl))
		return NULL;
	return wl_resource_get_user_data(resource);
}

static struct zc_xdg_positioner_rules *rules_from_resource(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

bool xdg_positioner_rules_complete(const struct zc_xdg_positioner_rules *rules)
{
	return rules->has_size && rules->has_anchor_rect;
}

/* ---- placement ---- */

/* Anchor and gravity share their values: -1 left/top, 1 right/bottom. */
static int edge_x(uint32_t value)
{
	switch (value) {
	case XDG_POSITIONER_ANCHOR_LEFT:
	case XDG_POSITIONER_ANCHOR_TOP_LEFT:
	case XDG_POSITIONER_ANCHOR_BOTTOM_LEFT:
		return -1;
	case XDG_POSITIONER_ANCHOR_RIGHT:
	case XDG_POSITIONER_ANCHOR_TOP_RIGHT:
	case XDG_POSITIONER_ANCHOR_BOTTOM_RIGHT:
		return 1;
	default:
		return 0;
	}
}

static int edge_y(uint32_t value)
{
	switch (value) {
	case XDG_POSITIONER_ANCHOR_TOP:
	case XDG_POSITIONER_ANCHOR_TOP_LEFT:
	case XDG_POSITIONER_ANCHOR_TOP_RIGHT:
		return -1;
	case XDG_POSITIONER_ANCHOR_BOTTOM:
	case XDG_POSITIONER_ANCHOR_BOTTOM_LEFT:
	case XDG_POSITIONER_ANCHOR_BOTTOM_RIGHT:
		return 1;
	default:
		return 0;
	}
}

/* One axis of the problem; x and y are solved independently. */
struct axis {
	int32_t rect_pos, rect_size; /* the anchor rectangle */
	int anchor, gravity;         /* -1, 0 or 1 */
	int32_t size, offset;
	bool bounded;
	int32_t lo, hi;
	bool flip, slide, resize;
};

static int32_t axis_place(const struct axis *a, int anchor, int gravity)
{
	int32_t point = a->rect_pos + (anchor < 0 ? 0 : anchor > 0 ? a->rect_size : a->rect_size / 2);
	int32_t pos = gravity < 0 ? point - a->size : gravity > 0 ? point : point - a->size / 2;
	return pos + a->offset;
}

static bool axis_fits(const struct axis *a, int32_t pos, int32_t size)
{
	return !a->bounded || (pos >= a->lo && pos + size <= a->hi);
}

/* Slides towards higher coordinates until the low edge is in or the high
 * edge would go out; slide_decreasing is the mirror image. */
static int32_t slide_increasing(const struct axis *a, int32_t pos)
{
	if (pos >= a->lo)
		return pos;
	int32_t target = a->lo < a->hi - a->size ? a->lo : a->hi - a->size;
	return target > pos ? target : pos;
}

static int32_t slide_decreasing(const struct axis *a, int32_t pos)
{
	if (pos + a->size <= a->hi)
		return pos;
	int32_t target = a->hi - a->size > a->lo ? a->hi - a->size : a->lo;
	return target < pos ? target : pos;
}

/* Flip, then slide, then resize, each only while still constrained. */
static void axis_solve(const struct axis *a, int32_t *pos, int32_t *size)
{
	int32_t p = axis_place(a, a->anchor, a->gravity);
	int32_t s = a->size;
	if (!axis_fits(a, p, s) && a->flip) {
		int32_t flipped = axis_place(a, -a->anchor, -a->gravity);
		if (axis_fits(a, flipped, s))
			p = flipped;
	}
	if (!axis_fits(a, p, s) && a->slide) {
		/* Towards the gravity first, then away from it. */
		if (a->gravity > 0)
			p = slide_decreasing(a, slide_increasing(a, p));
		else
			p = slide_increasing(a, slide_decreasing(a, p));
	}
	if (!axis_fits(a, p, s) && a->resize) {
		int32_t lo = p > a->lo ? p : a->lo;
		int32_t hi = p + s < a->hi ? p + s : a->hi;
		if (hi > lo) {
			p = lo;
			s = hi - lo;
		}
	}
	*pos = p;
	*size = s;
}

void xdg_positioner_place(const struct zc_xdg_positioner_rules *rules,
	const struct zc_xdg_box *bounds, struct zc_xdg_box *out)
{
	uint32_t adj = rules->constraint_adjustment;
	struct axis x = {
		.rect_pos = rules->anchor_rect.x,
		.rect_size = rules->anchor_rect.width,
		.anchor = edge_x(rules->anchor),
		.gravity = edge_x(rules->gravity),
		.size = rules->width,
		.offset = rules->offset_x,
		.bounded = bounds != NULL,
		.lo = bounds ? bounds->x : 0,
		.hi = bounds ? bounds->x + bounds->width : 0,
		.flip = adj & XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_FLIP_X,
		.slide = adj & XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_SLIDE_X,
		.resize = adj & XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_RESIZE_X,
	};
	struct axis y = {
		.rect_pos = rules->anchor_rect.y,
		.rect_size = rules->anchor_rect.height,
		.anchor = edge_y(rules->anchor),
		.gravity = edge_y(rules->gravity),
		.size = rules->height,
		.offset = rules->offset_y,
		.bounded = bounds != NULL,
		.lo = bounds ? bounds->y : 0,
		.hi = bounds ? bounds->y + bounds->height : 0,
		.flip = adj & XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_FLIP_Y,
		.slide = adj & XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_SLIDE_Y,
		.resize = adj & XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_RESIZE_Y,
	};
	axis_solve(&x, &out->x, &out->width);
	axis_solve(&y, &out->y, &out->height);
}

/* ---- requests ---- */

static void handle_positioner_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

/* Every value is clamped to +-ZC_COORD_LIMIT as it arrives: any legal int32
 * is accepted, and the placement sums (rectangle + size + offset + parent
 * position) then stay far inside int32. */
static int32_t positioner_clamp_pos(int32_t v)
{
	return (int32_t)zc_clamp64(v, -ZC_COORD_LIMIT, ZC_COORD_LIMIT);
}

static int32_t positioner_clamp_size(int32_t v)
{
	return (int32_t)zc_clamp64(v, 0, ZC_COORD_LIMIT);
}

static void handle_positioner_set_size(struct wl_client *client, struct wl_resource *resource,
	int32_t width, int32_t height)
{
	if (width <= 0 || height <= 0) {
		wl_resource_post_error(resource, XDG_POSITIONER_ERROR_INVALID_INPUT,
			"size %dx%d is not positive", width, height);
		return;
	}
	struct zc_xdg_positioner_rules *rules = rules_from_resource(resource);
	rules->width = positioner_clamp_size(width);
	rules->height = positioner_clamp_size(height);
	rules->has_size = true;
}

static void handle_positioner_set_anchor_rect(struct wl_client *client,
	struct wl_resource *resource, int32_t x, int32_t y, int32_t width, int32_t height)
{
	/* A zero-sized rectangle is a point: only negative sizes are invalid. */
	if (width < 0 || height < 0) {
		wl_resource_post_error(resource, XDG_POSITIONER_ERROR_INVALID_INPUT,
			"anchor rectangle size %dx%d is negative", width, height);
		return;
	}
	struct zc_xdg_positioner_rules *rules = rules_from_resource(resource);
	rules->anchor_rect = (struct zc_xdg_box){ positioner_clamp_pos(x), positioner_clamp_pos(y),
		positioner_clamp_size(width), positioner_clamp_size(height) };
	rules->has_anchor_rect = true;
}

static void handle_positioner_set_anchor(struct wl_client *client,
	struct wl_resource *resource, uint32_t anchor)
{
	if (!xdg_positioner_anchor_is_valid(anchor, (uint32_t)wl_resource_get_version(resource))) {
		wl_resource_post_error(resource, XDG_POSITIONER_ERROR_INVALID_INPUT,
			"invalid anchor %u", anchor);
		return;
	}
	rules_from_resource(resource)->anchor = anchor;
}

static void handle_positioner_set_gravity(struct wl_client *client,
	struct wl_resource *resource, uint32_t gravity)
{
	if (!xdg_positioner_gravity_is_valid(gravity, (uint32_t)wl_resource_get_version(resource))) {
		wl_resource_post_error(resource, XDG_POSITIONER_ERROR_INVALID_INPUT,
			"invalid gravity %u", gravity);
		return;
	}
	rules_from_resource(resource)->gravity = gravity;
}

static void handle_positioner_set_constraint_adjustment(struct wl_client *client,
	struct wl_resource *resource, uint32_t constraint_adjustment)
{
	/* Unknown bits are adjustments we do not know: ignored, not an error. */
	rules_from_resource(resource)->constraint_adjustment = constraint_adjustment;
}

static void handle_positioner_set_offset(struct wl_client *client,
	struct wl_resource *resource, int32_t x, int32_t y)
{
	struct zc_xdg_positioner_rules *rules = rules_from_resource(resource);
	rules->offset_x = positioner_clamp_pos(x);
	rules->offset_y = positioner_clamp_pos(y);
}

static void handle_positioner_set_reactive(struct wl_client *client,
	struct wl_resource *resource)
{
	rules_from_resource(resource)->reactive = true;
}

static void handle_positioner_set_parent_size(struct wl_client *client,
	struct wl_resource *resource, int32_t parent_width, int32_t parent_height)
{
	struct zc_xdg_positioner_rules *rules = rules_from_resource(resource);
	rules->parent_width = positioner_clamp_size(parent_width);
	rules->parent_height = positioner_clamp_size(parent_height);
	rules->has_parent_size = true;
}

static void handle_positioner_set_parent_configure(struct wl_client *client,
	struct wl_resource *resource, uint32_t serial)
{
	struct zc_xdg_positioner_rules *rules = rules_from_resource(resource);
	rules->parent_configure_serial = serial;
	rules->has_parent_configure = true;
}

static const struct xdg_positioner_interface positioner_impl = {
	.destroy = handle_positioner_destroy,
	.set_size = handle_positioner_set_size,
	.set_anchor_rect = handle_positioner_set_anchor_rect,
	.set_anchor = handle_positioner_set_anchor,
	.set_gravity = handle_positioner_set_gravity,
	.set_constraint_adjustment = handle_positioner_set_constraint_adjustment,
	.set_offset = handle_positioner_set_offset,
	.set_reactive = handle_positioner_set_reactive,
	.set_parent_size = handle_positioner_set_parent_size,
	.set_parent_configure = handle_positioner_set_parent_configure,
};

static void handle_positioner_resource_destroy(struct wl_resource *resource)
{
	free(rules_from_resource(resource));
}

void xdg_positioner_create(struct wl_client *client, uint32_t version, uint32_t id)
{
	struct zc_xdg_positioner_rules *rules = calloc(1, sizeof(*rules));
	if (!rules)
		goto err_alloc;
	struct wl_resource *res = wl_resource_create(client, &xdg_positioner_interface,
		(int)version, id);
	if (!res)
		goto err_resource;
	wl_resource_set_implementation(res, &positioner_impl, rules,
		handle_positioner_resource_destroy);
	return;

err_resource:
	free(rules);
err_alloc:
	wl_client_post_no_memory(client);
}
