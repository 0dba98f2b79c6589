/*
 * xdg_popup: menus and tooltips, placed by a positioner relative to the
 * parent's window geometry and kept inside the output under the anchor.
 * A popup follows its parent when the parent moves; a reactive one is
 * reconstrained too. Popups are dismissed (popup_done) when their parent
 * unmaps, topmost first, and never map again.
 */
#include "xdg_shell.h"

#include <stdlib.h>

#include "core/output.h"
#include "xdg-shell-server-protocol.h"

static const struct xdg_popup_interface popup_impl;

static struct zc_xdg_popup *popup_from_resource(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource); /* NULL once inert */
}

/* ---- placement ---- */

static const struct zc_xdg_configure *find_configure(const struct zc_xdg_surface *xdg,
	uint32_t serial)
{
	if (xdg->acked && xdg->acked->serial == serial)
		return xdg->acked;
	const struct zc_xdg_configure *c;
	wl_list_for_each(c, &xdg->configures, link) {
		if (c->serial == serial)
			return c;
	}
	return NULL;
}

/* Where the parent's window geometry is, or will be once the parent
 * configure named by set_parent_configure is applied. */
static void popup_parent_origin(const struct zc_xdg_popup *popup, int32_t *x, int32_t *y)
{
	const struct zc_xdg_surface *parent = popup->parent;
	const struct zc_xdg_positioner_rules *rules = &popup->rules;
	xdg_surface_geometry_origin(parent, x, y);
	if (!rules->has_parent_configure || parent->role != XDG_ROLE_TOPLEVEL)
		return;
	const struct zc_xdg_configure *c = find_configure(parent, rules->parent_configure_serial);
	if (!c)
		return;
	int32_t w = c->toplevel.width > 0 ? c->toplevel.width : parent->geometry.width;
	int32_t h = c->toplevel.height > 0 ? c->toplevel.height : parent->geometry.height;
	if (rules->has_parent_size) {
		w = rules->parent_width;
		h = rules->parent_height;
	}
	xdg_toplevel_position_for(parent->toplevel, &c->toplevel, w, h, x, y);
}

/* The constraint is the output under the anchor rectangle's centre. */
static bool popup_compute(const struct zc_xdg_popup *popup, struct zc_xdg_box *out)
{
	if (!popup->parent)
		return false;
	struct zc_server *server = popup->base->shell->server;
	const struct zc_xdg_box *rect = &popup->rules.anchor_rect;
	int32_t ox, oy;
	popup_parent_origin(popup, &ox, &oy);
	struct zc_output *output = xdg_shell_output_near(server, ox + rect->x + rect->width / 2,
		oy + rect->y + rect->height / 2);
	struct zc_xdg_box bounds;
	bool bounded = xdg_shell_output_box(server, output, &bounds);
	bounds.x -= ox;
	bounds.y -= oy;
	xdg_positioner_place(&popup->rules, bounded ? &bounds : NULL, out);
	return true;
}

static void popup_update_position(struct zc_xdg_popup *popup)
{
	int32_t px, py;
	xdg_surface_geometry_origin(popup->parent, &px, &py);
	xdg_surface_move_geometry_to(popup->base, px + popup->current.x, py + popup->current.y);
}

static bool box_equal(const struct zc_xdg_box *a, const struct zc_xdg_box *b)
{
	return a->x == b->x && a->y == b->y && a->width == b->width && a->height == b->height;
}

void xdg_popups_parent_moved(struct zc_xdg_surface *parent)
{
	struct zc_xdg_popup *popup;
	wl_list_for_each(popup, &parent->popups, link) {
		if (popup->dismissed)
			continue;
		struct zc_xdg_box box;
		if (popup->rules.reactive && popup->base->initialized &&
		    popup_compute(popup, &box) && !box_equal(&box, &popup->scheduled)) {
			popup->scheduled = box;
			xdg_surface_schedule_configure(popup->base);
		}
		if (popup->base->mapped) {
			popup_update_position(popup);
			xdg_popups_parent_moved(popup->base);
		}
	}
}

void xdg_popups_raise(struct zc_xdg_surface *parent)
{
	struct zc_xdg_popup *popup;
	wl_list_for_each(popup, &parent->popups, link) {
		if (popup->base->mapped)
			view_raise(&popup->base->view);
		xdg_popups_raise(popup->base);
	}
}

/* ---- configure, commit, dismissal ---- */

