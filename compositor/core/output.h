#ifndef ZC_OUTPUT_H
#define ZC_OUTPUT_H

#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <wayland-server-core.h>
#include <wayland-server-protocol.h>

#include "base/formats.h"
#include "server.h"

struct zc_buffer;
struct zc_output;
struct zc_refresh_timer;

/* Client buffers on hardware planes above the primary plane. */
#define OUTPUT_MAX_LAYERS 8

/* One client buffer on a plane as it is (no scaling), in output pixels. */
struct zc_layer {
	struct zc_buffer *buffer;
	int32_t x, y, width, height;
};

/* The layers of one frame, topmost first. */
struct zc_layers {
	struct zc_layer layer[OUTPUT_MAX_LAYERS];
	int n;
};

/* Why a buffer could not go on a plane; the format/modifier reasons are
 * what a scan-out tranche of dma-buf feedback can fix. */
enum zc_plane_failure {
	ZC_PLANE_OK,
	ZC_PLANE_NO_IMPORT, /* the display device cannot use the buffer as it is */
	ZC_PLANE_REFUSED,   /* the driver refused the configuration (TEST_ONLY) */
	ZC_PLANE_NO_PLANE,  /* no free plane left */
	ZC_PLANE_NOT_CANDIDATE, /* visible, but not a buffer shown as it is */
	ZC_PLANE_UNTESTED,  /* would need a TEST_ONLY the frame's budget lacks */
	ZC_PLANE_NO_FORMAT, /* no plane lists the format (and modifier) */
	ZC_PLANE_NO_COLOUR, /* planes list the YUV format but cannot be told its
	                     * encoding (no COLOR_ENCODING/COLOR_RANGE) */
};

/* A failure's reason in words, for logs and path accounting. */
const char *zc_plane_failure_name(enum zc_plane_failure why);

/* A visible surface's outcome of one frame's plane assignment on output
 * (zc_surface.plane_result): on a plane (ZC_PLANE_OK) or why not; primary:
 * it was tried as the whole frame (it covers the output). */
struct zc_plane_result {
	struct zc_output *output;
	bool primary;
	enum zc_plane_failure why;
};

/* The display device and the format/modifier pairs of a plane. */
struct zc_plane_formats {
	dev_t device;
	struct zc_format_set set;
};

/* A read-back of the frame an output's display really scans out (a
 * writeback connector), planes included. The backend embeds this in its own
 * job and calls output_readback_done() exactly once, unless the read-back
 * was cancelled first.
 *
 * frame: an XRGB8888 buffer of the output's size, readable with
 * buffer_begin_cpu_access(), valid during the call only (buffer_lock it to
 * keep it); NULL when the read-back failed or the output went away. when:
 * the moment the frame was complete. */
typedef void (*output_readback_done_fn)(void *data, struct zc_buffer *frame,
	const struct timespec *when);

struct zc_output_readback {
	struct zc_output *output;
	output_readback_done_fn done;
	void *data;
};

/* What a backend does for an output. The frame path calls, in order:
 * acquire_buffer -> (render) -> commit; the backend later reports the frame
 * on screen with output_present(). */
