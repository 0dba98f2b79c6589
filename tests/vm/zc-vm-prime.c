/* Guest test: the PRIME import matrix of shared/vm-facts.md still holds, so that a kernel
 * change is noticed. Each exporter's dma-buf is imported (drmPrimeFDToHandle) into the
 * virtio-gpu and vkms card nodes and wrapped in a framebuffer (drmModeAddFB2, XRGB8888). */
#include "vmutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

/* Expected result per exporter (rows: zc_exporters order) and importer: 0 = works,
 * otherwise the errno of the first failing step. dma-heap was not in vm-facts; measured
 * 2026-11 with 6.12.117: like udmabuf. */
static const char *const importers[] = { "virtio_gpu", "vkms" };
static const struct {
	const char *exporter;
	int expect[2];
} matrix[] = {
	{ "udmabuf", { ENODEV, 0 } },
	{ "dma-heap", { ENODEV, 0 } },
	{ "vgem", { ENODEV, 0 } },
	{ "virtio_gpu", { 0, 0 } },
	{ "vkms", { ENODEV, 0 } },
};

static int try_import(int card, const struct zc_buf *b, const char **step)
{
	uint32_t handle = 0, fb = 0;
	*step = "import";
	if (drmPrimeFDToHandle(card, b->dmabuf, &handle) < 0)
		return errno;
	*step = "AddFB2";
	uint32_t handles[4] = { handle }, pitches[4] = { b->pitch }, offsets[4] = { 0 };
	int err = 0;
	if (drmModeAddFB2(card, b->width, b->height, DRM_FORMAT_XRGB8888, handles, pitches,
			  offsets, &fb, 0) < 0)
		err = errno;
	else
		drmModeRmFB(card, fb);
	drmCloseBufferHandle(card, handle);
	return err;
}

static const char *errname(int e)
{
	return e == 0 ? "ok" : e == ENODEV ? "ENODEV" : e == EINVAL ? "EINVAL" : strerror(e);
}

int main(void)
{
	int cards[2];
	for (int i = 0; i < 2; i++) {
		cards[i] = zc_open_driver(importers[i], false, NULL, 0);
		if (!zc_check(cards[i] >= 0, "importer %s card node", importers[i]))
			return 1;
	}
	printf("%-12s %-22s %-22s\n", "exporter", importers[0], importers[1]);
	for (size_t e = 0; e < sizeof(matrix) / sizeof(matrix[0]); e++) {
		char cell[2][64];
		int got[2];
		for (int i = 0; i < 2; i++) {
			struct zc_buf b;
			int r = zc_buf_create(matrix[e].exporter, 64, 64, &b);
			if (r < 0) {
				got[i] = -1;
				snprintf(cell[i], sizeof(cell[i]), "no buffer (%s)", strerror(-r));
			} else {
				const char *step;
				got[i] = try_import(cards[i], &b, &step);
				snprintf(cell[i], sizeof(cell[i]), "%s%s%s", errname(got[i]),
					 got[i] ? " at " : "", got[i] ? step : "");
			}
			zc_buf_destroy(&b);
		}
		printf("%-12s %-22s %-22s\n", matrix[e].exporter, cell[0], cell[1]);
		for (int i = 0; i < 2; i++)
			zc_check(got[i] == matrix[e].expect[i], "%s -> %s: %s (expected %s)",
				 matrix[e].exporter, importers[i], cell[i],
				 errname(matrix[e].expect[i]));
	}
	for (int i = 0; i < 2; i++)
		close(cards[i]);
	printf("%d failure(s)\n", zc_failures);
	return zc_failures ? 1 : 0;
}
