/* Issue 14: YUV wl_shm frames (as GStreamer's waylandsink sends them) shown
 * in the colours of the documented default, BT.601 limited range: bars of
 * known Y'CbCr, each expected RGB within a small tolerance in the capture.
 * Runs on both renderers (the -gl variant), so both paths agree. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zct.h"

#define W 128
#define H 96
#define BAR_W (W / 4)

/* Y'CbCr of red, green, blue and white (BT.601 limited) and their RGB. */
static const uint8_t bar_yuv[4][3] = {
	{ 81, 90, 240 }, { 145, 54, 34 }, { 41, 240, 110 }, { 235, 128, 128 },
};
static const uint8_t bar_rgb[4][3] = {
	{ 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 }, { 255, 255, 255 },
};

struct layout {
	const char *name;
	uint32_t format;
	int32_t stride;
	size_t size;
};

static void put(const struct layout *l, uint8_t *data, int32_t x, int32_t y, const uint8_t *c)
{
	size_t luma = (size_t)W * H;
	switch (l->format) {
	case WL_SHM_FORMAT_YUYV: {
		uint8_t *m = data + (size_t)y * (size_t)l->stride + (size_t)(x / 2) * 4;
		m[(x % 2) * 2] = c[0];
		m[1] = c[1];
		m[3] = c[2];
		break;
	}
	case WL_SHM_FORMAT_NV12:
		data[(size_t)y * W + (size_t)x] = c[0];
		data[luma + (size_t)(y / 2) * W + (size_t)(x / 2) * 2] = c[1];
		data[luma + (size_t)(y / 2) * W + (size_t)(x / 2) * 2 + 1] = c[2];
		break;
	default: /* YUV420 */
		data[(size_t)y * W + (size_t)x] = c[0];
		data[luma + (size_t)(y / 2) * (W / 2) + (size_t)(x / 2)] = c[1];
		data[luma + luma / 4 + (size_t)(y / 2) * (W / 2) + (size_t)(x / 2)] = c[2];
		break;
	}
}

static struct zcc_buffer *bars_buffer(struct zct_client *client, const struct layout *l)
{
	struct zcc_buffer *b = calloc(1, sizeof(*b));
	int fd = zcc_create_shm_file(l->size);
	if (!b || fd < 0)
		goto err;
	b->data = mmap(NULL, l->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (b->data == MAP_FAILED)
		goto err;
	for (int32_t y = 0; y < H; y++)
		for (int32_t x = 0; x < W; x++)
			put(l, b->data, x, y, bar_yuv[x / BAR_W]);
	struct wl_shm_pool *pool = wl_shm_create_pool(client->globals.shm, fd, (int32_t)l->size);
	b->wl_buffer = wl_shm_pool_create_buffer(pool, 0, W, H, l->stride, l->format);
	wl_shm_pool_destroy(pool);
	close(fd);
	b->width = W;
	b->height = H;
	b->stride = l->stride;
	b->size = l->size;
	b->format = l->format;
	return b;
err:
	if (fd >= 0)
		close(fd);
	free(b);
	return NULL;
}

/* Channels of the capture, scaled to 8 bits, within 3 levels. */
static bool close_to(struct zcc_rgb got, const uint8_t *want)
{
	for (int i = 0; i < 3; i++) {
		int v = got.c[i] >> (got.bits[i] - 8);
		if (abs(v - want[i]) > 3)
			return false;
	}
	return true;
}

static void check_bars(const struct zcc_image *image, const char *name)
{
	int bad = 0;
	for (int32_t y = 0; y < H; y += 7)
		for (int32_t x = 0; x < W; x += 3)
			bad += !close_to(zcc_image_get(image, x, y), bar_rgb[x / BAR_W]);
	struct zcc_rgb p = zcc_image_get(image, BAR_W / 2, H / 2);
	ZCT_CHECK(bad == 0, "%s: %d sampled pixels off the bars (red bar shows %u,%u,%u)", name,
		bad, p.c[0], p.c[1], p.c[2]);
}

static void check_layout(struct zct_compositor *comp, const struct layout *l)
{
	struct zct_client *client = zct_client_connect(comp);
	if (!client)
		return;
	ZCT_CHECK(zcc_globals_has_shm_format(&client->globals, l->format),
		"wl_shm does not advertise %s", l->name);
	struct zct_window *window = zct_window_create(client, true);
	struct zcc_buffer *buffer = bars_buffer(client, l);
	struct zct_frame frame = { 0 };
	struct zcc_image image;
	if (window && buffer) {
		zct_request_frame(window->surface, &frame);
		zct_show(window->surface, buffer);
		ZCT_CHECK(zct_wait(client, &frame.done, 3000), "%s: no frame callback", l->name);
		if (zct_capture(client, 0, &image)) {
			check_bars(&image, l->name);
			zcc_image_finish(&image);
		}
		zct_expect_no_error(client, l->name);
	}
	zct_window_destroy(window);
	zcc_buffer_destroy(buffer);
	zct_client_destroy(client);
	fprintf(stderr, "  checked %s\n", l->name);
}

static void test_yuv_bars(struct zct_compositor *comp)
{
	const struct layout layouts[] = {
		{ "NV12", WL_SHM_FORMAT_NV12, W, (size_t)W * H * 3 / 2 },
		{ "YUYV", WL_SHM_FORMAT_YUYV, W * 2, (size_t)W * H * 2 },
		{ "I420", WL_SHM_FORMAT_YUV420, W, (size_t)W * H * 3 / 2 },
	};
	for (size_t i = 0; i < ZC_LEN(layouts); i++)
		check_layout(comp, &layouts[i]);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = W, .height = H };
	if (zct_compositor_start(&comp, &config)) {
		ZCT_RUN(test_yuv_bars, &comp);
	}
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
