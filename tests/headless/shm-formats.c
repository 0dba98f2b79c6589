/* (a) wl_shm frames of several formats appear pixel-exact in a capture. */
#include <string.h>

#include "zct.h"

#define W 128
#define H 96

static const char *const required[] = { "xrgb8888", "argb8888", "rgb565", "xrgb2101010" };
static const char *const optional[] = {
	"xbgr8888", "abgr8888", "bgr565", "rgb888", "bgr888", "xbgr2101010",
};

/* Shows one frame and checks the capture holds exactly that frame. */
static void show_and_check(struct zct_client *client, struct zct_window *window,
	struct zcc_buffer *buffer, uint32_t frame_no, const char *name)
{
	struct zct_frame frame = { 0 };
	struct zcc_image image;
	zct_request_frame(window->surface, &frame);
	zct_show(window->surface, buffer);
	ZCT_CHECK(zct_wait(client, &frame.done, 3000), "%s: no frame callback", name);
	if (!zct_capture(client, 0, &image))
		return;
	int bad = zct_compare_pattern(&image, 0, 0, W, H, buffer->format, frame_no);
	ZCT_CHECK(bad == 0, "%s: frame %u not shown pixel-exact", name, frame_no);
	zcc_image_finish(&image);
}

static void check_format(struct zct_compositor *comp, const char *name, bool must)
{
	const struct zcc_format *format = zcc_format_by_name(name);
	struct zct_client *client = zct_client_connect(comp);
	if (!client)
		return;
	if (!zcc_globals_has_shm_format(&client->globals, format->shm)) {
		ZCT_CHECK(!must, "wl_shm does not advertise %s", name);
		zct_client_destroy(client);
		return;
	}
	struct zct_window *window = zct_window_create(client, true);
	struct zcc_buffer *a = zct_pattern_buffer(client, W, H, format->shm, 11);
	struct zcc_buffer *b = zct_pattern_buffer(client, W, H, format->shm, 12);
	if (window && a && b) {
		ZCT_CHECK(window->width == W && window->height == H,
			"fullscreen configure is %dx%d, not the output's %dx%d",
			window->width, window->height, W, H);
		/* Two frames: the second proves the capture follows updates. */
		show_and_check(client, window, a, 11, name);
		show_and_check(client, window, b, 12, name);
		zct_expect_no_error(client, name);
	}
	zct_window_destroy(window);
	zcc_buffer_destroy(a);
	zcc_buffer_destroy(b);
	zct_client_destroy(client);
	fprintf(stderr, "  checked %s\n", name);
}

static void test_required_formats(struct zct_compositor *comp)
{
	for (size_t i = 0; i < ZC_LEN(required); i++)
		check_format(comp, required[i], true);
}

static void test_optional_formats(struct zct_compositor *comp)
{
	for (size_t i = 0; i < ZC_LEN(optional); i++)
		check_format(comp, optional[i], false);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = W, .height = H };
	if (zct_compositor_start(&comp, &config)) {
		ZCT_RUN(test_required_formats, &comp);
		ZCT_RUN(test_optional_formats, &comp);
	}
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
