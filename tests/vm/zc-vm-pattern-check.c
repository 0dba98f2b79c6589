/* zc-vm-pattern-check IMAGE.ppm|IMAGE.png [X Y W H]...
 * Checks that the rectangle (default: the whole image) of a screendump, a
 * writeback frame (PPM) or a zc-capture image (PNG) shows exactly one frame
 * of the zcomp test pattern (the one
 * zc-shm draws): the frame number is read from the rectangle's top-left
 * block and every pixel must equal the pattern of that frame.
 * Several rectangles are windows stacked bottom to top, each with its own
 * frame: each is checked where no later one covers it (its top-left block
 * must be uncovered), and everything outside them must be one background
 * colour. With ZC_MAGNIFIED=N (a whole number) the image is an output
 * scaled by N: every NxN block must be one colour (nearest magnification,
 * no blur, no seam) and the check runs on the image reduced by N.
 * ZC_PATTERN_BACKGROUND=1 asks for the background outside a single
 * rectangle too.
 * Exit 0 on a match, 1 on a mismatch, 2 on errors. */
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

struct rect {
	int32_t x, y, w, h;
	int64_t frame;
};

static bool rect_has(const struct rect *r, int32_t x, int32_t y)
{
	return x >= r->x && y >= r->y && x < r->x + r->w && y < r->y + r->h;
}

/* The topmost rectangle at x,y, or -1. */
static int rect_at(const struct rect *rects, int n, int32_t x, int32_t y)
{
	for (int i = n - 1; i >= 0; i--) {
		if (rect_has(&rects[i], x, y))
			return i;
	}
	return -1;
}

/* The expected pixel: the pattern of the topmost rectangle there, or the
 * background (the first uncovered pixel's colour) outside all. */
static struct zcc_rgb expected(const struct rect *rects, int n, int32_t x, int32_t y,
	const struct zcc_rgb *background)
{
	int i = rect_at(rects, n, x, y);
	if (i < 0)
		return *background;
	const struct rect *r = &rects[i];
	return zcc_pattern_rgb8(r->w, r->h, (uint32_t)r->frame, x - r->x, y - r->y);
}

static uint64_t count_bad(const struct zcc_image *image, const struct rect *rects, int n,
	bool whole_image)
{
	uint64_t bad = 0;
	bool have_bg = false;
	struct zcc_rgb bg = { 0 };
	for (int32_t y = 0; y < image->height; y++) {
		for (int32_t x = 0; x < image->width; x++) {
			bool inside = rect_at(rects, n, x, y) >= 0;
			if (!inside && !whole_image)
				continue;
			struct zcc_rgb got = zcc_image_get(image, x, y);
			if (!inside && !have_bg) {
				bg = got;
				have_bg = true;
			}
			struct zcc_rgb want = expected(rects, n, x, y, &bg);
			if (zcc_rgb_equal(want, got))
				continue;
			if (bad++ == 0)
				printf("first bad pixel at %d,%d: %02x%02x%02x, expected %02x%02x%02x\n",
					x, y, got.c[0], got.c[1], got.c[2], want.c[0], want.c[1],
					want.c[2]);
		}
	}
	return bad;
}

static bool parse_rects(int argc, char **argv, const struct zcc_image *image,
	struct rect *rects, int *n)
{
	*n = 0;
	if (argc == 2) {
		rects[(*n)++] = (struct rect){ 0, 0, image->width, image->height, 0 };
		return true;
	}
	for (int a = 2; a + 3 < argc; a += 4) {
		struct rect r = { atoi(argv[a]), atoi(argv[a + 1]), atoi(argv[a + 2]),
			atoi(argv[a + 3]), 0 };
		if (r.x < 0 || r.y < 0 || r.w <= 0 || r.h <= 0 || r.x + r.w > image->width ||
		    r.y + r.h > image->height) {
			fprintf(stderr, "zc-vm-pattern-check: rectangle outside the %dx%d image\n",
				image->width, image->height);
			return false;
		}
		rects[(*n)++] = r;
	}
	return true;
}

