/* Issue 15: wp_single_pixel_buffer_v1 stretched by wp_viewport. The capture
 * shows the colour over the whole destination (opaque, and premultiplied
 * half-transparent over the background), and path accounting says the
 * frames were solid fills: no pixels read by the CPU, nothing uploaded.
 * zcomp runs in this process so the test reads the surface's counters. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "zct.h"
#include "base/log.h"
#include "core/surface.h"
#include "single-pixel-buffer-v1-client-protocol.h"

#define SOCKET "zc-single-pixel-test"
#define DST_W 40
#define DST_H 30

struct view_stats {
	int32_t x, y;
	uint64_t solid, other, cpu_bytes;
};

/* The topmost view's position and its surface's path counts. */
static void view_stats_fn(struct zc_server *server, void *arg)
{
	struct view_stats *v = arg;
	struct zc_view *view = wl_container_of(server->views.prev, view, link);
	const struct zc_surface_stats *st = &view->surface->stats;
	v->x = view->x;
	v->y = view->y;
	v->solid = st->frames[ZC_DRAW_PATH_SOLID_FILL];
	v->other = st->frames[ZC_DRAW_PATH_GPU_IMPORT] + st->frames[ZC_DRAW_PATH_CPU_MMAP] +
		st->frames[ZC_DRAW_PATH_CPU_UPLOAD] + st->frames[ZC_DRAW_PATH_SCANOUT];
	v->cpu_bytes = st->cpu_bytes;
}

struct released {
	bool done;
};

static void handle_buffer_release(void *data, struct wl_buffer *buffer)
{
	((struct released *)data)->done = true;
}

static const struct wl_buffer_listener buffer_listener = {
	.release = handle_buffer_release,
};

/* Shows buffer and waits until it is on screen. */
static void show(struct zct_client *client, struct zct_window *window, struct wl_buffer *buffer)
{
	struct zct_frame frame = { 0 };
	zct_request_frame(window->surface, &frame);
	wl_surface_attach(window->surface, buffer, 0, 0);
	wl_surface_damage_buffer(window->surface, 0, 0, 1, 1);
	wl_surface_commit(window->surface);
	ZCT_CHECK(zct_wait(client, &frame.done, 3000), "no frame callback");
}

static int channel_distance(struct zcc_rgb got, const int want[3])
{
	int worst = 0;
	for (int i = 0; i < 3; i++) {
		int d = abs((int)got.c[i] - want[i]);
		worst = d > worst ? d : worst;
	}
	return worst;
}

static void test_single_pixel(struct harness *h, struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct wp_single_pixel_buffer_manager_v1 *manager = client ?
		zct_bind(client, &wp_single_pixel_buffer_manager_v1_interface, 1) : NULL;
	struct zct_window *window = manager ? zct_window_create(client, false) : NULL;
	if (!window)
		goto out;
	struct wp_viewport *viewport = wp_viewporter_get_viewport(client->globals.viewporter,
		window->surface);
	wp_viewport_set_destination(viewport, DST_W, DST_H);
	struct wl_buffer *red = wp_single_pixel_buffer_manager_v1_create_u32_rgba_buffer(
		manager, UINT32_MAX, 0, 0, UINT32_MAX);
	struct released red_released = { 0 };
	wl_buffer_add_listener(red, &buffer_listener, &red_released);
	show(client, window, red);
	struct view_stats v = { 0 };
	server_run(h, view_stats_fn, &v);
	struct zcc_image image = { 0 };
	if (zct_capture(client, 0, &image)) {
		ZCT_CHECK(zct_count_not_color(&image, v.x, v.y, DST_W, DST_H, 0xff0000) == 0,
			"the %dx%d destination at %d,%d is not all red", DST_W, DST_H, v.x, v.y);
		ZCT_CHECK(zct_count_not_color(&image, v.x + DST_W, v.y, 1, DST_H, 0xff0000) ==
			DST_H, "red beyond the destination");
	}
	struct zcc_rgb bg = zcc_image_get(&image, v.x + DST_W + 4, v.y + 4);
	zcc_image_finish(&image);

	/* Blue at half coverage, premultiplied: half blue plus half the
	 * background. The red buffer is released once replaced. */
	struct wl_buffer *blue = wp_single_pixel_buffer_manager_v1_create_u32_rgba_buffer(
		manager, 0, 0, UINT32_MAX / 2, UINT32_MAX / 2);
	show(client, window, blue);
	zct_roundtrip(client);
	ZCT_CHECK(red_released.done, "the replaced single-pixel buffer was not released");
	image = (struct zcc_image){ 0 };
	if (zct_capture(client, 0, &image)) {
		int want[3] = { bg.c[0] / 2, bg.c[1] / 2, 128 + bg.c[2] / 2 };
		struct zcc_rgb got = zcc_image_get(&image, v.x + DST_W / 2, v.y + DST_H / 2);
		ZCT_CHECK(channel_distance(got, want) <= 2,
			"half blue over %u,%u,%u is %u,%u,%u, not %d,%d,%d", bg.c[0], bg.c[1],
			bg.c[2], got.c[0], got.c[1], got.c[2], want[0], want[1], want[2]);
	}
	zcc_image_finish(&image);
	server_run(h, view_stats_fn, &v);
	ZCT_CHECK(v.solid >= 2, "%llu solid-fill frames, not 2 or more",
		(unsigned long long)v.solid);
	ZCT_CHECK(v.other == 0 && v.cpu_bytes == 0,
		"%llu frames by other paths, %llu bytes read by the CPU",
		(unsigned long long)v.other, (unsigned long long)v.cpu_bytes);
	zct_expect_no_error(client, "single-pixel buffers");
	wl_buffer_destroy(blue);
	wl_buffer_destroy(red);
	wp_viewport_destroy(viewport);
out:
	zct_window_destroy(window);
	if (manager)
		wp_single_pixel_buffer_manager_v1_destroy(manager);
	zct_client_destroy(client);
}

static const struct harness_test tests[] = {
	HARNESS_TEST(test_single_pixel),
};

int main(void)
{
	return harness_main(SOCKET, 1, tests, ZC_LEN(tests));
}
