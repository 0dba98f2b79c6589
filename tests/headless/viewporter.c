/* (j) wp_viewporter: destination scaling and source cropping show in a
 * capture; every wp_viewport error is raised with its code. */
#include "zct.h"

#define OUT_W 64
#define OUT_H 48
#define BUF_W 32
#define BUF_H 24

/* Quadrants, left to right, top to bottom. */
static const uint32_t quadrant_rgb[4] = { 0xff0000, 0x00ff00, 0x0000ff, 0xffffff };

static struct zcc_buffer *quadrant_buffer(struct zct_client *client)
{
	struct zcc_buffer *b = zcc_buffer_create(client->globals.shm, BUF_W, BUF_H,
		WL_SHM_FORMAT_XRGB8888);
	ZCT_CHECK(b, "buffer allocation failed");
	if (!b)
		return NULL;
	for (int32_t y = 0; y < BUF_H; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)b->data + (size_t)y * (size_t)b->stride);
		for (int32_t x = 0; x < BUF_W; x++)
			row[x] = quadrant_rgb[(y >= BUF_H / 2) * 2 + (x >= BUF_W / 2)];
	}
	return b;
}

struct scene {
	struct zct_client *client;
	struct zct_window *window;
	struct wp_viewport *viewport;
	struct zcc_buffer *buffer;
};

static bool scene_init(struct scene *s, struct zct_compositor *comp)
{
	s->client = zct_client_connect(comp);
	s->window = s->client ? zct_window_create(s->client, true) : NULL;
	if (!s->window)
		return false;
	ZCT_CHECK(s->client->globals.viewporter, "no wp_viewporter");
	if (!s->client->globals.viewporter)
		return false;
	s->viewport = wp_viewporter_get_viewport(s->client->globals.viewporter,
		s->window->surface);
	s->buffer = quadrant_buffer(s->client);
	return s->buffer != NULL;
}

static void scene_finish(struct scene *s)
{
	if (s->viewport)
		wp_viewport_destroy(s->viewport);
	zct_window_destroy(s->window);
	zcc_buffer_destroy(s->buffer);
	zct_client_destroy(s->client);
}

static bool scene_show(struct scene *s)
{
	struct zct_frame frame = { 0 };
	zct_request_frame(s->window->surface, &frame);
	zct_show(s->window->surface, s->buffer);
	bool ok = zct_wait(s->client, &frame.done, 2000);
	ZCT_CHECK(ok, "no frame callback");
	return ok;
}

/* Checks a box's inside, away from edges a filter may blend. */
static void expect_box(const struct zcc_image *image, int32_t x, int32_t y, int32_t w,
	int32_t h, uint32_t rgb, const char *what)
{
	const int m = 2;
	int bad = zct_count_not_color(image, x + m, y + m, w - 2 * m, h - 2 * m, rgb);
	ZCT_CHECK(bad == 0, "%s: %d pixels of %dx%d+%d+%d are not #%06x", what, bad, w, h, x, y,
		rgb);
}

static void test_destination_scales(struct zct_compositor *comp)
{
	struct scene s = { 0 };
	struct zcc_image image;
	if (scene_init(&s, comp)) {
		wp_viewport_set_destination(s.viewport, OUT_W, OUT_H);
		if (scene_show(&s) && zct_capture(s.client, 0, &image)) {
			for (int q = 0; q < 4; q++) {
				expect_box(&image, (q % 2) * OUT_W / 2, (q / 2) * OUT_H / 2, OUT_W / 2,
					OUT_H / 2, quadrant_rgb[q], "2x scaled quadrant");
			}
			zcc_image_finish(&image);
		}
		zct_expect_no_error(s.client, "destination");
	}
	scene_finish(&s);
}

static void test_source_crops(struct zct_compositor *comp)
{
	struct scene s = { 0 };
	struct zcc_image image;
	if (scene_init(&s, comp)) {
		/* Only the bottom-right (white) quadrant, stretched over all. */
		wp_viewport_set_source(s.viewport, wl_fixed_from_int(BUF_W / 2),
			wl_fixed_from_int(BUF_H / 2), wl_fixed_from_int(BUF_W / 2),
			wl_fixed_from_int(BUF_H / 2));
		wp_viewport_set_destination(s.viewport, OUT_W, OUT_H);
		if (scene_show(&s) && zct_capture(s.client, 0, &image)) {
			expect_box(&image, 0, 0, OUT_W, OUT_H, quadrant_rgb[3], "cropped quadrant");
			zcc_image_finish(&image);
		}
		zct_expect_no_error(s.client, "source");
	}
	scene_finish(&s);
}

