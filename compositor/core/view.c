/*
 * Views: root surfaces placed in the layout by a shell, kept in stacking
 * order (server->views, bottom to top). Every change damages what it
 * uncovers and what it covers.
 */
#include "base/util.h"
#include "output.h"
#include "surface.h"

void view_init(struct zc_view *view, struct zc_surface *surface)
{
	*view = (struct zc_view){ .surface = surface };
	wl_list_init(&view->link);
	surface->view = view;
}

void view_finish(struct zc_view *view)
{
	view_unmap(view);
	if (view->surface && view->surface->view == view)
		view->surface->view = NULL;
	view->surface = NULL;
}

static void update_tree_output(struct zc_surface *surface, int32_t sx, int32_t sy, void *data)
{
	surface_update_output(surface);
}

/* A view (un)mapping, a commit that (un)maps or moves a subsurface: the
 * output of everything below changes with it. */
void surface_update_tree_output(struct zc_surface *surface)
{
	surface_for_each(surface, update_tree_output, NULL);
}

void view_map(struct zc_view *view)
{
	if (view->mapped)
		return;
	view->mapped = true;
	wl_list_insert(view->surface->server->views.prev, &view->link);
	surface_update_tree_output(view->surface);
	surface_damage_whole(view->surface);
	wl_signal_emit_mutable(&view->surface->server->views_changed, view);
}

void view_unmap(struct zc_view *view)
{
	if (!view->mapped)
		return;
	surface_damage_whole(view->surface);
	view->mapped = false;
	wl_list_remove(&view->link);
	wl_list_init(&view->link);
	surface_update_tree_output(view->surface);
	wl_signal_emit_mutable(&view->surface->server->views_changed, view);
}

void view_raise(struct zc_view *view)
{
	struct zc_server *server = view->surface->server;
	if (!view->mapped || server->views.prev == &view->link)
		return;
	wl_list_remove(&view->link);
	wl_list_insert(server->views.prev, &view->link);
	surface_damage_whole(view->surface);
	wl_signal_emit_mutable(&server->views_changed, view);
}

void view_move(struct zc_view *view, int32_t x, int32_t y)
{
	if (view->x == x && view->y == y)
		return;
	surface_damage_whole(view->surface);
	view->x = x;
	view->y = y;
	surface_damage_whole(view->surface);
	view_notify_scene_changed(view->surface->server);
}

void view_notify_scene_changed(struct zc_server *server)
{
	wl_signal_emit_mutable(&server->scene_changed, NULL);
}

struct zc_view *view_top(struct zc_server *server)
{
	if (wl_list_empty(&server->views))
		return NULL;
	struct zc_view *view = wl_container_of(server->views.prev, view, link);
	return view;
}

/* ---- surface trees in the layout ---- */

static void surface_for_each_at(struct zc_surface *surface, int32_t x, int32_t y,
	bool mapped_only, surface_iterator_fn fn, void *data)
{
	struct wl_list *link;
	for (link = surface->children.next; link != &surface->children; link = link->next) {
		if (link == &surface->self_link) {
			fn(surface, x, y, data);
			continue;
		}
		struct zc_subsurface *sub = subsurface_from_link(link);
		struct zc_surface *child = subsurface_get_surface(sub);
		if (mapped_only && !surface_is_mapped(child))
			continue;
		int32_t sx, sy;
		subsurface_get_position(sub, &sx, &sy);
		surface_for_each_at(child, zc_sat32((int64_t)x + sx), zc_sat32((int64_t)y + sy),
			mapped_only, fn, data);
	}
}

void surface_for_each(struct zc_surface *surface, surface_iterator_fn fn, void *data)
{
	surface_for_each_at(surface, 0, 0, false, fn, data);
}

void surface_for_each_mapped(struct zc_surface *surface, surface_iterator_fn fn, void *data)
{
	surface_for_each_at(surface, 0, 0, true, fn, data);
}

struct zc_surface *surface_get_root(struct zc_surface *surface)
{
	struct zc_subsurface *sub;
	while ((sub = subsurface_from_surface(surface)) && subsurface_get_parent(sub))
		surface = subsurface_get_parent(sub);
	return surface;
}

bool surface_tree_mapped(struct zc_surface *surface)
{
	struct zc_subsurface *sub;
	for (;;) {
		if (!surface_is_mapped(surface))
			return false;
		if (!(sub = subsurface_from_surface(surface)) || !subsurface_get_parent(sub))
			break;
		surface = subsurface_get_parent(sub);
	}
	return surface->view && surface->view->mapped;
}

bool surface_get_layout_position(struct zc_surface *surface, int32_t *x, int32_t *y)
{
	int32_t ox = 0, oy = 0;
	struct zc_subsurface *sub;
	while ((sub = subsurface_from_surface(surface)) && subsurface_get_parent(sub)) {
		int32_t sx, sy;
		subsurface_get_position(sub, &sx, &sy);
		ox = zc_sat32((int64_t)ox + sx);
		oy = zc_sat32((int64_t)oy + sy);
		surface = subsurface_get_parent(sub);
	}
	if (!surface->view || !surface->view->mapped)
		return false;
	*x = zc_sat32((int64_t)surface->view->x + ox);
	*y = zc_sat32((int64_t)surface->view->y + oy);
	return true;
}

static void damage_one_surface(struct zc_surface *surface, int32_t sx, int32_t sy, void *data)
{
	int32_t *origin = data;
	if (surface->width > 0 && surface->height > 0)
		output_damage_layout_box(surface->server, zc_sat32((int64_t)origin[0] + sx),
			zc_sat32((int64_t)origin[1] + sy),
			surface->width, surface->height);
}

void surface_damage_whole(struct zc_surface *surface)
{
	int32_t origin[2];
	if (!surface_get_layout_position(surface, &origin[0], &origin[1]))
		return;
	surface_for_each(surface, damage_one_surface, origin);
}
