/* The cursor where no plane shows it (the headless backend): composited into
 * the frames. No cursor before the pointer first moves; zcomp's arrow
 * (compositor/core/cursor_arrow.h) at the pointer; a client's cursor surface at
 * the pointer minus its hotspot, over the client's window; hidden with a
 * NULL surface; a stale serial ignored; the arrow back when the pointer
 * leaves; the role error for a surface that has another role. zcomp runs in
 * this process (tests/headless/harness.c) so the test can move the pointer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/input-event-codes.h>

#include <X11/Xcursor/Xcursor.h>

#include "cursor-shape-v1-client-protocol.h"
#include "harness.h"
#include "zct.h"
#include "core/cursor_arrow.h"
#include "base/log.h"
#include "core/output.h"
#include "core/surface.h"
#include "input/seat.h"

#define SOCKET "zc-cursor-test"
#define BACKGROUND 0x19191e /* zcomp's background, as captured */

struct pointer_client {
	struct zct_client *c;
	struct wl_seat *seat;
	struct zct_pointer pointer;
	struct wp_cursor_shape_manager_v1 *shapes;
};

struct motion_args {
	double x, y;
};

static void motion_fn(struct zc_server *server, void *arg)
{
	struct motion_args *m = arg;
	seat_notify_motion_absolute(server->seat, 10, m->x, m->y);
	seat_notify_frame(server->seat);
}

struct output_state {
	uint64_t msc;
	bool settled; /* nothing to repaint, nothing in flight */
};

static void output_state_fn(struct zc_server *server, void *arg)
{
	struct output_state *st = arg;
	struct zc_output *output = wl_container_of(server->outputs.next, output, link);
	st->msc = output->msc;
	st->settled = output->repaint_state == OUTPUT_IDLE && !output->repaint_needed &&
		!output->idle_repaint;
}

static uint64_t output_msc(struct harness *h)
{
	struct output_state st;
	server_run(h, output_state_fn, &st);
	return st.msc;
}

/* Captures copy the last presented frame: wait until a frame after msc was
 * presented and nothing more is to come. */
static void wait_frame(struct harness *h, struct pointer_client *pc, uint64_t msc)
{
	for (int i = 0; i < 400; i++) {
		zct_roundtrip(pc->c);
		struct output_state st;
		server_run(h, output_state_fn, &st);
		if (st.msc > msc && st.settled)
			return;
		usleep(5000);
	}
	ZCT_CHECK(false, "no frame presented within 2 s");
}

static void move_pointer(struct harness *h, struct pointer_client *pc, double x, double y)
{
	uint64_t msc = output_msc(h);
	struct motion_args m = { x, y };
	server_run(h, motion_fn, &m);
	wait_frame(h, pc, msc);
}

static void set_cursor(struct harness *h, struct pointer_client *pc, uint32_t serial,
	struct wl_surface *surface, int32_t hx, int32_t hy)
{
	uint64_t msc = output_msc(h);
	wl_pointer_set_cursor(pc->pointer.wl_pointer, serial, surface, hx, hy);
	wait_frame(h, pc, msc);
}

static void handle_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct pointer_client *pc = data;
	if (strcmp(interface, wl_seat_interface.name) == 0)
		pc->seat = wl_registry_bind(registry, name, &wl_seat_interface, 5);
	else if (strcmp(interface, wp_cursor_shape_manager_v1_interface.name) == 0)
		pc->shapes = wl_registry_bind(registry, name, &wp_cursor_shape_manager_v1_interface,
			2);
}

static void handle_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	handle_global, handle_global_remove,
};

static bool pointer_client_init(struct pointer_client *pc, struct zct_compositor *comp)
{
	*pc = (struct pointer_client){ .c = zct_client_connect(comp) };
	if (!pc->c)
		return false;
	struct wl_registry *registry = wl_display_get_registry(pc->c->display);
	wl_registry_add_listener(registry, &registry_listener, pc);
	zct_roundtrip(pc->c);
	wl_registry_destroy(registry);
	ZCT_CHECK(pc->seat != NULL, "no wl_seat");
	if (!pc->seat)
		return false;
	zct_pointer_init(&pc->pointer, pc->seat);
	return zct_roundtrip(pc->c);
}

/* Pixels of the arrow with its hotspot at x,y that differ from it. */
static int arrow_mismatches(const struct zcc_image *image, int32_t x, int32_t y)
{
	int bad = 0;
	for (int cy = 0; cy < ZC_CURSOR_ARROW_HEIGHT; cy++) {
		for (int cx = 0; cx < ZC_CURSOR_ARROW_WIDTH; cx++) {
			char c = zc_cursor_arrow[cy][cx];
			if (c != ' ')
				bad += zct_count_not_color(image, x + cx, y + cy, 1, 1,
					c == 'X' ? 0x000000 : 0xffffff);
		}
	}
	return bad;
}