struct zc_output_impl {
	/* A buffer to render the next frame into, with its age: how many frames
	 * ago its contents were current (0 = unknown, repaint everything). */
	struct zc_buffer *(*acquire_buffer)(struct zc_output *output, int *age);
	/* Puts the rendered buffer on screen (buffer NULL: nothing changed,
	 * but the frame still counts for pacing). Returns false if the frame
	 * could not be queued. */
	bool (*commit)(struct zc_output *output, struct zc_buffer *buffer);
	/* Optional (direct scanout, hardware planes): whether a frame whose
	 * primary plane shows primary (a client's buffer exactly covering the
	 * output; NULL: a rendered frame) with layers on planes above it can
	 * go on screen as it is. Asked for every candidate of every frame, so
	 * backends remember what failed and what passed; a check that needs
	 * the driver (TEST_ONLY) takes one of *tests_left, and with none left
	 * fails with ZC_PLANE_UNTESTED. why is set on failure. */
	bool (*test_frame)(struct zc_output *output, struct zc_buffer *primary,
		const struct zc_layers *layers, int *tests_left, enum zc_plane_failure *why);
	/* Optional, with test_frame: the layers (tested) of the next commit;
	 * a commit with no new primary buffer still shows them. */
	void (*set_layers)(struct zc_output *output, const struct zc_layers *layers);
	/* Optional: what the primary plane (primary) or an overlay plane takes,
	 * for scan-out tranches; NULL if there is no such plane. */
	const struct zc_plane_formats *(*plane_formats)(struct zc_output *output, bool primary);
	/* Optional (cursor plane): shows image (NULL: none on this output) with
	 * its top-left at x,y in output pixels from the next commit on;
	 * changed: other pixels than last time. false: no plane can, the
	 * cursor is composited into the frames. */
	bool (*set_cursor)(struct zc_output *output, struct zc_buffer *image, int32_t x,
		int32_t y, int32_t hotspot_x, int32_t hotspot_y, bool changed);
	/* Optional (read-back): reads back the next frame the display shows,
	 * forcing a commit if nothing changes; NULL when it cannot (now). */
	struct zc_output_readback *(*readback)(struct zc_output *output,
		output_readback_done_fn done, void *data);
	/* With readback: the read-back ends without calling done. */
	void (*cancel_readback)(struct zc_output_readback *readback);
	/* Optional (blanking): switches the display off (on = false) or back
	 * on; no frame is committed while it is off. Without it the output
	 * simply stops repainting. */
	void (*set_power)(struct zc_output *output, bool on);
	void (*destroy)(struct zc_output *output);
};

/* Presentation flags, as wp_presentation_feedback.kind. */
enum zc_present_flags {
	ZC_PRESENT_VSYNC = 0x1,
	ZC_PRESENT_HW_CLOCK = 0x2,
	ZC_PRESENT_HW_COMPLETION = 0x4,
	ZC_PRESENT_ZERO_COPY = 0x8,
};

enum zc_repaint_state {
	OUTPUT_IDLE,          /* nothing in flight; a change schedules a repaint */
	OUTPUT_FRAME_PENDING, /* a frame was committed, waiting for present */
};

/* Repaint durations remembered for the deadline (output_schedule.c). */
#define OUTPUT_REPAINT_HISTORY 16

#define OUTPUT_DAMAGE_HISTORY 4

struct zc_output {
	struct zc_server *server;
	const struct zc_output_impl *impl;
	void *backend_data;
	struct wl_list link; /* zc_server.outputs */

	char *name, *description, *make, *model;
	int32_t x, y;          /* layout position */
	int32_t width, height; /* mode, in pixels */
	int32_t refresh_mhz;
	int32_t phys_width_mm, phys_height_mm;
	/* --scale F: output pixels per layout unit, in 120ths (120: 1:1). The
	 * layout (windows, pointer, hit tests) is in logical units; only
	 * composition, damage and planes are in pixels (output_box_pixels). */
	int32_t scale_120;
	int32_t logical_width, logical_height; /* the mode's size / F, truncated */
	int32_t scale; /* wl_output.scale: F rounded up */
	uint32_t render_format; /* DRM fourcc of the back buffers */

	struct wl_global *global;
	struct wl_list resources; /* wl_output resources */
	struct wl_list xdg_outputs;

