/*
 * wp_fractional_scale_manager_v1: tells each surface the scale to draw at,
 * --scale (in 120ths), the same on every output.
 *
 * The outputs are magnified by the same F (core/output_scale.c): a client
 * that follows preferred_scale draws its buffer at F pixels per logical
 * pixel and sets a wp_viewport destination of its logical size; that buffer
 * then lands on the output pixel for pixel, unscaled.
 */
#include "fractional_scale.h"

#include <stdlib.h>

#include "base/addon.h"
#include "core/surface.h"
#include "fractional-scale-v1-server-protocol.h"

#define FRACTIONAL_SCALE_VERSION 1

static const char fractional_scale_owner;

/* On the surface while its wp_fractional_scale_v1 lives. */
struct fractional_scale {
	struct wl_resource *resource;
	struct zc_addon addon;
	bool on_surface;
};

static void handle_fractional_scale_addon_destroy(struct zc_addon *addon)
{
	struct fractional_scale *fs = wl_container_of(addon, fs, addon);
	fs->on_surface = false; /* the surface went: the object is inert */
}

static void handle_fractional_scale_resource_destroy(struct wl_resource *resource)
{
	struct fractional_scale *fs = wl_resource_get_user_data(resource);
	if (fs->on_surface)
		addon_destroy(&fs->addon);
	free(fs);
}

static void handle_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_fractional_scale_v1_interface fractional_scale_impl = {
	.destroy = handle_destroy,
};

static void handle_manager_get_fractional_scale(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *surface_resource)
{
	const struct zc_server *server = wl_resource_get_user_data(resource);
	struct zc_surface *surface = surface_from_resource(surface_resource);
	if (addon_find(&surface->addons, &fractional_scale_owner)) {
		wl_resource_post_error(resource,
			WP_FRACTIONAL_SCALE_MANAGER_V1_ERROR_FRACTIONAL_SCALE_EXISTS,
			"the wl_surface already has a wp_fractional_scale_v1");
		return;
	}
	struct fractional_scale *fs = calloc(1, sizeof(*fs));
	if (!fs) {
		wl_client_post_no_memory(client);
		return;
	}
	fs->resource = server_resource_create(client, &wp_fractional_scale_v1_interface,
		wl_resource_get_version(resource), id, &fractional_scale_impl, fs,
		handle_fractional_scale_resource_destroy);
	if (!fs->resource) {
		free(fs);
		return;
	}
	fs->on_surface = true;
	addon_init(&fs->addon, &surface->addons, &fractional_scale_owner,
		handle_fractional_scale_addon_destroy);
	/* One scale for every output: known now, and never changes. */
	uint32_t scale = server->options->scale_120 ? server->options->scale_120 : 120;
	wp_fractional_scale_v1_send_preferred_scale(fs->resource, scale);
}

static const struct wp_fractional_scale_manager_v1_interface manager_impl = {
	.destroy = handle_destroy,
	.get_fractional_scale = handle_manager_get_fractional_scale,
};

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	server_resource_create(client, &wp_fractional_scale_manager_v1_interface, (int)version, id,
		&manager_impl, data, NULL);
}

bool fractional_scale_global_create(struct zc_server *server)
{
	return wl_global_create(server->display, &wp_fractional_scale_manager_v1_interface,
		FRACTIONAL_SCALE_VERSION, server, bind_manager) != NULL;
}
