/*
 * Direct scanout: a client's dma-buf shown by the display engine itself,
 * with no composition and no copy.
 *
 *   import       PRIME fd -> GEM handles -> AddFB2 (with the modifier), once
 *                per buffer and device, cached on the buffer as an
 *                addon; a failed import (a device that cannot reach
 *                foreign memory: virtio-gpu and udmabuf) is remembered there
 *                too, so the buffer is composited without asking again
 *   TEST_ONLY    each frame, the frame with that framebuffer on the primary
 *                or an overlay plane is tested before output_repaint()
 *                commits it (output_planes.c decides what to try); a
 *                refusal of the buffer alone is remembered as well
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

#include "base/buffer.h"
#include "kms.h"
#include "backends/session/session.h"

struct kms_scanout_fb {
	struct zc_addon base;
	/* Our own reference to the device's file: the framebuffer lives in it
	 * and the buffer may outlive the backend (a lock held elsewhere). */
	int fd;
	uint32_t fb_id;   /* 0: the import failed, not retried */
	/* A single-pixel buffer's framebuffer: a dumb buffer of the driver's
	 * smallest framebuffer size, all in its colour (dumb buffers own their
	 * framebuffer). */
	struct zc_buffer *pixel;
	/* The driver refused it in a TEST_ONLY commit, on the primary plane or
	 * alone on an overlay: not tried there again. */
	bool refused, refused_overlay;
};

static int live_framebuffers;

