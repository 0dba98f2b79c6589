/* Guest test: a dumb buffer with a known pattern put on the virtio-gpu scanout by an atomic
 * commit (TEST_ONLY first) is exactly what a QEMU screendump taken from outside the guest
 * shows. Then a second buffer is flipped in (nonblocking, page-flip event) and checked the
 * same way. Usage: zc-vm-kms-pattern [DRIVER]  (default virtio_gpu). */
#include "vmutil.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

static uint32_t prop_id(int fd, uint32_t obj, uint32_t type, const char *name)
{
	uint32_t id = 0;
	drmModeObjectPropertiesPtr props = drmModeObjectGetProperties(fd, obj, type);
	for (uint32_t i = 0; props && i < props->count_props && !id; i++) {
		drmModePropertyPtr p = drmModeGetProperty(fd, props->props[i]);
		if (p && strcmp(p->name, name) == 0)
			id = p->prop_id;
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	if (!id)
		fprintf(stderr, "property %s not found on object %u\n", name, obj);
	return id;
}

static uint64_t prop_value(int fd, uint32_t obj, uint32_t type, const char *name)
{
	uint64_t v = UINT64_MAX;
	drmModeObjectPropertiesPtr props = drmModeObjectGetProperties(fd, obj, type);
	for (uint32_t i = 0; props && i < props->count_props; i++) {
		drmModePropertyPtr p = drmModeGetProperty(fd, props->props[i]);
		if (p && strcmp(p->name, name) == 0)
			v = props->prop_values[i];
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	return v;
}

struct props {
	uint32_t conn_crtc_id;
	uint32_t crtc_mode_id, crtc_active;
	uint32_t fb_id, crtc_id, src_x, src_y, src_w, src_h, crtc_x, crtc_y, crtc_w, crtc_h;
};

struct frame {
	struct zc_dumb dumb;
	uint32_t fb;
	uint32_t seed;
};

static int make_frame(int fd, uint32_t w, uint32_t h, uint32_t seed, struct frame *f)
{
	f->seed = seed;
	int r = zc_dumb_create(fd, w, h, &f->dumb);
	if (r == 0)
		r = zc_dumb_map(&f->dumb);
	if (r < 0)
		return r;
	zc_fill(f->dumb.map, f->dumb.pitch, w, h, seed);
	uint32_t handles[4] = { f->dumb.handle }, pitches[4] = { f->dumb.pitch }, offsets[4] = { 0 };
	if (drmModeAddFB2(fd, w, h, DRM_FORMAT_XRGB8888, handles, pitches, offsets, &f->fb, 0) < 0)
		return -errno;
	return 0;
}

/* Compares the screendump with the pattern; retries a few times in case the host's copy of
 * the scanout lags. Exact comparison: tolerance 0. */
static bool check_dump(const char *path, uint32_t w, uint32_t h, uint32_t seed)
{
	for (int attempt = 0; attempt < 4; attempt++) {
		if (attempt)
			usleep(500 * 1000);
		char *argv[] = { "zc-vm-screendump", (char *)path, NULL };
		int st = zc_run(argv);
		if (!zc_check(st == 0, "screendump to %s (exit %d)", path, st))
			return false;
		struct zc_ppm ppm;
		int r = zc_ppm_read(path, &ppm);
		if (!zc_check(r == 0, "read %s (%s)", path, r ? strerror(-r) : "ok"))
			return false;
		if (ppm.width != w || ppm.height != h) {
			zc_check(false, "screendump is %ux%u, mode %ux%u", ppm.width, ppm.height, w, h);
			zc_ppm_free(&ppm);
			return false;
		}
		uint64_t bad = 0;
		uint32_t bx = 0, by = 0, got = 0;
		for (uint32_t y = 0; y < h; y++) {
			for (uint32_t x = 0; x < w; x++) {
				const uint8_t *p = ppm.rgb + ((size_t)y * w + x) * 3;
				uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
				if (v != (zc_pattern(x, y, seed) & 0xffffff) && bad++ == 0) {
					bx = x;
					by = y;
					got = v;
				}
			}
		}
		zc_ppm_free(&ppm);
		printf("screendump attempt %d: %llu of %u pixels differ", attempt,
		       (unsigned long long)bad, w * h);
		if (bad)
			printf(" (first at %u,%u: 0x%06x, expected 0x%06x)", bx, by, got,
			       zc_pattern(bx, by, seed) & 0xffffff);
		printf("\n");
		if (bad == 0)
			return zc_check(true, "screendump equals the pattern (seed %u) exactly", seed);
	}
	return zc_check(false, "screendump equals the pattern (seed %u) exactly", seed);
}

static void on_flip(int fd, unsigned seq, unsigned sec, unsigned usec, unsigned crtc, void *data)
{
	*(int *)data = 1;
}

int main(int argc, char **argv)
{
	const char *driver = argc > 1 ? argv[1] : "virtio_gpu";
	const char *outdir = getenv("ZC_VM_TEST_OUT");
	if (!outdir)
		outdir = ".";
	char path[64];
	int fd = zc_open_driver(driver, false, path, sizeof(path));
	if (!zc_check(fd >= 0, "%s card node (%s)", driver, fd >= 0 ? path : "none"))
		return 1;
	if (!zc_check(drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) == 0 &&
			      drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0,
		      "atomic modesetting"))
		return 1;

	drmModeResPtr res = drmModeGetResources(fd);
	drmModeConnectorPtr conn = NULL;
	for (int i = 0; res && i < res->count_connectors && !conn; i++) {
		conn = drmModeGetConnector(fd, res->connectors[i]);
		if (conn && (conn->connection != DRM_MODE_CONNECTED || conn->count_modes == 0 ||
			     conn->connector_type == DRM_MODE_CONNECTOR_WRITEBACK)) {
			drmModeFreeConnector(conn);
			conn = NULL;
		}
	}
	if (!zc_check(conn != NULL, "a connected connector with modes"))
		return 1;
	drmModeModeInfo mode = conn->modes[0];
	for (int i = 0; i < conn->count_modes; i++) {
		if (conn->modes[i].type & DRM_MODE_TYPE_PREFERRED) {
			mode = conn->modes[i];
			break;
		}
	}
	printf("connector %u, mode %s %ux%u@%u\n", conn->connector_id, mode.name, mode.hdisplay,
	       mode.vdisplay, mode.vrefresh);

	int crtc_index = -1;
	for (int i = 0; i < conn->count_encoders && crtc_index < 0; i++) {
		drmModeEncoderPtr enc = drmModeGetEncoder(fd, conn->encoders[i]);
		for (int c = 0; enc && c < res->count_crtcs; c++) {
			if (enc->possible_crtcs & (1u << c)) {
				crtc_index = c;
				break;
			}
		}
		drmModeFreeEncoder(enc);
	}
	if (!zc_check(crtc_index >= 0, "a CRTC for the connector"))
		return 1;
	uint32_t crtc = res->crtcs[crtc_index];

	uint32_t plane = 0;
	drmModePlaneResPtr pres = drmModeGetPlaneResources(fd);
	for (uint32_t i = 0; pres && i < pres->count_planes && !plane; i++) {
		drmModePlanePtr p = drmModeGetPlane(fd, pres->planes[i]);
		if (p && (p->possible_crtcs & (1u << crtc_index)) &&
		    prop_value(fd, p->plane_id, DRM_MODE_OBJECT_PLANE, "type") == DRM_PLANE_TYPE_PRIMARY)
			plane = p->plane_id;
		drmModeFreePlane(p);
	}
	drmModeFreePlaneResources(pres);
	if (!zc_check(plane != 0, "a primary plane for CRTC %u", crtc))
		return 1;

	/* Property ids, resolved once. */
	struct props pr = {
		.conn_crtc_id = prop_id(fd, conn->connector_id, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID"),
		.crtc_mode_id = prop_id(fd, crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID"),
		.crtc_active = prop_id(fd, crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE"),
		.fb_id = prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, "FB_ID"),
		.crtc_id = prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID"),
		.src_x = prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, "SRC_X"),
		.src_y = prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, "SRC_Y"),
		.src_w = prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, "SRC_W"),
		.src_h = prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, "SRC_H"),
		.crtc_x = prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, "CRTC_X"),
		.crtc_y = prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, "CRTC_Y"),
		.crtc_w = prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, "CRTC_W"),
		.crtc_h = prop_id(fd, plane, DRM_MODE_OBJECT_PLANE, "CRTC_H"),
	};
	const uint32_t ids[] = { pr.conn_crtc_id, pr.crtc_mode_id, pr.crtc_active, pr.fb_id,
				 pr.crtc_id, pr.src_x, pr.src_y, pr.src_w, pr.src_h,
				 pr.crtc_x, pr.crtc_y, pr.crtc_w, pr.crtc_h };
	bool have_all = true;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		have_all = have_all && ids[i] != 0;
	if (!zc_check(have_all, "all atomic properties resolved"))
		return 1;

	uint32_t w = mode.hdisplay, h = mode.vdisplay;
	struct frame frames[2];
	for (int i = 0; i < 2; i++) {
		int r = make_frame(fd, w, h, 7 + (uint32_t)i * 40, &frames[i]);
		if (!zc_check(r == 0, "dumb buffer + framebuffer %d (%s)", i, r ? strerror(-r) : "ok"))
			return 1;
	}
	uint32_t blob = 0;
	if (!zc_check(drmModeCreatePropertyBlob(fd, &mode, sizeof(mode), &blob) == 0, "mode blob"))
		return 1;

	drmModeAtomicReqPtr req = drmModeAtomicAlloc();
	drmModeAtomicAddProperty(req, conn->connector_id, pr.conn_crtc_id, crtc);
	drmModeAtomicAddProperty(req, crtc, pr.crtc_mode_id, blob);
	drmModeAtomicAddProperty(req, crtc, pr.crtc_active, 1);
	drmModeAtomicAddProperty(req, plane, pr.fb_id, frames[0].fb);
	drmModeAtomicAddProperty(req, plane, pr.crtc_id, crtc);
	drmModeAtomicAddProperty(req, plane, pr.src_x, 0);
	drmModeAtomicAddProperty(req, plane, pr.src_y, 0);
	drmModeAtomicAddProperty(req, plane, pr.src_w, (uint64_t)w << 16);
	drmModeAtomicAddProperty(req, plane, pr.src_h, (uint64_t)h << 16);
	drmModeAtomicAddProperty(req, plane, pr.crtc_x, 0);
	drmModeAtomicAddProperty(req, plane, pr.crtc_y, 0);
	drmModeAtomicAddProperty(req, plane, pr.crtc_w, w);
	drmModeAtomicAddProperty(req, plane, pr.crtc_h, h);
	int r = drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_ATOMIC_ALLOW_MODESET, NULL);
	if (!zc_check(r == 0, "TEST_ONLY commit (%s)", r ? strerror(errno) : "ok"))
		return 1;
	r = drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL);
	if (!zc_check(r == 0, "modeset commit (%s)", r ? strerror(errno) : "ok"))
		return 1;
	drmModeAtomicFree(req);

	char dump[4096];
	snprintf(dump, sizeof(dump), "%s/frame0.ppm", outdir);
	check_dump(dump, w, h, frames[0].seed);

	/* Page flip to the second frame, nonblocking, and wait for its event. */
	req = drmModeAtomicAlloc();
	drmModeAtomicAddProperty(req, plane, pr.fb_id, frames[1].fb);
	int flipped = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT, &flipped);
	drmModeAtomicFree(req);
	if (zc_check(r == 0, "page-flip commit (%s)", r ? strerror(errno) : "ok")) {
		drmEventContext ev = { .version = 3, .page_flip_handler2 = on_flip };
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		while (!flipped && poll(&pfd, 1, 5000) > 0)
			drmHandleEvent(fd, &ev);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		zc_check(flipped, "page-flip event arrived (after %.1f ms)",
			 (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
		snprintf(dump, sizeof(dump), "%s/frame1.ppm", outdir);
		check_dump(dump, w, h, frames[1].seed);
	}

	for (int i = 0; i < 2; i++) {
		drmModeRmFB(fd, frames[i].fb);
		zc_dumb_destroy(&frames[i].dumb);
	}
	drmModeDestroyPropertyBlob(fd, blob);
	drmModeFreeConnector(conn);
	drmModeFreeResources(res);
	close(fd);
	printf("%d failure(s)\n", zc_failures);
	return zc_failures ? 1 : 0;
}
