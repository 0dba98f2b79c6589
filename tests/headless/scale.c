/* Issue 15: --scale=F magnifies the outputs. At F = 1.5 and 2 on a 640x480
 * output: wl_output.scale is ceil(F) and xdg-output's logical size the mode
 * / F; a maximized or fullscreen window gets that logical size; partial
 * damage repaints every pixel it reaches; a wl_shm window (buffer
 * scale 1) is drawn magnified from round(x * F) to round((x + w) * F); a
 * client drawing at F through fractional-scale-v1 and wp_viewport lands
 * pixel for pixel (the exact pattern, no resampling); pointer motion,
 * clamping and hit testing are in logical units; weston-simple-shm at 2
 * is drawn twice as large, sharp; so is the composited cursor. zcomp runs in this
 * process so the test reads the view's position and injects the pointer. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "zct.h"
#include "core/cursor.h"
#include "core/surface.h"
#include "fractional-scale-v1-client-protocol.h"
#include "input/seat.h"

#define SOCKET "zc-scale-test"
#define MODE_W 640
#define MODE_H 480
#define WIN_W 40
#define WIN_H 30

static const uint32_t quadrant_rgb[4] = { 0xff0000, 0x00ff00, 0x0000ff, 0xffffff };

/* ---- on zcomp's thread ---- */

struct view_pos {
	int32_t x, y, width;
	bool found;
};

static void top_view_fn(struct zc_server *server, void *arg)
{
	struct view_pos *v = arg;
	v->found = !wl_list_empty(&server->views);
	if (!v->found)
		return;
	struct zc_view *view = wl_container_of(server->views.prev, view, link);
	v->x = view->x;
	v->y = view->y;
	v->width = view->surface->buffer ? view->surface->width : 0;
}

struct motion {
	double x, y;       /* where to move, layout */
	double cx, cy;     /* where the cursor ended up */
};

static void motion_fn(struct zc_server *server, void *arg)
{
	struct motion *m = arg;
	seat_notify_motion_absolute(server->seat, 10, m->x, m->y);
	seat_notify_frame(server->seat);
	cursor_get_position(server->cursor, &m->cx, &m->cy);
}

/* ---- expectations computed here, not with zcomp's code ---- */

static int32_t px(int32_t logical, uint32_t scale_120)
{
	return (int32_t)floor(logical * (scale_120 / 120.0) + 0.5);
}

/* ---- client side ---- */

struct scene {
	struct harness *h;
	struct zct_compositor *comp;
	uint32_t scale_120;
	int32_t lw, lh; /* the output's logical size */
};

static struct zcc_buffer *quadrant_buffer(struct zct_client *client, int32_t w, int32_t h)
{
	struct zcc_buffer *b = zcc_buffer_create(client->globals.shm, w, h,
		WL_SHM_FORMAT_XRGB8888);
	ZCT_CHECK(b, "buffer allocation failed");
	for (int32_t y = 0; b && y < h; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)b->data + (size_t)y * (size_t)b->stride);
		for (int32_t x = 0; x < w; x++)
			row[x] = quadrant_rgb[(y >= h / 2) * 2 + (x >= w / 2)];
	}
	return b;
}

static bool show_and_wait(struct zct_client *client, struct wl_surface *surface,
	struct zcc_buffer *buffer)
{
	struct zct_frame frame = { 0 };
	zct_request_frame(surface, &frame);
	zct_show(surface, buffer);
	bool ok = zct_wait(client, &frame.done, 3000);
	ZCT_CHECK(ok, "no frame callback");
	return ok;
}

static uint32_t rgb_at(const struct zcc_image *image, int32_t x, int32_t y)
{
	struct zcc_rgb c = zcc_image_get(image, x, y);
	return (uint32_t)zcc_channel_to8(c.c[0], c.bits[0]) << 16 |
		(uint32_t)zcc_channel_to8(c.c[1], c.bits[1]) << 8 |
		zcc_channel_to8(c.c[2], c.bits[2]);
}

struct xdg_output_info {
	int32_t w, h;
};

static void handle_xo_position(void *data, struct zxdg_output_v1 *o, int32_t x, int32_t y)
{
}

