#ifndef ZC_KMS_H
#define ZC_KMS_H

/*
 * The KMS backend's internals, shared by its files:
 *   kms.c           backend, device discovery (udev), session, DRM events, hotplug
 *   kms_props.c     CRTCs, planes and connectors discovered, property ids resolved once
 *   kms_atomic.c    atomic requests: every property checked, one plane helper
 *   kms_output.c    one zc_output per connected connector: modeset, flips, pacing
 *   kms_dumb.c      dumb buffers as zc_buffers, each with its framebuffer
 *   kms_scanout.c   client dma-bufs as framebuffers: direct scanout
 *   kms_writeback.c reading back what a CRTC scans out (the output's readback)
 *   kms_cursor.c    the cursor plane
 *   kms_modes.c     the mode of a connector (--mode, CVT, preferred)
 * Atomic modesetting only.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <wayland-server-core.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "core/backend.h"
#include "core/output.h"
#include "core/refresh_timer.h"
#include "core/swapchain.h"

struct kms_backend;
struct kms_output;
struct kms_writeback_job;

/* Property ids, resolved once when the object is discovered; 0 = absent. */
struct kms_crtc_props {
	uint32_t mode_id, active;
};

struct kms_plane_props {
	uint32_t type, fb_id, crtc_id;
	uint32_t src_x, src_y, src_w, src_h;
	uint32_t crtc_x, crtc_y, crtc_w, crtc_h;
	uint32_t hotspot_x, hotspot_y; /* cursor planes of virtualized drivers */
	/* YUV: zcomp's default encoding (BT.601, limited range) as the
	 * plane's enum values; ids 0 where the plane cannot be told. */
	uint32_t color_encoding, color_range;
	uint64_t bt601, limited_range;
};

struct kms_connector_props {
	uint32_t crtc_id;
	/* writeback connectors only */
	uint32_t writeback_fb_id, writeback_out_fence_ptr, writeback_pixel_formats;
};

struct kms_crtc {
	uint32_t id;
	int index; /* bit in possible_crtcs masks */
	struct kms_crtc_props props;
	struct kms_output *output; /* NULL while free */
};

struct kms_plane {
	uint32_t id;
	uint64_t type; /* DRM_PLANE_TYPE_* */
	uint32_t possible_crtcs;
	uint64_t zpos; /* its zpos property's value, else its id */
	bool has_zpos;
	struct kms_plane_props props;
	struct kms_output *output; /* NULL while free */
};

/* A client buffer on an overlay plane, as the next commit shows it. */
struct kms_layer {
	uint32_t fb; /* 0: the plane is off */
	uint32_t format;
	int32_t x, y, width, height;
	/* What of the framebuffer is scanned out; another size than width x
	 * height asks the plane to scale (a single-pixel buffer's). */
	int32_t src_width, src_height;
};

#define KMS_MAX_OVERLAYS OUTPUT_MAX_LAYERS

/* What a TEST_ONLY result depends on, for one buffer on a plane: its
 * layout and where it goes, not which buffer it is. */
struct kms_plane_sig {
	uint32_t format, stride, offset, n_planes;
	uint64_t modifier;
	int32_t x, y, width, height;
};

/* A tested frame: the primary (all zero: a rendered frame) and overlays. */
struct kms_frame_sig {
	struct kms_plane_sig primary;
	struct kms_plane_sig layers[KMS_MAX_OVERLAYS];
	int n_layers;
	bool ok; /* the driver's answer */
};

#define KMS_TESTED_FRAMES 16

struct kms_writeback_connector {
	uint32_t id;
	uint32_t possible_crtcs;
	struct kms_connector_props props;
	bool has_xrgb8888;
	struct kms_output *output; /* NULL while free */
};

struct kms_device {
	struct kms_backend *backend;
	int fd;
	int device_id; /* libseat's */
	char *path;
	dev_t devnum;
	char *driver;
	/* The driver delivers flip events at real vblanks. virtio-gpu does not:
	 * its flips complete as soon as the host took the frame. */
	bool has_vblank;
	/* DRM_CAP_ATOMIC_ASYNC_PAGE_FLIP: atomic commits may flip without
	 * waiting for a vblank (wp_tearing_control_v1). */
	bool async_atomic;
	struct kms_crtc *crtcs;
	int n_crtcs;
	struct kms_plane *planes;
	int n_planes;
	struct kms_writeback_connector *writebacks;
	int n_writebacks;
	struct wl_event_source *drm_source;
};

