/* A fullscreen Wayland client that prints what the seat sends, one event a
 * line: "key <code> <down|up> <keysym name>", "enter keyboard", "pointer
 * enter|motion|button ...", "capabilities [keyboard] [pointer] [touch]",
 * "touch down|motion <id> <x> <y>", "touch up <id>", "touch frame", "touch
 * cancel" (wl_touch is taken while the capability is announced). Escape or
 * --seconds=N ends it (status 0).
 * --cursor=RRGGBB: on pointer enter, sets a 16x16 cursor of that colour with
 * its hotspot at 8,8; --cursor=none hides the cursor; --cursor=role-error
 * gives its own window surface as the cursor (a role error: status 1 with
 * "protocol error ..." on stderr); --cursor=shape:N sets cursor-shape-v1's
 * shape N (9: text). --cursor-scale=N: the solid cursor is drawn at buffer
 * scale N (16N x 16N pixels; still 16x16 with its hotspot at 8,8 in
 * surface coordinates), as a HiDPI client draws it. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <wayland-client.h>
#include <xkbcommon/xkbcommon.h>

#include "common.h"
#include "cursor-shape-v1-client-protocol.h"
#include "xdg-shell-client-protocol.h"

struct app {
	struct wl_display *display;
	struct zcc_globals globals;
	struct wl_seat *seat;
	struct wp_cursor_shape_manager_v1 *shapes;
	struct wp_cursor_shape_device_v1 *shape_device;
	struct wl_touch *touch;
	struct xkb_context *xkb;
	struct xkb_keymap *keymap;
	struct xkb_state *state;
	struct wl_surface *surface;
	struct zcc_buffer *buffer;
	int32_t width, height;
	bool configured, done;
	const char *cursor; /* --cursor */
	int32_t cursor_scale; /* --cursor-scale: the solid cursor's buffer scale */
	struct wl_surface *cursor_surface;
	struct zcc_buffer *cursor_buffer;
};

static void handle_keymap(void *data, struct wl_keyboard *kb, uint32_t format, int32_t fd,
	uint32_t size)
{
	struct app *app = data;
	char *text = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (text == MAP_FAILED)
		return;
	app->keymap = xkb_keymap_new_from_string(app->xkb, text, XKB_KEYMAP_FORMAT_TEXT_V1, 0);
	munmap(text, size);
	app->state = app->keymap ? xkb_state_new(app->keymap) : NULL;
	printf("keymap %s\n", app->state ? "ok" : "broken");
}

static void handle_enter(void *data, struct wl_keyboard *kb, uint32_t serial,
	struct wl_surface *surface, struct wl_array *keys)
{
	printf("enter keyboard\n");
}

static void handle_leave(void *data, struct wl_keyboard *kb, uint32_t serial,
	struct wl_surface *surface)
{
	printf("leave keyboard\n");
}

static void handle_key(void *data, struct wl_keyboard *kb, uint32_t serial, uint32_t time,
	uint32_t key, uint32_t state)
{
	struct app *app = data;
	char name[64] = "?";
	xkb_keysym_t sym = app->state ? xkb_state_key_get_one_sym(app->state, key + 8) : 0;
	xkb_keysym_get_name(sym, name, sizeof(name));
	printf("key %u %s %s\n", key, state ? "down" : "up", name);
	if (sym == XKB_KEY_Escape && !state)
		app->done = true;
}

static void handle_modifiers(void *data, struct wl_keyboard *kb, uint32_t serial,
	uint32_t depressed, uint32_t latched, uint32_t locked, uint32_t group)
{
	struct app *app = data;
	if (app->state)
		xkb_state_update_mask(app->state, depressed, latched, locked, 0, 0, group);
}

static void handle_repeat_info(void *data, struct wl_keyboard *kb, int32_t rate, int32_t delay)
{
}

static const struct wl_keyboard_listener keyboard_listener = {
	handle_keymap, handle_enter, handle_leave, handle_key, handle_modifiers,
	handle_repeat_info,
};

