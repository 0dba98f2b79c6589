/*
 * Discovery of a KMS device's CRTCs, planes and writeback connectors, with
 * every property id they need resolved here, once; commits only use ids.
 */
#include <drm_fourcc.h>
#include <stdlib.h>
#include <string.h>

#include "kms.h"

uint32_t kms_prop_id(int fd, uint32_t obj_id, uint32_t obj_type, const char *name)
{
	uint32_t id = 0;
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, obj_id, obj_type);
	for (uint32_t i = 0; props && i < props->count_props && !id; i++) {
		drmModePropertyRes *prop = drmModeGetProperty(fd, props->props[i]);
		if (prop && strcmp(prop->name, name) == 0)
			id = prop->prop_id;
		drmModeFreeProperty(prop);
	}
	drmModeFreeObjectProperties(props);
	return id;
}

/* The current value of a property, or def when the object lacks it. */
static uint64_t prop_value(int fd, uint32_t obj_id, uint32_t obj_type, const char *name,
	uint64_t def)
{
	uint64_t value = def;
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, obj_id, obj_type);
	for (uint32_t i = 0; props && i < props->count_props; i++) {
		drmModePropertyRes *prop = drmModeGetProperty(fd, props->props[i]);
		if (prop && strcmp(prop->name, name) == 0)
			value = props->prop_values[i];
		drmModeFreeProperty(prop);
	}
	drmModeFreeObjectProperties(props);
	return value;
}

static bool crtc_init(struct kms_crtc *crtc, int fd, uint32_t id, int index)
{
	crtc->id = id;
	crtc->index = index;
	crtc->props.mode_id = kms_prop_id(fd, id, DRM_MODE_OBJECT_CRTC, "MODE_ID");
	crtc->props.active = kms_prop_id(fd, id, DRM_MODE_OBJECT_CRTC, "ACTIVE");
	return crtc->props.mode_id && crtc->props.active;
}

/* An enum property's id and the value of one of its entries, both 0 when
 * the object lacks either. */
static uint32_t prop_enum(int fd, uint32_t obj_id, uint32_t obj_type, const char *name,
	const char *entry, uint64_t *value)
{
	uint32_t id = kms_prop_id(fd, obj_id, obj_type, name);
	drmModePropertyRes *prop = id ? drmModeGetProperty(fd, id) : NULL;
	bool found = false;
	for (int i = 0; prop && i < prop->count_enums && !found; i++) {
		found = strcmp(prop->enums[i].name, entry) == 0;
		if (found)
			*value = prop->enums[i].value;
	}
	drmModeFreeProperty(prop);
	return found ? id : 0;
}

static void plane_init_colour(struct kms_plane_props *pp, int fd, uint32_t id)
{
	const uint32_t type = DRM_MODE_OBJECT_PLANE;
	pp->color_encoding = prop_enum(fd, id, type, "COLOR_ENCODING", "ITU-R BT.601 YCbCr",
		&pp->bt601);
	pp->color_range = prop_enum(fd, id, type, "COLOR_RANGE", "YCbCr limited range",
		&pp->limited_range);
}

static bool plane_init(struct kms_plane *plane, int fd, const drmModePlane *p)
{
	struct kms_plane_props *pp = &plane->props;
	uint32_t id = p->plane_id;
	const uint32_t type = DRM_MODE_OBJECT_PLANE;
	plane->id = id;
	plane->possible_crtcs = p->possible_crtcs;
	plane->type = prop_value(fd, id, type, "type", DRM_PLANE_TYPE_OVERLAY);
	/* Without zpos, drivers stack planes in the order they list them. */
	plane->zpos = prop_value(fd, id, type, "zpos", id);
	plane->has_zpos = kms_prop_id(fd, id, type, "zpos") != 0;
	pp->type = kms_prop_id(fd, id, type, "type");
	pp->fb_id = kms_prop_id(fd, id, type, "FB_ID");
	pp->crtc_id = kms_prop_id(fd, id, type, "CRTC_ID");
	pp->src_x = kms_prop_id(fd, id, type, "SRC_X");
	pp->src_y = kms_prop_id(fd, id, type, "SRC_Y");
	pp->src_w = kms_prop_id(fd, id, type, "SRC_W");
	pp->src_h = kms_prop_id(fd, id, type, "SRC_H");
	pp->crtc_x = kms_prop_id(fd, id, type, "CRTC_X");
	pp->crtc_y = kms_prop_id(fd, id, type, "CRTC_Y");
	pp->crtc_w = kms_prop_id(fd, id, type, "CRTC_W");
	pp->crtc_h = kms_prop_id(fd, id, type, "CRTC_H");
	pp->hotspot_x = kms_prop_id(fd, id, type, "HOTSPOT_X");
	pp->hotspot_y = kms_prop_id(fd, id, type, "HOTSPOT_Y");
	plane_init_colour(pp, fd, id);
	return pp->fb_id && pp->crtc_id && pp->src_x && pp->src_y && pp->src_w &&
		pp->src_h && pp->crtc_x && pp->crtc_y && pp->crtc_w && pp->crtc_h;
}