static bool capture(struct pointer_client *pc, struct zcc_image *image)
{
	zcc_image_finish(image);
	return zct_capture(pc->c, 0, image);
}

/* A 16x16 surface of one colour, committed, for set_cursor. */
static struct wl_surface *solid_surface(struct pointer_client *pc, uint32_t rgb,
	struct zcc_buffer **buffer)
{
	*buffer = zcc_buffer_create(pc->c->globals.shm, 16, 16, WL_SHM_FORMAT_ARGB8888);
	for (int y = 0; *buffer && y < 16; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)(*buffer)->data + y * (*buffer)->stride);
		for (int x = 0; x < 16; x++)
			row[x] = 0xff000000u | rgb;
	}
	struct wl_surface *surface = wl_compositor_create_surface(pc->c->globals.compositor);
	if (*buffer)
		zct_show(surface, *buffer);
	return surface;
}

static void test_arrow(struct harness *h, struct pointer_client *pc, struct zcc_image *image)
{
	if (capture(pc, image))
		ZCT_CHECK(zct_count_not_color(image, 0, 0, 32, 32, BACKGROUND) == 0,
			"something drawn at 0,0 before the pointer moved");
	move_pointer(h, pc, 100, 50);
	if (capture(pc, image)) {
		ZCT_CHECK(arrow_mismatches(image, 100, 50) == 0, "no arrow at 100,50");
		ZCT_CHECK(zct_count_not_color(image, 0, 0, 32, 32, BACKGROUND) == 0,
			"something at 0,0");
	}
	move_pointer(h, pc, 300.7, 200.2);
	if (capture(pc, image)) {
		ZCT_CHECK(arrow_mismatches(image, 300, 200) == 0, "no arrow at 300,200");
		ZCT_CHECK(zct_count_not_color(image, 100, 50, 12, 19, BACKGROUND) == 0,
			"the arrow left a trace at 100,50");
	}
}

/* A fullscreen window covering the output with pattern frame 0. */
static struct zct_window *cover_output(struct pointer_client *pc, struct zcc_buffer **buffer)
{
	*buffer = NULL;
	struct zct_window *window = zct_window_create(pc->c, true);
	if (!window)
		return NULL;
	*buffer = zct_pattern_buffer(pc->c, 640, 480, WL_SHM_FORMAT_XRGB8888, 0);
	if (*buffer)
		zct_show(window->surface, *buffer);
	zct_roundtrip(pc->c);
	return window;
}

/* set_cursor(NULL) over cover_output's window: only the window is seen. */
static void hide_cursor(struct harness *h, struct pointer_client *pc, struct zcc_image *image,
	const char *what)
{
	set_cursor(h, pc, pc->pointer.enter_serial, NULL, 0, 0);
	if (capture(pc, image))
		ZCT_CHECK(zct_compare_pattern(image, 0, 0, 640, 480, WL_SHM_FORMAT_XRGB8888,
				  0) == 0, "%s", what);
}

static void test_client_cursor(struct harness *h, struct pointer_client *pc,
	struct zcc_image *image)
{
	struct zcc_buffer *buffer;
	struct zct_window *window = cover_output(pc, &buffer);
	if (!window || !buffer)
		return;
	move_pointer(h, pc, 320, 240);
	ZCT_CHECK(pc->pointer.focus != NULL, "no pointer enter on the fullscreen window");
	struct zcc_buffer *red_buffer;
	struct wl_surface *red = solid_surface(pc, 0xff0000, &red_buffer);
	set_cursor(h, pc, pc->pointer.enter_serial, red, 4, 6);
	if (capture(pc, image)) {
		ZCT_CHECK(zct_count_not_color(image, 316, 234, 16, 16, 0xff0000) == 0,
			"no red cursor at 316,234");
		ZCT_CHECK(arrow_mismatches(image, 320, 240) > 50, "the arrow is still drawn");
	}
	/* A stale serial: ignored, the red cursor stays. */
	wl_pointer_set_cursor(pc->pointer.wl_pointer, pc->pointer.enter_serial - 1, NULL, 0, 0);
	zct_roundtrip(pc->c);
	if (capture(pc, image))
		ZCT_CHECK(zct_count_not_color(image, 316, 234, 16, 16, 0xff0000) == 0,
			"set_cursor with a stale serial was honoured");
	hide_cursor(h, pc, image, "the hidden cursor still covers the window");
	zct_window_destroy(window);
	zcc_buffer_destroy(buffer);
	zct_roundtrip(pc->c);
	move_pointer(h, pc, 321, 241);
	if (capture(pc, image))
		ZCT_CHECK(arrow_mismatches(image, 321, 241) == 0,
			"no arrow once the window is gone");
	wl_surface_destroy(red);
	zcc_buffer_destroy(red_buffer);
}