static void handle_xo_size(void *data, struct zxdg_output_v1 *o, int32_t w, int32_t h)
{
	struct xdg_output_info *info = data;
	info->w = w;
	info->h = h;
}

static void handle_xo_done(void *data, struct zxdg_output_v1 *o)
{
}

static void handle_xo_name(void *data, struct zxdg_output_v1 *o, const char *name)
{
}

static const struct zxdg_output_v1_listener xo_listener = {
	handle_xo_position, handle_xo_size, handle_xo_done, handle_xo_name, handle_xo_name,
};

static void test_outputs(struct scene *s)
{
	struct zct_client *c = zct_client_connect(s->comp);
	if (!c)
		return;
	const struct zcc_output *o = &c->globals.outputs[0];
	int32_t want_scale = (int32_t)((s->scale_120 + 119) / 120);
	ZCT_CHECK(c->globals.n_outputs == 1 && o->scale == want_scale &&
		o->mode_width == MODE_W && o->mode_height == MODE_H,
		"wl_output: scale %d mode %dx%d, want scale %d mode %dx%d", o->scale,
		o->mode_width, o->mode_height, want_scale, MODE_W, MODE_H);
	ZCT_CHECK(c->globals.xdg_output_manager, "no xdg-output");
	if (c->globals.xdg_output_manager && o->wl_output) {
		struct xdg_output_info info = { 0 };
		struct zxdg_output_v1 *xo = zxdg_output_manager_v1_get_xdg_output(
			c->globals.xdg_output_manager, o->wl_output);
		zxdg_output_v1_add_listener(xo, &xo_listener, &info);
		zct_roundtrip(c);
		ZCT_CHECK(info.w == s->lw && info.h == s->lh,
			"xdg-output logical size %dx%d, want %dx%d", info.w, info.h, s->lw, s->lh);
		zxdg_output_v1_destroy(xo);
	}
	zct_client_destroy(c);
}

static void test_maximize_fullscreen(struct scene *s)
{
	struct zct_client *c = zct_client_connect(s->comp);
	struct zct_window *w = c ? zct_window_create(c, false) : NULL;
	if (w && zct_window_map(w)) {
		xdg_toplevel_set_maximized(w->toplevel);
		if (zct_window_ack_configure(w, "maximize"))
			ZCT_CHECK(w->width == s->lw && w->height == s->lh,
				"maximized to %dx%d, want the logical %dx%d", w->width, w->height,
				s->lw, s->lh);
	}
	zct_window_destroy(w);
	/* Fullscreen from the start: the same logical size. */
	w = c ? zct_window_create(c, true) : NULL;
	ZCT_CHECK(!w || (w->width == s->lw && w->height == s->lh),
		"fullscreen at %dx%d, want the logical %dx%d", w->width, w->height, s->lw, s->lh);
	zct_window_destroy(w);
	if (c)
		zct_client_destroy(c);
}

/* The window's pixel box on the output, and the capture. */
static bool capture_window(struct scene *s, struct zct_client *c, int32_t w, int32_t h,
	pixman_box32_t *box, struct zcc_image *image)
{
	struct view_pos v = { 0 };
	server_run(s->h, top_view_fn, &v);
	ZCT_CHECK(v.found, "no view");
	if (!v.found)
		return false;
	*box = (pixman_box32_t){ px(v.x, s->scale_120), px(v.y, s->scale_120),
		px(v.x + w, s->scale_120), px(v.y + h, s->scale_120) };
	return zct_capture(c, 0, image);
}

