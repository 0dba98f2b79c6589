/*
 * The cursor plane of a KMS output (zc_output_impl.set_cursor).
 *
 * The image is copied into one of two dumb buffers of the size the driver
 * asks for (DRM_CAP_CURSOR_WIDTH/HEIGHT), alternately, so that the buffer
 * on screen is never written. A move only changes CRTC_X/Y: the output
 * re-commits its current frame with the new plane state, nothing is
 * composited. The output's requests carry the plane's state when it
 * changed and with every modeset (kms_cursor_add_props).
 *
 * virtio-gpu exposes its cursor plane only to clients that set
 * DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT (kms.c) and then wants HOTSPOT_X/Y,
 * which the host uses to draw its own pointer.
 */
#include <drm_fourcc.h>
#include <errno.h>
#include <string.h>

#include "base/buffer.h"
#include "kms.h"

static void cursor_plane_size(struct kms_output *out)
{
	uint64_t w = 0, h = 0;
	if (drmGetCap(out->dev->fd, DRM_CAP_CURSOR_WIDTH, &w) != 0 || !w)
		w = 64;
	if (drmGetCap(out->dev->fd, DRM_CAP_CURSOR_HEIGHT, &h) != 0 || !h)
		h = 64;
	out->cursor_state.width = (int32_t)w;
	out->cursor_state.height = (int32_t)h;
}

static bool cursor_buffers_create(struct kms_output *out, const struct zc_output *output)
{
	struct kms_cursor_state *cs = &out->cursor_state;
	if (cs->buffers[0])
		return true;
	cursor_plane_size(out);
	zc_info("kms: output %s: cursor on plane %u (%dx%d%s)", output->name,
		out->cursor->id, cs->width, cs->height,
		out->cursor->props.hotspot_x ? ", with hotspot" : "");
	for (int i = 0; i < 2; i++) {
		cs->buffers[i] = kms_dumb_create(out->dev->fd, cs->width, cs->height,
			DRM_FORMAT_ARGB8888);
		if (!cs->buffers[i]) {
			zc_warn("kms: output %s: no cursor buffer: cursor composited",
				output->name);
			return false;
		}
	}
	return true;
}

/* ARGB and XRGB (made opaque) only: other formats are composited. */
static void copy_rows(const struct zc_cpu_view *src, const struct zc_buffer *image,
	struct zc_cpu_view *dst, int32_t dst_height)
{
	uint32_t alpha = image->format == DRM_FORMAT_XRGB8888 ? 0xff000000u : 0;
	memset(dst->data[0], 0, (size_t)dst->stride[0] * (size_t)dst_height);
	for (int32_t y = 0; y < image->height; y++) {
		const uint32_t *s = (const uint32_t *)((const uint8_t *)src->data[0] +
			(size_t)y * src->stride[0]);
		uint32_t *d = (uint32_t *)((uint8_t *)dst->data[0] + (size_t)y * dst->stride[0]);
		for (int32_t x = 0; x < image->width; x++)
			d[x] = s[x] | alpha;
	}
}

static bool cursor_copy_image(struct kms_output *out, struct zc_buffer *image)
{
	struct kms_cursor_state *cs = &out->cursor_state;
	if (image->format != DRM_FORMAT_ARGB8888 && image->format != DRM_FORMAT_XRGB8888)
		return false;
	if (image->width > cs->width || image->height > cs->height)
		return false;
	struct zc_buffer *target = cs->buffers[cs->front ^ 1];
	struct zc_cpu_view src, dst;
	if (!buffer_begin_cpu_access(image, ZC_CPU_READ, &src))
		return false;
	bool ok = buffer_begin_cpu_access(target, ZC_CPU_WRITE, &dst);
	if (ok) {
		copy_rows(&src, image, &dst, cs->height);
		buffer_end_cpu_access(target);
		cs->front ^= 1;
	}
	buffer_end_cpu_access(image);
	return ok;
}

bool kms_output_set_cursor(struct zc_output *output, struct zc_buffer *image, int32_t x,
	int32_t y, int32_t hotspot_x, int32_t hotspot_y, bool changed)
{
	struct kms_output *out = output->backend_data;
	struct kms_cursor_state *cs = &out->cursor_state;
	if (!out->cursor)
		return false;
	/* Called while the output is being created (out->output not set yet). */
	if (!image) {
		cs->dirty = cs->dirty || cs->visible;
		cs->visible = false;
		return true;
	}
	if (!cursor_buffers_create(out, output))
		return false;
	if (changed || !cs->has_image) {
		if (!cursor_copy_image(out, image))
			return false;
		cs->has_image = true;
	}
	cs->visible = image != NULL;
	cs->x = x;
	cs->y = y;
	cs->hotspot_x = hotspot_x;
	cs->hotspot_y = hotspot_y;
	cs->dirty = true;
	return true;
}

void kms_cursor_add_props(struct kms_output *out, struct kms_atomic *atom)
{
	const struct kms_plane *plane = out->cursor;
	const struct kms_cursor_state *cs = &out->cursor_state;
	/* Only when it changed: a plane in a commit is one more object the
	 * next nonblocking commit may find busy (virtio-gpu's cursor updates
	 * go through their own queue to the host). */
	if (!plane || !(cs->dirty || out->needs_modeset))
		return;
	if (!cs->visible) {
		kms_atomic_add_plane_off(atom, plane);
		return;
	}
	kms_atomic_add_plane(atom, plane, out->crtc->id, kms_dumb_get_fb(cs->buffers[cs->front]),
		cs->x, cs->y, (uint32_t)cs->width, (uint32_t)cs->height);
	/* Virtualized drivers' cursor planes only (see kms_props.c). */
	const struct kms_plane_props *p = &plane->props;
	if (p->hotspot_x && p->hotspot_y) {
		kms_atomic_add(atom, plane->id, p->hotspot_x, (uint64_t)cs->hotspot_x);
		kms_atomic_add(atom, plane->id, p->hotspot_y, (uint64_t)cs->hotspot_y);
	}
}

void kms_cursor_disable(struct kms_output *out, struct kms_atomic *atom)
{
	if (out->cursor)
		kms_atomic_add_plane_off(atom, out->cursor);
}

void kms_cursor_finish(struct kms_output *out)
{
	for (int i = 0; i < 2; i++) {
		if (out->cursor_state.buffers[i])
			buffer_drop(out->cursor_state.buffers[i]);
		out->cursor_state.buffers[i] = NULL;
	}
}
