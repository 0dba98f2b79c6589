/* zc-vm-pattern-check IMAGE.ppm|IMAGE.png [X Y W H]
 * Checks that the rectangle (default: the whole image) of a screendump, a
 * writeback frame (PPM) or a zc-capture image (PNG) shows exactly one frame
 * of the zcomp test pattern (the one
 * zc-shm draws): the frame number is read from the rectangle's top-left
 * block and every pixel must equal the pattern of that frame. Exit 0 on a
 * match, 1 on a mismatch, 2 on errors. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wayland-client-protocol.h>

#include "common.h"
#include "vmutil.h"

/* The PPM's RGB as an XRGB8888 image, the form the client helpers read. */
static bool ppm_to_image(const struct zc_ppm *ppm, struct zcc_image *image)
{
	image->width = (int32_t)ppm->width;
	image->height = (int32_t)ppm->height;
	image->stride = image->width * 4;
	image->format = WL_SHM_FORMAT_XRGB8888;
	image->data = malloc((size_t)image->stride * (size_t)image->height);
	if (!image->data)
		return false;
	for (size_t i = 0; i < (size_t)ppm->width * ppm->height; i++) {
		const uint8_t *p = ppm->rgb + i * 3;
		uint8_t *d = image->data + i * 4;
		d[0] = p[2];
		d[1] = p[1];
		d[2] = p[0];
		d[3] = 0xff;
	}
	return true;
}

/* A PNG as the RGB bytes of a struct zc_ppm (freed with zc_ppm_free). */
static int png_read(const char *path, struct zc_ppm *ppm)
{
	png_image png;
	memset(&png, 0, sizeof(png));
	png.version = PNG_IMAGE_VERSION;
	memset(ppm, 0, sizeof(*ppm));
	if (!png_image_begin_read_from_file(&png, path))
		return -1;
	png.format = PNG_FORMAT_RGB;
	ppm->width = png.width;
	ppm->height = png.height;
	ppm->rgb = malloc(PNG_IMAGE_SIZE(png));
	if (!ppm->rgb || !png_image_finish_read(&png, NULL, ppm->rgb, 0, NULL)) {
		png_image_free(&png);
		zc_ppm_free(ppm);
		return -1;
	}
	return 0;
}

static int image_read(const char *path, struct zc_ppm *ppm)
{
	size_t n = strlen(path);
	if (n > 4 && strcmp(path + n - 4, ".png") == 0)
		return png_read(path, ppm);
	return zc_ppm_read(path, ppm);
}

static uint64_t count_bad(const struct zcc_image *image, int32_t x0, int32_t y0, int32_t w,
	int32_t h, uint32_t frame)
{
	uint64_t bad = 0;
	for (int32_t y = 0; y < h; y++) {
		for (int32_t x = 0; x < w; x++) {
			struct zcc_rgb want = zcc_pattern_rgb8(w, h, frame, x, y);
			struct zcc_rgb got = zcc_image_get(image, x0 + x, y0 + y);
			if (zcc_rgb_equal(want, got))
				continue;
			if (bad++ == 0)
				printf("first bad pixel at %d,%d: %02x%02x%02x, expected %02x%02x%02x\n",
					x0 + x, y0 + y, got.c[0], got.c[1], got.c[2], want.c[0],
					want.c[1], want.c[2]);
		}
	}
	return bad;
}

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 6) {
		fprintf(stderr, "usage: zc-vm-pattern-check IMAGE.ppm|IMAGE.png [X Y W H]\n");
		return 2;
	}
	struct zc_ppm ppm;
	struct zcc_image image;
	if (image_read(argv[1], &ppm) < 0 || !ppm_to_image(&ppm, &image)) {
		fprintf(stderr, "zc-vm-pattern-check: cannot read %s\n", argv[1]);
		return 2;
	}
	int32_t x0 = 0, y0 = 0, w = image.width, h = image.height;
	if (argc == 6) {
		x0 = atoi(argv[2]);
		y0 = atoi(argv[3]);
		w = atoi(argv[4]);
		h = atoi(argv[5]);
	}
	if (x0 < 0 || y0 < 0 || w <= 0 || h <= 0 || x0 + w > image.width ||
	    y0 + h > image.height) {
		fprintf(stderr, "zc-vm-pattern-check: rectangle outside the %dx%d image\n",
			image.width, image.height);
		return 2;
	}
	int64_t frame = zcc_image_read_frame(&image, x0, y0);
	if (frame < 0) {
		printf("%s: no frame number at %d,%d\n", argv[1], x0, y0);
		return 1;
	}
	uint64_t bad = count_bad(&image, x0, y0, w, h, (uint32_t)frame);
	printf("%s: frame %lld, %llu of %lld pixels differ from the pattern\n", argv[1],
		(long long)frame, (unsigned long long)bad, (long long)w * h);
	zcc_image_finish(&image);
	zc_ppm_free(&ppm);
	return bad ? 1 : 0;
}