/* A buffer-scale-1 wl_shm window: magnified, its edges where F puts them. */
static void test_shm_magnified(struct scene *s)
{
	struct zct_client *c = zct_client_connect(s->comp);
	struct zct_window *w = c ? zct_window_create(c, false) : NULL;
	struct zcc_buffer *b = w ? quadrant_buffer(c, WIN_W, WIN_H) : NULL;
	pixman_box32_t box;
	struct zcc_image image;
	if (b && show_and_wait(c, w->surface, b) &&
	    capture_window(s, c, WIN_W, WIN_H, &box, &image)) {
		int32_t bw = box.x2 - box.x1, bh = box.y2 - box.y1;
		ZCT_CHECK(abs(bw - px(WIN_W, s->scale_120)) <= 1, "box %dx%d", bw, bh);
		/* Each quadrant's inside, away from what a filter blends. */
		for (int q = 0; q < 4; q++) {
			int32_t qx = box.x1 + (q % 2) * (px(WIN_W / 2, s->scale_120));
			int32_t qy = box.y1 + (q / 2) * (px(WIN_H / 2, s->scale_120));
			int32_t qw = px(WIN_W / 2, s->scale_120), qh = px(WIN_H / 2, s->scale_120);
			int bad = zct_count_not_color(&image, qx + 2, qy + 2, qw - 4, qh - 4,
				quadrant_rgb[q]);
			ZCT_CHECK(bad == 0, "quadrant %d: %d pixels of %dx%d+%d+%d wrong", q, bad,
				qw - 4, qh - 4, qx + 2, qy + 2);
		}
		/* Just outside: the background, the same as a far corner. */
		uint32_t bg = rgb_at(&image, image.width - 1, image.height - 1);
		ZCT_CHECK(rgb_at(&image, box.x1 - 1, box.y1 + 5) == bg &&
			rgb_at(&image, box.x2, box.y1 + 5) == bg &&
			rgb_at(&image, box.x1 + 5, box.y1 - 1) == bg &&
			rgb_at(&image, box.x1 + 5, box.y2) == bg,
			"window spills out of %d,%d-%d,%d", box.x1, box.y1, box.x2, box.y2);
		/* Inside the edges: the window (integral F: exact colours). */
		if (s->scale_120 % 120 == 0)
			ZCT_CHECK(rgb_at(&image, box.x1, box.y1) == quadrant_rgb[0] &&
				rgb_at(&image, box.x2 - 1, box.y2 - 1) == quadrant_rgb[3],
				"window edges not at %d,%d-%d,%d: #%06x #%06x", box.x1, box.y1,
				box.x2, box.y2, rgb_at(&image, box.x1, box.y1),
				rgb_at(&image, box.x2 - 1, box.y2 - 1));
		zcc_image_finish(&image);
	}
	zcc_buffer_destroy(b);
	zct_window_destroy(w);
	if (c)
		zct_client_destroy(c);
}

static void handle_preferred_scale(void *data, struct wp_fractional_scale_v1 *f, uint32_t scale)
{
	*(uint32_t *)data = scale;
}

static const struct wp_fractional_scale_v1_listener scale_listener = { handle_preferred_scale };

/* A client drawing at F (fractional-scale-v1) with a viewport to its
 * logical size: the capture holds its buffer exactly, pixel for pixel. */
static void test_fractional_one_to_one(struct scene *s)
{
	struct zct_client *c = zct_client_connect(s->comp);
	struct wp_fractional_scale_manager_v1 *m = c ? zct_bind(c,
		&wp_fractional_scale_manager_v1_interface, 1) : NULL;
	struct zct_window *w = m && c->globals.viewporter ? zct_window_create(c, false) : NULL;
	if (!w) {
		ZCT_CHECK(false, "no fractional-scale, viewporter or window");
		goto out;
	}
	uint32_t preferred = 0;
	struct wp_fractional_scale_v1 *fs = wp_fractional_scale_manager_v1_get_fractional_scale(m,
		w->surface);
	wp_fractional_scale_v1_add_listener(fs, &scale_listener, &preferred);
	zct_roundtrip(c);
	ZCT_CHECK(preferred == s->scale_120, "preferred_scale %u", preferred);
	/* WIN_W * F is whole at 1.5 and 2: the buffer is the destination's size. */
	int32_t bw = px(WIN_W, preferred), bh = px(WIN_H, preferred);
	struct wp_viewport *vp = wp_viewporter_get_viewport(c->globals.viewporter, w->surface);
	wp_viewport_set_destination(vp, WIN_W, WIN_H);
	struct zcc_buffer *b = zct_pattern_buffer(c, bw, bh, WL_SHM_FORMAT_XRGB8888, 7);
	pixman_box32_t box;
	struct zcc_image image;
	if (b && show_and_wait(c, w->surface, b) &&
	    capture_window(s, c, WIN_W, WIN_H, &box, &image)) {
		ZCT_CHECK(box.x2 - box.x1 == bw && box.y2 - box.y1 == bh, "box %dx%d for %dx%d",
			box.x2 - box.x1, box.y2 - box.y1, bw, bh);
		int bad = zct_compare_pattern(&image, box.x1, box.y1, bw, bh,
			WL_SHM_FORMAT_XRGB8888, 7);
		ZCT_CHECK(bad == 0, "%d pixels of the %dx%d buffer at %d,%d resampled", bad, bw, bh,
			box.x1, box.y1);
		zcc_image_finish(&image);
	}
	zcc_buffer_destroy(b);
	wp_viewport_destroy(vp);
	wp_fractional_scale_v1_destroy(fs);
out:
	zct_window_destroy(w);
	if (m)
		wp_fractional_scale_manager_v1_destroy(m);
	if (c)
		zct_client_destroy(c);
}