/* What the output's cursor plane shows (kms_cursor.c). */
struct kms_cursor_state {
	struct zc_buffer *buffers[2]; /* dumb ARGB8888, width x height */
	int front;                    /* the one with the current image */
	int32_t width, height;        /* DRM_CAP_CURSOR_WIDTH/HEIGHT */
	bool has_image, visible;
	int32_t x, y, hotspot_x, hotspot_y;
	bool dirty; /* changed since the last commit */
};

struct kms_output {
	struct kms_backend *backend;
	struct kms_device *dev;
	struct zc_output *output;
	struct wl_list link; /* kms_backend.outputs */
	uint32_t connector_id;
	struct kms_connector_props props;
	struct kms_crtc *crtc;
	struct kms_plane *primary, *cursor;
	/* Overlay planes claimed for client buffers, bottom to top, and what
	 * each shows in the next commit (kms_planes.c). */
	struct kms_plane *overlays[KMS_MAX_OVERLAYS];
	int n_overlays;
	struct kms_layer layers[KMS_MAX_OVERLAYS];
	bool layers_changed; /* since the last commit */
	uint32_t overlays_on; /* bit per overlay showing a layer on screen */
	/* The latest TEST_ONLY answers (a ring), reused while nothing but the
	 * buffers changes; forgotten at each modeset. */
	struct kms_frame_sig tested[KMS_TESTED_FRAMES];
	int n_tested, next_tested;
	/* What the primary and the overlay planes take (scan-out tranches). */
	struct zc_plane_formats primary_formats, overlay_formats;
	/* YUV formats a plane lists but is not given (it has no COLOR_ENCODING/
	 * COLOR_RANGE to set): the reason they are composited. */
	struct zc_format_set yuv_uncoloured;
	struct kms_cursor_state cursor_state;
	struct kms_writeback_connector *writeback; /* claimed for our CRTC */
	bool writeback_attached; /* its CRTC_ID is ours (since the first capture) */
	bool writeback_off; /* refused or lost a frame: captures use rendered frames */
	drmModeModeInfo mode;
	uint32_t mode_blob;
	bool needs_modeset;

	/* Back buffers: two, a third only while all others are busy. */
	struct zc_swapchain chain;
	/* The renderer's own targets are refused: dumb buffers from now on. */
	bool dumb_only;
	struct zc_buffer *scanout; /* on the CRTC now */
	struct zc_buffer *pending; /* committed, its flip not yet done */
	bool flip_pending;
	bool flip_async;  /* the flip pending was committed with PAGE_FLIP_ASYNC */
	/* Frames that asked for an async flip: flipped so, and refused (no
	 * capability, or the TEST_ONLY commit failed): a normal flip instead. */
	uint64_t async_flips, async_refused;
	/* committed while the session was inactive or a readback was busy */
	bool frame_parked;

	/* Writeback jobs waiting for a commit or for their frame (kms_writeback.c). */
	struct wl_list writeback_jobs;

	/* Pacing where flips do not wait for a vblank, and for empty frames:
	 * presents on the refresh grid (timer.target: the grid point the
	 * frame is presented at). */
	struct zc_refresh_timer timer;
	uint32_t timer_flags; /* extra present flags of the timer's frame */
	bool vblank_queued; /* an empty frame waits for a vblank event */
	bool frame_dropped; /* the last commit failed: its frame is not presented */

	/* Measurements: flip turnaround (commit to event). */
	struct timespec commit_time;
	uint64_t flips;
	uint64_t flip_ns_sum;
	unsigned int last_flip_seq;
	int stuck_seqs;
};

struct kms_backend {
	struct zc_backend base;
	struct zc_session *session;
	struct wl_listener session_active;
	struct kms_device *device;
	struct wl_list outputs; /* kms_output.link */
	struct udev *udev;
	struct udev_monitor *monitor;
	struct wl_event_source *monitor_source;
	/* Frames that could not be committed, over the backend's lifetime. */
	uint64_t failed_commits;
	uint64_t session_disables;
	/* Commits asked for while the session was inactive (refused: a bug). */
	uint64_t inactive_commits;
	/* The writeback test hook (kms_writeback.c). */
	const char *dump_dir;
	struct wl_event_source *dump_signal;
	int n_dumps;
};

