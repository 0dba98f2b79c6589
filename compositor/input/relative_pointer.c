/* zwp_relative_pointer_manager_v1: a mouse's motion deltas, accelerated and
 * raw, for the client with the pointer focus, also while a pointer lock
 * keeps the cursor still (games, 3D viewers). */
#include "relative_pointer.h"

#include <stdlib.h>

#include "core/surface.h"
#include "relative-pointer-unstable-v1-server-protocol.h"
#include "seat.h"

#define RELATIVE_POINTER_VERSION 1

struct zc_relative_pointer {
	struct zc_server *server;
	struct wl_global *global;
	struct wl_list resources; /* zwp_relative_pointer_v1 links */
	struct wl_listener relative_motion;
};

static void handle_relative_pointer_destroy(struct wl_client *client,
	struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct zwp_relative_pointer_v1_interface relative_pointer_impl = {
	.destroy = handle_relative_pointer_destroy,
};

static void handle_manager_get_relative_pointer(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *pointer)
{
	/* One seat: every wl_pointer is its. Clients go before the global. */
	struct zc_relative_pointer *rp = wl_resource_get_user_data(resource);
	server_resource_create_listed(client, &zwp_relative_pointer_v1_interface,
		wl_resource_get_version(resource), id, &relative_pointer_impl, rp,
		&rp->resources);
}

static const struct zwp_relative_pointer_manager_v1_interface manager_impl = {
	.destroy = handle_relative_pointer_destroy,
	.get_relative_pointer = handle_manager_get_relative_pointer,
};

static void handle_relative_motion(struct wl_listener *listener, void *data)
{
	struct zc_relative_pointer *rp = wl_container_of(listener, rp, relative_motion);
	const struct zc_pointer_motion *m = data;
	struct zc_surface *focus = seat_get_pointer_focus(rp->server->seat);
	if (!focus)
		return;
	struct wl_client *client = wl_resource_get_client(focus->resource);
	struct wl_resource *resource;
	wl_resource_for_each(resource, &rp->resources) {
		if (wl_resource_get_client(resource) != client)
			continue;
		zwp_relative_pointer_v1_send_relative_motion(resource,
			(uint32_t)(m->time_usec >> 32), (uint32_t)m->time_usec,
			wl_fixed_from_double(m->dx), wl_fixed_from_double(m->dy),
			wl_fixed_from_double(m->dx_unaccel), wl_fixed_from_double(m->dy_unaccel));
	}
}

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *resource = wl_resource_create(client,
		&zwp_relative_pointer_manager_v1_interface, (int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &manager_impl, data, NULL);
}

bool relative_pointer_global_create(struct zc_server *server)
{
	struct zc_relative_pointer *rp = calloc(1, sizeof(*rp));
	if (!rp)
		return false;
	rp->server = server;
	wl_list_init(&rp->resources);
	rp->relative_motion.notify = handle_relative_motion;
	wl_signal_add(&seat_get_signals(server->seat)->relative_motion, &rp->relative_motion);
	server->relative_pointer = rp;
	rp->global = wl_global_create(server->display, &zwp_relative_pointer_manager_v1_interface,
		RELATIVE_POINTER_VERSION, rp, bind_manager);
	return rp->global != NULL;
}

void relative_pointer_global_destroy(struct zc_server *server)
{
	struct zc_relative_pointer *rp = server->relative_pointer;
	if (!rp)
		return;
	wl_list_remove(&rp->relative_motion.link);
	server_resource_list_orphan(&rp->resources);
	if (rp->global)
		wl_global_destroy(rp->global);
	free(rp);
	server->relative_pointer = NULL;
}