bool xdg_popup_emit_configure(struct zc_xdg_popup *popup, struct zc_xdg_configure *configure)
{
	if (popup->dismissed)
		return false;
	const struct zc_xdg_box *box = &popup->scheduled;
	configure->popup = *box;
	if (popup->has_token &&
	    wl_resource_get_version(popup->resource) >= XDG_POPUP_REPOSITIONED_SINCE_VERSION)
		xdg_popup_send_repositioned(popup->resource, popup->token);
	popup->has_token = false;
	xdg_popup_send_configure(popup->resource, box->x, box->y, box->width, box->height);
	return true;
}

bool xdg_popup_precommit(struct zc_xdg_popup *popup)
{
	/* No other protocol here can give a popup its parent later. */
	if (!popup->base->initialized && popup->null_parent) {
		xdg_surface_post_wm_error(popup->base, XDG_WM_BASE_ERROR_INVALID_POPUP_PARENT,
			"xdg_popup committed without a parent");
		return false;
	}
	return true;
}

void xdg_popup_initial_commit(struct zc_xdg_popup *popup)
{
	if (!popup->parent || !popup->parent->mapped) {
		/* The parent must be mapped first; the popup has nothing to
		 * attach to, so it is dismissed at once. */
		xdg_popup_dismiss(popup);
		return;
	}
	popup_compute(popup, &popup->scheduled);
}

void xdg_popup_commit(struct zc_xdg_popup *popup, const struct zc_xdg_configure *acked)
{
	struct zc_xdg_surface *xdg = popup->base;
	if (acked)
		popup->current = acked->popup;
	if (!xdg->surface->buffer) {
		if (xdg->mapped)
			xdg_popup_unmap(popup);
		return;
	}
	if (popup->dismissed || !popup->parent || !xdg->configured)
		return; /* never shown again, or not yet configured */
	popup_update_position(popup);
	if (!xdg->mapped) {
		xdg->mapped = true;
		view_map(&xdg->view); /* on top, above its parent */
	}
	xdg_popups_parent_moved(xdg);
}

void xdg_popups_dismiss(struct zc_xdg_surface *parent)
{
	struct zc_xdg_popup *popup;
	wl_list_for_each_reverse(popup, &parent->popups, link)
		xdg_popup_dismiss(popup);
}

void xdg_popup_dismiss(struct zc_xdg_popup *popup)
{
	if (popup->dismissed)
		return;
	xdg_popups_dismiss(popup->base); /* topmost first */
	popup->dismissed = true;
	xdg_popup_grab_release(popup);
	if (popup->base->mapped) {
		popup->base->mapped = false;
		view_unmap(&popup->base->view);
	}
	xdg_popup_send_popup_done(popup->resource);
}

void xdg_popups_detach(struct zc_xdg_surface *parent)
{
	xdg_popups_dismiss(parent);
	struct zc_xdg_popup *popup, *tmp;
	wl_list_for_each_safe(popup, tmp, &parent->popups, link) {
		popup->parent = NULL;
		wl_list_remove(&popup->link);
		wl_list_init(&popup->link);
	}
}

void xdg_popup_unmap(struct zc_xdg_popup *popup)
{
	struct zc_xdg_surface *xdg = popup->base;
	xdg_popups_dismiss(xdg);
	xdg_popup_grab_release(popup);
	view_unmap(&xdg->view);
	popup->current = popup->scheduled = (struct zc_xdg_box){ 0 };
	xdg_surface_reset(xdg);
}

void xdg_popup_destroy(struct zc_xdg_popup *popup)
{
	struct zc_xdg_surface *xdg = popup->base;
	if (xdg->mapped)
		xdg_popup_unmap(popup);
	xdg_popups_detach(xdg);
	xdg_popup_grab_release(popup);
	wl_list_remove(&popup->link);
	wl_resource_set_user_data(popup->resource, NULL);
	xdg->popup = NULL;
	xdg->role = XDG_ROLE_NONE;
	xdg_surface_reset(xdg);
	free(popup);
}

/* ---- requests ---- */

static void handle_popup_destroy(struct wl_client *client, struct wl_resource *resource)
{
	struct zc_xdg_popup *popup = popup_from_resource(resource);
	if (popup && !wl_list_empty(&popup->base->popups)) {
		xdg_surface_post_wm_error(popup->base, XDG_WM_BASE_ERROR_NOT_THE_TOPMOST_POPUP,
			"xdg_popup destroyed before its child popups");
		return;
	}
	wl_resource_destroy(resource);
}

static void handle_popup_resource_destroy(struct wl_resource *resource)
{
	struct zc_xdg_popup *popup = popup_from_resource(resource);
	if (popup)
		xdg_popup_destroy(popup);
}

