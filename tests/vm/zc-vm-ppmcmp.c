/* zc-vm-ppmcmp [-t TOLERANCE] [-n MAX_BAD_PIXELS] [-d DIFF.ppm] ACTUAL.ppm EXPECTED.ppm
 * Compares two binary PPMs (P6, 8 bit). A pixel is bad when any channel differs by more
 * than TOLERANCE (default 0: exact). Exit 0 when at most MAX_BAD_PIXELS (default 0) are
 * bad, 1 otherwise, 2 on errors. -d writes a difference image (bad pixels red). */
#include "vmutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long tolerance = 0, max_bad = 0;
	const char *diff_path = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "t:n:d:")) != -1) {
		switch (opt) {
		case 't': tolerance = strtol(optarg, NULL, 10); break;
		case 'n': max_bad = strtol(optarg, NULL, 10); break;
		case 'd': diff_path = optarg; break;
		default: goto usage;
		}
	}
	if (argc - optind != 2)
		goto usage;
	struct zc_ppm a, b;
	int r = zc_ppm_read(argv[optind], &a);
	if (r < 0) {
		fprintf(stderr, "zc-vm-ppmcmp: cannot read %s\n", argv[optind]);
		return 2;
	}
	r = zc_ppm_read(argv[optind + 1], &b);
	if (r < 0) {
		fprintf(stderr, "zc-vm-ppmcmp: cannot read %s\n", argv[optind + 1]);
		return 2;
	}
	if (a.width != b.width || a.height != b.height) {
		printf("size differs: %ux%u vs %ux%u\n", a.width, a.height, b.width, b.height);
		return 1;
	}
	uint64_t bad = 0;
	int maxdiff = 0;
	size_t n = (size_t)a.width * a.height;
	for (size_t i = 0; i < n; i++) {
		bool px_bad = false;
		for (int c = 0; c < 3; c++) {
			int d = abs((int)a.rgb[i * 3 + c] - (int)b.rgb[i * 3 + c]);
			if (d > maxdiff)
				maxdiff = d;
			if (d > tolerance)
				px_bad = true;
		}
		if (px_bad && bad++ == 0)
			printf("first bad pixel at %zu,%zu: %02x%02x%02x vs %02x%02x%02x\n",
			       i % a.width, i / a.width, a.rgb[i * 3], a.rgb[i * 3 + 1],
			       a.rgb[i * 3 + 2], b.rgb[i * 3], b.rgb[i * 3 + 1], b.rgb[i * 3 + 2]);
		if (diff_path) {
			uint8_t *p = a.rgb + i * 3;
			p[0] = px_bad ? 255 : p[0] / 4;
			p[1] = px_bad ? 0 : p[1] / 4;
			p[2] = px_bad ? 0 : p[2] / 4;
		}
	}
	printf("%llu of %zu pixels differ by more than %ld (largest channel difference %d)\n",
	       (unsigned long long)bad, n, tolerance, maxdiff);
	if (diff_path && zc_ppm_write(diff_path, &a) < 0)
		fprintf(stderr, "zc-vm-ppmcmp: cannot write %s\n", diff_path);
	zc_ppm_free(&a);
	zc_ppm_free(&b);
	return bad > (uint64_t)max_bad ? 1 : 0;
usage:
	fprintf(stderr, "usage: zc-vm-ppmcmp [-t TOLERANCE] [-n MAX_BAD] [-d DIFF.ppm] ACTUAL.ppm EXPECTED.ppm\n");
	return 2;
}
