/*
 * wp_tearing_control_manager_v1: a surface's presentation hint, vsync or
 * async, is double-buffered surface state (zc_surface_state.async_hint,
 * applied with the commit). Core reads it when the surface's buffer is the
 * whole frame on the primary plane, and the KMS backend then flips
 * asynchronously where the driver takes it (backends/kms/kms_output.c);
 * presentation feedback without VSYNC tells the client it happened.
 *
 * One wp_tearing_control_v1 per surface at a time (tearing_control_exists);
 * destroying it reverts the hint to vsync at the next commit. After the
 * surface is gone the object is inert: the XML names no error for it, nor
 * for an unknown hint, which is ignored.
 */
#include <stdlib.h>

#include "tearing-control-v1-server-protocol.h"
#include "pacing.h"

#include "base/addon.h"
#include "base/log.h"
#include "core/surface.h"

struct tearing_surface {
	struct zc_addon addon;
	struct zc_surface *surface;
	struct wl_resource *resource;
};

static const char tearing_owner;

static void set_pending_hint(struct zc_surface *surface, bool async)
{
	surface->pending.async_hint = async;
	surface->pending.fields |= ZC_STATE_PRESENT_HINT;
}

/* The surface goes first: its tearing control object stays, inert. */
static void tearing_surface_destroy(struct zc_addon *addon)
{
	struct tearing_surface *ts = wl_container_of(addon, ts, addon);
	wl_resource_set_user_data(ts->resource, NULL);
	free(ts);
}

static void handle_set_presentation_hint(struct wl_client *client,
	struct wl_resource *resource, uint32_t hint)
{
	struct tearing_surface *ts = wl_resource_get_user_data(resource);
	if (!ts)
		return;
	if (!wp_tearing_control_v1_presentation_hint_is_valid(hint,
		    wl_resource_get_version(resource))) {
		/* The XML names no error for it: the request is ignored. */
		zc_warn("tearing-control: unknown presentation hint %u ignored", hint);
		return;
	}
	set_pending_hint(ts->surface, hint == WP_TEARING_CONTROL_V1_PRESENTATION_HINT_ASYNC);
}

static void handle_tearing_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_tearing_control_v1_interface tearing_impl = {
	.set_presentation_hint = handle_set_presentation_hint,
	.destroy = handle_tearing_destroy,
};

/* The XML: the hint reverts to vsync, applied at the next commit. */
static void handle_tearing_resource_destroy(struct wl_resource *resource)
{
	struct tearing_surface *ts = wl_resource_get_user_data(resource);
	if (!ts)
		return;
	set_pending_hint(ts->surface, false);
	addon_destroy(&ts->addon);
}

static void handle_manager_get_tearing_control(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *surface_resource)
{
	struct zc_surface *surface = surface_from_resource(surface_resource);
	if (addon_find(&surface->addons, &tearing_owner)) {
		wl_resource_post_error(resource,
			WP_TEARING_CONTROL_MANAGER_V1_ERROR_TEARING_CONTROL_EXISTS,
			"wl_surface@%u already has a wp_tearing_control_v1",
			wl_resource_get_id(surface_resource));
		return;
	}
	struct tearing_surface *ts = calloc(1, sizeof(*ts));
	if (!ts)
		goto err;
	ts->resource = wl_resource_create(client, &wp_tearing_control_v1_interface,
		wl_resource_get_version(resource), id);
	if (!ts->resource)
		goto err_free;
	ts->surface = surface;
	wl_resource_set_implementation(ts->resource, &tearing_impl, ts,
		handle_tearing_resource_destroy);
	addon_init(&ts->addon, &surface->addons, &tearing_owner, tearing_surface_destroy);
	return;

err_free:
	free(ts);
err:
	wl_resource_post_no_memory(resource);
}

static void handle_manager_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_tearing_control_manager_v1_interface manager_impl = {
	.destroy = handle_manager_destroy,
	.get_tearing_control = handle_manager_get_tearing_control,
};

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *res = wl_resource_create(client,
		&wp_tearing_control_manager_v1_interface, (int)version, id);
	if (!res) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(res, &manager_impl, data, NULL);
}

bool tearing_control_global_create(struct zc_server *server)
{
	return wl_global_create(server->display, &wp_tearing_control_manager_v1_interface, 1,
		server, bind_manager) != NULL;
}
