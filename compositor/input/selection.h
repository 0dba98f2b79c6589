#ifndef ZC_SELECTION_H
#define ZC_SELECTION_H

/*
 * What the clipboard (wl_data_device_manager) and the primary selection
 * (zwp_primary_selection_device_manager_v1) share: both are a manager that
 * makes sources and devices, one selection at a time offered to the client
 * with keyboard focus, offers whose receive is forwarded to the source as
 * send. selection.c holds that code once; each protocol gives its
 * interfaces, request tables and event senders here, and keeps what only it
 * has (drag-and-drop) in its own file.
 */

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

#include "core/server.h"

struct zc_selection_protocol {
	int version;
	const struct wl_interface *manager, *device, *source, *offer;
	const void *manager_impl, *device_impl, *source_impl, *offer_impl;
	void (*send_data_offer)(struct wl_resource *device, struct wl_resource *offer);
	void (*send_selection)(struct wl_resource *device, struct wl_resource *offer);
	void (*send_offer)(struct wl_resource *offer, const char *mime_type);
	void (*send_send)(struct wl_resource *source, const char *mime_type, int32_t fd);
	void (*send_cancelled)(struct wl_resource *source);
	/* The device's used_source error code; false: the protocol has none. */
	bool has_used_source_error;
	uint32_t used_source_error;
};

struct zc_data_source {
	struct wl_resource *resource;
	struct zc_selection *sel;
	struct wl_array mime_types; /* char * */
	bool actions_set; /* set_actions: a drag-and-drop source */
	bool used;        /* given to set_selection or start_drag once */
	struct wl_list offers; /* offer resource links */
};

/* Creates the global of protocol; NULL on failure. */
struct zc_selection *selection_global_create(struct zc_server *server,
	const struct zc_selection_protocol *protocol);
/* After wl_display_destroy_clients: no resource refers to it any more. */
void selection_global_destroy(struct zc_selection *sel);
/* The keyboard focus moved to client (NULL: none): it gets the selection. */
void selection_set_focus(struct zc_selection *sel, struct wl_client *client);
/* The source of an offer, or NULL once the source went. */
struct zc_data_source *selection_source_from_resource(struct wl_resource *resource);

/* Requests both protocols handle alike, for their request tables. */
void selection_handle_destroy(struct wl_client *client, struct wl_resource *resource);
void selection_handle_offer_receive(struct wl_client *client, struct wl_resource *resource,
	const char *mime_type, int32_t fd);
void selection_handle_source_offer(struct wl_client *client, struct wl_resource *resource,
	const char *mime_type);
void selection_handle_device_set_selection(struct wl_client *client,
	struct wl_resource *resource, struct wl_resource *source_resource, uint32_t serial);
void selection_handle_manager_create_source(struct wl_client *client,
	struct wl_resource *resource, uint32_t id);
void selection_handle_manager_get_device(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *seat);

#endif
