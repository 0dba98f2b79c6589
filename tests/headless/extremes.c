/* Issue 16: every int32 a client may legally send (INT32_MIN, INT32_MAX)
 * for damage, offsets, positions, sizes, window geometry, positioner
 * rectangles and viewport values is taken without a protocol error and
 * without undefined behaviour (in the sanitizer build UBSan aborts zcomp,
 * which this test then sees as a dead compositor). */
#include "zct.h"

static const int32_t extremes[] = { INT32_MIN, INT32_MIN + 1, -1, 0, 1, INT32_MAX - 1, INT32_MAX };

/* Commits and roundtrips twice: the repaint (scheduled at idle) that walks
 * every value above has run by the second. No frame callback is awaited:
 * with extreme positions the window may rightly be on no output. */
static void show_and_wait(struct zct_client *client, struct wl_surface *surface,
	struct zcc_buffer *buffer, const char *what)
{
	wl_surface_attach(surface, buffer->wl_buffer, 0, 0);
	wl_surface_commit(surface);
	zct_roundtrip(client);
	zct_expect_no_error(client, what);
}

static void test_damage(struct zct_client *client, struct zct_window *window)
{
	size_t n = ZC_LEN(extremes);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			int32_t a = extremes[i], b = extremes[j];
			wl_surface_damage(window->surface, a, b, b, a);
			wl_surface_damage(window->surface, a, a, b, b);
			wl_surface_damage_buffer(window->surface, a, b, b, a);
			wl_surface_damage_buffer(window->surface, b, b, a, a);
		}
	}
	show_and_wait(client, window->surface, window->buffer, "extreme damage");
	/* Scaled damage: surface damage is multiplied by the buffer scale. */
	wl_surface_set_buffer_scale(window->surface, 2);
	wl_surface_damage(window->surface, INT32_MAX / 2, 0, INT32_MAX, INT32_MAX);
	wl_surface_damage(window->surface, 0, 0, INT32_MAX, INT32_MAX);
	show_and_wait(client, window->surface, window->buffer, "scaled extreme damage");
	wl_surface_set_buffer_scale(window->surface, 1);
	wl_surface_damage(window->surface, 0, 0, INT32_MAX, INT32_MAX);
	show_and_wait(client, window->surface, window->buffer, "scale back to 1");
}

/* Subsurfaces nested three deep at extreme positions: their sums overflow
 * int32 unless clamped. */
static void test_subsurfaces(struct zct_client *client, struct zct_window *window)
{
	struct wl_surface *parent = window->surface;
	struct wl_surface *surfaces[3];
	struct wl_subsurface *subs[3];
	for (int k = 0; k < 3; k++) {
		surfaces[k] = wl_compositor_create_surface(client->globals.compositor);
		subs[k] = wl_subcompositor_get_subsurface(client->globals.subcompositor,
			surfaces[k], parent);
		wl_subsurface_set_desync(subs[k]);
		wl_surface_attach(surfaces[k], window->buffer->wl_buffer, 0, 0);
		wl_surface_damage(surfaces[k], 0, 0, INT32_MAX, INT32_MAX);
		wl_surface_commit(surfaces[k]);
		parent = surfaces[k];
	}
	size_t n = ZC_LEN(extremes);
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < 3; k++)
			wl_subsurface_set_position(subs[k], extremes[i], extremes[n - 1 - i]);
		show_and_wait(client, window->surface, window->buffer, "extreme subsurface positions");
	}
	for (int k = 2; k >= 0; k--) {
		wl_subsurface_destroy(subs[k]);
		wl_surface_destroy(surfaces[k]);
	}
	show_and_wait(client, window->surface, window->buffer, "subsurfaces gone");
}

static void test_geometry(struct zct_client *client, struct zct_window *window)
{
	const int32_t sizes[] = { 1, INT32_MAX - 1, INT32_MAX };
	for (size_t i = 0; i < ZC_LEN(extremes); i++) {
		for (size_t j = 0; j < ZC_LEN(sizes); j++) {
			xdg_surface_set_window_geometry(window->xdg_surface, extremes[i],
				extremes[ZC_LEN(extremes) - 1 - i], sizes[j], sizes[j]);
			show_and_wait(client, window->surface, window->buffer, "extreme window geometry");
		}
	}
}

static void test_viewport(struct zct_client *client, struct zct_window *window)
{
	struct wp_viewport *vp = wp_viewporter_get_viewport(client->globals.viewporter,
		window->surface);
	const int32_t sizes[] = { 1, INT32_MAX - 1, INT32_MAX };
	for (size_t i = 0; i < ZC_LEN(sizes); i++) {
		wp_viewport_set_destination(vp, sizes[i], sizes[ZC_LEN(sizes) - 1 - i]);
		wl_surface_damage(window->surface, 0, 0, INT32_MAX, INT32_MAX);
		show_and_wait(client, window->surface, window->buffer, "extreme viewport destination");
	}
	wp_viewport_destroy(vp);
	show_and_wait(client, window->surface, window->buffer, "viewport gone");
}

static void popup_with(struct zct_client *client, struct zct_window *window, int32_t v, int32_t s)
{
	struct xdg_positioner *pos = xdg_wm_base_create_positioner(client->globals.wm_base);
	xdg_positioner_set_size(pos, s, s);
	xdg_positioner_set_anchor_rect(pos, v, v, s, s);
	xdg_positioner_set_offset(pos, v, v);
	xdg_positioner_set_anchor(pos, XDG_POSITIONER_ANCHOR_BOTTOM_RIGHT);
	xdg_positioner_set_gravity(pos, XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT);
	xdg_positioner_set_constraint_adjustment(pos, 0xff);
	struct wl_surface *surface = wl_compositor_create_surface(client->globals.compositor);
	struct xdg_surface *xs = xdg_wm_base_get_xdg_surface(client->globals.wm_base, surface);
	struct xdg_popup *popup = xdg_surface_get_popup(xs, window->xdg_surface, pos);
	wl_surface_commit(surface);
	zct_expect_no_error(client, "popup with extreme positioner");
	xdg_popup_destroy(popup);
	xdg_surface_destroy(xs);
	wl_surface_destroy(surface);
	xdg_positioner_destroy(pos);
}

static void test_positioner(struct zct_client *client, struct zct_window *window)
{
	const int32_t sizes[] = { 1, INT32_MAX - 1, INT32_MAX };
	for (size_t i = 0; i < ZC_LEN(extremes); i++)
		for (size_t j = 0; j < ZC_LEN(sizes); j++)
			popup_with(client, window, extremes[i], sizes[j]);
	zct_expect_no_error(client, "positioners");
}

static void test_extremes(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, false) : NULL;
	if (window && zct_window_map(window)) {
		ZCT_RUN(test_damage, client, window);
		ZCT_RUN(test_subsurfaces, client, window);
		ZCT_RUN(test_geometry, client, window);
		ZCT_RUN(test_viewport, client, window);
		ZCT_RUN(test_positioner, client, window);
	}
	zct_window_destroy(window);
	zct_client_destroy(client);
	zct_compositor_alive(comp);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { 0 };
	if (zct_compositor_start(&comp, &config))
		ZCT_RUN(test_extremes, &comp);
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
