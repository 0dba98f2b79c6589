/*
 * wl_data_device_manager v3: the clipboard (selection). A client sets a
 * wl_data_source as the selection; the client with keyboard focus gets a
 * wl_data_offer for it (on focus, and whenever the selection changes) and
 * reads it with receive, which we forward to the source as send with the
 * client's pipe. Terminals (foot) refuse to start without this global.
 *
 * Drag-and-drop is not offered: start_drag cancels the source at once, which
 * the protocol allows (a compositor may refuse any drag).
 */
#include "data_device.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-server-protocol.h>

#define DATA_DEVICE_MANAGER_VERSION 3

struct zc_data_source {
	struct wl_resource *resource;
	struct zc_data_device *dd;
	struct wl_array mime_types; /* char * */
	bool actions_set; /* set_actions: a drag-and-drop source */
	bool used;        /* given to set_selection or start_drag once */
	struct wl_list offers; /* wl_data_offer resource links */
};

struct zc_data_device {
	struct zc_server *server;
	struct wl_global *global;
	struct wl_list devices; /* wl_data_device resource links */
	struct zc_data_source *selection;
	struct wl_client *focus; /* the keyboard focus's client */
	struct wl_listener focus_destroy;
};

static void unlink_resource(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

static void handle_resource_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

/* ---- offers ---- */

static void handle_offer_accept(struct wl_client *client, struct wl_resource *resource,
	uint32_t serial, const char *mime_type)
{
	/* Only meaningful during drag-and-drop, which never happens here. */
}

/* The client's end of a pipe goes to the source, which writes the data. */
static void handle_offer_receive(struct wl_client *client, struct wl_resource *resource,
	const char *mime_type, int32_t fd)
{
	struct zc_data_source *source = wl_resource_get_user_data(resource);
	if (source)
		wl_data_source_send_send(source->resource, mime_type, fd);
	close(fd);
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
	.receive = handle_offer_receive,
	.destroy = handle_resource_destroy,
	.finish = handle_offer_finish,
	.set_actions = handle_offer_set_actions,
};

/* Sends device a new offer of source (NULL: no selection). */
static void device_send_selection(struct wl_resource *device, struct zc_data_source *source)
{
	if (!source) {
		wl_data_device_send_selection(device, NULL);
		return;
	}
	struct wl_resource *offer = wl_resource_create(wl_resource_get_client(device),
		&wl_data_offer_interface, wl_resource_get_version(device), 0);
	if (!offer) {
		wl_resource_post_no_memory(device);
		return;
	}
	wl_resource_set_implementation(offer, &offer_impl, source, unlink_resource);
	wl_list_insert(&source->offers, wl_resource_get_link(offer));
	wl_data_device_send_data_offer(device, offer);
	char **mime;
	wl_array_for_each(mime, &source->mime_types)
		wl_data_offer_send_offer(offer, *mime);
	wl_data_device_send_selection(device, offer);
}

static void send_selection_to_focus(struct zc_data_device *dd)
{
	struct wl_resource *device;
	wl_resource_for_each(device, &dd->devices) {
		if (wl_resource_get_client(device) == dd->focus)
			device_send_selection(device, dd->selection);
	}
}

/* ---- sources ---- */

static void handle_source_offer(struct wl_client *client, struct wl_resource *resource,
	const char *mime_type)
{
	struct zc_data_source *source = wl_resource_get_user_data(resource);
	char **slot = wl_array_add(&source->mime_types, sizeof(*slot));
	char *copy = strdup(mime_type);
	if (!slot || !copy) {
		if (slot)
			source->mime_types.size -= sizeof(*slot);
		free(copy);
		wl_resource_post_no_memory(resource);
		return;
	}
	*slot = copy;
}

static void handle_source_set_actions(struct wl_client *client, struct wl_resource *resource,
	uint32_t dnd_actions)
{
	struct zc_data_source *source = wl_resource_get_user_data(resource);
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
	.offer = handle_source_offer,
	.destroy = handle_resource_destroy,
	.set_actions = handle_source_set_actions,
};

static void handle_source_resource_destroy(struct wl_resource *resource)
{
	struct zc_data_source *source = wl_resource_get_user_data(resource);
	if (source->dd->selection == source) {
		source->dd->selection = NULL;
		send_selection_to_focus(source->dd);
	}
	/* Offers of it stay alive, inert: receive does nothing. */
	struct wl_resource *offer, *tmp;
	wl_resource_for_each_safe(offer, tmp, &source->offers) {
		wl_resource_set_user_data(offer, NULL);
		wl_list_remove(wl_resource_get_link(offer));
		wl_list_init(wl_resource_get_link(offer));
	}
	char **mime;
	wl_array_for_each(mime, &source->mime_types)
		free(*mime);
	wl_array_release(&source->mime_types);
	free(source);
}

static void handle_manager_create_data_source(struct wl_client *client,
	struct wl_resource *resource, uint32_t id)
{
	struct zc_data_source *source = calloc(1, sizeof(*source));
	struct wl_resource *res = source ? wl_resource_create(client, &wl_data_source_interface,
		wl_resource_get_version(resource), id) : NULL;
	if (!res) {
		free(source);
		wl_client_post_no_memory(client);
		return;
	}
	source->resource = res;
	source->dd = wl_resource_get_user_data(resource);
	wl_array_init(&source->mime_types);
	wl_list_init(&source->offers);
	wl_resource_set_implementation(res, &source_impl, source, handle_source_resource_destroy);
}

/* ---- devices ---- */

/* A compositor may refuse any drag: this one refuses them all. */
static void handle_device_start_drag(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *source_resource, struct wl_resource *origin,
	struct wl_resource *icon, uint32_t serial)
{
	struct zc_data_source *source = source_resource ?
		wl_resource_get_user_data(source_resource) : NULL;
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

static void handle_device_set_selection(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *source_resource, uint32_t serial)
{
	struct zc_data_device *dd = wl_resource_get_user_data(resource);
	struct zc_data_source *source = source_resource ?
		wl_resource_get_user_data(source_resource) : NULL;
	if (!dd)
		return;
	if (source && source->used) {
		wl_resource_post_error(resource, WL_DATA_DEVICE_ERROR_USED_SOURCE,
			"the source was already used");
		return;
	}
	if (source && source->actions_set) {
		wl_resource_post_error(source_resource, WL_DATA_SOURCE_ERROR_INVALID_SOURCE,
			"a drag-and-drop source (set_actions) cannot be the selection");
		return;
	}
	if (source)
		source->used = true;
	struct zc_data_source *old = dd->selection;
	dd->selection = source;
	if (old)
		wl_data_source_send_cancelled(old->resource);
	send_selection_to_focus(dd);
}

static const struct wl_data_device_interface device_impl = {
	.start_drag = handle_device_start_drag,
	.set_selection = handle_device_set_selection,
	.release = handle_resource_destroy,
};

static void handle_manager_get_data_device(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *seat)
{
	struct zc_data_device *dd = wl_resource_get_user_data(resource);
	struct wl_resource *device = server_resource_create_listed(client,
		&wl_data_device_interface, wl_resource_get_version(resource), id, &device_impl, dd,
		&dd->devices);
	if (!device)
		return;
	if (client == dd->focus)
		device_send_selection(device, dd->selection);
}

static const struct wl_data_device_manager_interface manager_impl = {
	.create_data_source = handle_manager_create_data_source,
	.get_data_device = handle_manager_get_data_device,
};

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *resource = wl_resource_create(client,
		&wl_data_device_manager_interface, (int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &manager_impl, data, NULL);
}

/* ---- keyboard focus ---- */

static void handle_focus_client_destroy(struct wl_listener *listener, void *data)
{
	struct zc_data_device *dd = wl_container_of(listener, dd, focus_destroy);
	wl_list_remove(&dd->focus_destroy.link);
	dd->focus = NULL;
}

void data_device_set_focus(struct zc_server *server, struct wl_client *client)
{
	struct zc_data_device *dd = server->data_device;
	if (!dd || dd->focus == client)
		return;
	if (dd->focus)
		wl_list_remove(&dd->focus_destroy.link);
	dd->focus = client;
	if (!client)
		return;
	wl_client_add_destroy_listener(client, &dd->focus_destroy);
	send_selection_to_focus(dd);
}

bool data_device_global_create(struct zc_server *server)
{
	struct zc_data_device *dd = calloc(1, sizeof(*dd));
	if (!dd)
		return false;
	dd->server = server;
	wl_list_init(&dd->devices);
	dd->focus_destroy.notify = handle_focus_client_destroy;
	server->data_device = dd;
	dd->global = wl_global_create(server->display, &wl_data_device_manager_interface,
		DATA_DEVICE_MANAGER_VERSION, dd, bind_manager);
	return dd->global != NULL;
}

/* After wl_display_destroy_clients: no resource refers to it any more. */
void data_device_global_destroy(struct zc_server *server)
{
	struct zc_data_device *dd = server->data_device;
	if (!dd)
		return;
	if (dd->focus)
		wl_list_remove(&dd->focus_destroy.link);
	if (dd->global)
		wl_global_destroy(dd->global);
	free(dd);
	server->data_device = NULL;
}
