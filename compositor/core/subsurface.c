/*
 * wl_subcompositor and wl_subsurface. A synchronized subsurface's commits
 * are cached and applied with its parent's next commit, so parent and
 * children change atomically; stacking order and position are parent state
 * too, applied by subsurface_parent_commit().
 */
#include <stdlib.h>

#include "base/util.h"
#include "output.h"
#include "surface.h"

struct zc_subsurface {
	struct wl_resource *resource;
	struct zc_surface *surface;
	struct zc_surface *parent;   /* NULL once the parent is destroyed */
	struct wl_list link;         /* parent->children */
	struct wl_list pending_link; /* parent->children_pending */
	int32_t x, y;
	int32_t pending_x, pending_y;
	bool synchronized;
	bool has_cache;
	struct zc_surface_state cached;
	struct wl_listener surface_destroy;
	struct wl_listener parent_destroy;
};

static bool subsurface_cache(struct zc_surface *surface, struct zc_surface_state *state);

static const struct zc_surface_role subsurface_role = {
	.name = "wl_subsurface",
	.cache = subsurface_cache,
};

struct zc_subsurface *subsurface_from_surface(struct zc_surface *surface)
{
	return surface->role == &subsurface_role ? surface->role_data : NULL;
}

struct zc_subsurface *subsurface_from_link(struct wl_list *link)
{
	return container_of(link, struct zc_subsurface, link);
}

struct zc_subsurface *subsurface_from_pending_link(struct wl_list *link)
{
	return container_of(link, struct zc_subsurface, pending_link);
}

struct zc_surface *subsurface_get_surface(struct zc_subsurface *sub)
{
	return sub->surface;
}

struct zc_surface *subsurface_get_parent(struct zc_subsurface *sub)
{
	return sub->parent;
}

void subsurface_get_position(struct zc_subsurface *sub, int32_t *x, int32_t *y)
{
	*x = sub->x;
	*y = sub->y;
}

/* A subsurface is synchronized if it, or any ancestor subsurface, is. */
static bool subsurface_effectively_sync(struct zc_subsurface *sub)
{
	for (; sub; sub = sub->parent ? subsurface_from_surface(sub->parent) : NULL) {
		if (sub->synchronized)
			return true;
	}
	return false;
}

bool subsurface_is_synchronized(struct zc_surface *surface)
{
	struct zc_subsurface *sub = subsurface_from_surface(surface);
	return sub && subsurface_effectively_sync(sub);
}

static bool subsurface_cache(struct zc_surface *surface, struct zc_surface_state *state)
{
	if (!subsurface_is_synchronized(surface))
		return false;
	struct zc_subsurface *sub = subsurface_from_surface(surface);
	surface_state_move(&sub->cached, state);
	sub->has_cache = true;
	return true;
}

static void subsurface_apply_cache(struct zc_subsurface *sub)
{
	if (!sub->has_cache)
		return;
	sub->has_cache = false;
	surface_apply_state(sub->surface, &sub->cached);
}

/* Pending stacking order becomes current: rebuild `children` in the order
 * of `children_pending`. Returns whether the order changed. */
static bool parent_apply_order(struct zc_surface *parent)
{
	bool changed = false;
	struct wl_list *link, *at = parent->children.next;
	for (link = parent->children_pending.next; link != &parent->children_pending;
	     link = link->next) {
		struct wl_list *current;
		if (link == &parent->self_pending_link) {
			current = &parent->self_link;
		} else {
			struct zc_subsurface *sub = wl_container_of(link, sub, pending_link);
			current = &sub->link;
		}
		changed |= current != at;
		at = current->next;
		wl_list_remove(current);
		wl_list_insert(parent->children.prev, current);
	}
	return changed;
}

void subsurface_parent_commit(struct zc_surface *parent)
{
	bool moved = parent_apply_order(parent);
	struct zc_subsurface *sub, *tmp;
	wl_list_for_each_safe(sub, tmp, &parent->children, link) {
		if (&sub->link == &parent->self_link)
			continue;
		if (sub->x != sub->pending_x || sub->y != sub->pending_y) {
			surface_damage_whole(sub->surface);
			sub->x = sub->pending_x;
			sub->y = sub->pending_y;
			surface_damage_whole(sub->surface);
			moved = true;
		}
		if (subsurface_effectively_sync(sub))
			subsurface_apply_cache(sub);
	}
	if (moved)
		view_notify_scene_changed(parent->server);
}