/* kms_atomic.c: an atomic request. A property that could not be added
 * (error, on object_id) fails the whole request at commit. */
struct kms_atomic {
	drmModeAtomicReq *req;
	int error; /* errno of the first property that failed, or 0 */
	uint32_t object_id;
};
bool kms_atomic_init(struct kms_atomic *atom);
void kms_atomic_finish(struct kms_atomic *atom);
/* prop_id 0 (a property the object does not have) is a failure too. */
void kms_atomic_add(struct kms_atomic *atom, uint32_t object_id, uint32_t prop_id,
	uint64_t value);
/* plane shows fb, width x height unscaled, with its top-left at x,y on the CRTC. */
/* A plane shows YUV only when its colour encoding and range can be set. */
bool kms_plane_takes_yuv(const struct kms_plane *plane);
bool kms_planes_list(const struct kms_output *out, const struct zc_buffer *buffer,
	bool primary, enum zc_plane_failure *why);
/* COLOR_ENCODING/COLOR_RANGE for a YUV format; nothing for RGB. */
void kms_atomic_add_plane_colour(struct kms_atomic *atom, const struct kms_plane *plane,
	uint32_t format);
void kms_atomic_add_plane(struct kms_atomic *atom, const struct kms_plane *plane,
	uint32_t crtc_id, uint32_t fb, int32_t x, int32_t y, uint32_t width, uint32_t height);
/* The same, scanning out src_width x src_height of fb scaled to width x
 * height (where the driver's plane scales; TEST_ONLY says). */
void kms_atomic_add_plane_scaled(struct kms_atomic *atom, const struct kms_plane *plane,
	uint32_t crtc_id, uint32_t fb, int32_t x, int32_t y, uint32_t width, uint32_t height,
	uint32_t src_width, uint32_t src_height);
void kms_atomic_add_plane_off(struct kms_atomic *atom, const struct kms_plane *plane);

/* kms.c: every atomic commit (TEST_ONLY included) goes through here; while
 * the session is inactive it is refused (EACCES), counted and logged; a
 * request that lost a property is refused with its error. */
int kms_device_commit(struct kms_device *dev, const struct kms_atomic *atom, uint32_t flags,
	void *user_data);

/* kms_props.c */
bool kms_device_discover(struct kms_device *dev);
void kms_device_forget(struct kms_device *dev);
uint32_t kms_prop_id(int fd, uint32_t obj_id, uint32_t obj_type, const char *name);
struct kms_crtc *kms_crtc_by_id(struct kms_device *dev, uint32_t crtc_id);
/* A free CRTC that the connector's encoders can drive, or NULL. */
struct kms_crtc *kms_pick_crtc(struct kms_device *dev, const drmModeConnector *conn);
struct kms_plane *kms_pick_plane(struct kms_device *dev, struct kms_crtc *crtc,
	uint64_t type);
bool kms_connector_is_usable(const drmModeConnector *conn);

/* kms_output.c */
bool kms_output_create(struct kms_backend *backend, const drmModeConnector *conn);
void kms_output_destroy(struct kms_output *out);
struct kms_output *kms_output_by_connector(struct kms_backend *backend, uint32_t id);
void kms_output_handle_flip(struct kms_output *out, unsigned int seq,
	const struct timespec *when);
void kms_output_handle_vblank(struct kms_output *out, uint64_t seq,
	const struct timespec *when);
/* Session regained: a full modeset and a repaint. */
void kms_output_session_enabled(struct kms_output *out);
/* A readback ended: the frame parked meanwhile goes to the screen. */
void kms_output_writeback_idle(struct kms_output *out);
/* The driver refused or lost a readback: no more writeback on out. */
void kms_output_give_up_writeback(struct kms_output *out);

/* kms_dumb.c: a dumb buffer on the card node with its framebuffer. */
struct zc_buffer *kms_dumb_create(int fd, int32_t width, int32_t height, uint32_t format);
/* The buffer's framebuffer id, or 0 for a buffer that is not ours. */
uint32_t kms_dumb_get_fb(struct zc_buffer *buffer);
/* Framebuffers alive right now (leak checks). */
int kms_dumb_fb_count(void);