static void test_role_error(struct harness *h, struct pointer_client *pc)
{
	struct zcc_buffer *buffer;
	struct zct_window *window = cover_output(pc, &buffer);
	if (window && buffer) {
		move_pointer(h, pc, 200, 100);
		ZCT_CHECK(pc->pointer.focus != NULL, "no pointer enter");
		wl_pointer_set_cursor(pc->pointer.wl_pointer, pc->pointer.enter_serial,
			window->surface, 0, 0);
		zct_expect_error(pc->c, &wl_pointer_interface, WL_POINTER_ERROR_ROLE,
			"set_cursor with an xdg_toplevel's surface");
	}
	if (window)
		zct_window_destroy(window);
	zcc_buffer_destroy(buffer);
}

/* Opaque pixels of the theme's cursor `name` with its hotspot at x,y that
 * the capture does not show, or -1 if the theme has no such cursor; *opaque
 * counts the pixels compared. */
static int theme_mismatches(const struct zcc_image *image, const char *name, int32_t x,
	int32_t y, int *opaque)
{
	const char *size = getenv("XCURSOR_SIZE");
	XcursorImage *xc = XcursorLibraryLoadImage(name, getenv("XCURSOR_THEME"), atoi(size));
	if (!xc)
		return -1;
	int bad = 0;
	*opaque = 0;
	for (uint32_t cy = 0; cy < xc->height; cy++) {
		for (uint32_t cx = 0; cx < xc->width; cx++) {
			uint32_t px = xc->pixels[cy * xc->width + cx];
			if (px >> 24 != 0xff)
				continue;
			(*opaque)++;
			bad += zct_count_not_color(image, x - (int32_t)xc->xhot + (int32_t)cx,
				y - (int32_t)xc->yhot + (int32_t)cy, 1, 1, px & 0xffffff);
		}
	}
	XcursorImageDestroy(xc);
	return bad;
}

static void set_shape(struct harness *h, struct pointer_client *pc,
	struct wp_cursor_shape_device_v1 *device, uint32_t serial, uint32_t shape)
{
	uint64_t msc = output_msc(h);
	wp_cursor_shape_device_v1_set_shape(device, serial, shape);
	wait_frame(h, pc, msc);
}

/* cursor-shape-v1: the theme's "text" cursor at the pointer (or, with
 * ZCT_CURSOR_NO_THEME set and no theme on XCURSOR_PATH, zcomp's arrow); a
 * stale serial is ignored; set_cursor replaces a shape. */
static void test_cursor_shape(struct harness *h, struct pointer_client *pc,
	struct zcc_image *image)
{
	ZCT_CHECK(pc->shapes != NULL, "no wp_cursor_shape_manager_v1");
	struct zcc_buffer *buffer;
	struct zct_window *window = pc->shapes ? cover_output(pc, &buffer) : NULL;
	if (!window || !buffer)
		return;
	struct wp_cursor_shape_device_v1 *device =
		wp_cursor_shape_manager_v1_get_pointer(pc->shapes, pc->pointer.wl_pointer);
	move_pointer(h, pc, 300, 200);
	ZCT_CHECK(pc->pointer.focus != NULL, "no pointer enter");
	set_shape(h, pc, device, pc->pointer.enter_serial, WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_TEXT);
	bool no_theme = getenv("ZCT_CURSOR_NO_THEME") != NULL;
	int opaque = 0;
	if (capture(pc, image) && no_theme) {
		ZCT_CHECK(arrow_mismatches(image, 300, 200) == 0, "no arrow without a theme");
	} else if (image->data) {
		int bad = theme_mismatches(image, "text", 300, 200, &opaque);
		ZCT_CHECK(bad == 0 && opaque > 10, "theme '%s' cursor 'text': %d of %d pixels wrong",
			getenv("XCURSOR_THEME"), bad, opaque);
		ZCT_CHECK(arrow_mismatches(image, 300, 200) > 20, "the arrow is still drawn");
	}
	/* A stale serial: ignored. */
	wp_cursor_shape_device_v1_set_shape(device, pc->pointer.enter_serial - 1,
		WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_WAIT);
	zct_roundtrip(pc->c);
	if (!no_theme && capture(pc, image))
		ZCT_CHECK(theme_mismatches(image, "text", 300, 200, &opaque) == 0,
			"set_shape with a stale serial was honoured");
	hide_cursor(h, pc, image, "set_cursor(NULL) did not hide the shape");
	wp_cursor_shape_device_v1_destroy(device);
	zct_window_destroy(window);
	zcc_buffer_destroy(buffer);
	zct_roundtrip(pc->c);
}

