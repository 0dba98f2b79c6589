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
#include <string.h>

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

/* Keeps a format the plane lists, or sets aside a YUV one it cannot be
 * given; the YUV formats listed are named in `yuv` for the start-up log. */
static void take_format(const struct kms_plane *plane, uint32_t format, uint64_t modifier,
	struct zc_plane_formats *out, struct zc_format_set *uncoloured, char yuv[128])
{
	const struct zc_format_info *info = format_info(format);
	if (info && info->yuv && !format_set_get(&out->set, format) &&
	    !format_set_get(uncoloured, format) && strlen(yuv) + 8 < 128) {
		strcat(yuv, " ");
		strcat(yuv, info->name);
	}
	if (plane_format_usable(plane, format))
		format_set_add(&out->set, format, modifier);
	else if (info && info->yuv)
		format_set_add(uncoloured, format, modifier);
}

/* The plane's format/modifier pairs: IN_FORMATS where the driver has it,
 * else its format list, linear. */
static void read_formats(struct kms_device *dev, const struct kms_plane *plane,
	struct zc_plane_formats *out, struct zc_format_set *uncoloured)
{
	char yuv[128] = "";
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
	while (blob && drmModeFormatModifierBlobIterNext(blob, &iter))
		take_format(plane, iter.fmt, iter.mod, out, uncoloured, yuv);
	drmModeFreePropertyBlob(blob);
	if (!out->set.n_formats) {
		drmModePlane *p = drmModeGetPlane(dev->fd, plane->id);
		for (uint32_t i = 0; p && i < p->count_formats; i++)
			take_format(plane, p->formats[i], DRM_FORMAT_MOD_LINEAR, out, uncoloured,
				yuv);
		drmModeFreePlane(p);
	}
	zc_info("kms: plane %u lists YUV:%s%s", plane->id, yuv[0] ? yuv : " none",
		!yuv[0] ? "" : kms_plane_takes_yuv(plane) ?
		" (COLOR_ENCODING/COLOR_RANGE: BT.601 limited)" :
		" (no COLOR_ENCODING/COLOR_RANGE: composited)");
}

/* Whether the plane kind lists the buffer's format (any modifier for a
 * buffer without one: the driver's implicit layout); *why says which
 * reason when not. */
bool kms_planes_list(const struct kms_output *out, const struct zc_buffer *buffer,
	bool primary, enum zc_plane_failure *why)
{
	const struct zc_dmabuf_attribs *a = buffer_get_dmabuf((struct zc_buffer *)buffer);
	if (!a)
		return true; /* our own buffers: not a client's format */
	const struct zc_format_set *set = primary ? &out->primary_formats.set :
		&out->overlay_formats.set;
	bool listed = a->modifier == DRM_FORMAT_MOD_INVALID ? format_set_get(set, a->format) != NULL :
		format_set_has(set, a->format, a->modifier);
	if (!listed)
		*why = format_set_get(&out->yuv_uncoloured, a->format) ? ZC_PLANE_NO_COLOUR :
			ZC_PLANE_NO_FORMAT;
	return listed;
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
	read_formats(dev, out->primary, &out->primary_formats, &out->yuv_uncoloured);
	if (out->n_overlays)
		read_formats(dev, out->overlays[0], &out->overlay_formats,
			&out->yuv_uncoloured);
	log_overlays(out);
}

void kms_planes_release(struct kms_output *out)
{
	for (int i = 0; i < out->n_overlays; i++)
		out->overlays[i]->output = NULL;
	out->n_overlays = 0;
	format_set_finish(&out->primary_formats.set);
	format_set_finish(&out->overlay_formats.set);
	format_set_finish(&out->yuv_uncoloured);
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
