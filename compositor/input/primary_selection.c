/*
 * The primary selection: the clipboard's code (selection.c) with this
 * protocol's interfaces. It has no drag-and-drop and no error codes.
 */
#include "primary_selection.h"

#include "primary-selection-unstable-v1-server-protocol.h"
#include "selection.h"

#define PRIMARY_SELECTION_VERSION 1

static const struct zwp_primary_selection_offer_v1_interface offer_impl = {
	.receive = selection_handle_offer_receive,
	.destroy = selection_handle_destroy,
};

static const struct zwp_primary_selection_source_v1_interface source_impl = {
	.offer = selection_handle_source_offer,
	.destroy = selection_handle_destroy,
};

static const struct zwp_primary_selection_device_v1_interface device_impl = {
	.set_selection = selection_handle_device_set_selection,
	.destroy = selection_handle_destroy,
};

static const struct zwp_primary_selection_device_manager_v1_interface manager_impl = {
	.create_source = selection_handle_manager_create_source,
	.get_device = selection_handle_manager_get_device,
	.destroy = selection_handle_destroy,
};

static const struct zc_selection_protocol primary_selection_protocol = {
	.version = PRIMARY_SELECTION_VERSION,
	.manager = &zwp_primary_selection_device_manager_v1_interface,
	.device = &zwp_primary_selection_device_v1_interface,
	.source = &zwp_primary_selection_source_v1_interface,
	.offer = &zwp_primary_selection_offer_v1_interface,
	.manager_impl = &manager_impl,
	.device_impl = &device_impl,
	.source_impl = &source_impl,
	.offer_impl = &offer_impl,
	.send_data_offer = zwp_primary_selection_device_v1_send_data_offer,
	.send_selection = zwp_primary_selection_device_v1_send_selection,
	.send_offer = zwp_primary_selection_offer_v1_send_offer,
	.send_send = zwp_primary_selection_source_v1_send_send,
	.send_cancelled = zwp_primary_selection_source_v1_send_cancelled,
};

bool primary_selection_global_create(struct zc_server *server)
{
	server->primary_selection = selection_global_create(server, &primary_selection_protocol);
	return server->primary_selection != NULL;
}

void primary_selection_global_destroy(struct zc_server *server)
{
	selection_global_destroy(server->primary_selection);
	server->primary_selection = NULL;
}