static void handle_popup_grab(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *seat, uint32_t serial)
{
	struct zc_xdg_popup *popup = popup_from_resource(resource);
	if (!popup)
		return;
	if (popup->base->mapped) {
		wl_resource_post_error(resource, XDG_POPUP_ERROR_INVALID_GRAB,
			"grab on a mapped xdg_popup");
		return;
	}
	struct zc_xdg_surface *parent = popup->parent;
	if (parent && parent->role == XDG_ROLE_POPUP && !parent->popup->grab_requested) {
		wl_resource_post_error(resource, XDG_POPUP_ERROR_INVALID_GRAB,
			"grab on a popup whose parent popup took no grab");
		return;
	}
	popup->grab_requested = true;
	xdg_popup_grab(popup, serial);
}

static void handle_popup_reposition(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *positioner, uint32_t token)
{
	struct zc_xdg_popup *popup = popup_from_resource(resource);
	if (!popup)
		return;
	const struct zc_xdg_positioner_rules *rules = xdg_positioner_get_rules(positioner);
	if (!rules || !xdg_positioner_rules_complete(rules)) {
		xdg_surface_post_wm_error(popup->base, XDG_WM_BASE_ERROR_INVALID_POSITIONER,
			"reposition with an incomplete xdg_positioner");
		return;
	}
	popup->rules = *rules;
	popup->token = token;
	popup->has_token = true;
	/* Before the initial commit the first configure answers it. */
	if (!popup->base->initialized || popup->dismissed)
		return;
	popup_compute(popup, &popup->scheduled);
	xdg_surface_schedule_configure(popup->base);
}

static const struct xdg_popup_interface popup_impl = {
	.destroy = handle_popup_destroy,
	.grab = handle_popup_grab,
	.reposition = handle_popup_reposition,
};

/* The parent may be any xdg_surface with a live role object other than
 * the popup's own. */
static bool popup_parent_valid(struct zc_xdg_surface *xdg, struct wl_resource *parent_resource,
	struct zc_xdg_surface **parent)
{
	*parent = NULL;
	if (!parent_resource)
		return true;
	*parent = xdg_surface_from_resource(parent_resource);
	if (*parent && (*parent)->surface && (*parent)->role != XDG_ROLE_NONE && *parent != xdg)
		return true;
	xdg_surface_post_wm_error(xdg, XDG_WM_BASE_ERROR_INVALID_POPUP_PARENT,
		"popup parent is not an xdg_surface with a role object");
	return false;
}

static void popup_init(struct zc_xdg_popup *popup, struct zc_xdg_surface *xdg,
	struct wl_resource *resource, struct zc_xdg_surface *parent,
	const struct zc_xdg_positioner_rules *rules)
{
	popup->resource = resource;
	popup->base = xdg;
	popup->parent = parent;
	popup->null_parent = !parent;
	popup->rules = *rules;
	if (parent)
		wl_list_insert(parent->popups.prev, &popup->link);
	else
		wl_list_init(&popup->link);
	xdg->popup = popup;
	wl_resource_set_user_data(resource, popup);
}

void xdg_popup_create(struct wl_resource *xdg_resource, uint32_t id,
	struct wl_resource *parent_resource, struct wl_resource *positioner)
{
	struct wl_client *client = wl_resource_get_client(xdg_resource);
	struct zc_xdg_surface *xdg = xdg_surface_from_resource(xdg_resource);
	struct wl_resource *res = wl_resource_create(client, &xdg_popup_interface,
		wl_resource_get_version(xdg_resource), id);
	if (!res) {
		wl_client_post_no_memory(client);
		return;
	}
	/* Inert until it has a popup behind it. */
	wl_resource_set_implementation(res, &popup_impl, NULL, handle_popup_resource_destroy);
	if (!xdg || !xdg->surface)
		return;
	const struct zc_xdg_positioner_rules *rules = xdg_positioner_get_rules(positioner);
	if (!rules || !xdg_positioner_rules_complete(rules)) {
		xdg_surface_post_wm_error(xdg, XDG_WM_BASE_ERROR_INVALID_POSITIONER,
			"get_popup with an incomplete xdg_positioner");
		return;
	}
	struct zc_xdg_surface *parent;
	if (!popup_parent_valid(xdg, parent_resource, &parent))
		return;
	struct zc_xdg_popup *popup = calloc(1, sizeof(*popup));
	if (!popup) {
		wl_client_post_no_memory(client);
		return;
	}
	if (!xdg_surface_begin_role(xdg, XDG_ROLE_POPUP)) {
		free(popup);
		return;
	}
	popup_init(popup, xdg, res, parent, rules);
}
