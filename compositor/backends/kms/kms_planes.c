/*
 * Overlay planes: client buffers scanned out above the primary plane.
 *
 *   claim       every free overlay plane of the output's CRTC, ordered
 *               bottom to top by zpos (by id where the driver has no zpos:
 *               drivers then stack planes in the order they list them)
 *   layers      output.c hands over a frame's layers, topmost first; the
 *               topmost goes on the highest overlay, so the planes stack
 *               as the views do
 *   requests    every commit sets each overlay that shows a layer, and
 *               turns off each that showed one in the last commit, so a
 *               plane whose layer went away is never left showing a
 *               framebuffer that is about to be removed; idle planes stay
 *               out of the request
 */
#include <drm_fourcc.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/buffer.h"
#include "base/formats.h"
#include "kms.h"

static int compare_zpos(const void *a, const void *b)
{
	const struct kms_plane *pa = *(struct kms_plane *const *)a;
	const struct kms_plane *pb = *(struct kms_plane *const *)b;
	if (pa->zpos != pb->zpos)
		return pa->zpos < pb->zpos ? -1 : 1;
	return pa->id < pb->id ? -1 : pa->id > pb->id;
}

static void log_overlays(const struct kms_output *out)
{
	char list[KMS_MAX_OVERLAYS * 24] = "";
	size_t used = 0;
	for (int i = 0; i < out->n_overlays && used < sizeof(list); i++) {
		const struct kms_plane *p = out->overlays[i];
		int n = snprintf(list + used, sizeof(list) - used, "%s%u (zpos %llu)",
			i ? ", " : "", p->id, (unsigned long long)p->zpos);
		used += n > 0 ? (size_t)n : 0;
	}
	zc_info("kms: CRTC %u: %d overlay planes for client buffers%s%s%s; %zu formats on "
		"the primary, %zu on overlays; YUV on overlays: %s", out->crtc->id,
		out->n_overlays, out->n_overlays ? ", bottom to top: " : "", list,
		out->n_overlays && !out->overlays[0]->has_zpos ? " (no zpos: id order)" : "",
		out->primary_formats.set.n_formats, out->overlay_formats.set.n_formats,
		!out->n_overlays ? "no planes" : kms_plane_takes_yuv(out->overlays[0]) ?
		"yes (BT.601 limited set per commit)" : "no (no COLOR_ENCODING/COLOR_RANGE)");
}

/* A format the plane can show as zcomp's other paths do: YUV only where the
 * plane's COLOR_ENCODING/COLOR_RANGE can be set to the default encoding, so
 * scan-out shows the colours composition would. Else YUV is composited. */
static bool plane_format_usable(const struct kms_plane *plane, uint32_t format)
{
	if (kms_scanout_format_denied(format))
		return false;
	const struct zc_format_info *info = format_info(format);
	return !info || !info->yuv || kms_plane_takes_yuv(plane);
}

/* The plane's format/modifier pairs: IN_FORMATS where the driver has it,
 * else its format list, linear. */
static void read_formats(struct kms_device *dev, const struct kms_plane *plane,
	struct zc_plane_formats *out)
{
	out->device = dev->devnum;
	uint32_t prop = kms_prop_id(dev->fd, plane->id, DRM_MODE_OBJECT_PLANE, "IN_FORMATS");
	uint64_t blob_id = 0;
	drmModeObjectProperties *props =
		drmModeObjectGetProperties(dev->fd, plane->id, DRM_MODE_OBJECT_PLANE);
	for (uint32_t i = 0; props && prop && i < props->count_props; i++) {
		if (props->props[i] == prop)
			blob_id = props->prop_values[i];
	}
	drmModeFreeObjectProperties(props);
	drmModePropertyBlobRes *blob = blob_id ?
		drmModeGetPropertyBlob(dev->fd, (uint32_t)blob_id) : NULL;
	drmModeFormatModifierIterator iter = { 0 };
	while (blob && drmModeFormatModifierBlobIterNext(blob, &iter)) {
		if (plane_format_usable(plane, iter.fmt))
			format_set_add(&out->set, iter.fmt, iter.mod);
	}
	drmModeFreePropertyBlob(blob);
	if (out->set.n_formats)
		return;
	drmModePlane *p = drmModeGetPlane(dev->fd, plane->id);
	for (uint32_t i = 0; p && i < p->count_formats; i++) {
		if (plane_format_usable(plane, p->formats[i]))
			format_set_add(&out->set, p->formats[i], DRM_FORMAT_MOD_LINEAR);
	}
	drmModeFreePlane(p);
}

