/*
 * A selection (see selection.h): the clipboard and the primary selection
 * run this same code with their own protocol table. A client sets a source
 * as the selection; the client with keyboard focus gets an offer for it (on
 * focus, and whenever the selection changes) and reads it with receive,
 * forwarded to the source as send with the client's pipe.
 */
#include "selection.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-server-protocol.h> /* wl_data_source errors: drag sources */

struct zc_data_device {
	struct zc_server *server;
	const struct zc_selection_protocol *protocol;
	struct wl_global *global;
	struct wl_list devices; /* device resource links */
	struct zc_data_source *selection;
	struct wl_client *focus; /* the keyboard focus's client */
	struct wl_listener focus_destroy;
};

static void unlink_resource(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

void selection_handle_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

/* ---- offers ---- */

struct zc_data_source *selection_source_from_resource(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

/* The client's end of a pipe goes to the source, which writes the data. */
void selection_handle_offer_receive(struct wl_client *client, struct wl_resource *resource,
	const char *mime_type, int32_t fd)
{
	struct zc_data_source *source = wl_resource_get_user_data(resource);
	if (source)
		source->dd->protocol->send_send(source->resource, mime_type, fd);
	close(fd);
}

/* Sends device a new offer of source (NULL: no selection). */
static void device_send_selection(struct zc_data_device *dd, struct wl_resource *device,
	struct zc_data_source *source)
{
	const struct zc_selection_protocol *p = dd->protocol;
	if (!source) {
		p->send_selection(device, NULL);
		return;
	}
	struct wl_resource *offer = wl_resource_create(wl_resource_get_client(device),
		p->offer, wl_resource_get_version(device), 0);
	if (!offer) {
		wl_resource_post_no_memory(device);
		return;
	}
	wl_resource_set_implementation(offer, p->offer_impl, source, unlink_resource);
	wl_list_insert(&source->offers, wl_resource_get_link(offer));
	p->send_data_offer(device, offer);
	char **mime;
	wl_array_for_each(mime, &source->mime_types)
		p->send_offer(offer, *mime);
	p->send_selection(device, offer);
}

static void send_selection_to_focus(struct zc_data_device *dd)
{
	struct wl_resource *device;
	wl_resource_for_each(device, &dd->devices) {
		if (wl_resource_get_client(device) == dd->focus)
			device_send_selection(dd, device, dd->selection);
	}
}

/* ---- sources ---- */

void selection_handle_source_offer(struct wl_client *client, struct wl_resource *resource,
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

void selection_handle_manager_create_source(struct wl_client *client,
	struct wl_resource *resource, uint32_t id)
{
	struct zc_data_device *dd = wl_resource_get_user_data(resource);
	struct zc_data_source *source = calloc(1, sizeof(*source));
	if (!source) {
		wl_client_post_no_memory(client);
		return;
	}
	source->dd = dd;
	wl_array_init(&source->mime_types);
	wl_list_init(&source->offers);
	source->resource = server_resource_create(client, dd->protocol->source,
		wl_resource_get_version(resource), id, dd->protocol->source_impl, source,
		handle_source_resource_destroy);
	if (!source->resource)
		free(source);
}

/* ---- devices ---- */

void selection_handle_device_set_selection(struct wl_client *client,
	struct wl_resource *resource, struct wl_resource *source_resource, uint32_t serial)
{
	struct zc_data_device *dd = wl_resource_get_user_data(resource);
	struct zc_data_source *source = source_resource ?
		wl_resource_get_user_data(source_resource) : NULL;
	if (!dd)
		return;
	if (source && source->used && dd->protocol->has_used_source_error) {
		wl_resource_post_error(resource, dd->protocol->used_source_error,
			"the source was already used");
		return;
	}
	if (source && source->actions_set) {
		wl_resource_post_error(source_resource, WL_DATA_SOURCE_ERROR_INVALID_SOURCE,
			"a drag-and-drop source (set_actions) cannot be the selection");
		return;
	}
	if (source == dd->selection)
		return;
	if (source)
		source->used = true;
	struct zc_data_source *old = dd->selection;
	dd->selection = source;
	if (old)
		dd->protocol->send_cancelled(old->resource);
	send_selection_to_focus(dd);
}

void selection_handle_manager_get_device(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *seat)
{
	struct zc_data_device *dd = wl_resource_get_user_data(resource);
	struct wl_resource *device = server_resource_create_listed(client, dd->protocol->device,
		wl_resource_get_version(resource), id, dd->protocol->device_impl, dd, &dd->devices);
	if (!device)
		return;
	if (client == dd->focus)
		device_send_selection(dd, device, dd->selection);
}

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct zc_data_device *dd = data;
	server_resource_create(client, dd->protocol->manager, (int)version, id,
		dd->protocol->manager_impl, dd, NULL);
}

/* ---- keyboard focus ---- */

static void handle_focus_client_destroy(struct wl_listener *listener, void *data)
{
	struct zc_data_device *dd = wl_container_of(listener, dd, focus_destroy);
	wl_list_remove(&dd->focus_destroy.link);
	dd->focus = NULL;
}

void selection_set_focus(struct zc_data_device *dd, struct wl_client *client)
{
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

struct zc_data_device *selection_global_create(struct zc_server *server,
	const struct zc_selection_protocol *protocol)
{
	struct zc_data_device *dd = calloc(1, sizeof(*dd));
	if (!dd)
		return NULL;
	dd->server = server;
	dd->protocol = protocol;
	wl_list_init(&dd->devices);
	dd->focus_destroy.notify = handle_focus_client_destroy;
	dd->global = wl_global_create(server->display, protocol->manager, protocol->version, dd,
		bind_manager);
	if (!dd->global) {
		free(dd);
		return NULL;
	}
	return dd;
}

void selection_global_destroy(struct zc_data_device *dd)
{
	if (!dd)
		return;
	if (dd->focus)
		wl_list_remove(&dd->focus_destroy.link);
	wl_global_destroy(dd->global);
	free(dd);
}
