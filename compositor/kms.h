#ifndef ZC_KMS_H
#define ZC_KMS_H

/*
 * The KMS backend's internals, shared by its files:
 *   kms.c           backend, device discovery (udev), session, DRM events, hotplug
 *   kms_props.c     CRTCs, planes and connectors discovered, property ids resolved once
 *   kms_output.c    one zc_output per connected connector: modeset, flips, pacing
 *   kms_dumb.c      dumb buffers as zc_buffers, each with its framebuffer
 *   kms_scanout.c   client dma-bufs as framebuffers: direct scanout
 *   kms_writeback.c reading back what a CRTC scans out (kms_writeback.h)
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

#include "backend.h"
#include "output.h"

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
	struct kms_plane_props props;
	struct kms_output *output; /* NULL while free */
};

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
	struct kms_crtc *crtcs;
	int n_crtcs;
	struct kms_plane *planes;
	int n_planes;
	struct kms_writeback_connector *writebacks;
	int n_writebacks;
	struct wl_event_source *drm_source;
};

#define KMS_MAX_BUFFERS 3

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
	struct kms_cursor_state cursor_state;
	struct kms_writeback_connector *writeback; /* claimed for our CRTC */
	bool writeback_attached; /* its CRTC_ID is ours (since the first capture) */
	bool writeback_off; /* refused or lost a frame: captures use rendered frames */
	drmModeModeInfo mode;
	uint32_t mode_blob;
	bool needs_modeset;

	/* Back buffers: two, a third only while all others are busy. */
	struct zc_buffer *buffers[KMS_MAX_BUFFERS];
	uint64_t rendered_at[KMS_MAX_BUFFERS]; /* frame count when last rendered */
	int n_buffers;
	uint64_t frames_rendered;
	struct zc_buffer *scanout; /* on the CRTC now */
	struct zc_buffer *pending; /* committed, its flip not yet done */
	bool flip_pending;
	/* committed while the session was inactive or a readback was busy */
	bool frame_parked;

	/* Writeback jobs waiting for a commit or for their frame (kms_writeback.c). */
	struct wl_list writeback_jobs;

	/* Pacing where flips do not wait for a vblank, and for empty frames:
	 * a timer on the refresh grid starting at epoch. */
	int timer_fd;
	struct wl_event_source *timer;
	struct timespec epoch;
	struct timespec target; /* the grid point the frame is presented at */
	uint32_t timer_flags; /* extra present flags of the timer's frame */
	bool vblank_queued; /* an empty frame waits for a vblank event */

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
	/* The writeback test hook (kms_writeback.c). */
	const char *dump_dir;
	struct wl_event_source *dump_signal;
	int n_dumps;
};

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
/* NULL when output is not a KMS output. */
struct kms_output *kms_output_from_output(struct zc_output *output);
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
 * once per buffer and device, failures remembered. */
bool kms_output_can_scanout(struct zc_output *output, struct zc_buffer *buffer);
/* buffer's framebuffer on dev: a dumb buffer's or a client buffer's
 * imported one; 0 if it has none. */
uint32_t kms_buffer_get_fb(struct kms_device *dev, struct zc_buffer *buffer);
/* Imported framebuffers alive right now (leak checks). */
int kms_scanout_fb_count(void);

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
void kms_cursor_add_props(struct kms_output *out, drmModeAtomicReq *req);
void kms_cursor_disable(struct kms_output *out, drmModeAtomicReq *req);
void kms_cursor_finish(struct kms_output *out);

/* kms_writeback.c, for kms_output.c */
void kms_writeback_output_finish(struct kms_output *out);
/* The next job to attach to a commit of out, or NULL. */
struct kms_writeback_job *kms_writeback_next_job(struct kms_output *out);
/* Whether a committed job still waits for its frame: until then the frame on
 * screen must stay there. */
bool kms_writeback_busy(struct kms_output *out);
bool kms_writeback_add_job(struct kms_writeback_job *job, struct kms_writeback_connector *wb,
	drmModeAtomicReq *req);
/* The commit carrying job succeeded (start waiting) or failed. */
void kms_writeback_job_committed(struct kms_writeback_job *job, bool ok);
bool kms_writeback_setup_dump(struct kms_backend *backend);

#endif
