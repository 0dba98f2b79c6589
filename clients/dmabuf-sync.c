/* Timelines and points for zc-dmabuf --sync=explicit (see dmabuf-sync.h). */
#include "dmabuf-sync.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "common.h"
#include "linux-drm-syncobj-v1-client-protocol.h"

static bool has_timelines(int fd)
{
	uint64_t cap = 0;
	return drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &cap) == 0 && cap;
}

int dmabuf_sync_open_device(const char *path)
{
	if (path) {
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0 && has_timelines(fd))
			return fd;
		fprintf(stderr, "zc-dmabuf: %s: %s\n", path,
			fd < 0 ? strerror(errno) : "no timeline syncobjs");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	drmDevicePtr devices[32];
	int n = drmGetDevices2(0, devices, 32), found = -1;
	for (int i = 0; i < n && found < 0; i++) {
		if (!(devices[i]->available_nodes & (1 << DRM_NODE_RENDER)))
			continue;
		int fd = open(devices[i]->nodes[DRM_NODE_RENDER], O_RDWR | O_CLOEXEC);
		if (fd >= 0 && has_timelines(fd))
			found = fd;
		else if (fd >= 0)
			close(fd);
	}
	if (n > 0)
		drmFreeDevices(devices, n);
	if (found < 0)
		fprintf(stderr, "zc-dmabuf: no render node with timeline syncobjs\n");
	return found;
}

static void handle_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct dmabuf_sync *sync = data;
	if (strcmp(interface, wp_linux_drm_syncobj_manager_v1_interface.name) == 0)
		sync->manager = wl_registry_bind(registry, name,
			&wp_linux_drm_syncobj_manager_v1_interface, 1);
}

static void handle_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = handle_global,
	.global_remove = handle_global_remove,
};

bool dmabuf_sync_init(struct dmabuf_sync *sync, struct wl_display *display, const char *device)
{
	*sync = (struct dmabuf_sync){ .fd = -1 };
	sync->registry = wl_display_get_registry(display);
	wl_registry_add_listener(sync->registry, &registry_listener, sync);
	if (wl_display_roundtrip(display) < 0)
		return false;
	if (!sync->manager) {
		fprintf(stderr, "zc-dmabuf: zcomp offers no wp_linux_drm_syncobj_manager_v1\n");
		return false;
	}
	sync->fd = dmabuf_sync_open_device(device);
	return sync->fd >= 0 && dmabuf_sync_timeline_create(sync, &sync->acquire);
}

void dmabuf_sync_finish(struct dmabuf_sync *sync)
{
	if (sync->surface)
		wp_linux_drm_syncobj_surface_v1_destroy(sync->surface);
	if (sync->fd >= 0)
		dmabuf_sync_timeline_destroy(sync, &sync->acquire);
	if (sync->manager)
		wp_linux_drm_syncobj_manager_v1_destroy(sync->manager);
	if (sync->registry)
		wl_registry_destroy(sync->registry);
	if (sync->fd >= 0)
		close(sync->fd);
	*sync = (struct dmabuf_sync){ .fd = -1 };
}

bool dmabuf_sync_timeline_create(struct dmabuf_sync *sync, struct dmabuf_sync_timeline *tl)
{
	int fd = -1;
	*tl = (struct dmabuf_sync_timeline){ 0 };
	if (drmSyncobjCreate(sync->fd, 0, &tl->handle) < 0 ||
	    drmSyncobjHandleToFD(sync->fd, tl->handle, &fd) < 0) {
		fprintf(stderr, "zc-dmabuf: cannot make a timeline: %s\n", strerror(errno));
		return false;
	}
	tl->proxy = wp_linux_drm_syncobj_manager_v1_import_timeline(sync->manager, fd);
	close(fd);
	return true;
}

void dmabuf_sync_timeline_forget(struct dmabuf_sync_timeline *tl)
{
	if (tl->proxy)
		wp_linux_drm_syncobj_timeline_v1_destroy(tl->proxy);
	tl->proxy = NULL;
}

void dmabuf_sync_timeline_destroy(struct dmabuf_sync *sync, struct dmabuf_sync_timeline *tl)
{
	dmabuf_sync_timeline_forget(tl);
	if (tl->handle)
		drmSyncobjDestroy(sync->fd, tl->handle);
	tl->handle = 0;
}

