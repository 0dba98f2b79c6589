#include "core/server.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "renderer/renderers.h"
#include "core/backend.h"
#include "input/data_device.h"
#include "backends/session/input_devices.h"
#include "core/output.h"
#include "input/seat.h"
#include "backends/session/session.h"
#include "core/stats.h"

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

struct wl_resource *server_resource_create_listed(struct wl_client *client,
	const struct wl_interface *interface, int version, uint32_t id,
	const void *implementation, void *data, struct wl_list *list)
{
	struct wl_resource *resource = wl_resource_create(client, interface, version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return NULL;
	}
	wl_resource_set_implementation(resource, implementation, data, unlink_listed_resource);
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

static int handle_signal_terminate(int signal_number, void *data)
{
	struct zc_server *server = data;
	zc_info("caught signal %d, shutting down", signal_number);
	server_terminate(server, 0);
	return 0;
}

/* The client started with "--" decides how long we live and our exit code. */
static int handle_signal_child(int signal_number, void *data)
{
	struct zc_server *server = data;
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid != server->client_pid)
			continue;
		server->client_pid = 0;
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		zc_info("client exited with status %d", code);
		server_terminate(server, code);
	}
	return 0;
}

static bool server_add_signals(struct zc_server *server)
{
	struct wl_event_source **s = server->signal_sources;
	s[0] = wl_event_loop_add_signal(server->loop, SIGTERM, handle_signal_terminate, server);
	s[1] = wl_event_loop_add_signal(server->loop, SIGINT, handle_signal_terminate, server);
	s[2] = wl_event_loop_add_signal(server->loop, SIGCHLD, handle_signal_child, server);
	return s[0] && s[1] && s[2];
}

/* On the backend's DRM device where it has one (GBM), else surfaceless. */
static struct zc_renderer *server_create_renderer(const struct zc_options *options,
	const struct zc_backend *backend)
{
	if (strcmp(options->renderer, "pixman") == 0)
		return pix_renderer_create();
	if (strcmp(options->renderer, "gl") == 0)
		return gl_renderer_create(backend->drm_fd);
	zc_err("unknown renderer '%s'", options->renderer);
	return NULL;
}

static struct zc_backend *server_create_backend(struct zc_server *server)
{
	if (strcmp(server->options->backend, "headless") == 0)
		return headless_backend_create(server);
	if (strcmp(server->options->backend, "kms") == 0)
		return kms_backend_create(server);
	zc_err("unknown backend '%s'", server->options->backend);
	return NULL;
}

static bool server_create_globals(struct zc_server *server)
{
	return compositor_global_create(server) && shm_global_create(server) &&
		xdg_shell_create(server) && presentation_global_create(server) &&
		viewporter_global_create(server) && xdg_output_manager_create(server) &&
		capture_create(server) && linux_dmabuf_create(server) &&
		seat_create(server) && data_device_create(server);
}

bool server_init(struct zc_server *server, const struct zc_options *options)
{
	*server = (struct zc_server){ .options = options, .clock = CLOCK_MONOTONIC };
	wl_list_init(&server->outputs);
	wl_list_init(&server->surfaces);
	wl_list_init(&server->views);
	wl_signal_init(&server->new_output);
	wl_signal_init(&server->views_changed);
	server->display = wl_display_create();
	if (!server->display) {
		zc_err("cannot create the Wayland display");
		return false;
	}
	server->loop = wl_display_get_event_loop(server->display);
	if (!server_add_signals(server)) {
		zc_err("cannot install signal handlers");
		return false;
	}
	/* Backend first: the renderer runs on the device it opens. */
	server->backend = server_create_backend(server);
	if (!server->backend)
		return false;
	server->renderer = server_create_renderer(options, server->backend);
	if (!server->renderer)
		return false;
	if (!server_create_globals(server)) {
		zc_err("cannot create the protocol globals");
		return false;
	}
	return !options->stats_path || stats_open(server, options->stats_path);
}

static void handle_seat_switch_vt(void *data, int vt)
{
	session_switch_vt(data, vt);
}

/* Input devices come with a seat session: only the KMS backend has one. */
static void server_start_input(struct zc_server *server)
{
	struct zc_session *session = server->backend->session;
	if (!session)
		return;
	seat_set_switch_vt(server->seat, handle_seat_switch_vt, session);
	server->input = input_create(server, session);
}

bool server_start(struct zc_server *server)
{
	if (!server->backend->impl->start(server->backend))
		return false;
	const char *socket = server->options->socket;
	if (socket) {
		if (wl_display_add_socket(server->display, socket) != 0) {
			zc_err("cannot listen on socket '%s': %s", socket, strerror(errno));
			return false;
		}
		server->socket_name = socket;
	} else {
		server->socket_name = wl_display_add_socket_auto(server->display);
		if (!server->socket_name) {
			zc_err("cannot find a free Wayland socket name (is XDG_RUNTIME_DIR set?)");
			return false;
		}
	}
	zc_info("listening on WAYLAND_DISPLAY=%s (%s backend, %s renderer)",
		server->socket_name, server->backend->impl->name, renderer_name(server->renderer));
	/* Last: libinput reads its quirks files and sets up every device, which
	 * takes a while on slow machines; the socket is up meanwhile. */
	server_start_input(server);
	return true;
}

void server_finish(struct zc_server *server)
{
	if (server->client_pid > 0)
		kill(server->client_pid, SIGTERM);
	if (!server->display)
		return;
	/* Clients first: their surfaces unlock buffers that outputs and the
	 * renderer may still reference. */
	wl_display_destroy_clients(server->display);
	input_destroy(server->input);
	data_device_destroy(server);
	seat_destroy(server);
	if (server->capture)
		capture_destroy(server);
	if (server->xdg_shell)
		xdg_shell_destroy(server);
	if (server->backend)
		server->backend->impl->destroy(server->backend);
	if (server->shm)
		shm_global_destroy(server);
	if (server->linux_dmabuf)
		linux_dmabuf_destroy(server);
	stats_report_renderer(server);
	renderer_destroy(server->renderer);
	stats_close(server);
	for (size_t i = 0; i < ZC_ARRAY_LEN(server->signal_sources); i++) {
		if (server->signal_sources[i])
			wl_event_source_remove(server->signal_sources[i]);
	}
	wl_display_destroy(server->display);
}
