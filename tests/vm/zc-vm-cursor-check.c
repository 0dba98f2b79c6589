/* zc-vm-cursor-check [-n] IMAGE.ppm X Y [RRGGBB | xcursor:NAME]
 * Checks that a screendump or writeback frame shows zcomp's default arrow
 * (compositor/cursor_arrow.h) with its hotspot at X,Y, or with RRGGBB a
 * 16x16 block of that colour with its top-left at X,Y (a client's solid
 * cursor), or with xcursor:NAME the cursor NAME of the Xcursor theme
 * XCURSOR_THEME at XCURSOR_SIZE (as zcomp loads it) with its hotspot at X,Y.
 * Only the cursor's opaque pixels are compared; those outside the image are
 * skipped. -n inverts: the cursor must not be there (most of its pixels
 * differ). Exit 0 on success, 1 on failure, 2 on errors. */
#include <X11/Xcursor/Xcursor.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cursor_arrow.h"
#include "vmutil.h"

/* What the cursor's pixel at cx,cy should be, or -1 where it is transparent:
 * solid colour, theme image, else the arrow. */
static long expected(long solid, const XcursorImage *xc, int cx, int cy)
{
	if (solid >= 0)
		return cx < 16 && cy < 16 ? solid : -1;
	if (xc) {
		if ((unsigned)cx >= xc->width || (unsigned)cy >= xc->height)
			return -1;
		uint32_t px = xc->pixels[(size_t)cy * xc->width + (size_t)cx];
		return px >> 24 == 0xff ? (long)(px & 0xffffff) : -1;
	}
	if (cx >= ZC_CURSOR_ARROW_WIDTH || cy >= ZC_CURSOR_ARROW_HEIGHT)
		return -1;
	char c = zc_cursor_arrow[cy][cx];
	return c == 'X' ? 0x000000 : c == '.' ? 0xffffff : -1;
}

static XcursorImage *load_theme_cursor(const char *name)
{
	const char *size = getenv("XCURSOR_SIZE");
	XcursorImage *xc = XcursorLibraryLoadImage(name, getenv("XCURSOR_THEME"),
		size ? atoi(size) : 24);
	if (!xc)
		fprintf(stderr, "zc-vm-cursor-check: no cursor '%s' in theme '%s'\n", name,
			getenv("XCURSOR_THEME") ? getenv("XCURSOR_THEME") : "default");
	return xc;
}

int main(int argc, char **argv)
{
	bool absent = argc > 1 && strcmp(argv[1], "-n") == 0;
	int a = absent ? 2 : 1;
	if (argc - a < 3 || argc - a > 4) {
		fprintf(stderr, "usage: zc-vm-cursor-check [-n] IMAGE.ppm X Y [RRGGBB]\n");
		return 2;
	}
	struct zc_ppm ppm;
	if (zc_ppm_read(argv[a], &ppm) != 0) {
		fprintf(stderr, "zc-vm-cursor-check: cannot read %s\n", argv[a]);
		return 2;
	}
	long x0 = strtol(argv[a + 1], NULL, 10), y0 = strtol(argv[a + 2], NULL, 10);
	const char *what = argc - a == 4 ? argv[a + 3] : NULL;
	bool theme = what && strncmp(what, "xcursor:", 8) == 0;
	long solid = what && !theme ? strtol(what, NULL, 16) : -1;
	XcursorImage *xc = theme ? load_theme_cursor(what + 8) : NULL;
	if (theme && !xc)
		return 2;
	if (xc) {
		x0 -= (long)xc->xhot;
		y0 -= (long)xc->yhot;
	}
	int extent = xc && (int)xc->width > 32 ? (int)xc->width : 32;
	extent = xc && (int)xc->height > extent ? (int)xc->height : extent;
	int checked = 0, bad = 0;
	for (int cy = 0; cy < extent; cy++) {
		for (int cx = 0; cx < extent; cx++) {
			long want = expected(solid, xc, cx, cy);
			long x = x0 + cx, y = y0 + cy;
			if (want < 0 || x < 0 || y < 0 || x >= ppm.width || y >= ppm.height)
				continue;
			const uint8_t *p = ppm.rgb + ((size_t)y * ppm.width + (size_t)x) * 3;
			long got = (long)p[0] << 16 | p[1] << 8 | p[2];
			checked++;
			if (got != want && bad++ == 0 && !absent)
				printf("first difference at %ld,%ld: %06lx, expected %06lx\n", x, y,
					got, want);
		}
	}
	zc_ppm_free(&ppm);
	if (xc)
		XcursorImageDestroy(xc);
	printf("%s at %ld,%ld: %d of %d cursor pixels differ\n",
		theme ? what : solid >= 0 ? "solid cursor" : "arrow", x0, y0, bad, checked);
	if (checked == 0)
		return 1;
	return absent ? (bad * 2 > checked ? 0 : 1) : (bad == 0 ? 0 : 1);
}