	enum zc_repaint_state repaint_state;
	bool repaint_needed;
	struct wl_event_source *idle_repaint;
	/* Deadline scheduling (output_schedule.c): the repaint starts this
	 * long before the refresh it aims at, so that it takes the newest
	 * commits along: the longest of the recent repaints (start to commit)
	 * plus submit_ns plus a margin, or --repaint-window. */
	struct zc_refresh_timer *repaint_timer; /* armed: a repaint is due */
	bool repaint_timer_armed;
	uint64_t repaint_ns[OUTPUT_REPAINT_HISTORY];
	unsigned int repaint_ns_next;
	uint64_t wakeup_ns[OUTPUT_REPAINT_HISTORY]; /* repaint timer's lateness */
	unsigned int wakeup_ns_next;
	/* Set by the backend: how long after its commit a frame still needs
	 * before it can make a refresh (a flip turnaround where the display's
	 * refresh is zcomp's own timer: virtio-gpu). */
	uint64_t submit_ns;
	/* Frame callbacks of a presented frame held back until the clients'
	 * usual drawing time before the next deadline, so that the frame they
	 * draw is the newest at that deadline (output_schedule.c). */
	struct zc_refresh_timer *frame_done_timer;
	struct wl_list frame_callbacks_held;
	uint32_t frame_done_msec;
	uint64_t frame_done_sent;  /* when callbacks last went out (ns), 0: sampled */
	uint64_t frame_done_deadline; /* the deadline held callbacks aimed at, or 0 */
	uint64_t client_slack_ns;  /* margin on the clients' drawing time */
	uint64_t client_ns[OUTPUT_REPAINT_HISTORY]; /* frame done -> first commit */
	unsigned int client_ns_next, client_samples;
	uint64_t repaint_target;   /* the refresh the repaint in flight aims at (ns) */
	bool repaint_timed;        /* ... and started at its deadline, not past it */
	/* Beyond the measured times: grows when a repaint started at its
	 * deadline still missed its refresh (the driver's own latch time is
	 * not measured), shrinks slowly while they make it. */
	uint64_t repaint_margin_ns;
	uint64_t frames_late;      /* presented after the refresh they aimed at */
	uint64_t frames_scheduled; /* repaints that aimed at a refresh */
	pixman_region32_t damage; /* output pixels, since last frame */
	/* Damage of recent frames, for back buffers older than one frame. */
	pixman_region32_t damage_history[OUTPUT_DAMAGE_HISTORY];

	/* Callbacks and feedback of the frame in flight. */
	struct wl_list frame_callbacks;
	struct wl_list feedbacks;

	uint64_t msc; /* frames presented */
	struct timespec last_present;
	struct zc_buffer *front; /* last presented contents (locked) */
	struct zc_buffer *in_flight;
	/* Buffers on planes above the primary (each locked), as the in-flight
	 * frame changed them and as presented: a buffer is released only after
	 * the flip that replaced it completed. */
	struct zc_layers layers_in_flight, layers_front;
	bool layers_in_flight_set;
	/* The last frame with contents was direct: the back buffers missed it. */
	bool last_direct;
	/* Frames whose plane assignment ran out of its time budget. */
	uint64_t plane_budget_exceeded;
	/* The frame being committed is a surface's buffer on the primary plane
	 * whose surface asked for async presentation: the backend may flip it
	 * without waiting for a vblank, and then presents it without VSYNC. */
	bool frame_async;
	/* A cursor plane shows the cursor (cursor.c): frames leave it out. */
	bool cursor_on_plane;
	/* Blanked (idle): nothing is drawn until it is on again. */
	bool power_off;

	struct wl_signal frame;   /* after present; data: zc_output */
	struct wl_signal destroy; /* data: zc_output */
};

struct zc_output_config {
	const char *name, *description, *make, *model;
	int32_t width, height, refresh_mhz;
	int32_t phys_width_mm, phys_height_mm;
	uint32_t render_format;
};

/* On failure, impl->destroy has already been called for backend_data. */
struct zc_output *output_create(struct zc_server *server, const struct zc_output_impl *impl,
	const struct zc_output_config *config, void *backend_data);
void output_destroy(struct zc_output *output);

/* The one mapping from the layout to output pixels. A box at layout
 * lx,ly (logical units, layout coordinates) of size w x h lands on the
 * output pixels whose edges are each edge times F, rounded: adjacent boxes
 * stay adjacent and a box's pixel size depends on where it is only by that
 * rounding. Returns false when the box is empty after clipping to the
 * coordinate limits. */
bool output_box_pixels(const struct zc_output *output, int64_t lx, int64_t ly, int64_t w,
	int64_t h, pixman_box32_t *out);
/* A layout region in output pixels, every box widened to whole pixels
 * (edges rounded outward): damage covers whatever output_box_pixels draws. */
void output_region_pixels(const struct zc_output *output, const pixman_region32_t *layout,
	pixman_region32_t *out);
/* A length in output pixels as layout units (the cursor image's size). */
double output_pixels_to_logical(const struct zc_output *output, double pixels);

void output_damage_whole(struct zc_output *output);
/* Damages a box in layout coordinates on one output. */
void output_damage_box(struct zc_output *output, int32_t x, int32_t y, int32_t width,
	int32_t height);
/* Damages a box in layout coordinates on every output it touches. */
void output_damage_layout_box(struct zc_server *server, int32_t x, int32_t y,
	int32_t width, int32_t height);