static bool discover_crtcs(struct kms_device *dev, const drmModeRes *res)
{
	dev->crtcs = calloc((size_t)res->count_crtcs, sizeof(*dev->crtcs));
	if (!dev->crtcs)
		return false;
	for (int i = 0; i < res->count_crtcs; i++) {
		if (!crtc_init(&dev->crtcs[dev->n_crtcs], dev->fd, res->crtcs[i], i)) {
			zc_warn("kms: CRTC %u lacks MODE_ID/ACTIVE, ignored", res->crtcs[i]);
			continue;
		}
		dev->n_crtcs++;
	}
	return dev->n_crtcs > 0;
}

static bool discover_planes(struct kms_device *dev)
{
	drmModePlaneRes *res = drmModeGetPlaneResources(dev->fd);
	if (!res)
		return false;
	dev->planes = calloc(res->count_planes ? res->count_planes : 1, sizeof(*dev->planes));
	for (uint32_t i = 0; dev->planes && i < res->count_planes; i++) {
		drmModePlane *p = drmModeGetPlane(dev->fd, res->planes[i]);
		if (p && plane_init(&dev->planes[dev->n_planes], dev->fd, p))
			dev->n_planes++;
		else
			zc_debug("kms: plane %u lacks atomic properties, ignored", res->planes[i]);
		drmModeFreePlane(p);
	}
	drmModeFreePlaneResources(res);
	return dev->planes != NULL;
}

/* Which CRTCs a connector can reach, from its encoders. */
static uint32_t connector_possible_crtcs(int fd, const drmModeConnector *conn)
{
	uint32_t mask = 0;
	for (int i = 0; i < conn->count_encoders; i++) {
		drmModeEncoder *enc = drmModeGetEncoder(fd, conn->encoders[i]);
		if (enc)
			mask |= enc->possible_crtcs;
		drmModeFreeEncoder(enc);
	}
	return mask;
}

static bool blob_has_format(int fd, uint64_t blob_id, uint32_t format)
{
	drmModePropertyBlobRes *blob = drmModeGetPropertyBlob(fd, (uint32_t)blob_id);
	bool found = false;
	const uint32_t *formats = blob ? blob->data : NULL;
	for (size_t i = 0; blob && i < blob->length / sizeof(uint32_t); i++)
		found = found || formats[i] == format;
	drmModeFreePropertyBlob(blob);
	return found;
}