/* Pixels of the box that differ between two captures. */
static int count_different(const struct zcc_image *a, const struct zcc_image *b,
	const pixman_box32_t *box)
{
	int n = 0;
	for (int32_t y = box->y1 > 0 ? box->y1 : 0; y < box->y2 && y < a->height; y++) {
		for (int32_t x = box->x1 > 0 ? box->x1 : 0; x < box->x2 && x < a->width; x++)
			n += rgb_at(a, x, y) != rgb_at(b, x, y);
	}
	return n;
}

/* Damage of a few buffer pixels repaints all the output pixels they reach
 * (rounded outward, and the filter's reach at 1.5): the frame equals one
 * drawn with the whole window damaged. */
static void test_partial_damage(struct scene *s)
{
	struct zct_client *c = zct_client_connect(s->comp);
	struct zct_window *w = c ? zct_window_create(c, false) : NULL;
	struct zcc_buffer *b = w ? quadrant_buffer(c, WIN_W, WIN_H) : NULL;
	pixman_box32_t box;
	struct zcc_image partial = { 0 }, whole = { 0 };
	if (!b || !show_and_wait(c, w->surface, b))
		goto out;
	/* Frames that change one unchanged pixel, until no back buffer's age
	 * reaches back to the frame that drew the whole window. */
	for (int i = 0; i < 5; i++) {
		struct zct_frame f = { 0 };
		zct_request_frame(w->surface, &f);
		wl_surface_damage_buffer(w->surface, 0, 0, 1, 1);
		wl_surface_commit(w->surface);
		ZCT_CHECK(zct_wait(c, &f.done, 3000), "no frame callback");
	}
	/* A 3x3 block across the quadrants' corner, and one odd pixel. */
	for (int32_t y = WIN_H / 2 - 1; y <= WIN_H / 2 + 1; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)b->data + (size_t)y * (size_t)b->stride);
		for (int32_t x = WIN_W / 2 - 1; x <= WIN_W / 2 + 1; x++)
			row[x] = 0xff00ff;
	}
	((uint32_t *)((uint8_t *)b->data + 7 * (size_t)b->stride))[5] = 0x00ffff;
	struct zct_frame frame = { 0 };
	zct_request_frame(w->surface, &frame);
	/* No new attach: a new buffer damages the whole surface. The shm
	 * buffer stays attached, so zcomp reads it again where damaged. */
	wl_surface_damage_buffer(w->surface, WIN_W / 2 - 1, WIN_H / 2 - 1, 3, 3);
	wl_surface_damage_buffer(w->surface, 5, 7, 1, 1);
	wl_surface_commit(w->surface);
	ZCT_CHECK(zct_wait(c, &frame.done, 3000), "no frame callback");
	if (!capture_window(s, c, WIN_W, WIN_H, &box, &partial))
		goto out;
	if (show_and_wait(c, w->surface, b) && capture_window(s, c, WIN_W, WIN_H, &box, &whole)) {
		pixman_box32_t around = { box.x1 - 2, box.y1 - 2, box.x2 + 2, box.y2 + 2 };
		int n = count_different(&partial, &whole, &around);
		ZCT_CHECK(n == 0, "%d pixels stale after partial damage", n);
		zcc_image_finish(&whole);
	}
	zcc_image_finish(&partial);
out:
	zcc_buffer_destroy(b);
	zct_window_destroy(w);
	if (c)
		zct_client_destroy(c);
}

static void move_pointer(struct scene *s, struct zct_client *c, struct motion *m)
{
	server_run(s->h, motion_fn, m);
	zct_roundtrip(c);
}

