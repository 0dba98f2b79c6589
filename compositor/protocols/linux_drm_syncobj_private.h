#ifndef ZC_LINUX_DRM_SYNCOBJ_PRIVATE_H
#define ZC_LINUX_DRM_SYNCOBJ_PRIVATE_H

/* Shared by linux_drm_syncobj.c (the protocol) and
 * linux_drm_syncobj_device.c (the DRM device and its timeline points). */

#include <stdbool.h>
#include <stdint.h>

/* An open DRM device with timeline syncobjs, shared by the global and every
 * imported timeline (which may outlive it). */
struct syncobj_device {
	int fd;
	int refs;
	bool has_eventfd; /* DRM_IOCTL_SYNCOBJ_EVENTFD works */
};

/* The KMS card if it has timelines, else a render node of the same GPU,
 * else any render node that has them (kms_fd -1: no KMS device); NULL if
 * none. Logs which and why. */
struct syncobj_device *syncobj_device_open(int kms_fd);
struct syncobj_device *syncobj_device_ref(struct syncobj_device *dev);
void syncobj_device_unref(struct syncobj_device *dev);

bool syncobj_point_signalled(struct syncobj_device *dev, uint32_t handle, uint64_t point);
/* An fd that becomes readable once the point signals: an eventfd, or
 * without DRM_IOCTL_SYNCOBJ_EVENTFD a sync_file of the point's fence;
 * -EAGAIN when the point has no fence yet (ask again later), another
 * negative errno on failure. */
int syncobj_point_wait_fd(struct syncobj_device *dev, uint32_t handle, uint64_t point);
/* Signals the point now (sync_file -1) or when sync_file signals. */
bool syncobj_point_signal(struct syncobj_device *dev, uint32_t handle, uint64_t point,
	int sync_file);

/* What a wl_surface.commit carries for explicit sync, and the protocol's
 * rules on it. */
struct syncobj_commit_facts {
	bool buffer_attached;  /* a non-NULL buffer is attached in this commit */
	bool buffer_supported; /* a dma-buf */
	bool has_acquire, has_release;
	bool same_timeline; /* acquire and release points on one timeline */
	uint64_t acquire, release;
};

/* The wp_linux_drm_syncobj_surface_v1 error the commit raises, 0 if none. */
uint32_t syncobj_check_commit(const struct syncobj_commit_facts *f, const char **why);

#endif
