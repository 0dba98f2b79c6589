/*
 * zxdg_decoration_manager_v1: who draws a toplevel's title bar and borders.
 * zcomp draws no decorations at all, so the answer is always client_side:
 * clients that ask (SDL2, foot, Qt, Chromium) draw their own instead of
 * showing a bare window. Answering server_side would be a lie until zcomp
 * draws them.
 *
 * The decoration's configure goes out with each configure sequence of its
 * toplevel (xdg_decoration_send_configure, from xdg_toplevel.c), just before
 * xdg_surface.configure, as the protocol asks; but only from the first
 * sequence after the window mapped on, which one is scheduled for. SDL 2.26
 * (Debian 12) answered client_side in its initial configure switches to
 * libdecor while it is still showing the window for the first time, unmaps
 * it and never maps it again; told once the window is up, it re-maps with
 * libdecor's decorations. foot and Qt take the mode whenever it comes, as
 * the protocol allows ("a configure event can be sent at any time").
 */
#include <stdlib.h>

#include "xdg-decoration-unstable-v1-server-protocol.h"
#include "xdg-shell-server-protocol.h"
#include "xdg_shell.h"

#define DECORATION_MANAGER_VERSION 1

static const char decoration_owner;

/* One per toplevel: an addon on its wl_surface. */
struct zc_decoration {
	struct wl_resource *resource;
	struct zc_surface *surface;
	struct wl_resource *toplevel; /* NULL once the toplevel resource went */
	struct zc_addon addon;
	struct wl_listener toplevel_destroy;
	struct wl_listener client_destroy;
	struct wl_listener surface_commit;
	bool client_gone;
	bool mode_sent; /* from then on every configure sequence carries it */
};

static struct zc_decoration *decoration_from_surface(struct zc_surface *surface)
{
	struct zc_addon *addon = addon_find(&surface->addons, &decoration_owner);
	struct zc_decoration *deco;
	return addon ? wl_container_of(addon, deco, addon) : NULL;
}

/* Drops the links to the surface and toplevel; the resource stays, inert. */
static void decoration_detach(struct zc_decoration *deco)
{
	if (deco->toplevel)
		wl_list_remove(&deco->toplevel_destroy.link);
	deco->toplevel = NULL;
	if (deco->surface)
		addon_destroy(&deco->addon);
}

static void handle_decoration_addon_destroy(struct zc_addon *addon)
{
	struct zc_decoration *deco = wl_container_of(addon, deco, addon);
	wl_list_remove(&deco->surface_commit.link);
	deco->surface = NULL;
}

void xdg_decoration_send_configure(struct zc_xdg_toplevel *toplevel)
{
	struct zc_surface *surface = toplevel->base->surface;
	struct zc_decoration *deco = surface ? decoration_from_surface(surface) : NULL;
	if (!deco || (!deco->mode_sent && !toplevel->base->mapped))
		return;
	zxdg_toplevel_decoration_v1_send_configure(deco->resource,
		ZXDG_TOPLEVEL_DECORATION_V1_MODE_CLIENT_SIDE);
	deco->mode_sent = true;
}

/* The window is up: the next configure sequence tells the mode. */
static void handle_decoration_surface_commit(struct wl_listener *listener, void *data)
{
	struct zc_decoration *deco = wl_container_of(listener, deco, surface_commit);
	struct zc_xdg_toplevel *toplevel = deco->toplevel ?
		wl_resource_get_user_data(deco->toplevel) : NULL;
	if (deco->mode_sent || !toplevel || !toplevel->base->mapped)
		return;
	xdg_surface_schedule_configure(toplevel->base);
	wl_list_remove(&deco->surface_commit.link);
	wl_list_init(&deco->surface_commit.link);
}

/* The toplevel went first: an error, unless the whole client is going. */
static void handle_decoration_toplevel_destroy(struct wl_listener *listener, void *data)
{
	struct zc_decoration *deco = wl_container_of(listener, deco, toplevel_destroy);
	wl_list_remove(&deco->toplevel_destroy.link);
	deco->toplevel = NULL;
	if (!deco->client_gone)
		wl_resource_post_error(deco->resource, ZXDG_TOPLEVEL_DECORATION_V1_ERROR_ORPHANED,
			"xdg_toplevel destroyed before its decoration");
	decoration_detach(deco);
}

/* Client destroy listeners run before its resources are destroyed. */
static void handle_decoration_client_destroy(struct wl_listener *listener, void *data)
{
	struct zc_decoration *deco = wl_container_of(listener, deco, client_destroy);
	deco->client_gone = true;
}

static void handle_decoration_resource_destroy(struct wl_resource *resource)
{
	struct zc_decoration *deco = wl_resource_get_user_data(resource);
	decoration_detach(deco);
	wl_list_remove(&deco->client_destroy.link);
	free(deco);
}

static void handle_decoration_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

/* Whatever the client prefers, the next configure says client_side (once
 * the window is mapped). */