static void set_solid_cursor(struct app *app, struct wl_pointer *p, uint32_t serial,
	uint32_t rgb)
{
	if (!app->cursor_surface) {
		int32_t size = 16 * app->cursor_scale;
		app->cursor_buffer = zcc_buffer_create(app->globals.shm, size, size,
			WL_SHM_FORMAT_ARGB8888);
		if (!app->cursor_buffer)
			return;
		for (int y = 0; y < size; y++) {
			uint32_t *row = (uint32_t *)((uint8_t *)app->cursor_buffer->data +
				y * app->cursor_buffer->stride);
			for (int x = 0; x < size; x++)
				row[x] = 0xff000000u | rgb;
		}
		app->cursor_surface = wl_compositor_create_surface(app->globals.compositor);
		wl_surface_set_buffer_scale(app->cursor_surface, app->cursor_scale);
		wl_surface_attach(app->cursor_surface, app->cursor_buffer->wl_buffer, 0, 0);
		wl_surface_damage(app->cursor_surface, 0, 0, 16, 16);
		wl_surface_commit(app->cursor_surface);
	}
	wl_pointer_set_cursor(p, serial, app->cursor_surface, 8, 8);
}

static void set_shape(struct app *app, struct wl_pointer *p, uint32_t serial, uint32_t shape)
{
	if (!app->shape_device)
		app->shape_device = wp_cursor_shape_manager_v1_get_pointer(app->shapes, p);
	wp_cursor_shape_device_v1_set_shape(app->shape_device, serial, shape);
}

static void apply_cursor(struct app *app, struct wl_pointer *p, uint32_t serial)
{
	if (!app->cursor)
		return;
	if (strcmp(app->cursor, "none") == 0)
		wl_pointer_set_cursor(p, serial, NULL, 0, 0);
	else if (strcmp(app->cursor, "role-error") == 0)
		wl_pointer_set_cursor(p, serial, app->surface, 0, 0);
	else if (strncmp(app->cursor, "shape:", 6) == 0 && app->shapes)
		set_shape(app, p, serial, (uint32_t)atoi(app->cursor + 6));
	else
		set_solid_cursor(app, p, serial, (uint32_t)strtoul(app->cursor, NULL, 16));
	printf("cursor set: %s\n", app->cursor);
}

static void handle_ptr_enter(void *data, struct wl_pointer *p, uint32_t serial,
	struct wl_surface *s, wl_fixed_t x, wl_fixed_t y)
{
	printf("pointer enter %.0f %.0f\n", wl_fixed_to_double(x), wl_fixed_to_double(y));
	apply_cursor(data, p, serial);
}

static void handle_ptr_leave(void *data, struct wl_pointer *p, uint32_t serial,
	struct wl_surface *s)
{
	printf("pointer leave\n");
}

static void handle_ptr_motion(void *data, struct wl_pointer *p, uint32_t time, wl_fixed_t x,
	wl_fixed_t y)
{
	printf("pointer motion %.0f %.0f\n", wl_fixed_to_double(x), wl_fixed_to_double(y));
}

static void handle_ptr_button(void *data, struct wl_pointer *p, uint32_t serial,
	uint32_t time, uint32_t button, uint32_t state)
{
	printf("pointer button %#x %s\n", button, state ? "down" : "up");
}

static void handle_ptr_axis(void *data, struct wl_pointer *p, uint32_t time, uint32_t axis,
	wl_fixed_t value)
{
	printf("pointer axis %u %.1f\n", axis, wl_fixed_to_double(value));
}

static void handle_ptr_frame(void *data, struct wl_pointer *p)
{
}

static void handle_ptr_ignore_u(void *data, struct wl_pointer *p, uint32_t a)
{
}

static void handle_ptr_ignore_uu(void *data, struct wl_pointer *p, uint32_t a, uint32_t b)
{
}

static void handle_ptr_ignore_ui(void *data, struct wl_pointer *p, uint32_t a, int32_t b)
{
}

