/* Issue 16: a subsurface whose parent subsurface has no buffer is unmapped
 * (wl_subsurface: a child is mapped only while its parent is). The leaf
 * below such a parent vanishes from the screen and from the implicit window
 * geometry, and comes back when the parent gets a buffer again. And a
 * window's position is its main surface's: a subsurface growing the
 * implicit geometry to the left or up leaves the main surface where it is,
 * while a set_window_geometry request places the geometry. zcomp runs in
 * this process so the test reads the view's position and geometry. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "zct.h"
#include "base/log.h"
#include "core/surface.h"
#include "shell-peek.h"

#define SOCKET "zc-subtree-test"
#define SUB 16

struct tree {
	struct zct_client *client;
	struct zct_window *window;
	struct wl_surface *mid, *leaf;
	struct wl_subsurface *mid_sub, *leaf_sub;
	struct zcc_buffer *mid_buffer, *leaf_buffer;
};

static struct wl_surface *subsurface_create(struct tree *t, struct wl_surface *parent,
	int32_t x, int32_t y, uint32_t frame, struct wl_subsurface **sub,
	struct zcc_buffer **buffer)
{
	struct wl_surface *surface = wl_compositor_create_surface(t->client->globals.compositor);
	*sub = wl_subcompositor_get_subsurface(t->client->globals.subcompositor, surface, parent);
	wl_subsurface_set_desync(*sub);
	wl_subsurface_set_position(*sub, x, y);
	*buffer = zct_pattern_buffer(t->client, SUB, SUB, WL_SHM_FORMAT_XRGB8888, frame);
	if (*buffer)
		zct_show(surface, *buffer);
	return surface;
}

/* A client with a mapped 32x32 toplevel; false (failure recorded) if not. */
static bool tree_open(struct tree *t, struct zct_compositor *comp)
{
	*t = (struct tree){ .client = zct_client_connect(comp) };
	t->window = t->client ? zct_window_create(t->client, false) : NULL;
	return t->window && zct_window_map(t->window);
}

/* Destroys whatever tree_open and subsurface_create made, leaves first. */
static void tree_close(struct tree *t)
{
	if (t->leaf_sub)
		wl_subsurface_destroy(t->leaf_sub);
	if (t->leaf)
		wl_surface_destroy(t->leaf);
	if (t->mid_sub)
		wl_subsurface_destroy(t->mid_sub);
	if (t->mid)
		wl_surface_destroy(t->mid);
	if (t->leaf_buffer)
		zcc_buffer_destroy(t->leaf_buffer);
	if (t->mid_buffer)
		zcc_buffer_destroy(t->mid_buffer);
	if (t->window)
		zct_window_destroy(t->window);
	if (t->client)
		zct_client_destroy(t->client);
}

/* Commits the main surface (applying subsurface positions and the
 * geometry) and waits until the frame that shows it is done. */
static void settle(struct tree *t)
{
	struct zct_frame frame = { 0 };
	zct_request_frame(t->window->surface, &frame);
	wl_surface_damage_buffer(t->window->surface, 0, 0, 1, 1);
	wl_surface_commit(t->window->surface);
	ZCT_CHECK(zct_wait(t->client, &frame.done, 3000), "no frame callback");
}

static uint32_t rgb8(struct zcc_rgb c)
{
	uint32_t v = 0;
	for (int i = 0; i < 3; i++)
		v = v << 8 | (uint32_t)(c.c[i] >> (c.bits[i] > 8 ? c.bits[i] - 8 : 0));
	return v;
}

/* Whether the leaf (and its parent) show at their places: pattern or
 * background, judged from a capture. */
static void check_shown(struct tree *t, const struct shell_peek_window *s, bool shown,
	const char *what)
{
	struct zcc_image image = { 0 };
	if (!zct_capture(t->client, 0, &image))
		return;
	int32_t mx = s->vx + 40, my = s->vy, lx = mx, ly = my + 24;
	if (shown) {
		ZCT_CHECK(zct_compare_pattern(&image, mx, my, SUB, SUB, WL_SHM_FORMAT_XRGB8888,
			1) == 0, "%s: the parent subsurface is not shown", what);
		ZCT_CHECK(zct_compare_pattern(&image, lx, ly, SUB, SUB, WL_SHM_FORMAT_XRGB8888,
			2) == 0, "%s: the leaf is not shown", what);
	} else {
		uint32_t bg = rgb8(zcc_image_get(&image, s->vx + 100, s->vy + 100));
		ZCT_CHECK(zct_count_not_color(&image, mx, my, SUB, SUB, bg) == 0,
			"%s: the parent subsurface is drawn", what);
		ZCT_CHECK(zct_count_not_color(&image, lx, ly, SUB, SUB, bg) == 0,
			"%s: the leaf under the unmapped parent is drawn", what);
	}
	ZCT_CHECK(zct_compare_pattern(&image, s->vx, s->vy, 32, 32, WL_SHM_FORMAT_XRGB8888,
		0) == 0, "%s: the main surface is not shown", what);
	zcc_image_finish(&image);
}

static void check_geometry(const struct shell_peek_window *s, int32_t w, int32_t h,
	const char *what)
{
	ZCT_CHECK(s->gx == 0 && s->gy == 0 && s->gw == w && s->gh == h,
		"%s: implicit geometry %dx%d+%d+%d, not %dx%d+0+0", what, s->gw, s->gh, s->gx,
		s->gy, w, h);
}

/* How many outputs a surface is on, from its enter and leave events. */
static void handle_surface_enter(void *data, struct wl_surface *surface,
	struct wl_output *output)
{
	(*(int *)data)++;
}

