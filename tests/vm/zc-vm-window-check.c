/* zc-vm-window-check IMAGE.ppm X Y W H CLIENT
 * Checks a screendump or writeback frame showing one window of a weston demo
 * client, whose animation makes exact comparison impossible, by what a
 * broken import, a wrong stride, swapped channels or a flipped image could
 * not show:
 *   - outside the window box, every pixel is zcomp's background;
 *   - inside, none is (the window covers its whole box);
 *   - CLIENT "simple-shm": many colours (its pattern is a gradient);
 *   - CLIENT "simple-egl": the triangle's red, green and blue corners on a
 *     half-transparent black, blended over the background (not pure black);
 *   - CLIENT "simple-dmabuf-egl": a square on black whose corners are green
 *     (top left), yellow (top right), red (bottom left), blue (bottom right).
 * Exit 0 when all hold, 1 otherwise, 2 on errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmutil.h"

/* zcomp's background (compositor/output.c), as both renderers store it. */
static const uint8_t bg[3] = { 0x19, 0x19, 0x1e };

struct box {
	uint32_t x, y, w, h;
};

static const uint8_t *px(const struct zc_ppm *img, uint32_t x, uint32_t y)
{
	return img->rgb + ((size_t)y * img->width + x) * 3;
}

static bool is_bg(const uint8_t *p)
{
	return memcmp(p, bg, 3) == 0;
}

static bool inside(const struct box *b, uint32_t x, uint32_t y)
{
	return x >= b->x && x < b->x + b->w && y >= b->y && y < b->y + b->h;
}

/* Background exactly outside the box, nowhere inside. */
static void check_box(const struct zc_ppm *img, const struct box *b)
{
	uint64_t out_bad = 0, in_bg = 0;
	uint32_t x1 = img->width, y1 = img->height, x2 = 0, y2 = 0;
	for (uint32_t y = 0; y < img->height; y++) {
		for (uint32_t x = 0; x < img->width; x++) {
			bool bgp = is_bg(px(img, x, y));
			if (inside(b, x, y))
				in_bg += bgp;
			else
				out_bad += !bgp;
			if (bgp)
				continue;
			x1 = x < x1 ? x : x1;
			y1 = y < y1 ? y : y1;
			x2 = x + 1 > x2 ? x + 1 : x2;
			y2 = y + 1 > y2 ? y + 1 : y2;
		}
	}
	zc_check(out_bad == 0, "%llu pixels outside the window box %ux%u+%u+%u differ from the "
		"background (not background: %ux%u+%u+%u)", (unsigned long long)out_bad, b->w, b->h,
		b->x, b->y, x2 > x1 ? x2 - x1 : 0, y2 > y1 ? y2 - y1 : 0, x1, y1);
	zc_check(in_bg == 0, "%llu pixels inside the window box are background",
		(unsigned long long)in_bg);
}

/* Dominant primaries, generously: llvmpipe interpolates the vertex colours. */
static bool reddish(const uint8_t *p) { return p[0] > 150 && p[1] < 100 && p[2] < 100; }
static bool greenish(const uint8_t *p) { return p[1] > 150 && p[0] < 100 && p[2] < 100; }
static bool blueish(const uint8_t *p) { return p[2] > 150 && p[0] < 100 && p[1] < 100; }
static bool yellowish(const uint8_t *p) { return p[0] > 150 && p[1] > 150 && p[2] < 100; }

static void check_shm(const struct zc_ppm *img, const struct box *b)
{
	/* A small exact set of the colours seen, enough to count past 64. */
	uint32_t seen[64];
	int n = 0;
	for (uint32_t y = b->y; y < b->y + b->h && n < 64; y++) {
		for (uint32_t x = b->x; x < b->x + b->w && n < 64; x++) {
			const uint8_t *p = px(img, x, y);
			uint32_t c = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
			bool known = false;
			for (int i = 0; i < n && !known; i++)
				known = seen[i] == c;
			if (!known)
				seen[n++] = c;
		}
	}
	zc_check(n >= 64, "the window shows %d%s colours (a gradient: at least 64)", n,
		n >= 64 ? "+" : "");
}

