/* Issue 17: wp_tearing_control_v1. The protocol error (a second object for
 * a surface), a new object after destroy, an unknown hint ignored, the
 * object inert after its surface is gone; and an async hint on the
 * headless backend, which has no planes, still gives vsynced frames:
 * presentation feedback says exactly VSYNC. */
#include "tearing-control-v1-client-protocol.h"
#include "zct.h"

#define W 64
#define H 48

struct tearing_client {
	struct zct_client *client;
	struct wp_tearing_control_manager_v1 *manager;
};

static bool tearing_client_connect(struct tearing_client *tc, struct zct_compositor *comp)
{
	tc->client = zct_client_connect(comp);
	tc->manager = tc->client ? zct_bind(tc->client,
		&wp_tearing_control_manager_v1_interface, 1) : NULL;
	return tc->manager != NULL;
}

static void tearing_client_finish(struct tearing_client *tc)
{
	if (tc->manager)
		wp_tearing_control_manager_v1_destroy(tc->manager);
	zct_client_destroy(tc->client);
}

static void test_exists(struct zct_compositor *comp)
{
	struct tearing_client tc;
	if (tearing_client_connect(&tc, comp)) {
		struct wl_surface *surface =
			wl_compositor_create_surface(tc.client->globals.compositor);
		struct wp_tearing_control_v1 *tearing =
			wp_tearing_control_manager_v1_get_tearing_control(tc.manager, surface);
		wp_tearing_control_v1_set_presentation_hint(tearing,
			WP_TEARING_CONTROL_V1_PRESENTATION_HINT_ASYNC);
		wl_surface_commit(surface);
		zct_expect_no_error(tc.client, "first get_tearing_control");
		/* After destroy the hint reverts; a new object may be made. */
		wp_tearing_control_v1_destroy(tearing);
		wl_surface_commit(surface);
		tearing = wp_tearing_control_manager_v1_get_tearing_control(tc.manager, surface);
		zct_expect_no_error(tc.client, "get_tearing_control after destroy");
		/* An unknown hint: the XML has no error for it; ignored. */
		wp_tearing_control_v1_set_presentation_hint(tearing, 7);
		wl_surface_commit(surface);
		zct_expect_no_error(tc.client, "unknown hint");
		wp_tearing_control_manager_v1_get_tearing_control(tc.manager, surface);
		zct_expect_error(tc.client, &wp_tearing_control_manager_v1_interface,
			WP_TEARING_CONTROL_MANAGER_V1_ERROR_TEARING_CONTROL_EXISTS,
			"second get_tearing_control");
	}
	tearing_client_finish(&tc);
}

static void test_surface_gone(struct zct_compositor *comp)
{
	struct tearing_client tc;
	if (tearing_client_connect(&tc, comp)) {
		struct wl_surface *surface =
			wl_compositor_create_surface(tc.client->globals.compositor);
		struct wp_tearing_control_v1 *tearing =
			wp_tearing_control_manager_v1_get_tearing_control(tc.manager, surface);
		wl_surface_destroy(surface);
		wp_tearing_control_v1_set_presentation_hint(tearing,
			WP_TEARING_CONTROL_V1_PRESENTATION_HINT_ASYNC);
		wp_tearing_control_v1_destroy(tearing);
		zct_expect_no_error(tc.client, "requests on an object whose surface is gone");
	}
	tearing_client_finish(&tc);
}

static void test_async_without_planes(struct zct_compositor *comp)
{
	struct tearing_client tc;
	struct zct_window *window = NULL;
	struct zcc_buffer *buffers[2] = { 0 };
	if (!tearing_client_connect(&tc, comp) || !(window = zct_window_create(tc.client, true)))
		goto out;
	struct wp_tearing_control_v1 *tearing =
		wp_tearing_control_manager_v1_get_tearing_control(tc.manager, window->surface);
	wp_tearing_control_v1_set_presentation_hint(tearing,
		WP_TEARING_CONTROL_V1_PRESENTATION_HINT_ASYNC);
	struct zct_feedback fb[6] = { 0 };
	for (int i = 0; i < 6; i++) {
		struct zcc_buffer **b = &buffers[i % 2];
		for (int t = 0; t < 200 && *b && (*b)->busy; t++)
			zcc_dispatch_timeout(tc.client->display, 10);
		if (!*b)
			*b = zct_pattern_buffer(tc.client, W, H, WL_SHM_FORMAT_XRGB8888, (uint32_t)i);
		struct zct_frame frame = { 0 };
		zct_request_frame(window->surface, &frame);
		zct_request_feedback(tc.client, window->surface, &fb[i]);
		zct_show(window->surface, *b);
		ZCT_CHECK(zct_wait(tc.client, &frame.done, 2000), "frame %d: no callback", i);
	}
	for (int i = 0; i < 6; i++) {
		for (int t = 0; t < 100 && !zct_feedback_resolved(&fb[i]); t++)
			zcc_dispatch_timeout(tc.client->display, 10);
		ZCT_CHECK(fb[i].presented && fb[i].flags == WP_PRESENTATION_FEEDBACK_KIND_VSYNC,
			"frame %d: presented %d, flags 0x%x (want exactly VSYNC: no plane, no "
			"async flip)", i, fb[i].presented, fb[i].flags);
	}
	wp_tearing_control_v1_destroy(tearing);
	zct_expect_no_error(tc.client, "async hint on the headless backend");
out:
	for (int i = 0; i < 2; i++)
		if (buffers[i])
			zcc_buffer_destroy(buffers[i]);
	if (window)
		zct_window_destroy(window);
	tearing_client_finish(&tc);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { 0 };
	if (!zct_compositor_start(&comp, &config))
		return zct_exit_status();
	ZCT_RUN(test_exists, &comp);
	ZCT_RUN(test_surface_gone, &comp);
	ZCT_RUN(test_async_without_planes, &comp);
	zct_compositor_alive(&comp);
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
