#ifndef ZC_SERVER_H
#define ZC_SERVER_H

/*
 * The server: the state every layer shares (the display, outputs, surfaces,
 * views, the clock) and a pointer to each module's own state, opaque here.
 * The composition root (compositor/zcomp.c) fills it in; each module reads
 * its own pointer and no module dereferences another layer's.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include <wayland-server-core.h>

#include "base/log.h"
#include "base/util.h"
#include "grab.h"
#include "shell_policy.h"

struct zc_backend;
struct zc_renderer;
struct zc_output;
struct zc_surface;
struct zc_seat;
struct zc_selection;
struct zc_cursor;
struct zc_input;
struct zc_relative_pointer;
struct zc_pointer_constraints;
struct zc_idle;

struct zc_options {
	const char *backend;    /* "headless" or "kms" */
	const char *renderer;   /* "pixman" or "gl" */
	const char *socket;     /* NULL: pick wayland-N */
	const char *drm_device; /* NULL: discover */
	int32_t width, height;  /* mode; 0 means the backend's default */
	int32_t refresh_mhz;
	int n_outputs;          /* headless: how many virtual outputs */
	enum zc_log_level log_level;
	const char *stats_path; /* --stats: JSON lines of path accounting */
	bool no_scanout; /* --no-scanout: composite everything (comparisons) */
	int32_t idle_timeout_ms; /* --idle-timeout: blank outputs; 0: never */
	/* --repaint-window: how long before a refresh its repaint starts, in
	 * us; -1: measured (the repaints' own duration plus a margin). */
	int64_t repaint_window_us;
	/* Keymap names; NULL: xkbcommon's defaults (XKB_DEFAULT_*). */
	const char *xkb_layout, *xkb_variant, *xkb_options;
	/* --scale in 120ths: what fractional-scale-v1 asks clients for; 0 or
	 * 120: 1. Outputs are still composited 1:1. */
	uint32_t scale_120;
	char **client_argv;     /* after "--": a client to run, or NULL */
};

struct zc_server {
	struct wl_display *display;
	struct wl_event_loop *loop;
	const struct zc_options *options;
	const char *socket_name;

	struct zc_backend *backend;
	struct zc_renderer *renderer;

	struct wl_list outputs;  /* zc_output.link, in creation order */
	struct wl_list surfaces; /* zc_surface.link */
	struct wl_list views;    /* zc_view.link, bottom to top */

	/* Every timestamp zcomp hands out (presentation, frame callbacks). */
	clockid_t clock;

	struct wl_signal new_output;     /* data: zc_output */
	struct wl_signal views_changed;  /* stacking or mapping changed */
	/* What is under a point may have changed: a view moved, a surface's
	 * size, input region or buffer presence changed, a subsurface moved,
	 * restacked or went away. data: NULL. */
	struct wl_signal scene_changed;

	struct zc_shm *shm;
	struct zc_xdg_shell *xdg_shell;
	/* What the seat asks the shell (focus, raise); set by the shell. */
	struct zc_shell_policy shell_policy;
	struct zc_capture *capture;
	struct zc_linux_dmabuf *linux_dmabuf;
	struct zc_linux_drm_syncobj *linux_drm_syncobj; /* explicit sync; NULL: not offered */
	struct zc_seat *seat;
	/* Where the shell starts input grabs (move, resize); set by the seat. */
	struct zc_grab_host grab_host;
	struct zc_selection *data_device; /* the clipboard (input/selection.c) */
	struct zc_cursor *cursor; /* the seat's pointer image (cursor.c) */
	struct zc_input *input; /* libinput devices; NULL without a session */
	struct zc_xdg_activation *xdg_activation;
	struct zc_selection *primary_selection;
	struct zc_relative_pointer *relative_pointer;
	struct zc_pointer_constraints *pointer_constraints;
	struct zc_idle *idle; /* idle state, idle-inhibit, ext-idle-notify */

	FILE *stats_file;
	struct wl_event_source *signal_sources[3];
	pid_t client_pid; /* the client started after "--", or 0 */
	int exit_code;
};

void server_timespec_now(const struct zc_server *server, struct timespec *ts);
uint32_t server_time_msec(const struct zc_server *server);
void server_terminate(struct zc_server *server, int exit_code);

/* A resource with implementation, data and destroy (may be NULL); NULL
 * after posting no_memory to the client. */
struct wl_resource *server_resource_create(struct wl_client *client,
	const struct wl_interface *interface, int version, uint32_t id,
	const void *implementation, void *data, wl_resource_destroy_func_t destroy);
/* Resources kept on a list through their link while they live (a seat's
 * wl_pointers, ...). Creates one with implementation and data, on list; NULL
 * after posting no_memory to the client. */
struct wl_resource *server_resource_create_listed(struct wl_client *client,
	const struct wl_interface *interface, int version, uint32_t id,
	const void *implementation, void *data, struct wl_list *list);
/* For an owner that goes before its resources: takes each off list and
 * leaves it inert (NULL user data). */
void server_resource_list_orphan(struct wl_list *list);

#endif