const struct zc_plane_formats *kms_output_plane_formats(struct zc_output *output,
	bool primary)
{
	struct kms_output *out = output->backend_data;
	const struct zc_plane_formats *f = primary ? &out->primary_formats :
		&out->overlay_formats;
	return f->set.n_formats ? f : NULL;
}

void kms_planes_claim(struct kms_output *out)
{
	struct kms_device *dev = out->dev;
	struct kms_plane *plane;
	while (out->n_overlays < KMS_MAX_OVERLAYS &&
	       (plane = kms_pick_plane(dev, out->crtc, DRM_PLANE_TYPE_OVERLAY))) {
		plane->output = out;
		out->overlays[out->n_overlays++] = plane;
	}
	qsort(out->overlays, (size_t)out->n_overlays, sizeof(out->overlays[0]), compare_zpos);
	read_formats(dev, out->primary, &out->primary_formats);
	if (out->n_overlays)
		read_formats(dev, out->overlays[0], &out->overlay_formats);
	log_overlays(out);
}

void kms_planes_release(struct kms_output *out)
{
	for (int i = 0; i < out->n_overlays; i++)
		out->overlays[i]->output = NULL;
	out->n_overlays = 0;
	format_set_finish(&out->primary_formats.set);
	format_set_finish(&out->overlay_formats.set);
}

void kms_planes_add(struct kms_output *out, struct kms_atomic *atom)
{
	for (int i = 0; i < out->n_overlays; i++) {
		const struct kms_layer *l = &out->layers[i];
		if (l->fb) {
			kms_atomic_add_plane_scaled(atom, out->overlays[i], out->crtc->id, l->fb,
				l->x, l->y, (uint32_t)l->width, (uint32_t)l->height,
				(uint32_t)l->src_width, (uint32_t)l->src_height);
			kms_atomic_add_plane_colour(atom, out->overlays[i], l->format);
		}
		else if ((out->overlays_on & (1u << i)) || out->needs_modeset)
			/* after a VT switch: whatever was there */
			kms_atomic_add_plane_off(atom, out->overlays[i]);
	}
}

void kms_planes_committed(struct kms_output *out)
{
	out->overlays_on = 0;
	for (int i = 0; i < out->n_overlays; i++) {
		if (out->layers[i].fb)
			out->overlays_on |= 1u << i;
	}
	out->layers_changed = false;
}

void kms_planes_add_off(struct kms_output *out, struct kms_atomic *atom)
{
	for (int i = 0; i < out->n_overlays; i++)
		kms_atomic_add_plane_off(atom, out->overlays[i]);
}

bool kms_planes_fill(const struct kms_output *out, const struct zc_layers *layers,
	struct kms_layer *dst)
{
	for (int i = 0; i < KMS_MAX_OVERLAYS; i++)
		dst[i] = (struct kms_layer){ 0 };
	if (layers->n > out->n_overlays)
		return false;
	for (int i = 0; i < layers->n; i++) {
		const struct zc_layer *l = &layers->layer[i];
		struct kms_layer *k = &dst[out->n_overlays - 1 - i];
		*k = (struct kms_layer){ .fb = kms_buffer_get_fb(out->dev, l->buffer),
			.format = l->buffer->format,
			.x = l->x, .y = l->y, .width = l->width, .height = l->height };
		kms_buffer_src_size(out->dev, l->buffer, l->width, l->height, &k->src_width,
			&k->src_height);
		if (!k->fb)
			return false;
	}
	return true;
}

void kms_output_set_layers(struct zc_output *output, const struct zc_layers *layers)
{
	struct kms_output *out = output->backend_data;
	if (!kms_planes_fill(out, layers, out->layers)) {
		zc_err("kms: output %s: layers that were not tested: overlays off", output->name);
		for (int i = 0; i < KMS_MAX_OVERLAYS; i++)
			out->layers[i] = (struct kms_layer){ 0 };
	}
	out->layers_changed = true;
}
