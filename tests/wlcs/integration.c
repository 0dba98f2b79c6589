/* Issue 16: wlcs (Canonical's Wayland conformance suite) drives zcomp
 * through this module: zcomp's headless backend (pixman) runs in process on
 * its own thread (tests/headless/harness.c), and every wlcs hook runs on
 * that thread through server_run. Input goes through the same seat_notify_*
 * and touch_notify_* calls the libinput backend makes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <wayland-client-core.h>
#include <wlcs/display_server.h>
#include <wlcs/pointer.h>
#include <wlcs/touch.h>

#include "core/cursor.h"
#include "core/surface.h"
#include "harness.h"
#include "input/seat.h"
#include "input/touch.h"
#include "shell/xdg_shell.h"

#define WLCS_EXPORT __attribute__((visibility("default")))
#define MAX_CLIENTS 64

struct zwlcs_server {
	WlcsDisplayServer base;
	struct harness harness;
	/* wlcs hands back the client's wl_display: its fd finds our wl_client. */
	struct { int fd; struct wl_client *client; } clients[MAX_CLIENTS];
	int n_clients;
	char socket[64], runtime_dir[64];
	unsigned starts;
};

/* What zcomp's global table offers (compositor/zcomp.c); wlcs skips tests
 * of anything else instead of failing them. */
static const WlcsExtensionDescriptor extensions[] = {
	{ "wl_compositor", 6 }, { "wl_subcompositor", 1 }, { "wl_shm", 2 },
	{ "wl_seat", 9 }, { "wl_output", 4 }, { "wl_data_device_manager", 3 },
	{ "xdg_wm_base", 6 }, { "wp_presentation", 1 }, { "wp_viewporter", 1 },
	{ "zwp_linux_dmabuf_v1", 5 }, { "zxdg_output_manager_v1", 3 },
};

static const WlcsIntegrationDescriptor descriptor = {
	.version = 1,
	.num_extensions = sizeof(extensions) / sizeof(extensions[0]),
	.supported_extensions = extensions,
};

static uint32_t now_msec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void enable_touch_fn(struct zc_server *server, void *arg)
{
	seat_set_touch_capable(server->seat, true);
}

static void zwlcs_start(WlcsDisplayServer *base)
{
	struct zwlcs_server *s = (struct zwlcs_server *)base;
	/* zcomp still listens on a named socket; one per start, so that a
	 * stopped server's leftovers never collide with the next. */
	snprintf(s->socket, sizeof(s->socket), "wlcs-zcomp-%d-%u", (int)getpid(), s->starts++);
	/* wlcs places windows and the pointer up to about (600, 600): an
	 * output that holds them keeps the cursor from being clamped. */
	if (!harness_start_mode(&s->harness, s->socket, NULL, 1, 1280, 1024))
		abort();
	server_run(&s->harness, enable_touch_fn, NULL);
}

static void zwlcs_stop(WlcsDisplayServer *base)
{
	struct zwlcs_server *s = (struct zwlcs_server *)base;
	harness_stop(&s->harness);
	s->n_clients = 0;
}

struct client_call {
	int fd;
	struct wl_client *client;
};

static void create_client_fn(struct zc_server *server, void *arg)
{
	struct client_call *call = arg;
	call->client = wl_client_create(server->display, call->fd);
}

