#include "zcomp.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "backends/backends.h"
#include "backends/session/input_devices.h"
#include "backends/session/session.h"
#include "core/backend.h"
#include "core/output.h"
#include "core/stats.h"
#include "core/surface.h"
#include "input/cursor_shape.h"
#include "input/data_device.h"
#include "input/primary_selection.h"
#include "input/xdg_activation.h"
#include "input/idle.h"
#include "input/pointer_constraints.h"
#include "input/relative_pointer.h"
#include "input/seat.h"
#include "protocols/capture.h"
#include "protocols/fractional_scale.h"
#include "protocols/linux_dmabuf.h"
#include "protocols/linux_drm_syncobj.h"
#include "protocols/pacing.h"
#include "protocols/shm.h"
#include "protocols/single_pixel_buffer.h"
#include "renderer/renderers.h"
#include "shell/xdg_shell.h"

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

static bool add_signals(struct zc_server *server)
{
	struct wl_event_source **s = server->signal_sources;
	s[0] = wl_event_loop_add_signal(server->loop, SIGTERM, handle_signal_terminate, server);
	s[1] = wl_event_loop_add_signal(server->loop, SIGINT, handle_signal_terminate, server);
	s[2] = wl_event_loop_add_signal(server->loop, SIGCHLD, handle_signal_child, server);
	return s[0] && s[1] && s[2];
}

/* On the backend's DRM device where it has one (GBM), else surfaceless. */
static struct zc_renderer *create_renderer(const struct zc_options *options,
	const struct zc_backend *backend)
{
	if (strcmp(options->renderer, "pixman") == 0)
		return pix_renderer_create();
	if (strcmp(options->renderer, "gl") == 0)
		return gl_renderer_create(backend->drm_fd);
	zc_err("unknown renderer '%s'", options->renderer);
	return NULL;
}

static struct zc_backend *create_backend(struct zc_server *server)
{
	if (strcmp(server->options->backend, "headless") == 0)
		return headless_backend_create(server);
	if (strcmp(server->options->backend, "kms") == 0)
		return kms_backend_create(server);
	zc_err("unknown backend '%s'", server->options->backend);
	return NULL;
}

/* Every protocol global has the same shape: create stores its state on the
 * server (false on failure, logged by the caller), destroy (where there is
 * state to free) takes it away; the display destroys the rest. */
struct zc_global_module {
	const char *name;
	bool (*create)(struct zc_server *server);
	void (*destroy)(struct zc_server *server);
};

/* Buffer sources: created first and destroyed after the backend, whose
 * outputs hold client buffers until they go. */
static const struct zc_global_module buffer_sources[] = {
	{ "wl_shm", shm_global_create, shm_global_destroy },
	{ "zwp_linux_dmabuf_v1", linux_dmabuf_global_create, linux_dmabuf_global_destroy },
	{ "wp_single_pixel_buffer_manager_v1", single_pixel_buffer_global_create, NULL },
};

/* The rest, destroyed in reverse before the backend. */
static const struct zc_global_module globals[] = {
	{ "wl_compositor", compositor_global_create, NULL },
	{ "wp_presentation", presentation_global_create, NULL },
	{ "wp_viewporter", viewporter_global_create, NULL },
	{ "zxdg_output_manager_v1", xdg_output_global_create, NULL },
	{ "xdg_wm_base", xdg_shell_global_create, xdg_shell_global_destroy },
	{ "ext-image-copy-capture", capture_global_create, capture_global_destroy },
	{ "wl_seat", seat_global_create, seat_global_destroy },
	{ "wl_data_device_manager", data_device_global_create, data_device_global_destroy },
	{ "wp_linux_drm_syncobj_manager_v1", linux_drm_syncobj_global_create,
		linux_drm_syncobj_global_destroy },
	{ "wp_fifo_manager_v1", fifo_global_create, NULL },
	{ "wp_commit_timing_manager_v1", commit_timing_global_create, NULL },
	/* Issue 15: desktop globals (protoa). */
	{ "zxdg_decoration_manager_v1", xdg_decoration_global_create, NULL },
	{ "xdg_activation_v1", xdg_activation_global_create, xdg_activation_global_destroy },
	{ "zwp_primary_selection_device_manager_v1", primary_selection_global_create,
		primary_selection_global_destroy },
	{ "wp_cursor_shape_manager_v1", cursor_shape_global_create, NULL },
	{ "wp_fractional_scale_manager_v1", fractional_scale_global_create, NULL },
	{ "zwp_relative_pointer_manager_v1", relative_pointer_global_create,
		relative_pointer_global_destroy },
	{ "zwp_pointer_constraints_v1", pointer_constraints_global_create,
		pointer_constraints_global_destroy },
	{ "zwp_idle_inhibit_manager_v1+ext_idle_notifier_v1", idle_global_create,
		idle_global_destroy },
	{ "wp_tearing_control_manager_v1", tearing_control_global_create, NULL },
};