void output_damage_layout_region(struct zc_server *server, const pixman_region32_t *region);
/* Something changed: repaint soon (at once when idle, after present else). */
void output_schedule_repaint(struct zc_output *output);
void output_schedule_repaint_all(struct zc_server *server);
/* Blanks the output (on = false: the display goes dark, frames stop; frame
 * callbacks wait, so clients stop drawing) or lights it with a full
 * repaint. */
void output_set_power(struct zc_output *output, bool on);

/* output_schedule.c, for output.c: the timer's life, the repaint's duration
 * (start and end, ns), and a present against the refresh aimed at. */
bool output_schedule_init(struct zc_output *output);
void output_schedule_finish(struct zc_output *output);
void output_schedule_record(struct zc_output *output, uint64_t start, uint64_t end);
void output_schedule_presented(struct zc_output *output, const struct timespec *when);
/* Sends the frame callbacks of the frame presented at msec, now or later. */
void output_schedule_frame_done(struct zc_output *output, uint32_t msec);
/* Sends every frame callback held back, now (a dropped frame, destroy). */
void output_send_frame_callbacks(struct zc_output *output, uint32_t msec);
/* The deadline ahead of a refresh (ns) that a repaint starts at. */
uint64_t output_repaint_window(const struct zc_output *output);
/* output.c: the frame now (from the schedule's idle point or timer). */
void output_repaint(struct zc_output *output);

/* Backends call this when the committed frame reached the screen. */
void output_present(struct zc_output *output, const struct timespec *when,
	uint64_t seq, uint32_t flags);
/* Backends call this instead when the committed frame did not reach it. */
void output_frame_dropped(struct zc_output *output);

/* output_planes.c: which views' buffers go on hardware planes this frame
 * (direct scanout) and which are composited into the primary plane. */
struct zc_plane_plan {
	struct zc_surface *primary;   /* its buffer is the whole frame, or NULL */
	struct zc_layers layers;      /* topmost first */
	struct zc_surface *layer_surfaces[OUTPUT_MAX_LAYERS];
};
void output_plan_planes(struct zc_output *output, struct zc_plane_plan *plan);
/* Surfaces the plan put on a plane: path accounting and ZERO_COPY. */
void output_plan_account(struct zc_output *output, const struct zc_plane_plan *plan);
void output_layers_copy_locked(struct zc_layers *dst, const struct zc_layers *src);
void output_layers_unlock(struct zc_layers *layers);
bool output_layers_equal(const struct zc_layers *a, const struct zc_layers *b);

/* What the primary plane (primary) or an overlay plane of output takes, for
 * scan-out tranches; NULL if there is no such plane. */
const struct zc_plane_formats *output_plane_formats(struct zc_output *output, bool primary);

/* The frame the display shows next, read back: NULL where the output cannot
 * (no read-back, or not now); done runs once unless cancelled. */
struct zc_output_readback *output_readback(struct zc_output *output,
	output_readback_done_fn done, void *data);
/* NULL is a no-op. */
void output_readback_cancel(struct zc_output_readback *readback);
/* For backends: the read-back ended; the backend frees it after. */
void output_readback_done(struct zc_output_readback *readback, struct zc_buffer *frame,
	const struct timespec *when);

/* The refresh period in nanoseconds (0 if unknown). */
uint64_t output_refresh_nsec(const struct zc_output *output);
struct zc_output *output_from_resource(struct wl_resource *resource);
struct zc_output *output_at(struct zc_server *server, int32_t lx, int32_t ly);

/* xdg_output.c: the zxdg_output_v1 events for every xdg_output of client
 * on output (sent before wl_output.done); and cleanup on destroy. */
void xdg_output_send_details(struct zc_output *output, struct wl_client *client);
void xdg_output_destroy_all(struct zc_output *output);

bool xdg_output_global_create(struct zc_server *server);

/* presentation.c: feedback objects travel surface -> output -> client. */
bool presentation_global_create(struct zc_server *server);
struct zc_presentation_feedback;
void presentation_feedback_list_discard(struct wl_list *feedbacks);
/* The content updates these feedbacks follow are scanned out directly. */
void presentation_feedback_list_mark_zero_copy(struct wl_list *feedbacks);
void presentation_feedback_list_present(struct wl_list *feedbacks, struct zc_output *output,
	const struct timespec *when, uint64_t seq, uint32_t flags);

#endif
