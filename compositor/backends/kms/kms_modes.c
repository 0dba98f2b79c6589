/*
 * Which mode a connector is driven in: --mode when the connector lists it
 * (the closest refresh), a CVT mode generated for it when it does not
 * (libxcvt; the driver's TEST_ONLY decides whether it can be lit, see
 * kms_output_create), else the preferred mode.
 */
#include <libxcvt/libxcvt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kms.h"

int32_t kms_mode_refresh_mhz(const drmModeModeInfo *mode)
{
	uint64_t htotal = mode->htotal, vtotal = mode->vtotal;
	if (!htotal || !vtotal)
		return (int32_t)mode->vrefresh * 1000;
	uint64_t mhz = ((uint64_t)mode->clock * 1000000ull / htotal + vtotal / 2) / vtotal;
	if (mode->flags & DRM_MODE_FLAG_INTERLACE)
		mhz *= 2;
	if (mode->flags & DRM_MODE_FLAG_DBLSCAN)
		mhz /= 2;
	if (mode->vscan > 1)
		mhz /= mode->vscan;
	return (int32_t)mhz;
}

static const drmModeModeInfo *preferred_mode(const drmModeConnector *conn)
{
	for (int i = 0; i < conn->count_modes; i++) {
		if (conn->modes[i].type & DRM_MODE_TYPE_PREFERRED)
			return &conn->modes[i];
	}
	return &conn->modes[0];
}

static const drmModeModeInfo *listed_mode(const drmModeConnector *conn,
	const struct zc_options *opts, int32_t *diff_out)
{
	const drmModeModeInfo *best = NULL;
	int32_t best_diff = 0;
	for (int i = 0; i < conn->count_modes; i++) {
		const drmModeModeInfo *m = &conn->modes[i];
		if (m->hdisplay != opts->width || m->vdisplay != opts->height)
			continue;
		int32_t diff = opts->refresh_mhz > 0 ?
			abs(kms_mode_refresh_mhz(m) - opts->refresh_mhz) : 0;
		if (!best || diff < best_diff) {
			best = m;
			best_diff = diff;
		}
	}
	*diff_out = best_diff;
	return best;
}

static bool cvt_mode(int32_t width, int32_t height, int32_t refresh_mhz,
	drmModeModeInfo *mode)
{
	float hz = refresh_mhz > 0 ? (float)refresh_mhz / 1000.0f : 60.0f;
	struct libxcvt_mode_info *info = libxcvt_gen_mode_info(width, height, hz, false, false);
	if (!info)
		return false;
	*mode = (drmModeModeInfo){
		.clock = (uint32_t)info->dot_clock,
		.hdisplay = (uint16_t)info->hdisplay,
		.hsync_start = (uint16_t)info->hsync_start,
		.hsync_end = (uint16_t)info->hsync_end,
		.htotal = (uint16_t)info->htotal,
		.vdisplay = (uint16_t)info->vdisplay,
		.vsync_start = (uint16_t)info->vsync_start,
		.vsync_end = (uint16_t)info->vsync_end,
		.vtotal = (uint16_t)info->vtotal,
		.vrefresh = (uint32_t)(info->vrefresh + 0.5f),
		.flags = (uint32_t)info->mode_flags,
		.type = DRM_MODE_TYPE_USERDEF,
	};
	snprintf(mode->name, sizeof(mode->name), "%dx%d", width, height);
	free(info);
	return true;
}

bool kms_pick_mode(const drmModeConnector *conn, const struct zc_options *opts,
	drmModeModeInfo *mode, bool *generated)
{
	*generated = false;
	if (opts->width <= 0) {
		*mode = *preferred_mode(conn);
		return true;
	}
	int32_t diff;
	const drmModeModeInfo *listed = listed_mode(conn, opts, &diff);
	if (listed) {
		if (diff > 1000)
			zc_warn("kms: no %dx%d mode at the requested refresh, using %d mHz",
				opts->width, opts->height, kms_mode_refresh_mhz(listed));
		*mode = *listed;
		return true;
	}
	if (!cvt_mode(opts->width, opts->height, opts->refresh_mhz, mode))
		return false;
	*generated = true;
	zc_info("kms: connector %u does not list %dx%d: trying a CVT mode (%d mHz)",
		conn->connector_id, opts->width, opts->height, kms_mode_refresh_mhz(mode));
	return true;
}

void kms_log_modes(const drmModeConnector *conn)
{
	char list[1024] = "";
	size_t len = 0;
	for (int i = 0; i < conn->count_modes && len < sizeof(list) - 32; i++) {
		const drmModeModeInfo *m = &conn->modes[i];
		int n = snprintf(list + len, sizeof(list) - len, "%s%s@%d", i ? ", " : "",
			m->name, kms_mode_refresh_mhz(m) / 1000);
		len += n > 0 ? (size_t)n : 0;
	}
	zc_err("kms: connector %u lists: %s", conn->connector_id, list);
}
