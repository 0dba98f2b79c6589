/*
 * wl_data_device_manager v3: the clipboard (selection), on the code it
 * shares with the primary selection (selection.c). Terminals (foot) refuse
 * to start without this global.
 *
 * Drag-and-drop is not offered: start_drag cancels the source at once, which
 * the protocol allows (a compositor may refuse any drag). What is here is
 * what only this protocol has: drag sources and the offers' drag requests.
 */
#include "data_device.h"

#include <wayland-server-protocol.h>

#include "selection.h"

#define DATA_DEVICE_MANAGER_VERSION 3

static void handle_offer_accept(struct wl_client *client, struct wl_resource *resource,
	uint32_t serial, const char *mime_type)
{
	/* Only meaningful during drag-and-drop, which never happens here. */
}

static void handle_offer_finish(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_post_error(resource, WL_DATA_OFFER_ERROR_INVALID_FINISH,
		"finish on a selection offer (not drag-and-drop)");
}

static void handle_offer_set_actions(struct wl_client *client, struct wl_resource *resource,
	uint32_t dnd_actions, uint32_t preferred_action)
{
	wl_resource_post_error(resource, WL_DATA_OFFER_ERROR_INVALID_OFFER,
		"set_actions on a selection offer (not drag-and-drop)");
}

static const struct wl_data_offer_interface offer_impl = {
	.accept = handle_offer_accept,
	.receive = selection_handle_offer_receive,
	.destroy = selection_handle_destroy,
	.finish = handle_offer_finish,
	.set_actions = handle_offer_set_actions,
};

static void handle_source_set_actions(struct wl_client *client, struct wl_resource *resource,
	uint32_t dnd_actions)
{
	struct zc_data_source *source = selection_source_from_resource(resource);
	const uint32_t all = WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY |
		WL_DATA_DEVICE_MANAGER_DND_ACTION_MOVE | WL_DATA_DEVICE_MANAGER_DND_ACTION_ASK;
	if (dnd_actions & ~all) {
		wl_resource_post_error(resource, WL_DATA_SOURCE_ERROR_INVALID_ACTION_MASK,
			"invalid drag-and-drop actions %#x", dnd_actions);
		return;
	}
	if (source->actions_set || source->used) {
		wl_resource_post_error(resource, WL_DATA_SOURCE_ERROR_INVALID_SOURCE,
			"set_actions must come once, before start_drag");
		return;
	}
	source->actions_set = true;
}

static const struct wl_data_source_interface source_impl = {
	.offer = selection_handle_source_offer,
	.destroy = selection_handle_destroy,
	.set_actions = handle_source_set_actions,
};

/* A compositor may refuse any drag: this one refuses them all. */
static void handle_device_start_drag(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *source_resource, struct wl_resource *origin,
	struct wl_resource *icon, uint32_t serial)
{
	struct zc_data_source *source = source_resource ?
		selection_source_from_resource(source_resource) : NULL;
	if (!source)
		return;
	if (source->used) {
		wl_resource_post_error(resource, WL_DATA_DEVICE_ERROR_USED_SOURCE,
			"the source was already used");
		return;
	}
	source->used = true;
	wl_data_source_send_cancelled(source->resource);
}

static const struct wl_data_device_interface device_impl = {
	.start_drag = handle_device_start_drag,
	.set_selection = selection_handle_device_set_selection,
	.release = selection_handle_destroy,
};

static const struct wl_data_device_manager_interface manager_impl = {
	.create_data_source = selection_handle_manager_create_source,
	.get_data_device = selection_handle_manager_get_device,
};

static const struct zc_selection_protocol data_device_protocol = {
	.version = DATA_DEVICE_MANAGER_VERSION,
	.manager = &wl_data_device_manager_interface,
	.device = &wl_data_device_interface,
	.source = &wl_data_source_interface,
	.offer = &wl_data_offer_interface,
	.manager_impl = &manager_impl,
	.device_impl = &device_impl,
	.source_impl = &source_impl,
	.offer_impl = &offer_impl,
	.send_data_offer = wl_data_device_send_data_offer,
	.send_selection = wl_data_device_send_selection,
	.send_offer = wl_data_offer_send_offer,
	.send_send = wl_data_source_send_send,
	.send_cancelled = wl_data_source_send_cancelled,
	.has_used_source_error = true,
	.used_source_error = WL_DATA_DEVICE_ERROR_USED_SOURCE,
};

void data_device_set_focus(struct zc_server *server, struct wl_client *client)
{
	selection_set_focus(server->data_device, client);
	selection_set_focus(server->primary_selection, client);
}

bool data_device_global_create(struct zc_server *server)
{
	server->data_device = selection_global_create(server, &data_device_protocol);
	return server->data_device != NULL;
}

void data_device_global_destroy(struct zc_server *server)
{
	selection_global_destroy(server->data_device);
	server->data_device = NULL;
}