static int zwlcs_create_client_socket(WlcsDisplayServer *base)
{
	struct zwlcs_server *s = (struct zwlcs_server *)base;
	int fds[2];
	if (s->n_clients == MAX_CLIENTS ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
		return -1;
	struct client_call call = { .fd = fds[0] };
	server_run(&s->harness, create_client_fn, &call);
	if (!call.client) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	s->clients[s->n_clients].fd = fds[1];
	s->clients[s->n_clients].client = call.client;
	s->n_clients++;
	return fds[1];
}

struct position_call {
	struct wl_client *client;
	uint32_t surface_id;
	int x, y;
};

static void position_fn(struct zc_server *server, void *arg)
{
	struct position_call *call = arg;
	struct wl_resource *res = wl_client_get_object(call->client, call->surface_id);
	if (!res)
		return;
	struct zc_surface *surface = surface_from_resource(res);
	if (!surface)
		return;
	/* wlcs places the window geometry, as a window manager does: the
	 * toplevel's floating position, so the next commit keeps it. */
	struct zc_xdg_toplevel *toplevel = xdg_toplevel_from_surface(surface);
	if (toplevel && toplevel->base) {
		toplevel->placed = true;
		toplevel->float_x = call->x;
		toplevel->float_y = call->y;
		xdg_surface_move_geometry_to(toplevel->base, call->x, call->y);
		xdg_popups_parent_moved(toplevel->base);
	} else if (surface->view) {
		view_move(surface->view, call->x, call->y);
	}
}

static void zwlcs_position_window(WlcsDisplayServer *base, struct wl_display *display,
	struct wl_surface *surface, int x, int y)
{
	struct zwlcs_server *s = (struct zwlcs_server *)base;
	int fd = wl_display_get_fd(display);
	for (int i = 0; i < s->n_clients; i++) {
		if (s->clients[i].fd != fd)
			continue;
		struct position_call call = { s->clients[i].client,
			wl_proxy_get_id((struct wl_proxy *)surface), x, y };
		server_run(&s->harness, position_fn, &call);
		return;
	}
}

/* ---- pointer ---- */

struct zwlcs_pointer {
	WlcsPointer base;
	struct zwlcs_server *server;
	double x, y;
	double dx, dy; /* the relative motion being sent */
	int button;
	bool pressed;
};

static void pointer_move_fn(struct zc_server *server, void *arg)
{
	struct zwlcs_pointer *p = arg;
	seat_notify_motion_absolute(server->seat, now_msec(), p->x, p->y);
	seat_notify_frame(server->seat);
}

static void pointer_button_fn(struct zc_server *server, void *arg)
{
	struct zwlcs_pointer *p = arg;
	seat_notify_button(server->seat, now_msec(), (uint32_t)p->button, p->pressed);
	seat_notify_frame(server->seat);
}

static void pointer_move_absolute(WlcsPointer *base, wl_fixed_t x, wl_fixed_t y)
{
	struct zwlcs_pointer *p = (struct zwlcs_pointer *)base;
	p->x = wl_fixed_to_double(x);
	p->y = wl_fixed_to_double(y);
	server_run(&p->server->harness, pointer_move_fn, p);
}

/* A mouse: relative motion through the path libinput's events take, so
 * relative-pointer clients get it and pointer constraints apply; the
 * position is then wherever the seat put the cursor. */
static void pointer_move_relative_fn(struct zc_server *server, void *arg)
{
	struct zwlcs_pointer *p = arg;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	struct zc_pointer_motion motion = {
		.time_usec = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u,
		.dx = p->dx, .dy = p->dy, .dx_unaccel = p->dx, .dy_unaccel = p->dy,
	};
	seat_notify_motion(server->seat, &motion);
	seat_notify_frame(server->seat);
	cursor_get_position(server->cursor, &p->x, &p->y);
}

static void pointer_move_relative(WlcsPointer *base, wl_fixed_t dx, wl_fixed_t dy)
{
	struct zwlcs_pointer *p = (struct zwlcs_pointer *)base;
	p->dx = wl_fixed_to_double(dx);
	p->dy = wl_fixed_to_double(dy);
	server_run(&p->server->harness, pointer_move_relative_fn, p);
}

static void pointer_button(WlcsPointer *base, int button, bool pressed)
{
	struct zwlcs_pointer *p = (struct zwlcs_pointer *)base;
	p->button = button;
	p->pressed = pressed;
	server_run(&p->server->harness, pointer_button_fn, p);
}

static void pointer_button_down(WlcsPointer *base, int button)
{
	pointer_button(base, button, true);
}

static void pointer_button_up(WlcsPointer *base, int button)
{
	pointer_button(base, button, false);
}

static void pointer_destroy(WlcsPointer *base)
{
	free(base);
}

static WlcsPointer *zwlcs_create_pointer(WlcsDisplayServer *base)
{
	struct zwlcs_pointer *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->base = (WlcsPointer){
		.version = WLCS_POINTER_VERSION,
		.move_absolute = pointer_move_absolute,
		.move_relative = pointer_move_relative,
		.button_up = pointer_button_up,
		.button_down = pointer_button_down,
		.destroy = pointer_destroy,
	};
	p->server = (struct zwlcs_server *)base;
	return &p->base;
}

/* ---- touch ---- */

struct zwlcs_touch {
	WlcsTouch base;
	struct zwlcs_server *server;
	double x, y;
	enum { TOUCH_DOWN, TOUCH_MOVE, TOUCH_UP } what;
};

static void touch_fn(struct zc_server *server, void *arg)
{
	struct zwlcs_touch *t = arg;
	struct zc_touch *touch = seat_get_touch(server->seat);
	if (!touch)
		return;
	if (t->what == TOUCH_DOWN)
		touch_notify_down(touch, now_msec(), 0, t->x, t->y);
	else if (t->what == TOUCH_MOVE)
		touch_notify_motion(touch, now_msec(), 0, t->x, t->y);
	else
		touch_notify_up(touch, now_msec(), 0);
	touch_notify_frame(touch);
}

static void touch_send(WlcsTouch *base, int what, wl_fixed_t x, wl_fixed_t y)
{
	struct zwlcs_touch *t = (struct zwlcs_touch *)base;
	t->what = what;
	/* Typed wl_fixed_t in wlcs/touch.h, but wlcs (1.5 to 1.7) passes its
	 * integer pixel coordinates unconverted, as Mir's module reads them. */
	if (what != TOUCH_UP) {
		t->x = x;
		t->y = y;
	}
	server_run(&t->server->harness, touch_fn, t);
}

static void wtouch_down(WlcsTouch *base, wl_fixed_t x, wl_fixed_t y)
{
	touch_send(base, TOUCH_DOWN, x, y);
}

static void wtouch_move(WlcsTouch *base, wl_fixed_t x, wl_fixed_t y)
{
	touch_send(base, TOUCH_MOVE, x, y);
}

static void wtouch_up(WlcsTouch *base)
{
	touch_send(base, TOUCH_UP, 0, 0);
}

static void wtouch_destroy(WlcsTouch *base)
{
	free(base);
}

static WlcsTouch *zwlcs_create_touch(WlcsDisplayServer *base)
{
	struct zwlcs_touch *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->base = (WlcsTouch){
		.version = WLCS_TOUCH_VERSION,
		.touch_down = wtouch_down,
		.touch_move = wtouch_move,
		.touch_up = wtouch_up,
		.destroy = wtouch_destroy,
	};
	t->server = (struct zwlcs_server *)base;
	return &t->base;
}

static const WlcsIntegrationDescriptor *zwlcs_get_descriptor(const WlcsDisplayServer *base)
{
	return &descriptor;
}

static WlcsDisplayServer *zwlcs_create_server(int argc, const char **argv)
{
	struct zwlcs_server *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->base = (WlcsDisplayServer){
		.version = 2,
		.start = zwlcs_start,
		.stop = zwlcs_stop,
		.create_client_socket = zwlcs_create_client_socket,
		.position_window_absolute = zwlcs_position_window,
		.create_pointer = zwlcs_create_pointer,
		.create_touch = zwlcs_create_touch,
		.get_descriptor = zwlcs_get_descriptor,
	};
	if (!getenv("XDG_RUNTIME_DIR")) {
		strcpy(s->runtime_dir, "/tmp/zcomp-wlcs-XXXXXX");
		if (!mkdtemp(s->runtime_dir) || setenv("XDG_RUNTIME_DIR", s->runtime_dir, 1) != 0) {
			free(s);
			return NULL;
		}
	}
	return &s->base;
}

static void zwlcs_destroy_server(WlcsDisplayServer *base)
{
	struct zwlcs_server *s = (struct zwlcs_server *)base;
	if (s->runtime_dir[0]) {
		rmdir(s->runtime_dir);
		unsetenv("XDG_RUNTIME_DIR");
	}
	free(s);
}

WLCS_EXPORT const WlcsServerIntegration wlcs_server_integration = {
	.version = 1,
	.create_server = zwlcs_create_server,
	.destroy_server = zwlcs_destroy_server,
};