static void subsurface_detach(struct zc_subsurface *sub)
{
	if (!sub->parent)
		return;
	surface_damage_whole(sub->surface);
	wl_list_remove(&sub->link);
	wl_list_remove(&sub->pending_link);
	wl_list_remove(&sub->parent_destroy.link);
	sub->parent = NULL;
	view_notify_scene_changed(sub->surface->server);
}

static void subsurface_destroy(struct zc_subsurface *sub)
{
	if (!sub)
		return;
	subsurface_detach(sub);
	wl_list_remove(&sub->surface_destroy.link);
	surface_state_finish(&sub->cached);
	sub->surface->role_data = NULL;
	wl_resource_set_user_data(sub->resource, NULL);
	free(sub);
}

static void handle_subsurface_parent_destroy(struct wl_listener *listener, void *data)
{
	struct zc_subsurface *sub = wl_container_of(listener, sub, parent_destroy);
	subsurface_detach(sub);
}

static void handle_subsurface_surface_destroy(struct wl_listener *listener, void *data)
{
	struct zc_subsurface *sub = wl_container_of(listener, sub, surface_destroy);
	subsurface_destroy(sub);
}

static void handle_subsurface_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void handle_subsurface_set_position(struct wl_client *client,
	struct wl_resource *resource, int32_t x, int32_t y)
{
	struct zc_subsurface *sub = wl_resource_get_user_data(resource);
	if (!sub)
		return;
	/* Clamped: further out is as invisible, and sums along a subsurface
	 * tree then stay in int32 (see ZC_COORD_LIMIT). */
	sub->pending_x = (int32_t)zc_clamp64(x, -ZC_COORD_LIMIT, ZC_COORD_LIMIT);
	sub->pending_y = (int32_t)zc_clamp64(y, -ZC_COORD_LIMIT, ZC_COORD_LIMIT);
}

/* The pending-order link of a sibling (or of the parent itself), or NULL
 * if `sibling` is neither. */
static struct wl_list *sibling_pending_link(struct zc_subsurface *sub,
	struct wl_resource *sibling_resource)
{
	struct zc_surface *sibling = surface_from_resource(sibling_resource);
	if (sibling == sub->parent)
		return &sub->parent->self_pending_link;
	struct zc_subsurface *other = subsurface_from_surface(sibling);
	if (!other || other == sub || other->parent != sub->parent)
		return NULL;
	return &other->pending_link;
}

static void subsurface_place(struct wl_resource *resource, struct wl_resource *sibling,
	bool above)
{
	struct zc_subsurface *sub = wl_resource_get_user_data(resource);
	if (!sub || !sub->parent)
		return;
	struct wl_list *anchor = sibling_pending_link(sub, sibling);
	if (!anchor) {
		wl_resource_post_error(resource, WL_SUBSURFACE_ERROR_BAD_SURFACE,
			"wl_surface@%u is not a sibling or the parent", wl_resource_get_id(sibling));
		return;
	}
	wl_list_remove(&sub->pending_link);
	wl_list_insert(above ? anchor : anchor->prev, &sub->pending_link);
}

static void handle_subsurface_place_above(struct wl_client *client,
	struct wl_resource *resource, struct wl_resource *sibling)
{
	subsurface_place(resource, sibling, true);
}

static void handle_subsurface_place_below(struct wl_client *client,
	struct wl_resource *resource, struct wl_resource *sibling)
{
	subsurface_place(resource, sibling, false);
}

static void handle_subsurface_set_sync(struct wl_client *client, struct wl_resource *resource)
{
	struct zc_subsurface *sub = wl_resource_get_user_data(resource);
	if (sub)
		sub->synchronized = true;
}

