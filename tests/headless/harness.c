/* zcomp in a thread; calls into it through a pipe (harness.h). */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/surface.h"

int harness_failures;
/* The next start's output size (harness_start_mode). */
static int32_t next_width = 640, next_height = 480;

struct server_call {
	server_fn fn;
	void *arg;
};

static int handle_harness_call(int fd, uint32_t mask, void *data)
{
	struct harness *h = data;
	struct server_call call;
	if (read(fd, &call, sizeof(call)) != (ssize_t)sizeof(call))
		return 0;
	call.fn(&h->server, call.arg);
	char byte = 1;
	if (write(h->done_pipe[1], &byte, 1) != 1)
		abort();
	return 0;
}

void server_run(struct harness *h, server_fn fn, void *arg)
{
	struct server_call call = { fn, arg };
	char byte;
	if (write(h->call_pipe[1], &call, sizeof(call)) != (ssize_t)sizeof(call) ||
	    read(h->done_pipe[0], &byte, 1) != 1)
		abort();
}

/* zcomp lives on this thread from start to finish: a GL renderer's context
 * is current on the thread that created it. */
static void *harness_thread(void *data)
{
	struct harness *h = data;
	bool ok = zcomp_init(&h->server, &h->options) && zcomp_start(&h->server);
	if (ok)
		h->call_source = wl_event_loop_add_fd(h->server.loop, h->call_pipe[0],
			WL_EVENT_READABLE, handle_harness_call, h);
	char started = ok && h->call_source;
	if (write(h->done_pipe[1], &started, 1) != 1)
		abort();
	if (started)
		wl_display_run(h->server.display);
	if (h->call_source)
		wl_event_source_remove(h->call_source);
	h->call_source = NULL;
	zcomp_finish(&h->server);
	return NULL;
}

bool harness_start(struct harness *h, const char *socket, const char *layout)
{
	return harness_start_outputs(h, socket, layout, 1);
}

static bool harness_start_scaled(struct harness *h, const char *socket, const char *layout,
	int n_outputs, uint32_t scale_120);

bool harness_start_outputs(struct harness *h, const char *socket, const char *layout,
	int n_outputs)
{
	return harness_start_scaled(h, socket, layout, n_outputs, 0);
}

static bool harness_start_scaled(struct harness *h, const char *socket, const char *layout,
	int n_outputs, uint32_t scale_120)
{
	memset(h, 0, sizeof(*h));
	h->options = (struct zc_options){
		.backend = "headless",
		.renderer = getenv("ZCT_RENDERER") ? getenv("ZCT_RENDERER") : "pixman",
		.n_outputs = n_outputs,
		.width = next_width, .height = next_height, .refresh_mhz = 60000,
		.log_level = ZC_LOG_INFO, .socket = socket, .xkb_layout = layout,
		.repaint_window_us = -1, .scale_120 = scale_120,
	};
	if (pipe(h->call_pipe) != 0 || pipe(h->done_pipe) != 0)
		return false;
	if (pthread_create(&h->thread, NULL, harness_thread, h) != 0)
		return false;
	char started = 0;
	if (read(h->done_pipe[0], &started, 1) != 1 || !started) {
		pthread_join(h->thread, NULL);
		CHECK(false, "zcomp did not start");
		return false;
	}
	h->running = true;
	return true;
}

bool harness_start_private_outputs(struct harness *h, const char *socket,
	char *socket_path, size_t size, int n_outputs, uint32_t scale_120)
{
	char dir[] = "/tmp/zc-harness-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(false, "cannot create a runtime dir");
		return false;
	}
	setenv("XDG_RUNTIME_DIR", dir, 1);
	snprintf(socket_path, size, "%s/%s", dir, socket);
	bool ok = harness_start_scaled(h, socket, NULL, n_outputs, scale_120);
	snprintf(h->runtime_dir, sizeof(h->runtime_dir), "%s", dir);
	return ok;
}

bool harness_start_private(struct harness *h, const char *socket, char *socket_path,
	size_t size)
{
	return harness_start_private_outputs(h, socket, socket_path, size, 1, 0);
}

bool harness_start_private_scaled(struct harness *h, const char *socket, char *socket_path,
	size_t size, uint32_t scale_120)
{
	return harness_start_private_outputs(h, socket, socket_path, size, 1, scale_120);
}

static void terminate_fn(struct zc_server *server, void *arg)
{
	server_terminate(server, 0);
}

void harness_stop(struct harness *h)
{
	if (h->running) {
		server_run(h, terminate_fn, NULL);
		pthread_join(h->thread, NULL);
	}
	for (int i = 0; i < 2; i++) {
		close(h->call_pipe[i]);
		close(h->done_pipe[i]);
	}
	if (h->runtime_dir[0])
		rmdir(h->runtime_dir);
}

bool harness_start_mode(struct harness *h, const char *socket, const char *layout,
	int n_outputs, int32_t width, int32_t height)
{
	next_width = width;
	next_height = height;
	bool ok = harness_start_outputs(h, socket, layout, n_outputs);
	next_width = 640;
	next_height = 480;
	return ok;
}

bool harness_top_shown_view(struct zc_server *server, int32_t *x, int32_t *y, int32_t *width,
	int32_t *height)
{
	struct zc_view *view;
	wl_list_for_each_reverse(view, &server->views, link) {
		if (view->mapped && view->surface->buffer) {
			*x = view->x;
			*y = view->y;
			*width = view->surface->width;
			*height = view->surface->height;
			return true;
		}
	}
	return false;
}

void harness_gtk_env(const char *dir, const char *socket)
{
	setenv("XDG_RUNTIME_DIR", dir, 1);
	setenv("WAYLAND_DISPLAY", socket, 1);
	setenv("GDK_BACKEND", "wayland", 1);
	setenv("GTK_A11Y", "none", 1);
	setenv("NO_AT_BRIDGE", "1", 1);
	setenv("GSETTINGS_BACKEND", "memory", 1); /* no dconf/ left in the runtime dir */
	setenv("WAYLAND_DEBUG", "client", 1);
}
