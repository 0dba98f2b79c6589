#ifndef ZCT_H
#define ZCT_H

/*
 * Client-side test library for the headless suite: runs a private zcomp
 * (headless backend, pixman renderer) and drives it as a Wayland client.
 *
 * A test counts failed checks and keeps going, then its exit status says
 * whether any failed. Stopping zcomp is a check too: a crash or a non-zero
 * exit (ASan's leak report included) fails the test.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <wayland-client.h>

#include "common.h"
#include "ext-image-capture-source-v1-client-protocol.h"
#include "ext-image-copy-capture-v1-client-protocol.h"
#include "presentation-time-client-protocol.h"
#include "viewporter-client-protocol.h"
#include "xdg-output-unstable-v1-client-protocol.h"
#include "xdg-shell-client-protocol.h"

#define ZC_LEN(a) (sizeof(a) / sizeof((a)[0]))

extern int zct_failures;

#define ZCT_CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: %s: CHECK(%s) failed: ", __FILE__, \
				__LINE__, __func__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			zct_failures++; \
		} \
	} while (0)

/* Runs one sub-test and prints a TAP-like line for it. */
#define ZCT_RUN(fn, ...) \
	do { \
		int zct_before_ = zct_failures; \
		fn(__VA_ARGS__); \
		fprintf(stderr, "%s %s\n", zct_failures == zct_before_ ? "ok  " : "FAIL", #fn); \
	} while (0)

int zct_exit_status(void);

/* ---- the compositor under test ---- */

struct zct_config {
	int32_t width, height; /* mode; 0: 256x192 */
	int32_t refresh_mhz;   /* 0: 60000 */
	int outputs;           /* 0: 1 */
};

struct zct_compositor {
	pid_t pid;
	char runtime_dir[256];
	char socket_path[300];
	struct zct_config config;
};

/* The zcomp binary: $ZCOMP_BIN, else the path meson compiled in. */
const char *zct_zcomp_path(void);

/* Starts zcomp and waits until its socket accepts connections; a failure
 * is recorded and false returned. */
bool zct_compositor_start(struct zct_compositor *comp, const struct zct_config *config);
/* SIGTERM, then waits; records a failure unless zcomp exited 0. */
bool zct_compositor_stop(struct zct_compositor *comp);
/* False (and a recorded failure) if zcomp has already died. */
bool zct_compositor_alive(struct zct_compositor *comp);

/* Runs zcomp with argv (argv[0] is filled in) to completion in a private
 * runtime dir, stdout+stderr into out. Returns the exit status, 128+signal
 * for a crash, or -1 on timeout (the process is then killed). */
int zct_run_zcomp(const char **argv, char *out, size_t out_size, int timeout_ms);

/* ---- clients ---- */

struct zct_client {
	struct wl_display *display;
	struct zcc_globals globals;
};

struct zct_client *zct_client_connect(struct zct_compositor *comp);
/* Orderly: destroys the globals and disconnects. */
void zct_client_destroy(struct zct_client *client);
/* Abrupt: the compositor sees the socket close with objects still alive.
 * The proxies stay valid (requests go nowhere) until zct_client_destroy. */
void zct_client_kill(struct zct_client *client);

bool zct_wait(struct zct_client *client, const bool *flag, int timeout_ms);
/* Binds the global of interface (at most version) that zcc_globals_bind
 * does not know; NULL (failure recorded) if zcomp does not offer it. */
void *zct_bind(struct zct_client *client, const struct wl_interface *interface,
	uint32_t version);
/* A roundtrip that records a failure on a connection error. */
bool zct_roundtrip(struct zct_client *client);

struct zct_window {
	struct zct_client *client;
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	int32_t width, height; /* last configured size (0: client's choice) */
	uint32_t serial;       /* last configure serial */
	int n_configures;
	bool configured;
	struct zcc_buffer *buffer; /* from zct_window_map */
};

/* Creates a toplevel (fullscreen if asked) and completes the initial
 * configure and ack; NULL (failure recorded) if that did not happen. */
struct zct_window *zct_window_create(struct zct_client *client, bool fullscreen);
/* Attaches a small pattern buffer and waits until it is shown. */
bool zct_window_map(struct zct_window *window);
/* Only the xdg objects, for tests that construct things by hand. */
void zct_window_init_listeners(struct zct_window *window);
void zct_window_destroy(struct zct_window *window);
/* Roundtrips for the configure a request brought and acks it; false (failure
 * recorded) if none came. */
bool zct_window_ack_configure(struct zct_window *window, const char *what);

/* A buffer showing pattern frame `frame`, or NULL (failure recorded). */
struct zcc_buffer *zct_pattern_buffer(struct zct_client *client, int32_t width,
	int32_t height, uint32_t format, uint32_t frame);

/* Attaches, damages the whole buffer and commits. */
void zct_show(struct wl_surface *surface, struct zcc_buffer *buffer);

/* A frame callback that sets *done (and counts into *count if not NULL). */
struct zct_frame {
	bool done;
	uint32_t time;
	int *count;
};
void zct_request_frame(struct wl_surface *surface, struct zct_frame *frame);

struct zct_feedback {
	bool presented, discarded;
	int64_t when_ns;
	uint32_t refresh_ns;
	uint64_t seq;
	uint32_t flags;
	struct wp_presentation_feedback *resource;
};
void zct_request_feedback(struct zct_client *client, struct wl_surface *surface,
	struct zct_feedback *feedback);
bool zct_feedback_resolved(const struct zct_feedback *feedback);

/* Captures output `index` into image; failure recorded when false. */
bool zct_capture(struct zct_client *client, int index, struct zcc_image *image);

/* Compares the box (x, y, width, height) of the capture with pattern frame
 * `frame` drawn in `format` at that position. Returns mismatched pixels,
 * printing the first few. */
int zct_compare_pattern(const struct zcc_image *image, int32_t x, int32_t y, int32_t width,
	int32_t height, uint32_t format, uint32_t frame);
/* Counts the pixels of a box that are not `rgb8` (0xRRGGBB). */
int zct_count_not_color(const struct zcc_image *image, int32_t x, int32_t y, int32_t width,
	int32_t height, uint32_t rgb8);

/* Roundtrips and checks that the connection died of a protocol error with
 * `code` on an object of one of the NULL-terminated interfaces; "" names
 * an object destroyed by the failing request (its interface is unknown). */
bool zct_expect_error_on(struct zct_client *client, const char *const *interfaces,
	uint32_t code, const char *what);
bool zct_expect_error(struct zct_client *client, const struct wl_interface *interface,
	uint32_t code, const char *what);
/* Roundtrips and checks that the connection is still fine. */
bool zct_expect_no_error(struct zct_client *client, const char *what);

/* The lines of a client's log (say WAYLAND_DEBUG's) that contain needle;
 * 0 if the file cannot be read. */
int zct_count_lines(const char *path, const char *needle);

/* ---- a seat's input as the client saw it (input.c) ---- */

/* Counts and last values of a wl_pointer's events; every event up to
 * wl_seat v9 is accepted. */
struct zct_pointer {
	struct wl_pointer *wl_pointer;
	struct wl_surface *focus; /* the last enter's, NULL after a leave */
	int enters, leaves, motions, buttons, axes, frames;
	double x, y;              /* surface-local: the last enter's or motion's */
	uint32_t enter_serial;
	uint32_t press_serial;    /* the last button press's */
	uint32_t button, button_state; /* the last button event's */
	double axis_value;
	int32_t axis_value120;
};

/* Gets the seat's wl_pointer and records its events into pointer. */
void zct_pointer_init(struct zct_pointer *pointer, struct wl_seat *seat);
/* Releases the wl_pointer, if any; the counts stay. */
void zct_pointer_finish(struct zct_pointer *pointer);

/* Counts and last values of a wl_touch's events. */
struct zct_touch {
	struct wl_touch *wl_touch;
	int downs, ups, motions, frames, cancels;
	uint32_t down_serial;
	struct wl_surface *down_surface; /* the last down's */
	int32_t id;                      /* the last down's, motion's or up's point */
	double x, y;                     /* surface-local: the last down's or motion's */
};

void zct_touch_init(struct zct_touch *touch, struct wl_seat *seat);
void zct_touch_finish(struct zct_touch *touch);

#endif