static void handle_subsurface_set_desync(struct wl_client *client, struct wl_resource *resource)
{
	struct zc_subsurface *sub = wl_resource_get_user_data(resource);
	if (!sub || !sub->synchronized)
		return;
	sub->synchronized = false;
	/* Cached state is applied now that nothing holds it back. */
	if (!subsurface_effectively_sync(sub))
		subsurface_apply_cache(sub);
}

static const struct wl_subsurface_interface subsurface_impl = {
	.destroy = handle_subsurface_destroy,
	.set_position = handle_subsurface_set_position,
	.place_above = handle_subsurface_place_above,
	.place_below = handle_subsurface_place_below,
	.set_sync = handle_subsurface_set_sync,
	.set_desync = handle_subsurface_set_desync,
};

static void handle_subsurface_resource_destroy(struct wl_resource *resource)
{
	subsurface_destroy(wl_resource_get_user_data(resource));
}

static bool is_ancestor(struct zc_surface *maybe_ancestor, struct zc_surface *surface)
{
	struct zc_subsurface *sub;
	for (; surface; surface = sub ? sub->parent : NULL) {
		if (surface == maybe_ancestor)
			return true;
		sub = subsurface_from_surface(surface);
	}
	return false;
}

static bool check_subsurface_request(struct wl_resource *resource, struct zc_surface *surface,
	struct zc_surface *parent)
{
	if (surface->role_data && surface->role == &subsurface_role) {
		wl_resource_post_error(resource, WL_SUBCOMPOSITOR_ERROR_BAD_SURFACE,
			"wl_surface@%u is already a subsurface", wl_resource_get_id(surface->resource));
		return false;
	}
	if (is_ancestor(surface, parent)) {
		wl_resource_post_error(resource, WL_SUBCOMPOSITOR_ERROR_BAD_PARENT,
			"wl_surface@%u cannot be its own ancestor",
			wl_resource_get_id(surface->resource));
		return false;
	}
	return true;
}

static void handle_subcompositor_get_subsurface(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *surface_resource,
	struct wl_resource *parent_resource)
{
	struct zc_surface *surface = surface_from_resource(surface_resource);
	struct zc_surface *parent = surface_from_resource(parent_resource);
	if (!check_subsurface_request(resource, surface, parent))
		return;
	struct zc_subsurface *sub = calloc(1, sizeof(*sub));
	if (!sub)
		goto err_alloc;
	sub->resource = wl_resource_create(client, &wl_subsurface_interface, 1, id);
	if (!sub->resource)
		goto err_resource;
	if (!surface_set_role(surface, &subsurface_role, sub, resource,
		    WL_SUBCOMPOSITOR_ERROR_BAD_SURFACE)) {
		wl_resource_destroy(sub->resource);
		free(sub);
		return;
	}
	wl_resource_set_implementation(sub->resource, &subsurface_impl, sub,
		handle_subsurface_resource_destroy);
	sub->surface = surface;
	sub->parent = parent;
	sub->synchronized = true;
	surface_state_init(&sub->cached);
	/* New subsurfaces go on top of the parent's stack (pending order). */
	wl_list_insert(parent->children.prev, &sub->link);
	wl_list_insert(parent->children_pending.prev, &sub->pending_link);
	sub->surface_destroy.notify = handle_subsurface_surface_destroy;
	wl_signal_add(&surface->destroy_signal, &sub->surface_destroy);
	sub->parent_destroy.notify = handle_subsurface_parent_destroy;
	wl_signal_add(&parent->destroy_signal, &sub->parent_destroy);
	return;

err_resource:
	free(sub);
err_alloc:
	wl_resource_post_no_memory(resource);
}

static void handle_subcompositor_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_subcompositor_interface subcompositor_impl = {
	.destroy = handle_subcompositor_destroy,
	.get_subsurface = handle_subcompositor_get_subsurface,
};

static void bind_subcompositor(struct wl_client *client, void *data, uint32_t version,
	uint32_t id)
{
	struct wl_resource *res = wl_resource_create(client, &wl_subcompositor_interface,
		(int)version, id);
	if (!res) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(res, &subcompositor_impl, data, NULL);
}

bool subcompositor_global_create(struct zc_server *server)
{
	return wl_global_create(server->display, &wl_subcompositor_interface, 1, server,
		bind_subcompositor) != NULL;
}