/* Each rectangle's frame, from its top-left block, which must be its own. */
static bool read_frames(const char *path, const struct zcc_image *image, struct rect *rects,
	int n)
{
	for (int i = 0; i < n; i++) {
		struct rect *r = &rects[i];
		if (rect_at(rects, n, r->x, r->y) != i ||
		    rect_at(rects, n, r->x + ZCC_FRAME_BLOCK_W - 1, r->y + ZCC_FRAME_BLOCK_H - 1) != i) {
			fprintf(stderr, "zc-vm-pattern-check: the frame block of rectangle %d is "
				"covered\n", i + 1);
			return false;
		}
		r->frame = zcc_image_read_frame(image, r->x, r->y);
		if (r->frame < 0) {
			printf("%s: no frame number at %d,%d\n", path, r->x, r->y);
			return false;
		}
	}
	return true;
}

#define MAX_RECTS 16

/* Reduces the image by n in place; returns the pixels that differ from
 * their block's top-left one. */
static uint64_t shrink_image(struct zcc_image *image, int32_t n)
{
	uint64_t uneven = 0;
	int32_t w = image->width / n, h = image->height / n;
	for (int32_t y = 0; y < h * n; y++) {
		for (int32_t x = 0; x < w * n; x++) {
			if (!zcc_rgb_equal(zcc_image_get(image, x, y),
				    zcc_image_get(image, x - x % n, y - y % n)))
				uneven++;
		}
	}
	for (int32_t y = 0; y < h; y++) {
		for (int32_t x = 0; x < w; x++)
			memcpy(image->data + (size_t)y * (size_t)w * 4 + (size_t)x * 4,
				image->data + (size_t)(y * n) * (size_t)image->stride +
					(size_t)(x * n) * 4, 4);
	}
	image->width = w;
	image->height = h;
	image->stride = w * 4;
	return uneven;
}

int main(int argc, char **argv)
{
	if (argc < 2 || (argc - 2) % 4 != 0 || (argc - 2) / 4 > MAX_RECTS) {
		fprintf(stderr, "usage: zc-vm-pattern-check IMAGE.ppm|IMAGE.png [X Y W H]...\n");
		return 2;
	}
	struct zc_ppm ppm;
	struct zcc_image image;
	if (image_read(argv[1], &ppm) < 0 || !ppm_to_image(&ppm, &image)) {
		fprintf(stderr, "zc-vm-pattern-check: cannot read %s\n", argv[1]);
		return 2;
	}
	struct rect rects[MAX_RECTS];
	int n;
	int ret = 2;
	const char *magnified = getenv("ZC_MAGNIFIED");
	if (magnified && atoi(magnified) > 1) {
		uint64_t uneven = shrink_image(&image, atoi(magnified));
		printf("%s: magnified %sx: %llu pixels differ from their block\n", argv[1],
			magnified, (unsigned long long)uneven);
		if (uneven) {
			ret = 1;
			goto out;
		}
	}
	if (!parse_rects(argc, argv, &image, rects, &n))
		goto out;
	ret = 1;
	if (!read_frames(argv[1], &image, rects, n))
		goto out;
	/* One rectangle: just it, as before; a stack: the whole image. */
	const char *background = getenv("ZC_PATTERN_BACKGROUND");
	bool whole = n > 1 || (background && atoi(background));
	uint64_t bad = count_bad(&image, rects, n, whole);
	printf("%s: frame", argv[1]);
	for (int i = 0; i < n; i++)
		printf("%s %lld", i ? "," : "", (long long)rects[i].frame);
	printf(", %llu pixels differ from the %s\n", (unsigned long long)bad,
		whole ? "expected composition" : "pattern");
	ret = bad ? 1 : 0;
out:
	zcc_image_finish(&image);
	zc_ppm_free(&ppm);
	return ret;
}
