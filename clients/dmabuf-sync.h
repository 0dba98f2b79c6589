#ifndef ZC_DMABUF_SYNC_H
#define ZC_DMABUF_SYNC_H

/*
 * The client side of wp_linux_drm_syncobj_v1 for zc-dmabuf --sync=explicit:
 * DRM timeline syncobjs made on a render node that has them, imported into
 * zcomp; an acquire point per commit (signalled from the CPU, or carrying a
 * dma-buf's own fence, e.g. vgem's), a release timeline per buffer whose
 * points are watched with eventfds, and a dispatch that polls both.
 */

#include <stdbool.h>
#include <stdint.h>
#include <wayland-client.h>

struct wp_linux_drm_syncobj_manager_v1;
struct wp_linux_drm_syncobj_surface_v1;
struct wp_linux_drm_syncobj_timeline_v1;

struct dmabuf_sync_timeline {
	uint32_t handle; /* 0: none */
	struct wp_linux_drm_syncobj_timeline_v1 *proxy; /* NULL once destroyed */
};

/* A buffer's release timeline and the point zcomp has to signal next. */
struct dmabuf_sync_release {
	struct dmabuf_sync_timeline timeline;
	uint64_t point;
	int efd;          /* readable once `point` signalled; -1: nothing pending */
	long frame;       /* the frame committed with `point` */
	int64_t signalled_ns; /* CLOCK_MONOTONIC, when the client saw it */
	bool signalled;
};

struct dmabuf_sync {
	int fd; /* the DRM device of every timeline */
	struct wl_registry *registry;
	struct wp_linux_drm_syncobj_manager_v1 *manager;
	struct wp_linux_drm_syncobj_surface_v1 *surface;
	struct dmabuf_sync_timeline acquire;
	uint64_t acquire_point; /* the last one set */
};

/* A render node with timeline syncobjs (path NULL: the first one), -1 with a
 * message if none. */
int dmabuf_sync_open_device(const char *path);
/* Binds the manager and opens the device; false with a message. */
bool dmabuf_sync_init(struct dmabuf_sync *sync, struct wl_display *display, const char *device);
void dmabuf_sync_finish(struct dmabuf_sync *sync);

bool dmabuf_sync_timeline_create(struct dmabuf_sync *sync, struct dmabuf_sync_timeline *tl);
/* The protocol object only: the syncobj stays usable by the client. */
void dmabuf_sync_timeline_forget(struct dmabuf_sync_timeline *tl);
void dmabuf_sync_timeline_destroy(struct dmabuf_sync *sync, struct dmabuf_sync_timeline *tl);

bool dmabuf_sync_release_init(struct dmabuf_sync *sync, struct dmabuf_sync_release *rel);
void dmabuf_sync_release_finish(struct dmabuf_sync *sync, struct dmabuf_sync_release *rel);

/* Sets the next acquire point and rel's next release point on the surface
 * for the commit of `frame`, and starts watching the release point. */
bool dmabuf_sync_set_points(struct dmabuf_sync *sync, struct dmabuf_sync_release *rel,
	long frame);
/* Signals the last acquire point from the CPU. */
bool dmabuf_sync_signal_acquire(struct dmabuf_sync *sync);
/* Makes the last acquire point the dma-buf's pending write fence (what a
 * reader waits for); false if it has none to export. */
bool dmabuf_sync_acquire_from_dmabuf(struct dmabuf_sync *sync, int dmabuf_fd);
/* Whether point of the timeline signalled within timeout_ms. */
bool dmabuf_sync_wait(struct dmabuf_sync *sync, uint32_t handle, uint64_t point, int timeout_ms);

/* Like zcc_dispatch_timeout, also waking for the release points: marks
 * those that signalled (signalled, signalled_ns) and stops watching them. */
int dmabuf_sync_dispatch(struct wl_display *display, struct dmabuf_sync_release **rels, int n,
	int timeout_ms);

/* Each wp_linux_drm_syncobj error on its own connection, and destruction in
 * every order ("list" names them, "all"); true if zcomp answered each as
 * the protocol says. */
struct dmabuf_client_options;
bool dmabuf_sync_provoke(const struct dmabuf_client_options *opt, const char *device,
	const char *which);

#endif
