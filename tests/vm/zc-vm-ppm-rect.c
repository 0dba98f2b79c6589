/* zc-vm-ppm-rect IMAGE.ppm RRGGBB
 * Finds the pixels of exactly one colour in a screendump: prints
 * "rect X Y W H pixels N" (their bounding box and how many there are) and
 * exits 0 when they fill that box completely (a solid rectangle), 1 when
 * there are none or they do not, 2 on errors. */
#include "vmutil.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	char *end = NULL;
	unsigned long rgb = argc == 3 ? strtoul(argv[2], &end, 16) : 0;
	if (argc != 3 || !end || *end || rgb > 0xffffff) {
		fprintf(stderr, "usage: zc-vm-ppm-rect IMAGE.ppm RRGGBB\n");
		return 2;
	}
	struct zc_ppm ppm;
	if (zc_ppm_read(argv[1], &ppm) < 0) {
		fprintf(stderr, "zc-vm-ppm-rect: cannot read %s\n", argv[1]);
		return 2;
	}
	uint32_t x0 = ppm.width, y0 = ppm.height, x1 = 0, y1 = 0;
	uint64_t n = 0;
	for (uint32_t y = 0; y < ppm.height; y++) {
		for (uint32_t x = 0; x < ppm.width; x++) {
			const uint8_t *p = ppm.rgb + ((size_t)y * ppm.width + x) * 3;
			if (((unsigned long)p[0] << 16 | (unsigned long)p[1] << 8 | p[2]) != rgb)
				continue;
			n++;
			x0 = x < x0 ? x : x0;
			y0 = y < y0 ? y : y0;
			x1 = x > x1 ? x : x1;
			y1 = y > y1 ? y : y1;
		}
	}
	zc_ppm_free(&ppm);
	if (!n) {
		printf("rect none\n");
		return 1;
	}
	uint64_t w = x1 - x0 + 1, h = y1 - y0 + 1;
	printf("rect %u %u %llu %llu pixels %llu\n", x0, y0, (unsigned long long)w,
		(unsigned long long)h, (unsigned long long)n);
	return n == w * h ? 0 : 1;
}
