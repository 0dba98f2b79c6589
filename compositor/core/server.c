/* The server state every layer shares: clock, termination, and resources
 * kept on lists. Assembling the server is the composition root's job
 * (compositor/zcomp.c). */
#include "server.h"

void server_timespec_now(const struct zc_server *server, struct timespec *ts)
{
	clock_gettime(server->clock, ts);
}

uint32_t server_time_msec(const struct zc_server *server)
{
	struct timespec ts;
	server_timespec_now(server, &ts);
	return (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

void server_terminate(struct zc_server *server, int exit_code)
{
	server->exit_code = exit_code;
	wl_display_terminate(server->display);
}

static void unlink_listed_resource(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

struct wl_resource *server_resource_create(struct wl_client *client,
	const struct wl_interface *interface, int version, uint32_t id,
	const void *implementation, void *data, wl_resource_destroy_func_t destroy)
{
	struct wl_resource *resource = wl_resource_create(client, interface, version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return NULL;
	}
	wl_resource_set_implementation(resource, implementation, data, destroy);
	return resource;
}

struct wl_resource *server_resource_create_listed(struct wl_client *client,
	const struct wl_interface *interface, int version, uint32_t id,
	const void *implementation, void *data, struct wl_list *list)
{
	struct wl_resource *resource = server_resource_create(client, interface, version, id,
		implementation, data, unlink_listed_resource);
	if (resource)
		wl_list_insert(list, wl_resource_get_link(resource));
	return resource;
}

void server_resource_list_orphan(struct wl_list *list)
{
	struct wl_resource *resource, *tmp;
	wl_resource_for_each_safe(resource, tmp, list) {
		wl_list_remove(wl_resource_get_link(resource));
		wl_list_init(wl_resource_get_link(resource));
		wl_resource_set_user_data(resource, NULL);
	}
}