static void decoration_reconfigure(struct zc_decoration *deco)
{
	struct zc_xdg_toplevel *toplevel = deco->toplevel ?
		wl_resource_get_user_data(deco->toplevel) : NULL;
	if (toplevel && toplevel->base->mapped)
		xdg_surface_schedule_configure(toplevel->base);
}

static void handle_decoration_set_mode(struct wl_client *client, struct wl_resource *resource,
	uint32_t mode)
{
	if (mode != ZXDG_TOPLEVEL_DECORATION_V1_MODE_CLIENT_SIDE &&
	    mode != ZXDG_TOPLEVEL_DECORATION_V1_MODE_SERVER_SIDE) {
		wl_resource_post_error(resource, ZXDG_TOPLEVEL_DECORATION_V1_ERROR_INVALID_MODE,
			"invalid decoration mode %u", mode);
		return;
	}
	decoration_reconfigure(wl_resource_get_user_data(resource));
}

static void handle_decoration_unset_mode(struct wl_client *client,
	struct wl_resource *resource)
{
	decoration_reconfigure(wl_resource_get_user_data(resource));
}

static const struct zxdg_toplevel_decoration_v1_interface decoration_impl = {
	.destroy = handle_decoration_destroy,
	.set_mode = handle_decoration_set_mode,
	.unset_mode = handle_decoration_unset_mode,
};

/* A buffer attached before the first configure was acked. Clients that
 * ask for a decoration after mapping (Qt may) are served, not killed. */
static bool toplevel_has_unconfigured_buffer(struct zc_xdg_toplevel *toplevel)
{
	struct zc_surface *surface = toplevel->base->surface;
	return !toplevel->base->configured && surface &&
		(surface->buffer || ((surface->pending.fields & ZC_STATE_BUFFER) &&
			surface->pending.buffer));
}

/* The errors are the decoration's: posted on the new object. */
static bool decoration_check(struct wl_resource *resource, struct zc_xdg_toplevel *toplevel)
{
	if (toplevel_has_unconfigured_buffer(toplevel)) {
		wl_resource_post_error(resource, ZXDG_TOPLEVEL_DECORATION_V1_ERROR_UNCONFIGURED_BUFFER,
			"xdg_toplevel has a buffer attached before its first configure");
		return false;
	}
	if (decoration_from_surface(toplevel->base->surface)) {
		wl_resource_post_error(resource, ZXDG_TOPLEVEL_DECORATION_V1_ERROR_ALREADY_CONSTRUCTED,
			"xdg_toplevel already has a decoration object");
		return false;
	}
	return true;
}

static void decoration_attach(struct zc_decoration *deco, struct wl_resource *toplevel_resource)
{
	struct zc_xdg_toplevel *toplevel = wl_resource_get_user_data(toplevel_resource);
	deco->toplevel = toplevel_resource;
	deco->toplevel_destroy.notify = handle_decoration_toplevel_destroy;
	wl_resource_add_destroy_listener(toplevel_resource, &deco->toplevel_destroy);
	deco->surface = toplevel->base->surface;
	addon_init(&deco->addon, &deco->surface->addons, &decoration_owner,
		handle_decoration_addon_destroy);
	deco->surface_commit.notify = handle_decoration_surface_commit;
	wl_signal_add(&deco->surface->commit_signal, &deco->surface_commit);
	if (toplevel->base->mapped)
		xdg_surface_schedule_configure(toplevel->base);
}

/* An inert toplevel (its xdg_surface or wl_surface went) gets an inert
 * decoration. */
static void handle_manager_get_toplevel_decoration(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *toplevel_resource)
{
	struct zc_xdg_toplevel *toplevel = wl_resource_get_user_data(toplevel_resource);
	struct zc_decoration *deco = calloc(1, sizeof(*deco));
	if (!deco) {
		wl_client_post_no_memory(client);
		return;
	}
	struct wl_resource *res = server_resource_create(client,
		&zxdg_toplevel_decoration_v1_interface, wl_resource_get_version(resource), id,
		&decoration_impl, deco, handle_decoration_resource_destroy);
	if (!res) {
		free(deco);
		return;
	}
	deco->resource = res;
	deco->client_destroy.notify = handle_decoration_client_destroy;
	wl_client_add_destroy_listener(client, &deco->client_destroy);
	if (toplevel && toplevel->base->surface && decoration_check(res, toplevel))
		decoration_attach(deco, toplevel_resource);
}

static const struct zxdg_decoration_manager_v1_interface manager_impl = {
	.destroy = handle_decoration_destroy,
	.get_toplevel_decoration = handle_manager_get_toplevel_decoration,
};

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	server_resource_create(client, &zxdg_decoration_manager_v1_interface, (int)version, id,
		&manager_impl, data, NULL);
}

bool xdg_decoration_global_create(struct zc_server *server)
{
	return wl_global_create(server->display, &zxdg_decoration_manager_v1_interface,
		DECORATION_MANAGER_VERSION, server, bind_manager) != NULL;
}
