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

struct zc_selection {
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
		source->sel->protocol->send_send(source->resource, mime_type, fd);
	close(fd);
}

/* Sends device a new offer of source (NULL: no selection). */
static void device_send_selection(struct zc_selection *sel, struct wl_resource *device,
	struct zc_data_source *source)
{
	const struct zc_selection_protocol *p = sel->protocol;
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

static void send_selection_to_focus(struct zc_selection *sel)
{
	struct wl_resource *device;
	wl_resource_for_each(device, &sel->devices) {
		if (wl_resource_get_client(device) == sel->focus)
			device_send_selection(sel, device, sel->selection);
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
	if (source->sel->selection == source) {
		source->sel->selection = NULL;
		send_selection_to_focus(source->sel);
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
	struct zc_selection *sel = wl_resource_get_user_data(resource);
	struct zc_data_source *source = calloc(1, sizeof(*source));
	if (!source) {
		wl_client_post_no_memory(client);
		return;
	}
	source->sel = sel;
	wl_array_init(&source->mime_types);
	wl_list_init(&source->offers);
	source->resource = server_resource_create(client, sel->protocol->source,
		wl_resource_get_version(resource), id, sel->protocol->source_impl, source,
		handle_source_resource_destroy);
	if (!source->resource)
		free(source);
}

/* ---- devices ---- */

void selection_handle_device_set_selection(struct wl_client *client,
	struct wl_resource *resource, struct wl_resource *source_resource, uint32_t serial)
{
	struct zc_selection *sel = wl_resource_get_user_data(resource);
	struct zc_data_source *source = source_resource ?
		wl_resource_get_user_data(source_resource) : NULL;
	if (!sel)
		return;
	if (source && source->used && sel->protocol->has_used_source_error) {
		wl_resource_post_error(resource, sel->protocol->used_source_error,
			"the source was already used");
		return;
	}
	if (source && source->actions_set) {
		wl_resource_post_error(source_resource, WL_DATA_SOURCE_ERROR_INVALID_SOURCE,
			"a drag-and-drop source (set_actions) cannot be the selection");
		return;
	}
	if (source == sel->selection)
		return;
	if (source)
		source->used = true;
	struct zc_data_source *old = sel->selection;
	sel->selection = source;
	if (old)
		sel->protocol->send_cancelled(old->resource);
	send_selection_to_focus(sel);
}

void selection_handle_manager_get_device(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *seat)
{
	struct zc_selection *sel = wl_resource_get_user_data(resource);
	struct wl_resource *device = server_resource_create_listed(client, sel->protocol->device,
		wl_resource_get_version(resource), id, sel->protocol->device_impl, sel, &sel->devices);
	if (!device)
		return;
	if (client == sel->focus)
		device_send_selection(sel, device, sel->selection);
}

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct zc_selection *sel = data;
	server_resource_create(client, sel->protocol->manager, (int)version, id,
		sel->protocol->manager_impl, sel, NULL);
}

/* ---- keyboard focus ---- */

static void handle_focus_client_destroy(struct wl_listener *listener, void *data)
{
	struct zc_selection *sel = wl_container_of(listener, sel, focus_destroy);
	wl_list_remove(&sel->focus_destroy.link);
	sel->focus = NULL;
}

void selection_set_focus(struct zc_selection *sel, struct wl_client *client)
{
	if (!sel || sel->focus == client)
		return;
	if (sel->focus)
		wl_list_remove(&sel->focus_destroy.link);
	sel->focus = client;
	if (!client)
		return;
	wl_client_add_destroy_listener(client, &sel->focus_destroy);
	send_selection_to_focus(sel);
}

struct zc_selection *selection_global_create(struct zc_server *server,
	const struct zc_selection_protocol *protocol)
{
	struct zc_selection *sel = calloc(1, sizeof(*sel));
	if (!sel)
		return NULL;
	sel->server = server;
	sel->protocol = protocol;
	wl_list_init(&sel->devices);
	sel->focus_destroy.notify = handle_focus_client_destroy;
	sel->global = wl_global_create(server->display, protocol->manager, protocol->version, sel,
		bind_manager);
	if (!sel->global) {
		free(sel);
		return NULL;
	}
	return sel;
}

void selection_global_destroy(struct zc_selection *sel)
{
	if (!sel)
		return;
	if (sel->focus)
		wl_list_remove(&sel->focus_destroy.link);
	wl_global_destroy(sel->global);
	free(sel);
}