static void handle_surface_leave(void *data, struct wl_surface *surface,
	struct wl_output *output)
{
	(*(int *)data)--;
}

static void handle_surface_scale(void *data, struct wl_surface *surface, int32_t scale)
{
}

static void handle_surface_transform(void *data, struct wl_surface *surface,
	uint32_t transform)
{
}

static const struct wl_surface_listener surface_listener = {
	.enter = handle_surface_enter,
	.leave = handle_surface_leave,
	.preferred_buffer_scale = handle_surface_scale,
	.preferred_buffer_transform = handle_surface_transform,
};

/* main 32x32; mid at (40,0) 16x16; leaf at mid + (0,24) 16x16: the leaf
 * lies outside its parent, so only the tree walk can hide it. A hidden leaf
 * is on no output either: it gets wl_surface.leave, and enter again when
 * its parent comes back. */
static void test_unmapped_parent_hides_leaf(struct harness *h, struct zct_compositor *comp)
{
	struct tree t;
	struct shell_peek_window s = { 0 };
	if (!tree_open(&t, comp))
		goto out;
	t.mid = subsurface_create(&t, t.window->surface, 40, 0, 1, &t.mid_sub, &t.mid_buffer);
	t.leaf = subsurface_create(&t, t.mid, 0, 24, 2, &t.leaf_sub, &t.leaf_buffer);
	int leaf_outputs = 0;
	wl_surface_add_listener(t.leaf, &surface_listener, &leaf_outputs);
	wl_surface_commit(t.mid); /* the leaf's position */
	settle(&t);
	server_run(h, shell_peek_top_window, &s);
	check_shown(&t, &s, true, "mapped");
	check_geometry(&s, 56, 40, "mapped");
	ZCT_CHECK(leaf_outputs == 1, "mapped: the leaf is on %d outputs", leaf_outputs);

	wl_surface_attach(t.mid, NULL, 0, 0);
	wl_surface_commit(t.mid);
	settle(&t);
	server_run(h, shell_peek_top_window, &s);
	check_shown(&t, &s, false, "parent unmapped");
	check_geometry(&s, 32, 32, "parent unmapped");
	ZCT_CHECK(leaf_outputs == 0, "parent unmapped: the hidden leaf is on %d outputs",
		leaf_outputs);

	if (t.mid_buffer)
		zct_show(t.mid, t.mid_buffer);
	settle(&t);
	server_run(h, shell_peek_top_window, &s);
	check_shown(&t, &s, true, "parent remapped");
	check_geometry(&s, 56, 40, "parent remapped");
	ZCT_CHECK(leaf_outputs == 1, "parent remapped: the leaf is on %d outputs", leaf_outputs);
	zct_expect_no_error(t.client, "subsurface tree");
out:
	tree_close(&t);
}

static void check_still(struct tree *t, struct harness *h, const struct shell_peek_window *was,
	int32_t gx, int32_t gy, const char *what)
{
	struct shell_peek_window s = { 0 };
	settle(t);
	server_run(h, shell_peek_top_window, &s);
	ZCT_CHECK(s.vx == was->vx && s.vy == was->vy,
		"%s: the main surface moved from %d,%d to %d,%d", what, was->vx, was->vy, s.vx,
		s.vy);
	ZCT_CHECK(s.gx == gx && s.gy == gy, "%s: geometry origin %d,%d, not %d,%d", what,
		s.gx, s.gy, gx, gy);
}

/* No explicit geometry: subsurfaces at negative offsets grow and shrink the
 * implicit one around a main surface that stays put; then an explicit
 * geometry is placed where the implicit one was. */
static void test_implicit_geometry_keeps_main_surface(struct harness *h,
	struct zct_compositor *comp)
{
	struct tree t;
	struct shell_peek_window was = { 0 }, s = { 0 };
	if (!tree_open(&t, comp))
		goto out;
	server_run(h, shell_peek_top_window, &was);
	t.mid = subsurface_create(&t, t.window->surface, -20, -10, 1, &t.mid_sub, &t.mid_buffer);
	check_still(&t, h, &was, -20, -10, "subsurface at -20,-10");
	wl_subsurface_set_position(t.mid_sub, -40, 8);
	check_still(&t, h, &was, -40, 0, "moved to -40,8");
	wl_surface_attach(t.mid, NULL, 0, 0);
	wl_surface_commit(t.mid);
	check_still(&t, h, &was, 0, 0, "subsurface unmapped");
	if (t.mid_buffer)
		zct_show(t.mid, t.mid_buffer);
	check_still(&t, h, &was, -40, 0, "subsurface remapped");

	/* The geometry origin was at was.vx - 40: an explicit geometry lands
	 * there, whatever part of the surface it names. */
	xdg_surface_set_window_geometry(t.window->xdg_surface, 4, 2, 20, 20);
	settle(&t);
	server_run(h, shell_peek_top_window, &s);
	ZCT_CHECK(s.vx + 4 == was.vx - 40 && s.vy + 2 == was.vy,
		"set_window_geometry: origin at %d,%d, not %d,%d", s.vx + 4, s.vy + 2,
		was.vx - 40, was.vy);
	zct_expect_no_error(t.client, "implicit geometry");
out:
	tree_close(&t);
}

static const struct harness_test tests[] = {
	HARNESS_TEST(test_unmapped_parent_hides_leaf),
	HARNESS_TEST(test_implicit_geometry_keeps_main_surface),
};

int main(void)
{
	return harness_main(SOCKET, 1, tests, ZC_LEN(tests));
}
