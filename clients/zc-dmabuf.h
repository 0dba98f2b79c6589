#ifndef ZC_DMABUF_APP_H
#define ZC_DMABUF_APP_H

/* zc-dmabuf's state, shared by zc-dmabuf.c (options, buffers, the frame
 * loop, presentation) and zc-dmabuf-sync.c (its explicit-sync holds and
 * checks). */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <xf86drm.h>

#include "dmabuf-client.h"
#include "dmabuf-sync.h"

#define MAX_BUFFERS 8
#define TIMEOUT_MS 5000
#define HOLD_FILE_MAX_S 60

/* vgem's fence ioctls (include/uapi/drm/vgem_drm.h), absent from libdrm. */
struct vgem_fence_attach {
	uint32_t handle, flags, out_fence, pad;
};
struct vgem_fence_signal {
	uint32_t fence, flags;
};
#define VGEM_FENCE_WRITE 0x1
#define VGEM_IOCTL_FENCE_ATTACH DRM_IOWR(DRM_COMMAND_BASE + 0x1, struct vgem_fence_attach)
#define VGEM_IOCTL_FENCE_SIGNAL DRM_IOW(DRM_COMMAND_BASE + 0x2, struct vgem_fence_signal)

struct options {
	struct dmabuf_client_options buf;
	long frames;
	double rate; /* frames per second; 0: every frame callback */
	int n_buffers;
	bool verify;
	bool window; /* a normal window where zcomp places it, not fullscreen */
	int fence_hold_ms;
	const char *provoke;
	long cycles;
	bool explicit_sync;      /* --sync=explicit */
	const char *sync_device; /* render node of the timelines; NULL: the first */
	int sync_hold_ms;        /* hold one frame behind an unsignalled acquire point */
	bool sync_destroy;       /* the held frame is the last; timelines destroyed while held */
	const char *sync_hold_file; /* and hold until this file exists (a test's screendump) */
	bool sync_hold_queue;    /* commit the next frame, ready, behind the held one */
	bool subsurface; /* frames in a synchronized subsurface over a black window */
	bool fifo;       /* paced by wp_fifo_v1 barriers, not frame callbacks */
	bool async;      /* wp_tearing_control_v1 hint async */
	bool fractional; /* buffers at the preferred scale, --size the logical size */
	bool linger;     /* after the last frame, stay up unchanged until killed */
	const char *provoke_sync;
};

struct slot {
	struct dmabuf_alloc alloc;
	struct wl_buffer *wl_buffer;
	bool busy;
	struct dmabuf_sync_release rel; /* --sync=explicit: busy until its point signals */
};

/* What became of each frame, for the explicit-sync checks. */
struct frame_record {
	int64_t present_ns, release_ns; /* 0: not (yet) */
	bool zero_copy;
};

struct app {
	struct options opt;
	struct dmabuf_client client;
	struct zcc_window window;
	bool frame_done;
	struct wl_callback *frame_cb; /* not yet done (zcomp may send it late) */
	int card_fd;
	struct slot slots[MAX_BUFFERS];
	uint32_t submitted, presented, discarded, pending_feedbacks;
	uint32_t zero_copy; /* presented with the ZERO_COPY flag: scanned out directly */
	struct wp_fifo_v1 *fifo; /* --fifo, where offered */
	struct wp_tearing_control_v1 *tearing; /* --async */
	struct zcc_latencies latencies;
	int64_t origin_x, origin_y; /* where a fullscreen window lands */
	struct dmabuf_sync sync;
	/* --subsurface: the surface the frames go to, over a black backdrop. */
	struct wl_surface *child;
	struct wl_subsurface *subsurface;
	struct zcc_buffer *backdrop;
	struct frame_record *records;
	long n_records;
	long hold_frame;          /* -1: none */
	long queued_frame;        /* --sync-hold-queue: the frame behind it, or -1 */
	/* Its acquire point's timeline: signalling a point signals every one
	 * below it on the same timeline, the held one included. */
	struct dmabuf_sync_timeline queue_timeline;
	int64_t hold_signalled_ns; /* when its acquire point was signalled */
	/* --fractional: the buffers' size follows preferred_scale; the
	 * viewport shows them at the logical size. */
	struct wp_fractional_scale_v1 *fractional;
	struct wp_viewport *viewport;
	int32_t logical_width, logical_height;
	uint32_t scale_120;         /* the last preferred_scale; 0: none yet */
	uint32_t buffers_scale_120; /* the one the buffers are laid out for */
};

struct feedback {
	struct app *app;
	struct wp_presentation_feedback *resource;
	int64_t commit_ns;
	long frame;
};

extern volatile sig_atomic_t stop_requested;

/* zc-dmabuf.c */
bool slot_create(struct app *app, struct slot *slot);
/* A buffer zcomp is done with, waiting for a release if all are busy. */
struct slot *slot_acquire(struct app *app);
struct frame_record *record_of(struct app *app, long frame);
int app_dispatch(struct app *app, int timeout_ms);
bool submit_frame(struct app *app, struct slot *slot, long frame, bool signal_acquire);
int64_t capture_frame_number(struct app *app);
void window_destroy(struct app *app);
/* Where the frames go: the window, or its subsurface. */
struct wl_surface *content_surface(struct app *app);

/* zc-dmabuf-scale.c */
bool fractional_start(struct app *app, struct wl_surface *surface);
/* A preferred_scale other than the buffers' arrived. */
bool fractional_changed(const struct app *app);
bool fractional_apply(struct app *app);
void fractional_finish(struct app *app);

/* zc-dmabuf-sync.c */
bool sync_start(struct app *app);
/* The frame --sync-hold holds, or -1. */
long sync_hold_frame(const struct app *app);
bool sync_hold(struct app *app, struct slot *slot, long frame);
bool verify_sync(struct app *app);
bool verify_all_released(struct app *app);

#endif