static bool create_globals(struct zc_server *server, const struct zc_global_module *list,
	size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!list[i].create(server)) {
			zc_err("cannot create the %s global", list[i].name);
			return false;
		}
	}
	return true;
}

/* Also after a partial create: each destroy copes with its state absent. */
static void destroy_globals(struct zc_server *server, const struct zc_global_module *list,
	size_t n)
{
	for (size_t i = n; i-- > 0;) {
		if (list[i].destroy)
			list[i].destroy(server);
	}
}

bool zcomp_init(struct zc_server *server, const struct zc_options *options)
{
	*server = (struct zc_server){ .options = options, .clock = CLOCK_MONOTONIC };
	wl_list_init(&server->outputs);
	wl_list_init(&server->surfaces);
	wl_list_init(&server->views);
	wl_signal_init(&server->new_output);
	wl_signal_init(&server->views_changed);
	wl_signal_init(&server->scene_changed);
	server->display = wl_display_create();
	if (!server->display) {
		zc_err("cannot create the Wayland display");
		return false;
	}
	server->loop = wl_display_get_event_loop(server->display);
	if (!add_signals(server)) {
		zc_err("cannot install signal handlers");
		return false;
	}
	/* Backend first: the renderer runs on the device it opens. */
	server->backend = create_backend(server);
	if (!server->backend)
		return false;
	server->renderer = create_renderer(options, server->backend);
	if (!server->renderer)
		return false;
	if (!create_globals(server, buffer_sources, ZC_ARRAY_LEN(buffer_sources)) ||
		!create_globals(server, globals, ZC_ARRAY_LEN(globals)))
		return false;
	return !options->stats_path || stats_open(server, options->stats_path);
}

static void handle_seat_switch_vt(void *data, int vt)
{
	session_switch_vt(data, vt);
}

/* Input devices come with a seat session: only the KMS backend has one. */
static void start_input(struct zc_server *server)
{
	struct zc_session *session = server->backend->session;
	if (!session)
		return;
	seat_set_switch_vt(server->seat, handle_seat_switch_vt, session);
	server->input = input_create(server, session);
}

bool zcomp_start(struct zc_server *server)
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
	start_input(server);
	return true;
}

void zcomp_finish(struct zc_server *server)
{
	if (server->client_pid > 0)
		kill(server->client_pid, SIGTERM);
	if (!server->display)
		return;
	/* Clients first: their surfaces unlock buffers that outputs and the
	 * renderer may still reference. */
	wl_display_destroy_clients(server->display);
	input_destroy(server->input);
	destroy_globals(server, globals, ZC_ARRAY_LEN(globals));
	if (server->backend)
		server->backend->impl->destroy(server->backend);
	destroy_globals(server, buffer_sources, ZC_ARRAY_LEN(buffer_sources));
	stats_report_renderer(server);
	renderer_destroy(server->renderer);
	stats_close(server);
	for (size_t i = 0; i < ZC_ARRAY_LEN(server->signal_sources); i++) {
		if (server->signal_sources[i])
			wl_event_source_remove(server->signal_sources[i]);
	}
	wl_display_destroy(server->display);
}
