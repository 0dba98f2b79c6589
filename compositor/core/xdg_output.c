/*
 * zxdg_output_manager_v1: an output's logical position and size in the
 * layout, which wl_output alone cannot express.
 */
#include <stdlib.h>

#include "output.h"
#include "xdg-output-unstable-v1-server-protocol.h"

#define XDG_OUTPUT_MANAGER_VERSION 3

static void xdg_output_send(struct wl_resource *res, struct zc_output *output)
{
	zxdg_output_v1_send_logical_position(res, output->x, output->y);
	zxdg_output_v1_send_logical_size(res, output->logical_width, output->logical_height);
	int version = wl_resource_get_version(res);
	if (version >= ZXDG_OUTPUT_V1_NAME_SINCE_VERSION)
		zxdg_output_v1_send_name(res, output->name);
	if (version >= ZXDG_OUTPUT_V1_DESCRIPTION_SINCE_VERSION)
		zxdg_output_v1_send_description(res, output->description);
	/* From version 3 on, wl_output.done closes the batch. */
	if (version < 3)
		zxdg_output_v1_send_done(res);
}

void xdg_output_send_details(struct zc_output *output, struct wl_client *client)
{
	struct wl_resource *res;
	wl_resource_for_each(res, &output->xdg_outputs) {
		if (wl_resource_get_client(res) == client)
			xdg_output_send(res, output);
	}
}

void xdg_output_destroy_all(struct zc_output *output)
{
	struct wl_resource *res, *tmp;
	wl_resource_for_each_safe(res, tmp, &output->xdg_outputs) {
		wl_list_remove(wl_resource_get_link(res));
		wl_list_init(wl_resource_get_link(res));
		wl_resource_set_user_data(res, NULL);
	}
}

static void handle_xdg_output_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct zxdg_output_v1_interface xdg_output_impl = {
	.destroy = handle_xdg_output_destroy,
};

static void handle_xdg_output_resource_destroy(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

static void handle_manager_get_xdg_output(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *output_resource)
{
	struct wl_resource *res = wl_resource_create(client, &zxdg_output_v1_interface,
		wl_resource_get_version(resource), id);
	if (!res) {
		wl_resource_post_no_memory(resource);
		return;
	}
	struct zc_output *output = output_from_resource(output_resource);
	wl_resource_set_implementation(res, &xdg_output_impl, output,
		handle_xdg_output_resource_destroy);
	if (!output) { /* the output is already gone: an inert object */
		wl_list_init(wl_resource_get_link(res));
		return;
	}
	wl_list_insert(&output->xdg_outputs, wl_resource_get_link(res));
	xdg_output_send(res, output);
	if (wl_resource_get_version(res) >= 3 &&
	    wl_resource_get_version(output_resource) >= WL_OUTPUT_DONE_SINCE_VERSION)
		wl_output_send_done(output_resource);
}

static void handle_manager_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct zxdg_output_manager_v1_interface manager_impl = {
	.destroy = handle_manager_destroy,
	.get_xdg_output = handle_manager_get_xdg_output,
};

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *res = wl_resource_create(client, &zxdg_output_manager_v1_interface,
		(int)version, id);
	if (!res) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(res, &manager_impl, data, NULL);
}

bool xdg_output_global_create(struct zc_server *server)
{
	return wl_global_create(server->display, &zxdg_output_manager_v1_interface,
		XDG_OUTPUT_MANAGER_VERSION, server, bind_manager) != NULL;
}