/* A commit of buffer on out's primary plane passes TEST_ONLY. */
bool kms_output_test_buffer(struct kms_output *out, struct zc_buffer *buffer);

/* kms_scanout.c: client dma-bufs imported as framebuffers (PRIME + AddFB2),
 * once per buffer and device, failures remembered; frames with them on the
 * primary and overlay planes tested with TEST_ONLY. */
bool kms_output_test_frame(struct zc_output *output, struct zc_buffer *primary,
	const struct zc_layers *layers, int *tests_left, enum zc_plane_failure *why);
/* The ZC_SCANOUT_DENY_FORMAT test hook refuses format. */
bool kms_scanout_format_denied(uint32_t format);
/* buffer's framebuffer on dev: a dumb buffer's or a client buffer's
 * imported one; 0 if it has none. */
uint32_t kms_buffer_get_fb(struct kms_device *dev, struct zc_buffer *buffer);
/* buffer's framebuffer on dev, imported now if it has none yet; 0 if the
 * device cannot scan it out. */
uint32_t kms_buffer_import_fb(struct kms_device *dev, struct zc_buffer *buffer);
/* What of buffer's framebuffer a plane showing it at width x height scans
 * out: the buffer, or for a single-pixel buffer as much of its small
 * framebuffer as the destination needs (scaled by the plane beyond that). */
void kms_buffer_src_size(struct kms_device *dev, struct zc_buffer *buffer, int32_t width,
	int32_t height, int32_t *src_width, int32_t *src_height);
/* Imported framebuffers alive right now (leak checks). */
int kms_scanout_fb_count(void);

/* kms_planes.c: the overlay planes of an output's CRTC. */
void kms_planes_claim(struct kms_output *out);
void kms_planes_release(struct kms_output *out);
/* Each overlay with a layer, and off each that had one. */
void kms_planes_add(struct kms_output *out, struct kms_atomic *atom);
/* A commit with out->layers succeeded. */
void kms_planes_committed(struct kms_output *out);
void kms_planes_add_off(struct kms_output *out, struct kms_atomic *atom);
/* Topmost-first layers (framebuffers already imported) onto the overlays. */
bool kms_planes_fill(const struct kms_output *out, const struct zc_layers *layers,
	struct kms_layer *dst);
void kms_output_set_layers(struct zc_output *output, const struct zc_layers *layers);
const struct zc_plane_formats *kms_output_plane_formats(struct zc_output *output,
	bool primary);
/* kms_modes.c */
int32_t kms_mode_refresh_mhz(const drmModeModeInfo *mode);
/* generated: not one the connector lists (a CVT mode for --mode). */
bool kms_pick_mode(const drmModeConnector *conn, const struct zc_options *opts,
	drmModeModeInfo *mode, bool *generated);
/* Logs the modes conn lists, as an error (a mode it cannot take). */
void kms_log_modes(const drmModeConnector *conn);

/* kms_cursor.c */
bool kms_output_set_cursor(struct zc_output *output, struct zc_buffer *image, int32_t x,
	int32_t y, int32_t hotspot_x, int32_t hotspot_y, bool changed);
/* The plane's state, into a request of the output, if it changed. */
void kms_cursor_add_props(struct kms_output *out, struct kms_atomic *atom);
void kms_cursor_disable(struct kms_output *out, struct kms_atomic *atom);
void kms_cursor_finish(struct kms_output *out);

/* kms_writeback.c: the output's readback operation, and for kms_output.c */
struct zc_output_readback *kms_output_readback(struct zc_output *output,
	output_readback_done_fn done, void *data);
void kms_output_cancel_readback(struct zc_output_readback *readback);
void kms_writeback_output_finish(struct kms_output *out);
/* The next job to attach to a commit of out, or NULL. */
struct kms_writeback_job *kms_writeback_next_job(struct kms_output *out);
/* Whether a committed job still waits for its frame: until then the frame on
 * screen must stay there. */
bool kms_writeback_busy(struct kms_output *out);
bool kms_writeback_add_job(struct kms_writeback_job *job, struct kms_writeback_connector *wb,
	struct kms_atomic *atom);
/* The commit carrying job succeeded (start waiting) or failed. */
void kms_writeback_job_committed(struct kms_writeback_job *job, bool ok);
bool kms_writeback_setup_dump(struct kms_backend *backend);

#endif
