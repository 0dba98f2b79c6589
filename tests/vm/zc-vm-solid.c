/* zc-vm-solid WIDTHxHEIGHT FRAMES: a window showing an opaque red
 * wp_single_pixel_buffer_v1, stretched to WIDTHxHEIGHT by wp_viewport (none
 * for 1x1), committed again (damaged) for FRAMES frame callbacks, so that
 * zcomp's path accounting counts how each frame went (guest test 95).
 * Prints "done N" and exits 0 after FRAMES frames, 1 on any failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wayland-client.h>

#include "common.h"
#include "single-pixel-buffer-v1-client-protocol.h"
#include "viewporter-client-protocol.h"
#include "xdg-shell-client-protocol.h"

struct solid {
	struct wp_single_pixel_buffer_manager_v1 *manager;
	bool frame_done;
};

static void handle_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct solid *s = data;
	if (strcmp(interface, wp_single_pixel_buffer_manager_v1_interface.name) == 0)
		s->manager = wl_registry_bind(registry, name,
			&wp_single_pixel_buffer_manager_v1_interface, 1);
}

static void handle_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = handle_global,
	.global_remove = handle_global_remove,
};

static void handle_frame_done(void *data, struct wl_callback *cb, uint32_t time)
{
	((struct solid *)data)->frame_done = true;
	wl_callback_destroy(cb);
}

static const struct wl_callback_listener frame_listener = {
	.done = handle_frame_done,
};

static bool dispatch_until(struct wl_display *display, const bool *flag)
{
	while (!*flag) {
		if (wl_display_dispatch(display) < 0)
			return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	int w = 0, h = 0, frames = 0;
	if (argc != 3 || sscanf(argv[1], "%dx%d", &w, &h) != 2 || w < 1 || h < 1 ||
	    (frames = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: zc-vm-solid WIDTHxHEIGHT FRAMES\n");
		return 2;
	}
	struct wl_display *display = wl_display_connect(NULL);
	struct zcc_globals g;
	struct solid s = { 0 };
	if (!display || !zcc_globals_bind(display, &g)) {
		fprintf(stderr, "zc-vm-solid: cannot connect\n");
		return 1;
	}
	struct wl_registry *registry = wl_display_get_registry(display);
	wl_registry_add_listener(registry, &registry_listener, &s);
	wl_display_roundtrip(display);
	if (!s.manager || !g.viewporter) {
		fprintf(stderr, "zc-vm-solid: no wp_single_pixel_buffer_manager_v1 or viewporter\n");
		return 1;
	}
	struct zcc_window window;
	zcc_window_init(&window, &g, "zc-vm-solid", false, NULL);
	if (!dispatch_until(display, &window.configured))
		return 1;
	struct wp_viewport *viewport = wp_viewporter_get_viewport(g.viewporter, window.surface);
	if (w != 1 || h != 1)
		wp_viewport_set_destination(viewport, w, h);
	struct wl_buffer *red = wp_single_pixel_buffer_manager_v1_create_u32_rgba_buffer(
		s.manager, UINT32_MAX, 0, 0, UINT32_MAX);
	int n = 0;
	for (; n < frames; n++) {
		s.frame_done = false;
		wl_callback_add_listener(wl_surface_frame(window.surface), &frame_listener, &s);
		wl_surface_attach(window.surface, red, 0, 0);
		wl_surface_damage_buffer(window.surface, 0, 0, 1, 1);
		wl_surface_commit(window.surface);
		if (!dispatch_until(display, &s.frame_done))
			break;
	}
	printf("done %d\n", n);
	wl_buffer_destroy(red);
	wp_viewport_destroy(viewport);
	zcc_window_finish(&window);
	wp_single_pixel_buffer_manager_v1_destroy(s.manager);
	wl_registry_destroy(registry);
	zcc_globals_finish(&g);
	wl_display_roundtrip(display);
	wl_display_disconnect(display);
	return n == frames ? 0 : 1;
}
