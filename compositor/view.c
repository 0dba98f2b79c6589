/*
 * Views: root surfaces placed in the layout by a shell, kept in stacking
 * order (server->views, bottom to top). Every change damages what it
 * uncovers and what it covers.
 */
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

void view_map(struct zc_view *view)
{
	if (view->mapped)
		return;
	view->mapped = true;
	wl_list_insert(view->surface->server->views.prev, &view->link);
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
}

struct zc_view *view_top(struct zc_server *server)
{
	if (wl_list_empty(&server->views))
		return NULL;
	struct zc_view *view = wl_container_of(server->views.prev, view, link);
	return view;
}