static void check_egl(const struct zc_ppm *img, const struct box *b)
{
	uint64_t r = 0, g = 0, bl = 0, dim = 0, black = 0;
	for (uint32_t y = b->y; y < b->y + b->h; y++) {
		for (uint32_t x = b->x; x < b->x + b->w; x++) {
			const uint8_t *p = px(img, x, y);
			r += reddish(p);
			g += greenish(p);
			bl += blueish(p);
			black += p[0] == 0 && p[1] == 0 && p[2] == 0;
			/* Black at alpha 0.5 over the background: half of it. */
			dim += p[0] >= 10 && p[0] <= 15 && p[1] >= 10 && p[1] <= 15 && p[2] >= 13 &&
				p[2] <= 17;
		}
	}
	zc_check(r > 0 && g > 0 && bl > 0, "triangle corners: %llu red, %llu green, %llu blue pixels",
		(unsigned long long)r, (unsigned long long)g, (unsigned long long)bl);
	uint64_t area = (uint64_t)b->w * b->h;
	zc_check(dim * 4 > area && black == 0,
		"%llu of %llu pixels are half-transparent black blended over the background, "
		"%llu pure black", (unsigned long long)dim, (unsigned long long)area,
		(unsigned long long)black);
}

/* The colour at the corner of the square's bounding box, a few pixels in
 * (the edges are blended). */
static const uint8_t *corner(const struct zc_ppm *img, const struct box *sq, int right, int bottom)
{
	uint32_t x = right ? sq->x + sq->w - 4 : sq->x + 3;
	uint32_t y = bottom ? sq->y + sq->h - 4 : sq->y + 3;
	return px(img, x, y);
}

static void check_dmabuf_egl(const struct zc_ppm *img, const struct box *b)
{
	uint32_t x1 = b->x + b->w, y1 = b->y + b->h, x2 = 0, y2 = 0;
	uint64_t black = 0;
	for (uint32_t y = b->y; y < b->y + b->h; y++) {
		for (uint32_t x = b->x; x < b->x + b->w; x++) {
			const uint8_t *p = px(img, x, y);
			if (p[0] == 0 && p[1] == 0 && p[2] == 0) {
				black++;
				continue;
			}
			x1 = x < x1 ? x : x1;
			y1 = y < y1 ? y : y1;
			x2 = x + 1 > x2 ? x + 1 : x2;
			y2 = y + 1 > y2 ? y + 1 : y2;
		}
	}
	uint64_t area = (uint64_t)b->w * b->h;
	if (!zc_check(black * 2 > area && x2 > x1 + 16 && y2 > y1 + 16,
		    "a square on black: %llu of %llu pixels black, square %ux%u",
		    (unsigned long long)black, (unsigned long long)area, x2 > x1 ? x2 - x1 : 0,
		    y2 > y1 ? y2 - y1 : 0))
		return;
	/* The square slides along the diagonal and may be cut at the window's
	 * edge; its corners inside the window keep their colours. */
	struct box sq = { x1, y1, x2 - x1, y2 - y1 };
	const uint8_t *tl = corner(img, &sq, 0, 0), *tr = corner(img, &sq, 1, 0);
	const uint8_t *bl = corner(img, &sq, 0, 1), *br = corner(img, &sq, 1, 1);
	zc_check(greenish(tl) && yellowish(tr) && reddish(bl) && blueish(br),
		"square corners green %02x%02x%02x, yellow %02x%02x%02x, red %02x%02x%02x, "
		"blue %02x%02x%02x", tl[0], tl[1], tl[2], tr[0], tr[1], tr[2], bl[0], bl[1], bl[2],
		br[0], br[1], br[2]);
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: zc-vm-window-check IMAGE.ppm X Y W H "
			"simple-shm|simple-egl|simple-dmabuf-egl\n");
		return 2;
	}
	struct zc_ppm img;
	if (zc_ppm_read(argv[1], &img) != 0) {
		fprintf(stderr, "zc-vm-window-check: cannot read %s\n", argv[1]);
		return 2;
	}
	struct box b = { (uint32_t)atoi(argv[2]), (uint32_t)atoi(argv[3]),
		(uint32_t)atoi(argv[4]), (uint32_t)atoi(argv[5]) };
	if (b.w == 0 || b.h == 0 || b.x + b.w > img.width || b.y + b.h > img.height) {
		fprintf(stderr, "zc-vm-window-check: the box is not inside the %ux%u image\n",
			img.width, img.height);
		zc_ppm_free(&img);
		return 2;
	}
	check_box(&img, &b);
	const char *client = argv[6];
	if (strcmp(client, "simple-shm") == 0)
		check_shm(&img, &b);
	else if (strcmp(client, "simple-egl") == 0)
		check_egl(&img, &b);
	else if (strcmp(client, "simple-dmabuf-egl") == 0)
		check_dmabuf_egl(&img, &b);
	else
		zc_check(false, "unknown client %s", client);
	zc_ppm_free(&img);
	return zc_failures ? 1 : 0;
}