static void button_fn(struct zc_server *server, void *arg)
{
	seat_notify_button(server->seat, 10, BTN_LEFT, *(bool *)arg);
	seat_notify_frame(server->seat);
}

static void press(struct harness *h, struct pointer_client *pc, bool pressed)
{
	server_run(h, button_fn, &pressed);
	zct_roundtrip(pc->c);
}

static void top_view_fn(struct zc_server *server, void *arg)
{
	struct zc_view *view = wl_container_of(server->views.prev, view, link);
	int32_t *xy = arg;
	xy[0] = view->x;
	xy[1] = view->y;
}

/* The cursor shows the theme's image (or zcomp's arrow without a theme). */
static void check_theme_cursor(struct pointer_client *pc, struct zcc_image *image,
	const char *name, int32_t x, int32_t y)
{
	int opaque = 0;
	if (!capture(pc, image))
		return;
	if (getenv("ZCT_CURSOR_NO_THEME")) {
		ZCT_CHECK(arrow_mismatches(image, x, y) == 0, "%s: no arrow without a theme", name);
		return;
	}
	int bad = theme_mismatches(image, name, x, y, &opaque);
	ZCT_CHECK(bad == 0 && opaque > 10, "cursor '%s': %d of %d pixels wrong", name, bad,
		opaque);
}

/* Interactive move and resize (xdg_move_resize.c) show "grabbing" and the
 * edge's resize cursor while they run, the arrow again after. */
static void test_grab_cursor(struct harness *h, struct pointer_client *pc,
	struct zcc_image *image)
{
	struct zct_window *window = zct_window_create(pc->c, false);
	if (!window)
		return;
	window->width = 200;
	window->height = 150;
	int32_t xy[2];
	if (!zct_window_map(window))
		goto out;
	server_run(h, top_view_fn, xy);
	int32_t x = xy[0] + 100, y = xy[1] + 75;
	move_pointer(h, pc, x, y);
	press(h, pc, true);
	xdg_toplevel_move(window->toplevel, pc->seat, pc->pointer.press_serial);
	move_pointer(h, pc, x + 1, y);
	check_theme_cursor(pc, image, "grabbing", x + 1, y);
	press(h, pc, false);
	move_pointer(h, pc, x + 2, y);
	if (capture(pc, image))
		ZCT_CHECK(arrow_mismatches(image, x + 2, y) == 0, "no arrow after the move");
	press(h, pc, true);
	xdg_toplevel_resize(window->toplevel, pc->seat, pc->pointer.press_serial,
		XDG_TOPLEVEL_RESIZE_EDGE_BOTTOM_RIGHT);
	move_pointer(h, pc, x + 3, y);
	check_theme_cursor(pc, image, "se-resize", x + 3, y);
	press(h, pc, false);
	zct_expect_no_error(pc->c, "grab cursors");
out:
	zct_window_destroy(window);
	zct_roundtrip(pc->c);
}

int main(void)
{
	/* A known theme and size, unless the test's environment names them. */
	setenv("XCURSOR_THEME", "Adwaita", 0);
	setenv("XCURSOR_SIZE", "24", 0);
	char dir[] = "/tmp/zc-cursor-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	setenv("XDG_RUNTIME_DIR", dir, 1);
	zc_log_init(ZC_LOG_WARN);
	struct harness h;
	struct zct_compositor comp = { 0 };
	snprintf(comp.socket_path, sizeof(comp.socket_path), "%s/%s", dir, SOCKET);
	struct pointer_client pc = { 0 };
	struct zcc_image image = { 0 };
	if (harness_start(&h, SOCKET, NULL) && pointer_client_init(&pc, &comp)) {
		ZCT_RUN(test_arrow, &h, &pc, &image);
		ZCT_RUN(test_client_cursor, &h, &pc, &image);
		ZCT_RUN(test_cursor_shape, &h, &pc, &image);
		ZCT_RUN(test_grab_cursor, &h, &pc, &image);
		ZCT_RUN(test_role_error, &h, &pc); /* last: the client dies of it */
	} else {
		ZCT_CHECK(false, "set-up failed");
	}
	zcc_image_finish(&image);
	if (pc.c) {
		if (pc.shapes)
			wp_cursor_shape_manager_v1_destroy(pc.shapes);
		zct_pointer_finish(&pc.pointer);
		if (pc.seat)
			wl_seat_destroy(pc.seat);
		zct_client_destroy(pc.c);
	}
	harness_stop(&h);
	rmdir(dir);
	return zct_exit_status();
}
