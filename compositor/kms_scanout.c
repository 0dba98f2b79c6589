/*
 * Direct scanout: a client's dma-buf shown by the display engine itself,
 * with no composition and no copy.
 *
 *   import       PRIME fd -> GEM handles -> AddFB2 (with the modifier), once
 *                per buffer and device, cached on the buffer as an
 *                attachment; a failed import (a device that cannot reach
 *                foreign memory: virtio-gpu and udmabuf) is remembered there
 *                too, so the buffer is composited without asking again
 *   TEST_ONLY    each frame, the primary plane with that framebuffer is
 *                tested before output_repaint() commits it; a refusal is
 *                remembered as well
 *
 * The buffer stays locked while it is in flight or on screen (the output's
 * in_flight and front locks), so its framebuffer, removed with the buffer,
 * is never taken away from a plane still scanning it out.
 */
#include <drm_fourcc.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buffer.h"
#include "kms.h"
#include "session.h"

struct kms_scanout_fb {
	struct zc_buffer_attachment base;
	/* Our own reference to the device's file: the framebuffer lives in it
	 * and the buffer may outlive the backend (a lock held elsewhere). */
	int fd;
	uint32_t fb_id;   /* 0: the import failed, not retried */
	bool refused;     /* the driver refused it in a TEST_ONLY commit */
};

static int live_framebuffers;

static void scanout_fb_destroy(struct zc_buffer_attachment *attachment)
{
	struct kms_scanout_fb *sfb = container_of(attachment, struct kms_scanout_fb, base);
	if (sfb->fb_id) {
		drmModeRmFB(sfb->fd, sfb->fb_id);
		live_framebuffers--;
	}
	if (sfb->fd >= 0)
		close(sfb->fd);
	free(sfb);
}

/* The framebuffer keeps the GEM objects alive: the handles can go at once,
 * each only once (planes may share one dma-buf, hence one handle). */
static void close_handles(int fd, const uint32_t *handles, int n)
{
	for (int i = 0; i < n; i++) {
		bool seen = false;
		for (int j = 0; j < i; j++)
			seen = seen || handles[j] == handles[i];
		if (handles[i] && !seen)
			drmCloseBufferHandle(fd, handles[i]);
	}
}

static bool add_fb(struct kms_scanout_fb *sfb, const struct zc_dmabuf_attribs *a,
	const uint32_t *handles, const uint32_t *pitches, const uint32_t *offsets,
	const uint64_t *modifiers)
{
	uint32_t w = (uint32_t)a->width, h = (uint32_t)a->height;
	/* An implicit modifier (INVALID) means: the driver's default layout. */
	if (a->modifier != DRM_FORMAT_MOD_INVALID &&
	    drmModeAddFB2WithModifiers(sfb->fd, w, h, a->format, handles, pitches, offsets,
		    modifiers, &sfb->fb_id, DRM_MODE_FB_MODIFIERS) == 0)
		return true;
	/* Drivers without modifier support (virtio-gpu) refuse the flag, yet
	 * their implicit layout is linear. */
	if (a->modifier != DRM_FORMAT_MOD_INVALID && a->modifier != DRM_FORMAT_MOD_LINEAR)
		return false;
	return drmModeAddFB2(sfb->fd, w, h, a->format, handles, pitches, offsets, &sfb->fb_id,
		0) == 0;
}

static bool import_fb(struct kms_scanout_fb *sfb, const struct zc_dmabuf_attribs *a,
	int *err)
{
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	uint64_t modifiers[4] = { 0 };
	bool ok = true;
	for (int i = 0; i < a->n_planes && ok; i++) {
		ok = drmPrimeFDToHandle(sfb->fd, a->fd[i], &handles[i]) == 0;
		pitches[i] = a->stride[i];
		offsets[i] = a->offset[i];
		modifiers[i] = a->modifier;
	}
	ok = ok && add_fb(sfb, a, handles, pitches, offsets, modifiers);
	*err = errno;
	close_handles(sfb->fd, handles, a->n_planes);
	if (!ok) {
		sfb->fb_id = 0;
		return false;
	}
	live_framebuffers++;
	return true;
}

/* The buffer's imported framebuffer on dev, importing it the first time. */
static struct kms_scanout_fb *scanout_fb_get(struct kms_device *dev, struct zc_buffer *buffer)
{
	struct zc_buffer_attachment *att = buffer_get_attachment(buffer, dev);
	if (att)
		return container_of(att, struct kms_scanout_fb, base);
	const struct zc_dmabuf_attribs *a = buffer_get_dmabuf(buffer);
	if (!a)
		return NULL;
	struct kms_scanout_fb *sfb = calloc(1, sizeof(*sfb));
	if (!sfb)
		return NULL;
	sfb->fd = fcntl(dev->fd, F_DUPFD_CLOEXEC, 0);
	int err = errno;
	if (sfb->fd < 0 || !import_fb(sfb, a, &err))
		zc_info("kms: a %dx%d %.4s dma-buf cannot be scanned out on %s (%s): composited",
			a->width, a->height, (const char *)&a->format, dev->driver, strerror(err));
	buffer_add_attachment(buffer, &sfb->base, dev, scanout_fb_destroy);
	return sfb;
}

bool kms_output_can_scanout(struct zc_output *output, struct zc_buffer *buffer)
{
	struct kms_output *out = output->backend_data;
	if (!out->backend->session->active)
		return false;
	struct kms_scanout_fb *sfb = scanout_fb_get(out->dev, buffer);
	if (!sfb || !sfb->fb_id || sfb->refused)
		return false;
	if (kms_output_test_buffer(out, buffer))
		return true;
	zc_info("kms: output %s: the driver refuses framebuffer %u on the primary plane "
		"(%s): composited", output->name, sfb->fb_id, strerror(errno));
	sfb->refused = true;
	return false;
}

uint32_t kms_buffer_import_fb(struct kms_device *dev, struct zc_buffer *buffer)
{
	struct kms_scanout_fb *sfb = scanout_fb_get(dev, buffer);
	return sfb ? sfb->fb_id : 0;
}

uint32_t kms_buffer_get_fb(struct kms_device *dev, struct zc_buffer *buffer)
{
	uint32_t fb = kms_dumb_get_fb(buffer);
	if (fb)
		return fb;
	struct zc_buffer_attachment *att = buffer_get_attachment(buffer, dev);
	if (!att)
		return 0;
	return container_of(att, struct kms_scanout_fb, base)->fb_id;
}

int kms_scanout_fb_count(void)
{
	return live_framebuffers;
}