/* The composited cursor is magnified with the layout: zcomp's arrow
 * (hotspot at its top-left pixel) over the background at logical 5,y
 * covers pixels round(5F) to round((5 + 12)F); at F = 2 each of its
 * pixels is exactly a 2x2 block. */
static void check_cursor(struct scene *s, struct zct_client *c)
{
	const char *const arrow[3] = { "X           ", "XX          ", "X.X         " };
	int32_t ly = s->lh - 25;
	struct motion m = { .x = 5.5, .y = ly + 0.5 };
	move_pointer(s, c, &m);
	struct zcc_image image;
	int32_t x1 = px(5, s->scale_120), x2 = px(5 + 12, s->scale_120), y1 = px(ly, s->scale_120);
	int drawn = 0, outside = 0;
	uint32_t bg = 0;
	/* The capture may hold the frame from before the motion's repaint. */
	for (int tries = 0; tries < 20 && !drawn; tries++) {
		if (tries)
			zcc_image_finish(&image);
		if (!zct_capture(c, 0, &image))
			return;
		bg = rgb_at(&image, 0, image.height - 1);
		drawn = outside = 0;
		for (int32_t y = y1; y < y1 + 10; y++) {
			for (int32_t x = x1 - 3; x < x2 + 3; x++) {
				bool in = x >= x1 && x < x2;
				drawn += in && rgb_at(&image, x, y) != bg;
				outside += !in && rgb_at(&image, x, y) != bg;
			}
		}
		if (!drawn)
			usleep(20000);
	}
	ZCT_CHECK(drawn > 0 && outside == 0, "cursor at pixels %d-%d: %d drawn, %d outside",
		x1, x2, drawn, outside);
	for (int32_t j = 0; s->scale_120 == 240 && j < 6; j++) {
		for (int32_t i = 0; i < 6; i++) {
			char a = arrow[j / 2][i / 2];
			uint32_t want = a == 'X' ? 0x000000 : a == '.' ? 0xffffff : bg;
			ZCT_CHECK(rgb_at(&image, x1 + i, y1 + j) == want, "cursor pixel %d,%d: %06x",
				i, j, rgb_at(&image, x1 + i, y1 + j));
		}
	}
	zcc_image_finish(&image);
}

/* Surface-local coordinates, the hit test and the clamp are logical. */
static void test_pointer(struct scene *s)
{
	struct zct_client *c = zct_client_connect(s->comp);
	struct wl_seat *seat = c ? zct_bind(c, &wl_seat_interface, 1) : NULL;
	struct zct_window *w = seat ? zct_window_create(c, false) : NULL;
	struct zcc_buffer *b = w ? quadrant_buffer(c, WIN_W, WIN_H) : NULL;
	struct view_pos v = { 0 };
	if (b && show_and_wait(c, w->surface, b))
		server_run(s->h, top_view_fn, &v);
	if (v.found) {
		struct zct_pointer ps;
		zct_pointer_init(&ps, seat);
		zct_roundtrip(c);
		struct motion m = { .x = v.x + WIN_W - 0.5, .y = v.y + 10.25 };
		move_pointer(s, c, &m);
		ZCT_CHECK(ps.focus != NULL && ps.x == WIN_W - 0.5 && ps.y == 10.25,
			"at the right edge: focus %p at %.2f,%.2f", (void *)ps.focus, ps.x, ps.y);
		/* One logical unit right of it: outside, though its pixels reach
		 * there when read as pixels. */
		m = (struct motion){ .x = v.x + WIN_W + 0.5, .y = v.y + 10.25 };
		move_pointer(s, c, &m);
		ZCT_CHECK(ps.focus == NULL, "still entered at %.2f,%.2f", m.x, m.y);
		m = (struct motion){ .x = 10000, .y = 10000 };
		move_pointer(s, c, &m);
		ZCT_CHECK(m.cx == s->lw - 1 && m.cy == s->lh - 1,
			"cursor clamped to %.2f,%.2f, want %d,%d", m.cx, m.cy, s->lw - 1, s->lh - 1);
		zct_pointer_finish(&ps);
		check_cursor(s, c);
	}
	zcc_buffer_destroy(b);
	zct_window_destroy(w);
	if (seat)
		wl_seat_destroy(seat);
	if (c)
		zct_client_destroy(c);
}

