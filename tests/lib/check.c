#include <errno.h>
#include <string.h>

#include "zct.h"

#define MAX_REPORTED 5
#define LATE_ERROR_MS 500

bool zct_capture(struct zct_client *client, int index, struct zcc_image *image)
{
	char err[256];
	if (index >= client->globals.n_outputs) {
		ZCT_CHECK(false, "no output %d to capture (%d advertised)", index,
			client->globals.n_outputs);
		return false;
	}
	bool ok = zcc_capture_output(client->display, &client->globals,
		client->globals.outputs[index].wl_output, image, err, sizeof(err));
	ZCT_CHECK(ok, "capture of output %d failed: %s", index, err);
	return ok;
}

static bool box_inside(const struct zcc_image *image, int32_t x, int32_t y, int32_t width,
	int32_t height)
{
	bool inside = x >= 0 && y >= 0 && width >= 0 && height >= 0 &&
		x + width <= image->width && y + height <= image->height;
	ZCT_CHECK(inside, "box %dx%d+%d+%d is outside the %dx%d capture", width, height,
		x, y, image->width, image->height);
	return inside;
}

static void report_pixel(int32_t x, int32_t y, struct zcc_rgb got, struct zcc_rgb want)
{
	fprintf(stderr, "  pixel (%d,%d): got %u/%u/%u (%u/%u/%u bits), "
		"want %u/%u/%u (%u/%u/%u bits)\n", x, y,
		got.c[0], got.c[1], got.c[2], got.bits[0], got.bits[1], got.bits[2],
		want.c[0], want.c[1], want.c[2], want.bits[0], want.bits[1], want.bits[2]);
}

int zct_compare_pattern(const struct zcc_image *image, int32_t x, int32_t y, int32_t width,
	int32_t height, uint32_t format, uint32_t frame)
{
	const struct zcc_format *info = zcc_format_get(format);
	if (!info || !box_inside(image, x, y, width, height))
		return width * height;
	int bad = 0;
	for (int32_t py = 0; py < height; py++) {
		for (int32_t px = 0; px < width; px++) {
			struct zcc_rgb got = zcc_image_get(image, x + px, y + py);
			struct zcc_rgb want = zcc_pattern_rgb(info, width, height, frame, px, py);
			if (zcc_rgb_equal(got, want))
				continue;
			if (bad++ < MAX_REPORTED)
				report_pixel(x + px, y + py, got, want);
		}
	}
	if (bad) {
		fprintf(stderr, "  %d of %d pixels differ from pattern frame %u (%s); "
			"the capture shows frame %lld\n", bad, width * height, frame, info->name,
			(long long)zcc_image_read_frame(image, x, y));
	}
	return bad;
}

int zct_count_not_color(const struct zcc_image *image, int32_t x, int32_t y, int32_t width,
	int32_t height, uint32_t rgb8)
{
	if (!box_inside(image, x, y, width, height))
		return width * height;
	struct zcc_rgb want = {
		.c = { (rgb8 >> 16) & 0xff, (rgb8 >> 8) & 0xff, rgb8 & 0xff },
		.bits = { 8, 8, 8 },
	};
	int bad = 0;
	for (int32_t py = y; py < y + height; py++) {
		for (int32_t px = x; px < x + width; px++) {
			struct zcc_rgb got = zcc_image_get(image, px, py);
			if (zcc_rgb_equal(got, want))
				continue;
			if (bad++ < MAX_REPORTED)
				report_pixel(px, py, got, want);
		}
	}
	return bad;
}

bool zct_expect_error_on(struct zct_client *client, const char *const *interfaces,
	uint32_t code, const char *what)
{
	/* Some errors are only found when zcomp uses the object (a repaint
	 * reading a buffer), after any roundtrip: give those a while. */
	wl_display_roundtrip(client->display);
	for (int i = 0; i < LATE_ERROR_MS / 10 && !wl_display_get_error(client->display); i++)
		zcc_dispatch_timeout(client->display, 10);
	int err = wl_display_get_error(client->display);
	if (err != EPROTO) {
		ZCT_CHECK(false, "%s: expected a protocol error, got %s", what,
			err ? strerror(err) : "none");
		return false;
	}
	const struct wl_interface *iface = NULL;
	uint32_t id = 0;
	uint32_t got = wl_display_get_protocol_error(client->display, &iface, &id);
	/* "" stands for an object the client destroyed in the same request
	 * that failed: libwayland then knows neither interface nor id. */
	const char *name = iface ? iface->name : "";
	bool iface_ok = false;
	for (const char *const *i = interfaces; *i; i++)
		iface_ok = iface_ok || strcmp(*i, name) == 0;
	bool ok = iface_ok && got == code;
	ZCT_CHECK(ok, "%s: expected error %u on %s, got error %u on %s@%u", what, code,
		interfaces[0], got, iface ? name : "(destroyed)", id);
	return ok;
}

bool zct_expect_error(struct zct_client *client, const struct wl_interface *interface,
	uint32_t code, const char *what)
{
	const char *names[] = { interface->name, NULL };
	return zct_expect_error_on(client, names, code, what);
}

bool zct_expect_no_error(struct zct_client *client, const char *what)
{
	wl_display_roundtrip(client->display);
	int err = wl_display_get_error(client->display);
	if (err == 0)
		return true;
	const struct wl_interface *iface = NULL;
	uint32_t id = 0, code = 0;
	if (err == EPROTO)
		code = wl_display_get_protocol_error(client->display, &iface, &id);
	ZCT_CHECK(false, "%s: unexpected error: %s (code %u on %s@%u)", what, strerror(err),
		code, iface ? iface->name : "-", id);
	return false;
}

int zct_count_lines(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[2048];
	int n = 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}