static void writeback_init(struct kms_device *dev, const drmModeConnector *conn)
{
	struct kms_writeback_connector *wb = &dev->writebacks[dev->n_writebacks];
	const uint32_t type = DRM_MODE_OBJECT_CONNECTOR;
	uint32_t id = conn->connector_id;
	wb->id = id;
	wb->possible_crtcs = connector_possible_crtcs(dev->fd, conn);
	wb->props.crtc_id = kms_prop_id(dev->fd, id, type, "CRTC_ID");
	wb->props.writeback_fb_id = kms_prop_id(dev->fd, id, type, "WRITEBACK_FB_ID");
	wb->props.writeback_out_fence_ptr =
		kms_prop_id(dev->fd, id, type, "WRITEBACK_OUT_FENCE_PTR");
	wb->props.writeback_pixel_formats =
		kms_prop_id(dev->fd, id, type, "WRITEBACK_PIXEL_FORMATS");
	uint64_t blob = prop_value(dev->fd, id, type, "WRITEBACK_PIXEL_FORMATS", 0);
	wb->has_xrgb8888 = blob && blob_has_format(dev->fd, blob, DRM_FORMAT_XRGB8888);
	if (!wb->props.crtc_id || !wb->props.writeback_fb_id ||
	    !wb->props.writeback_out_fence_ptr || !wb->has_xrgb8888) {
		zc_warn("kms: writeback connector %u is missing properties or XRGB8888", id);
		return;
	}
	zc_info("kms: writeback connector %u (CRTCs 0x%x)", id, wb->possible_crtcs);
	dev->n_writebacks++;
}

static bool discover_writebacks(struct kms_device *dev, const drmModeRes *res)
{
	dev->writebacks = calloc((size_t)res->count_connectors + 1, sizeof(*dev->writebacks));
	if (!dev->writebacks)
		return false;
	for (int i = 0; i < res->count_connectors; i++) {
		drmModeConnector *conn = drmModeGetConnectorCurrent(dev->fd, res->connectors[i]);
		if (conn && conn->connector_type == DRM_MODE_CONNECTOR_WRITEBACK)
			writeback_init(dev, conn);
		drmModeFreeConnector(conn);
	}
	return true;
}

bool kms_device_discover(struct kms_device *dev)
{
	drmModeRes *res = drmModeGetResources(dev->fd);
	if (!res) {
		zc_err("kms: %s has no KMS resources", dev->path);
		return false;
	}
	bool ok = discover_crtcs(dev, res) && discover_planes(dev) &&
		discover_writebacks(dev, res);
	drmModeFreeResources(res);
	if (!ok) {
		zc_err("kms: %s: cannot discover CRTCs and planes", dev->path);
		return false;
	}
	int cursors = 0;
	for (int i = 0; i < dev->n_planes; i++)
		cursors += dev->planes[i].type == DRM_PLANE_TYPE_CURSOR;
	zc_info("kms: %s: %d CRTCs, %d planes (%d cursor), %d writeback connectors",
		dev->path, dev->n_crtcs, dev->n_planes, cursors, dev->n_writebacks);
	return true;
}

void kms_device_forget(struct kms_device *dev)
{
	free(dev->crtcs);
	free(dev->planes);
	free(dev->writebacks);
	dev->crtcs = NULL;
	dev->planes = NULL;
	dev->writebacks = NULL;
	dev->n_crtcs = dev->n_planes = dev->n_writebacks = 0;
}

struct kms_crtc *kms_crtc_by_id(struct kms_device *dev, uint32_t crtc_id)
{
	for (int i = 0; i < dev->n_crtcs; i++) {
		if (dev->crtcs[i].id == crtc_id)
			return &dev->crtcs[i];
	}
	return NULL;
}

struct kms_crtc *kms_pick_crtc(struct kms_device *dev, const drmModeConnector *conn)
{
	uint32_t mask = connector_possible_crtcs(dev->fd, conn);
	for (int i = 0; i < dev->n_crtcs; i++) {
		struct kms_crtc *crtc = &dev->crtcs[i];
		if (!crtc->output && (mask & (1u << crtc->index)))
			return crtc;
	}
	return NULL;
}

struct kms_plane *kms_pick_plane(struct kms_device *dev, struct kms_crtc *crtc,
	uint64_t type)
{
	for (int i = 0; i < dev->n_planes; i++) {
		struct kms_plane *plane = &dev->planes[i];
		if (!plane->output && plane->type == type &&
		    (plane->possible_crtcs & (1u << crtc->index)))
			return plane;
	}
	return NULL;
}

bool kms_connector_is_usable(const drmModeConnector *conn)
{
	return conn->connection == DRM_MODE_CONNECTED && conn->count_modes > 0 &&
		conn->connector_type != DRM_MODE_CONNECTOR_WRITEBACK;
}