bool dmabuf_sync_release_init(struct dmabuf_sync *sync, struct dmabuf_sync_release *rel)
{
	*rel = (struct dmabuf_sync_release){ .efd = -1, .frame = -1 };
	return dmabuf_sync_timeline_create(sync, &rel->timeline);
}

void dmabuf_sync_release_finish(struct dmabuf_sync *sync, struct dmabuf_sync_release *rel)
{
	if (rel->efd >= 0)
		close(rel->efd);
	rel->efd = -1;
	dmabuf_sync_timeline_destroy(sync, &rel->timeline);
}

bool dmabuf_sync_set_points(struct dmabuf_sync *sync, struct dmabuf_sync_release *rel,
	long frame)
{
	uint64_t a = ++sync->acquire_point, r = ++rel->point;
	wp_linux_drm_syncobj_surface_v1_set_acquire_point(sync->surface, sync->acquire.proxy,
		(uint32_t)(a >> 32), (uint32_t)a);
	wp_linux_drm_syncobj_surface_v1_set_release_point(sync->surface, rel->timeline.proxy,
		(uint32_t)(r >> 32), (uint32_t)r);
	if (rel->efd >= 0)
		close(rel->efd);
	rel->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	rel->frame = frame;
	rel->signalled = false;
	if (rel->efd < 0 || drmSyncobjEventfd(sync->fd, rel->timeline.handle, r, rel->efd, 0) < 0) {
		fprintf(stderr, "zc-dmabuf: cannot watch release point: %s\n", strerror(errno));
		return false;
	}
	return true;
}

bool dmabuf_sync_signal_acquire(struct dmabuf_sync *sync)
{
	uint64_t point = sync->acquire_point;
	return drmSyncobjTimelineSignal(sync->fd, &sync->acquire.handle, &point, 1) == 0;
}

bool dmabuf_sync_acquire_from_dmabuf(struct dmabuf_sync *sync, int dmabuf_fd)
{
	struct dma_buf_export_sync_file exp = { .flags = DMA_BUF_SYNC_READ, .fd = -1 };
	if (ioctl(dmabuf_fd, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &exp) < 0) {
		fprintf(stderr, "zc-dmabuf: cannot export the buffer's fence: %s\n", strerror(errno));
		return false;
	}
	uint32_t tmp;
	bool ok = drmSyncobjCreate(sync->fd, 0, &tmp) == 0;
	if (ok) {
		ok = drmSyncobjImportSyncFile(sync->fd, tmp, exp.fd) == 0 &&
			drmSyncobjTransfer(sync->fd, sync->acquire.handle, sync->acquire_point, tmp,
				0, 0) == 0;
		drmSyncobjDestroy(sync->fd, tmp);
	}
	close(exp.fd);
	if (!ok)
		fprintf(stderr, "zc-dmabuf: cannot put the fence on the acquire point: %s\n",
			strerror(errno));
	return ok;
}

bool dmabuf_sync_wait(struct dmabuf_sync *sync, uint32_t handle, uint64_t point, int timeout_ms)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t deadline = zcc_timespec_to_nsec(&now) + (int64_t)timeout_ms * 1000000;
	return drmSyncobjTimelineWait(sync->fd, &handle, &point, 1, deadline,
		DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL) == 0;
}

int dmabuf_sync_dispatch(struct wl_display *display, struct dmabuf_sync_release **rels, int n,
	int timeout_ms)
{
	struct pollfd pfds[ZCC_MAX_EXTRA_FDS];
	struct dmabuf_sync_release *watched[ZCC_MAX_EXTRA_FDS];
	int n_watched = 0;
	for (int i = 0; i < n && n_watched < ZCC_MAX_EXTRA_FDS; i++) {
		if (rels[i] && rels[i]->efd >= 0) {
			watched[n_watched] = rels[i];
			pfds[n_watched++] = (struct pollfd){ .fd = rels[i]->efd, .events = POLLIN };
		}
	}
	int ret = zcc_dispatch_poll(display, pfds, n_watched, timeout_ms);
	int64_t now = zcc_now_nsec(CLOCK_MONOTONIC);
	for (int i = 0; i < n_watched && ret >= 0; i++) {
		if (!(pfds[i].revents & POLLIN))
			continue;
		watched[i]->signalled = true;
		watched[i]->signalled_ns = now;
		close(watched[i]->efd);
		watched[i]->efd = -1;
	}
	return ret;
}