static void scanout_fb_destroy(struct zc_addon *addon)
{
	struct kms_scanout_fb *sfb = container_of(addon, struct kms_scanout_fb, base);
	if (sfb->pixel)
		buffer_drop(sfb->pixel);
	else if (sfb->fb_id) {
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

/* Test hook: ZC_SCANOUT_DENY_FORMAT=XR24 (a fourcc) makes zcomp treat that
 * format as one the display cannot scan out, as clients that test dma-buf
 * feedback (weston-simple-dmabuf-feedback) expect of the compositor. */
bool kms_scanout_format_denied(uint32_t format)
{
	static int state = -1; /* -1: not read yet */
	static uint32_t denied;
	if (state < 0) {
		const char *env = getenv("ZC_SCANOUT_DENY_FORMAT");
		state = env && strlen(env) == 4;
		if (state) {
			memcpy(&denied, env, 4);
			zc_info("kms: ZC_SCANOUT_DENY_FORMAT: %.4s is never scanned out", env);
		}
	}
	return state && format == denied;
}

/* No plane scans out a colour without memory (there is no solid-fill plane
 * property in the kernel's uAPI), so a single-pixel buffer gets a small
 * framebuffer in its colour: the driver's smallest (1x1 where it allows it;
 * vkms asks for 20x20: 1600 bytes, written once per buffer). A destination
 * up to that size is scanned out as it is, a larger one asks the plane to
 * scale (kms_buffer_src_size). */
static void import_pixel(struct kms_scanout_fb *sfb, struct kms_device *dev,
	struct zc_buffer *buffer)
{
	drmModeRes *res = drmModeGetResources(dev->fd);
	int32_t w = res && res->min_width > 1 ? (int32_t)res->min_width : 1;
	int32_t h = res && res->min_height > 1 ? (int32_t)res->min_height : 1;
	drmModeFreeResources(res);
	struct zc_cpu_view src, dst;
	sfb->pixel = kms_dumb_create(dev->fd, w, h, buffer->format);
	if (!sfb->pixel || !buffer_begin_cpu_access(buffer, ZC_CPU_READ, &src))
		return;
	if (buffer_begin_cpu_access(sfb->pixel, ZC_CPU_WRITE, &dst)) {
		uint32_t colour = *(const uint32_t *)src.data[0];
		for (int32_t y = 0; y < h; y++) {
			uint32_t *row = (uint32_t *)((uint8_t *)dst.data[0] + y * dst.stride[0]);
			for (int32_t x = 0; x < w; x++)
				row[x] = colour;
		}
		buffer_end_cpu_access(sfb->pixel);
		sfb->fb_id = kms_dumb_get_fb(sfb->pixel);
	}
	buffer_end_cpu_access(buffer);
}

void kms_buffer_src_size(struct kms_device *dev, struct zc_buffer *buffer, int32_t width,
	int32_t height, int32_t *src_width, int32_t *src_height)
{
	struct zc_addon *att = addon_find(&buffer->addons, dev);
	struct kms_scanout_fb *sfb = att ? container_of(att, struct kms_scanout_fb, base) : NULL;
	if (!sfb || !sfb->pixel) {
		*src_width = buffer->width;
		*src_height = buffer->height;
		return;
	}
	*src_width = width < sfb->pixel->width ? width : sfb->pixel->width;
	*src_height = height < sfb->pixel->height ? height : sfb->pixel->height;
}

/* The buffer's imported framebuffer on dev, importing it the first time. */
static struct kms_scanout_fb *scanout_fb_get(struct kms_device *dev, struct zc_buffer *buffer)
{
	struct zc_addon *att = addon_find(&buffer->addons, dev);
	if (att)
		return container_of(att, struct kms_scanout_fb, base);
	const struct zc_dmabuf_attribs *a = buffer_get_dmabuf(buffer);
	float rgba[4];
	bool solid = !a && buffer_get_solid_colour(buffer, rgba);
	if (!a && !solid)
		return NULL;
	struct kms_scanout_fb *sfb = calloc(1, sizeof(*sfb));
	if (!sfb)
		return NULL;
	if (solid) {
		sfb->fd = -1;
		import_pixel(sfb, dev, buffer);
		addon_init(&sfb->base, &buffer->addons, dev, scanout_fb_destroy);
		return sfb;
	}
	sfb->fd = fcntl(dev->fd, F_DUPFD_CLOEXEC, 0);
	int err = errno;
	bool denied = kms_scanout_format_denied(a->format);
	if (denied)
		err = EPERM;
	if (sfb->fd < 0 || denied || !import_fb(sfb, a, &err))
		zc_info("kms: a %dx%d %.4s dma-buf cannot be scanned out on %s (%s): composited",
			a->width, a->height, (const char *)&a->format, dev->driver, strerror(err));
	addon_init(&sfb->base, &buffer->addons, dev, scanout_fb_destroy);
	return sfb;
}

/* Whether buffer has a framebuffer on dev that planes may try, importing it
 * the first time. */
static bool scanout_usable(struct kms_device *dev, struct zc_buffer *buffer, bool primary,
	enum zc_plane_failure *why)
{
	struct kms_scanout_fb *sfb = scanout_fb_get(dev, buffer);
	if (!sfb || !sfb->fb_id) {
		*why = ZC_PLANE_NO_IMPORT;
		return false;
	}
	if (primary ? sfb->refused : sfb->refused_overlay) {
		*why = ZC_PLANE_REFUSED;
		return false;
	}
	return true;
}

static void remember_refusal(struct kms_output *out, struct zc_buffer *buffer, bool primary)
{
	struct kms_scanout_fb *sfb = scanout_fb_get(out->dev, buffer);
	/* A single pixel's answer depends on the scaling its destination
	 * asks for: the frame signatures remember that. */
	if (sfb->pixel) {
		zc_debug("kms: output %s: the driver refuses a single-pixel buffer's "
			"framebuffer %u on an overlay plane (%s; scaling?): composited",
			out->output->name, sfb->fb_id, strerror(errno));
		return;
	}
	zc_info("kms: output %s: the driver refuses framebuffer %u on %s (%s): composited",
		out->output->name, sfb->fb_id, primary ? "the primary plane" : "an overlay plane",
		strerror(errno));
	if (primary)
		sfb->refused = true;
	else
		sfb->refused_overlay = true;
}

/* width x height: where the plane puts it (a single pixel's scaling). */
static void plane_sig(struct kms_plane_sig *sig, struct zc_buffer *buffer, int32_t x,
	int32_t y, int32_t width, int32_t height)
{
	const struct zc_dmabuf_attribs *a = buffer_get_dmabuf(buffer);
	if (!a) {
		*sig = (struct kms_plane_sig){ .format = buffer->format, .x = x, .y = y,
			.width = width, .height = height };
		return;
	}
	*sig = (struct kms_plane_sig){ .format = a->format, .stride = a->stride[0],
		.offset = a->offset[0], .n_planes = (uint32_t)a->n_planes,
		.modifier = a->modifier, .x = x, .y = y, .width = a->width,
		.height = a->height };
}

static void frame_sig(struct kms_frame_sig *sig, struct zc_buffer *primary,
	const struct zc_layers *layers)
{
	/* Zeroed as a whole: signatures are compared with memcmp. */
	memset(sig, 0, sizeof(*sig));
	if (primary)
		plane_sig(&sig->primary, primary, 0, 0, primary->width, primary->height);
	for (int i = 0; i < layers->n; i++) {
		const struct zc_layer *l = &layers->layer[i];
		plane_sig(&sig->layers[i], l->buffer, l->x, l->y, l->width, l->height);
	}
	sig->n_layers = layers->n;
}

/* The remembered answer for sig, or NULL. */
static const struct kms_frame_sig *tested_find(const struct kms_output *out,
	const struct kms_frame_sig *sig)
{
	if (out->needs_modeset)
		return NULL;
	for (int i = 0; i < out->n_tested; i++) {
		struct kms_frame_sig probe = out->tested[i];
		probe.ok = sig->ok;
		if (memcmp(&probe, sig, sizeof(probe)) == 0)
			return &out->tested[i];
	}
	return NULL;
}

static void tested_add(struct kms_output *out, const struct kms_frame_sig *sig)
{
	out->tested[out->next_tested] = *sig;
	out->next_tested = (out->next_tested + 1) % KMS_TESTED_FRAMES;
	if (out->n_tested < KMS_TESTED_FRAMES)
		out->n_tested++;
}

/* One TEST_ONLY commit of the frame; the planes' state is left as it was. */
static bool test_commit(struct kms_output *out, struct zc_buffer *primary,
	const struct zc_layers *layers, enum zc_plane_failure *why)
{
	struct kms_layer saved[KMS_MAX_OVERLAYS];
	memcpy(saved, out->layers, sizeof(saved));
	bool ok = false;
	*why = ZC_PLANE_REFUSED;
	if (kms_planes_fill(out, layers, out->layers))
		ok = kms_output_test_buffer(out, primary ? primary : out->chain.buffers[0]);
	else
		*why = ZC_PLANE_NO_PLANE;
	int err = errno;
	memcpy(out->layers, saved, sizeof(saved));
	errno = err;
	return ok;
}

/* Layers are added one at a time, topmost first: a refusal is the newest
 * layer's (or the primary's, tested before any layer goes below it). */
bool kms_output_test_frame(struct zc_output *output, struct zc_buffer *primary,
	const struct zc_layers *layers, int *tests_left, enum zc_plane_failure *why)
{
	struct kms_output *out = output->backend_data;
	*why = ZC_PLANE_REFUSED;
	if (!out->backend->session->active)
		return false;
	if (primary && (!kms_planes_list(out, primary, true, why) ||
			!scanout_usable(out->dev, primary, true, why)))
		return false;
	if (layers->n > out->n_overlays) {
		*why = ZC_PLANE_NO_PLANE;
		return false;
	}
	for (int i = 0; i < layers->n; i++) {
		if (!kms_planes_list(out, layers->layer[i].buffer, false, why) ||
		    !scanout_usable(out->dev, layers->layer[i].buffer, false, why))
			return false;
	}
	struct kms_frame_sig sig;
	frame_sig(&sig, primary, layers);
	if (out->needs_modeset)
		out->n_tested = 0; /* a new configuration: old answers may not hold */
	const struct kms_frame_sig *known = tested_find(out, &sig);
	if (known) {
		*why = known->ok ? ZC_PLANE_OK : ZC_PLANE_REFUSED;
		return known->ok;
	}
	if (*tests_left <= 0) {
		*why = ZC_PLANE_UNTESTED;
		return false;
	}
	(*tests_left)--;
	sig.ok = test_commit(out, primary, layers, why);
	tested_add(out, &sig);
	if (sig.ok) {
		*why = ZC_PLANE_OK;
		return true;
	}
	if (*why == ZC_PLANE_REFUSED && layers->n == (primary ? 0 : 1))
		remember_refusal(out, primary ? primary : layers->layer[0].buffer,
			primary != NULL);
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
	struct zc_addon *att = addon_find(&buffer->addons, dev);
	if (!att)
		return 0;
	return container_of(att, struct kms_scanout_fb, base)->fb_id;
}

int kms_scanout_fb_count(void)
{
	return live_framebuffers;
}
