/* zc-capture FILE.png [--output N]: saves one frame of an output as a PNG,
 * through ext-image-copy-capture-v1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: zc-capture FILE.png [--output N]\n"
		"  Captures output N (default 0, in advertising order) into FILE.png.\n");
}

static bool parse_args(int argc, char **argv, const char **path, int *output)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			usage(stdout);
			exit(0);
		} else if (strcmp(arg, "--output") == 0 && i + 1 < argc) {
			char *end;
			long n = strtol(argv[++i], &end, 10);
			if (*end || n < 0 || n >= ZCC_MAX_OUTPUTS)
				return false;
			*output = (int)n;
		} else if (strncmp(arg, "--output=", 9) == 0) {
			char *end;
			long n = strtol(arg + 9, &end, 10);
			if (*end || n < 0 || n >= ZCC_MAX_OUTPUTS)
				return false;
			*output = (int)n;
		} else if (arg[0] != '-' && !*path) {
			*path = arg;
		} else {
			return false;
		}
	}
	return *path != NULL;
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	int output = 0, status = 1;
	char err[256];

	if (!parse_args(argc, argv, &path, &output)) {
		usage(stderr);
		return 2;
	}
	struct wl_display *display = wl_display_connect(NULL);
	if (!display) {
		fprintf(stderr, "zc-capture: cannot connect to the Wayland display\n");
		return 1;
	}
	struct zcc_globals globals;
	struct zcc_image image = { 0 };
	if (!zcc_globals_bind(display, &globals)) {
		fprintf(stderr, "zc-capture: registry roundtrip failed\n");
		goto cleanup;
	}
	if (output >= globals.n_outputs) {
		fprintf(stderr, "zc-capture: no output %d (the compositor has %d)\n",
			output, globals.n_outputs);
		goto cleanup;
	}
	if (!zcc_capture_output(display, &globals, globals.outputs[output].wl_output,
			&image, err, sizeof(err))) {
		fprintf(stderr, "zc-capture: %s\n", err);
		goto cleanup;
	}
	if (!zcc_image_write_png(&image, path, err, sizeof(err))) {
		fprintf(stderr, "zc-capture: %s\n", err);
		goto cleanup;
	}
	printf("zc-capture: wrote %dx%d output %d to %s\n", image.width, image.height,
		output, path);
	status = 0;

cleanup:
	zcc_image_finish(&image);
	zcc_globals_finish(&globals);
	wl_display_disconnect(display);
	return status;
}
