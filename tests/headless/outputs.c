/* (i) With --outputs=2 both outputs advertise wl_output and xdg_output with
 * consistent geometry, and each can be captured at its own size. */
#include <string.h>

#include "zct.h"

#define W 160
#define H 120

struct xdg_info {
	int32_t x, y, width, height;
	char name[64];
	bool got_position, got_size;
};

static void handle_logical_position(void *data, struct zxdg_output_v1 *o, int32_t x, int32_t y)
{
	struct xdg_info *info = data;
	info->x = x;
	info->y = y;
	info->got_position = true;
}

static void handle_logical_size(void *data, struct zxdg_output_v1 *o, int32_t w, int32_t h)
{
	struct xdg_info *info = data;
	info->width = w;
	info->height = h;
	info->got_size = true;
}

static void handle_done(void *data, struct zxdg_output_v1 *o)
{
}

static void handle_name(void *data, struct zxdg_output_v1 *o, const char *name)
{
	struct xdg_info *info = data;
	snprintf(info->name, sizeof(info->name), "%s", name);
}

static void handle_description(void *data, struct zxdg_output_v1 *o, const char *desc)
{
}

static const struct zxdg_output_v1_listener xdg_output_listener = {
	.logical_position = handle_logical_position,
	.logical_size = handle_logical_size,
	.done = handle_done,
	.name = handle_name,
	.description = handle_description,
};

static bool overlap(const struct zcc_output *a, const struct zcc_output *b)
{
	return a->x < b->x + b->mode_width && b->x < a->x + a->mode_width &&
		a->y < b->y + b->mode_height && b->y < a->y + a->mode_height;
}

static void check_wl_outputs(struct zct_client *client)
{
	struct zcc_globals *g = &client->globals;
	ZCT_CHECK(g->n_outputs == 2, "%d wl_output globals, expected 2", g->n_outputs);
	for (int i = 0; i < g->n_outputs; i++) {
		struct zcc_output *o = &g->outputs[i];
		ZCT_CHECK(o->done, "output %d: no wl_output.done", i);
		ZCT_CHECK(o->mode_width == W && o->mode_height == H && o->refresh_mhz == 60000,
			"output %d: current mode %dx%d@%d, expected %dx%d@60000", i,
			o->mode_width, o->mode_height, o->refresh_mhz, W, H);
		ZCT_CHECK(o->scale == 1, "output %d: scale %d", i, o->scale);
	}
	if (g->n_outputs == 2) {
		ZCT_CHECK(!overlap(&g->outputs[0], &g->outputs[1]),
			"outputs overlap: %d,%d and %d,%d", g->outputs[0].x, g->outputs[0].y,
			g->outputs[1].x, g->outputs[1].y);
		ZCT_CHECK(!g->outputs[0].name[0] || strcmp(g->outputs[0].name, g->outputs[1].name),
			"both outputs are named %s", g->outputs[0].name);
	}
}

static void check_xdg_outputs(struct zct_client *client)
{
	struct zcc_globals *g = &client->globals;
	ZCT_CHECK(g->xdg_output_manager, "no zxdg_output_manager_v1");
	if (!g->xdg_output_manager)
		return;
	struct xdg_info info[ZCC_MAX_OUTPUTS] = { 0 };
	struct zxdg_output_v1 *xo[ZCC_MAX_OUTPUTS];
	for (int i = 0; i < g->n_outputs; i++) {
		xo[i] = zxdg_output_manager_v1_get_xdg_output(g->xdg_output_manager,
			g->outputs[i].wl_output);
		zxdg_output_v1_add_listener(xo[i], &xdg_output_listener, &info[i]);
	}
	zct_roundtrip(client);
	for (int i = 0; i < g->n_outputs; i++) {
		struct zcc_output *o = &g->outputs[i];
		ZCT_CHECK(info[i].got_position && info[i].got_size,
			"output %d: xdg_output sent no logical position/size", i);
		ZCT_CHECK(info[i].x == o->x && info[i].y == o->y,
			"output %d: xdg_output at %d,%d but wl_output at %d,%d", i, info[i].x,
			info[i].y, o->x, o->y);
		ZCT_CHECK(info[i].width == W && info[i].height == H,
			"output %d: logical size %dx%d, expected %dx%d", i, info[i].width,
			info[i].height, W, H);
		ZCT_CHECK(!o->name[0] || !info[i].name[0] || strcmp(o->name, info[i].name) == 0,
			"output %d: wl_output name %s, xdg_output name %s", i, o->name,
			info[i].name);
		zxdg_output_v1_destroy(xo[i]);
	}
}

static void test_geometry(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	if (!client)
		return;
	check_wl_outputs(client);
	check_xdg_outputs(client);
	for (int i = 0; i < client->globals.n_outputs; i++) {
		struct zcc_image image;
		if (!zct_capture(client, i, &image))
			continue;
		ZCT_CHECK(image.width == W && image.height == H, "output %d captured at %dx%d", i,
			image.width, image.height);
		zcc_image_finish(&image);
	}
	zct_expect_no_error(client, "outputs");
	zct_client_destroy(client);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = W, .height = H, .outputs = 2 };
	if (zct_compositor_start(&comp, &config))
		ZCT_RUN(test_geometry, &comp);
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