/* A real client nobody here wrote: weston-simple-shm's 250x250 window
 * (buffer scale 1: it ignores wl_output.scale), a 20-pixel white border
 * round its pattern, drawn twice as large at --scale=2 with sharp edges.
 * Missing weston-simple-shm is a failure, not a skip. */
static void test_weston_simple_shm(struct scene *s)
{
	struct zct_client *c = zct_client_connect(s->comp);
	pid_t pid = c ? fork() : -1;
	if (pid == 0) {
		setenv("WAYLAND_DISPLAY", SOCKET, 1);
		execlp("weston-simple-shm", "weston-simple-shm", (char *)NULL);
		_exit(127);
	}
	struct view_pos v = { 0 };
	for (int i = 0; pid > 0 && i < 500 && v.width != 250; i++) {
		usleep(10000);
		server_run(s->h, top_view_fn, &v);
	}
	ZCT_CHECK(v.width == 250, "no weston-simple-shm window (installed? scripts/deps.sh)");
	pixman_box32_t box;
	struct zcc_image image;
	/* Its first frame may not be composited yet: a few captures. */
	bool captured = false;
	for (int i = 0; v.width == 250 && i < 20; i++) {
		if (captured)
			zcc_image_finish(&image);
		captured = capture_window(s, c, 250, 250, &box, &image);
		if (!captured || rgb_at(&image, box.x1, box.y1) == 0xffffff)
			break;
		usleep(20000);
	}
	if (captured) {
		/* Left of the window, on the bottom row: background. */
		ZCT_CHECK(box.x1 > 0, "window at %d", box.x1);
		uint32_t bg = rgb_at(&image, 0, image.height - 1), white = 0xffffff;
		int32_t y = box.y1 + 2, border = px(20, s->scale_120);
		int32_t mid = px(v.y + 50, s->scale_120);
		ZCT_CHECK(rgb_at(&image, box.x1 - 1, y) == bg && rgb_at(&image, box.x1, y) == white &&
			(box.x2 >= image.width || (rgb_at(&image, box.x2 - 1, y) == white &&
			rgb_at(&image, box.x2, y) == bg)),
			"window not at pixels %d-%d on row %d", box.x1, box.x2, y);
		/* Each pattern pixel twice, starting right after the border. */
		int unpaired = 0, changes = 0;
		for (int32_t x = box.x1 + border; x + 2 < box.x1 + border + 200; x += 2) {
			unpaired += rgb_at(&image, x, mid) != rgb_at(&image, x + 1, mid);
			changes += rgb_at(&image, x + 1, mid) != rgb_at(&image, x + 2, mid);
		}
		ZCT_CHECK(rgb_at(&image, box.x1 + border - 1, mid) == white && unpaired == 0 &&
			changes > 0, "row %d: border end %06x, %d unpaired, %d changes", mid,
			rgb_at(&image, box.x1 + border - 1, mid), unpaired, changes);
		zcc_image_finish(&image);
	}
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	if (c)
		zct_client_destroy(c);
}

static void run_scale(uint32_t scale_120)
{
	struct harness h;
	struct zct_compositor comp = { 0 };
	struct scene s = { .h = &h, .comp = &comp, .scale_120 = scale_120,
		.lw = (int32_t)(MODE_W * 120 / scale_120), .lh = (int32_t)(MODE_H * 120 / scale_120) };
	fprintf(stderr, "--scale=%.3f\n", scale_120 / 120.0);
	if (harness_start_private_scaled(&h, SOCKET, comp.socket_path, sizeof(comp.socket_path),
		    scale_120)) {
		ZCT_RUN(test_outputs, &s);
		ZCT_RUN(test_maximize_fullscreen, &s);
		ZCT_RUN(test_shm_magnified, &s);
		ZCT_RUN(test_partial_damage, &s);
		ZCT_RUN(test_fractional_one_to_one, &s);
		ZCT_RUN(test_pointer, &s);
		if (scale_120 == 240)
			ZCT_RUN(test_weston_simple_shm, &s);
	}
	harness_stop(&h);
}

int main(void)
{
	run_scale(180);
	run_scale(240);
	return zct_failures || harness_failures ? 1 : 0;
}