static const struct wl_pointer_listener pointer_listener = {
	.enter = handle_ptr_enter,
	.leave = handle_ptr_leave,
	.motion = handle_ptr_motion,
	.button = handle_ptr_button,
	.axis = handle_ptr_axis,
	.frame = handle_ptr_frame,
	.axis_source = handle_ptr_ignore_u,
	.axis_stop = handle_ptr_ignore_uu,
	.axis_discrete = handle_ptr_ignore_ui,
	.axis_value120 = handle_ptr_ignore_ui,
	.axis_relative_direction = handle_ptr_ignore_uu,
};

static void handle_touch_down(void *data, struct wl_touch *t, uint32_t serial, uint32_t time,
	struct wl_surface *surface, int32_t id, wl_fixed_t x, wl_fixed_t y)
{
	printf("touch down %d %.0f %.0f\n", id, wl_fixed_to_double(x), wl_fixed_to_double(y));
}

static void handle_touch_up(void *data, struct wl_touch *t, uint32_t serial, uint32_t time,
	int32_t id)
{
	printf("touch up %d\n", id);
}

static void handle_touch_motion(void *data, struct wl_touch *t, uint32_t time, int32_t id,
	wl_fixed_t x, wl_fixed_t y)
{
	printf("touch motion %d %.0f %.0f\n", id, wl_fixed_to_double(x), wl_fixed_to_double(y));
}

static void handle_touch_frame(void *data, struct wl_touch *t)
{
	printf("touch frame\n");
}

static void handle_touch_cancel(void *data, struct wl_touch *t)
{
	printf("touch cancel\n");
}

static const struct wl_touch_listener touch_listener = {
	.down = handle_touch_down,
	.up = handle_touch_up,
	.motion = handle_touch_motion,
	.frame = handle_touch_frame,
	.cancel = handle_touch_cancel,
};

/* wl_touch follows the capability: taken when it comes, released when it
 * goes (a touchscreen unplugged). */
static void handle_seat_capabilities(void *data, struct wl_seat *seat, uint32_t caps)
{
	struct app *app = data;
	printf("capabilities%s%s%s\n", caps & WL_SEAT_CAPABILITY_KEYBOARD ? " keyboard" : "",
		caps & WL_SEAT_CAPABILITY_POINTER ? " pointer" : "",
		caps & WL_SEAT_CAPABILITY_TOUCH ? " touch" : "");
	bool touch = caps & WL_SEAT_CAPABILITY_TOUCH;
	if (touch && !app->touch) {
		app->touch = wl_seat_get_touch(seat);
		wl_touch_add_listener(app->touch, &touch_listener, app);
	} else if (!touch && app->touch) {
		wl_touch_release(app->touch);
		app->touch = NULL;
	}
}

static void handle_seat_name(void *data, struct wl_seat *seat, const char *name)
{
}

static const struct wl_seat_listener seat_listener = {
	handle_seat_capabilities, handle_seat_name,
};

static void handle_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct app *app = data;
	if (strcmp(interface, wl_seat_interface.name) == 0 && !app->seat) {
		app->seat = wl_registry_bind(registry, name, &wl_seat_interface, 5);
		wl_seat_add_listener(app->seat, &seat_listener, app);
	} else if (strcmp(interface, wp_cursor_shape_manager_v1_interface.name) == 0) {
		app->shapes = wl_registry_bind(registry, name, &wp_cursor_shape_manager_v1_interface,
			1);
	}
}

static void handle_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	handle_global, handle_global_remove,
};

static void handle_toplevel_configure(void *data, struct xdg_toplevel *t, int32_t w, int32_t h,
	struct wl_array *states)
{
	struct app *app = data;
	app->width = w > 0 ? w : 640;
	app->height = h > 0 ? h : 480;
}

static void handle_toplevel_close(void *data, struct xdg_toplevel *t)
{
	struct app *app = data;
	app->done = true;
}

static void handle_toplevel_bounds(void *data, struct xdg_toplevel *t, int32_t w, int32_t h)
{
}

