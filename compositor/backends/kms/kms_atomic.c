/*
 * Atomic requests. Every property added is checked: a request that lost one
 * (no memory, or a property id that was never resolved, 0) fails as a whole
 * in kms_device_commit, rather than reaching the driver with a property
 * silently missing.
 */
#include <errno.h>
#include <string.h>

#include "base/formats.h"
#include "kms.h"

bool kms_atomic_init(struct kms_atomic *atom)
{
	*atom = (struct kms_atomic){ .req = drmModeAtomicAlloc() };
	return atom->req != NULL;
}

void kms_atomic_finish(struct kms_atomic *atom)
{
	drmModeAtomicFree(atom->req);
	*atom = (struct kms_atomic){ 0 };
}

void kms_atomic_add(struct kms_atomic *atom, uint32_t object_id, uint32_t prop_id,
	uint64_t value)
{
	if (atom->error)
		return;
	if (prop_id == 0) {
		atom->error = EINVAL;
		atom->object_id = object_id;
		return;
	}
	int ret = drmModeAtomicAddProperty(atom->req, object_id, prop_id, value);
	if (ret < 0) {
		atom->error = -ret;
		atom->object_id = object_id;
	}
}

void kms_atomic_add_plane(struct kms_atomic *atom, const struct kms_plane *plane,
	uint32_t crtc_id, uint32_t fb, int32_t x, int32_t y, uint32_t width, uint32_t height)
{
	kms_atomic_add_plane_scaled(atom, plane, crtc_id, fb, x, y, width, height, width,
		height);
}

void kms_atomic_add_plane_scaled(struct kms_atomic *atom, const struct kms_plane *plane,
	uint32_t crtc_id, uint32_t fb, int32_t x, int32_t y, uint32_t width, uint32_t height,
	uint32_t src_width, uint32_t src_height)
{
	const struct kms_plane_props *p = &plane->props;
	kms_atomic_add(atom, plane->id, p->fb_id, fb);
	kms_atomic_add(atom, plane->id, p->crtc_id, crtc_id);
	kms_atomic_add(atom, plane->id, p->src_x, 0);
	kms_atomic_add(atom, plane->id, p->src_y, 0);
	kms_atomic_add(atom, plane->id, p->src_w, (uint64_t)src_width << 16);
	kms_atomic_add(atom, plane->id, p->src_h, (uint64_t)src_height << 16);
	/* CRTC_X/Y are signed in the uAPI, carried in a u64: a plane may hang
	 * off the top-left edge (the cursor does). */
	kms_atomic_add(atom, plane->id, p->crtc_x, (uint64_t)(int64_t)x);
	kms_atomic_add(atom, plane->id, p->crtc_y, (uint64_t)(int64_t)y);
	kms_atomic_add(atom, plane->id, p->crtc_w, width);
	kms_atomic_add(atom, plane->id, p->crtc_h, height);
}

bool kms_plane_takes_yuv(const struct kms_plane *plane)
{
	return plane->props.color_encoding && plane->props.color_range;
}

void kms_atomic_add_plane_colour(struct kms_atomic *atom, const struct kms_plane *plane,
	uint32_t format)
{
	const struct zc_format_info *info = format_info(format);
	if (!info || !info->yuv)
		return;
	kms_atomic_add(atom, plane->id, plane->props.color_encoding, plane->props.bt601);
	kms_atomic_add(atom, plane->id, plane->props.color_range, plane->props.limited_range);
}

void kms_atomic_add_plane_off(struct kms_atomic *atom, const struct kms_plane *plane)
{
	kms_atomic_add(atom, plane->id, plane->props.fb_id, 0);
	kms_atomic_add(atom, plane->id, plane->props.crtc_id, 0);
}
