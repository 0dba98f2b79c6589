/*
 * The DRM device explicit sync runs on, and what zcomp does with timeline
 * points there: wait for one in the event loop, signal one (now or when a
 * sync_file signals). Syncobj fds are not tied to the device that made
 * them, so any DRM device with timeline syncobjs can import a client's.
 */
#include "linux_drm_syncobj_private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <xf86drm.h>

#include "base/log.h"

static bool has_timelines(int fd)
{
	uint64_t cap = 0;
	return drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &cap) == 0 && cap;
}

/* DRM_IOCTL_SYNCOBJ_EVENTFD (Linux 6.6) answers ENOENT for a handle that
 * does not exist; older kernels do not know the ioctl. */
static bool has_eventfd(int fd)
{
	const char *off = getenv("ZC_SYNCOBJ_NO_EVENTFD");
	if (off && *off && strcmp(off, "0") != 0)
		return false;
	int efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		return false;
	bool ok = drmSyncobjEventfd(fd, 0, 0, efd, 0) < 0 && errno == ENOENT;
	close(efd);
	return ok;
}

static struct syncobj_device *device_create(int fd, const char *why)
{
	struct syncobj_device *dev = calloc(1, sizeof(*dev));
	if (!dev) {
		close(fd);
		return NULL;
	}
	dev->fd = fd;
	dev->refs = 1;
	dev->has_eventfd = has_eventfd(fd);
	char *name = drmGetDeviceNameFromFd2(fd);
	zc_info("linux-drm-syncobj: timelines on %s (%s), acquire points waited with %s",
		name ? name : "?", why, dev->has_eventfd ? "DRM_IOCTL_SYNCOBJ_EVENTFD" :
		"sync_files exported from the points");
	free(name);
	return dev;
}

/* The render node of a device with timelines, or -1. same_as: only that
 * GPU's, or any when NULL. */
static int open_render_node(drmDevicePtr *devices, int n, drmDevicePtr same_as)
{
	for (int i = 0; i < n; i++) {
		if (!(devices[i]->available_nodes & (1 << DRM_NODE_RENDER)))
			continue;
		if (same_as && !drmDevicesEqual(devices[i], same_as))
			continue;
		int fd = open(devices[i]->nodes[DRM_NODE_RENDER], O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (has_timelines(fd))
			return fd;
		close(fd);
	}
	return -1;
}

static struct syncobj_device *device_from_render_nodes(int kms_fd)
{
	drmDevicePtr devices[64], kms = NULL;
	int n = drmGetDevices2(0, devices, 64);
	if (n <= 0)
		return NULL;
	if (kms_fd >= 0 && drmGetDevice2(kms_fd, 0, &kms) != 0)
		kms = NULL;
	int fd = kms ? open_render_node(devices, n, kms) : -1;
	const char *why = "render node of the KMS device";
	if (fd < 0) {
		fd = open_render_node(devices, n, NULL);
		why = kms ? "another GPU's render node: the KMS device has no timelines" :
			"a render node: no KMS device";
	}
	drmFreeDevice(&kms);
	drmFreeDevices(devices, n);
	return fd >= 0 ? device_create(fd, why) : NULL;
}

struct syncobj_device *syncobj_device_open(int kms_fd)
{
	if (kms_fd >= 0 && has_timelines(kms_fd)) {
		int fd = fcntl(kms_fd, F_DUPFD_CLOEXEC, 0);
		if (fd >= 0)
			return device_create(fd, "the KMS device");
	}
	return device_from_render_nodes(kms_fd);
}

struct syncobj_device *syncobj_device_ref(struct syncobj_device *dev)
{
	dev->refs++;
	return dev;
}

void syncobj_device_unref(struct syncobj_device *dev)
{
	if (!dev || --dev->refs > 0)
		return;
	close(dev->fd);
	free(dev);
}

bool syncobj_point_signalled(struct syncobj_device *dev, uint32_t handle, uint64_t point)
{
	uint64_t value = 0;
	return drmSyncobjQuery(dev->fd, &handle, &value, 1) == 0 && value >= point;
}

/* Without the eventfd ioctl: the point's fence as a sync_file, once the
 * point has one (a client may commit before it submitted the work). */
static int point_export_sync_file(struct syncobj_device *dev, uint32_t handle, uint64_t point)
{
	uint64_t p = point;
	if (drmSyncobjTimelineWait(dev->fd, &handle, &p, 1, 0,
		    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE, NULL) < 0)
		return errno == ETIME ? -EAGAIN : -errno;
	uint32_t tmp;
	if (drmSyncobjCreate(dev->fd, 0, &tmp) < 0)
		return -errno;
	int fd = -1, err = 0;
	if (drmSyncobjTransfer(dev->fd, tmp, 0, handle, point, 0) < 0 ||
	    drmSyncobjExportSyncFile(dev->fd, tmp, &fd) < 0)
		err = -errno;
	drmSyncobjDestroy(dev->fd, tmp);
	return err ? err : fd;
}

int syncobj_point_wait_fd(struct syncobj_device *dev, uint32_t handle, uint64_t point)
{
	if (!dev->has_eventfd)
		return point_export_sync_file(dev, handle, point);
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0)
		return -errno;
	if (drmSyncobjEventfd(dev->fd, handle, point, efd, 0) < 0) {
		int err = -errno;
		close(efd);
		return err;
	}
	return efd;
}

bool syncobj_point_signal(struct syncobj_device *dev, uint32_t handle, uint64_t point,
	int sync_file)
{
	if (sync_file < 0)
		return drmSyncobjTimelineSignal(dev->fd, &handle, &point, 1) == 0;
	uint32_t tmp;
	if (drmSyncobjCreate(dev->fd, 0, &tmp) < 0)
		return false;
	bool ok = drmSyncobjImportSyncFile(dev->fd, tmp, sync_file) == 0 &&
		drmSyncobjTransfer(dev->fd, handle, point, tmp, 0, 0) == 0;
	drmSyncobjDestroy(dev->fd, tmp);
	return ok;
}