enum step { SET_SOURCE, SET_DESTINATION, COMMIT_BUFFER, DESTROY_SURFACE, SECOND_VIEWPORT };

struct error_case {
	const char *what;
	double src[4];
	int32_t dst[2];
	enum step last;
	bool viewporter_error;
	uint32_t code;
};

static const struct error_case cases[] = {
	{ "negative source x", { -1, 0, 8, 8 }, { 0 }, SET_SOURCE, false,
	  WP_VIEWPORT_ERROR_BAD_VALUE },
	{ "source width 0", { 0, 0, 0, 8 }, { 0 }, SET_SOURCE, false,
	  WP_VIEWPORT_ERROR_BAD_VALUE },
	{ "destination 0 wide", { 0 }, { 0, 10 }, SET_DESTINATION, false,
	  WP_VIEWPORT_ERROR_BAD_VALUE },
	{ "destination -1 x 5", { 0 }, { -1, 5 }, SET_DESTINATION, false,
	  WP_VIEWPORT_ERROR_BAD_VALUE },
	{ "fractional source, no destination", { 0, 0, 10.5, 8 }, { 0 }, COMMIT_BUFFER, false,
	  WP_VIEWPORT_ERROR_BAD_SIZE },
	{ "source outside the buffer", { 0, 0, BUF_W * 2, BUF_H }, { OUT_W, OUT_H },
	  COMMIT_BUFFER, false, WP_VIEWPORT_ERROR_OUT_OF_BUFFER },
	{ "source offset past the buffer", { BUF_W - 4, 0, 8, 8 }, { OUT_W, OUT_H },
	  COMMIT_BUFFER, false, WP_VIEWPORT_ERROR_OUT_OF_BUFFER },
	{ "viewport of a destroyed surface", { 0 }, { 0 }, DESTROY_SURFACE, false,
	  WP_VIEWPORT_ERROR_NO_SURFACE },
	{ "second viewport", { 0 }, { 0 }, SECOND_VIEWPORT, true,
	  WP_VIEWPORTER_ERROR_VIEWPORT_EXISTS },
};

static void provoke(struct scene *s, const struct error_case *c)
{
	switch (c->last) {
	case SET_SOURCE:
		wp_viewport_set_source(s->viewport, wl_fixed_from_double(c->src[0]),
			wl_fixed_from_double(c->src[1]), wl_fixed_from_double(c->src[2]),
			wl_fixed_from_double(c->src[3]));
		break;
	case SET_DESTINATION:
		wp_viewport_set_destination(s->viewport, c->dst[0], c->dst[1]);
		break;
	case COMMIT_BUFFER:
		wp_viewport_set_source(s->viewport, wl_fixed_from_double(c->src[0]),
			wl_fixed_from_double(c->src[1]), wl_fixed_from_double(c->src[2]),
			wl_fixed_from_double(c->src[3]));
		if (c->dst[0])
			wp_viewport_set_destination(s->viewport, c->dst[0], c->dst[1]);
		zct_show(s->window->surface, s->buffer);
		break;
	case DESTROY_SURFACE:
		xdg_toplevel_destroy(s->window->toplevel);
		xdg_surface_destroy(s->window->xdg_surface);
		wl_surface_destroy(s->window->surface);
		s->window->toplevel = NULL;
		s->window->xdg_surface = NULL;
		s->window->surface = NULL;
		wp_viewport_set_destination(s->viewport, 10, 10);
		break;
	case SECOND_VIEWPORT:
		wp_viewporter_get_viewport(s->client->globals.viewporter, s->window->surface);
		break;
	}
}

static void test_errors(struct zct_compositor *comp)
{
	for (size_t i = 0; i < ZC_LEN(cases); i++) {
		struct scene s = { 0 };
		if (scene_init(&s, comp)) {
			provoke(&s, &cases[i]);
			zct_expect_error(s.client, cases[i].viewporter_error ?
				&wp_viewporter_interface : &wp_viewport_interface, cases[i].code,
				cases[i].what);
		}
		scene_finish(&s);
		if (!zct_compositor_alive(comp))
			return;
	}
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = OUT_W, .height = OUT_H };
	if (zct_compositor_start(&comp, &config)) {
		ZCT_RUN(test_destination_scales, &comp);
		ZCT_RUN(test_source_crops, &comp);
		ZCT_RUN(test_errors, &comp);
	}
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