static void handle_toplevel_caps(void *data, struct xdg_toplevel *t, struct wl_array *caps)
{
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = handle_toplevel_configure,
	.close = handle_toplevel_close,
	.configure_bounds = handle_toplevel_bounds,
	.wm_capabilities = handle_toplevel_caps,
};

static void handle_xdg_configure(void *data, struct xdg_surface *xdg, uint32_t serial)
{
	struct app *app = data;
	xdg_surface_ack_configure(xdg, serial);
	if (app->configured)
		return;
	app->configured = true;
	app->buffer = zcc_buffer_create(app->globals.shm, app->width, app->height,
		WL_SHM_FORMAT_XRGB8888);
	if (!app->buffer)
		return;
	zcc_pattern_fill(app->buffer->data, app->buffer->stride, app->width, app->height,
		WL_SHM_FORMAT_XRGB8888, 0);
	wl_surface_attach(app->surface, app->buffer->wl_buffer, 0, 0);
	wl_surface_damage(app->surface, 0, 0, app->width, app->height);
	wl_surface_commit(app->surface);
}

static const struct xdg_surface_listener xdg_surface_listener = { handle_xdg_configure };

int main(int argc, char **argv)
{
	int seconds = 60;
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct app app = { .xkb = xkb_context_new(XKB_CONTEXT_NO_FLAGS), .cursor_scale = 1 };
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--seconds=", 10) == 0)
			seconds = atoi(argv[i] + 10);
		else if (strncmp(argv[i], "--cursor=", 9) == 0)
			app.cursor = argv[i] + 9;
		else if (strncmp(argv[i], "--cursor-scale=", 15) == 0)
			app.cursor_scale = atoi(argv[i] + 15);
	}
	if (app.cursor_scale < 1 || app.cursor_scale > 4) {
		fprintf(stderr, "--cursor-scale: 1 to 4\n");
		return 2;
	}
	app.display = wl_display_connect(NULL);
	if (!app.display || !zcc_globals_bind(app.display, &app.globals)) {
		fprintf(stderr, "cannot connect\n");
		return 1;
	}
	struct wl_registry *registry = wl_display_get_registry(app.display);
	wl_registry_add_listener(registry, &registry_listener, &app);
	wl_display_roundtrip(app.display);
	if (!app.seat) {
		fprintf(stderr, "no wl_seat\n");
		return 1;
	}
	wl_keyboard_add_listener(wl_seat_get_keyboard(app.seat), &keyboard_listener, &app);
	wl_pointer_add_listener(wl_seat_get_pointer(app.seat), &pointer_listener, &app);
	app.surface = wl_compositor_create_surface(app.globals.compositor);
	struct xdg_surface *xdg = xdg_wm_base_get_xdg_surface(app.globals.wm_base, app.surface);
	xdg_surface_add_listener(xdg, &xdg_surface_listener, &app);
	struct xdg_toplevel *toplevel = xdg_surface_get_toplevel(xdg);
	xdg_toplevel_add_listener(toplevel, &toplevel_listener, &app);
	xdg_toplevel_set_fullscreen(toplevel, NULL);
	wl_surface_commit(app.surface);
	wl_display_roundtrip(app.display);
	wl_display_roundtrip(app.display);
	printf("ready\n");
	time_t end = time(NULL) + seconds;
	while (!app.done && time(NULL) < end) {
		wl_display_flush(app.display);
		struct pollfd pfd = { .fd = wl_display_get_fd(app.display), .events = POLLIN };
		if (poll(&pfd, 1, 200) > 0 && wl_display_dispatch(app.display) < 0) {
			const struct wl_interface *iface = NULL;
			uint32_t code = wl_display_get_protocol_error(app.display, &iface, NULL);
			fprintf(stderr, "protocol error %u on %s\n", code, iface ? iface->name : "?");
			return 1;
		}
		wl_display_dispatch_pending(app.display);
	}
	printf("done\n");
	return 0;
}
