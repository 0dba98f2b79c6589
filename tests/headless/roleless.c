/* Issue 16: a surface that is never shown (no role, or a subsurface of a
 * surface with no role) is on no output: no wl_surface.enter, and the
 * presentation feedback of its content is discarded, not presented. A
 * mapped window, for contrast, gets both. */
#include "zct.h"

#define W 32
#define H 24

static void handle_enter(void *data, struct wl_surface *surface, struct wl_output *output)
{
	(*(int *)data)++;
}

static void handle_leave(void *data, struct wl_surface *surface, struct wl_output *output)
{
}

static const struct wl_surface_listener surface_listener = {
	.enter = handle_enter,
	.leave = handle_leave,
};

/* Commits a buffer with feedback and waits until the feedback resolves. */
static void commit_with_feedback(struct zct_client *client, struct wl_surface *surface,
	struct zcc_buffer *buffer, struct zct_feedback *fb)
{
	zct_request_feedback(client, surface, fb);
	zct_show(surface, buffer);
	for (int t = 0; t < 200 && !zct_feedback_resolved(fb); t++)
		zcc_dispatch_timeout(client->display, 10);
}

static void test_roleless_surface(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	if (!client)
		return;
	struct zcc_buffer *buffer = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 0);
	struct wl_surface *surface = wl_compositor_create_surface(client->globals.compositor);
	struct wl_surface *child = wl_compositor_create_surface(client->globals.compositor);
	int enters = 0, child_enters = 0;
	wl_surface_add_listener(surface, &surface_listener, &enters);
	wl_surface_add_listener(child, &surface_listener, &child_enters);
	struct wl_subsurface *sub = wl_subcompositor_get_subsurface(client->globals.subcompositor,
		child, surface);
	wl_subsurface_set_desync(sub);
	struct zct_feedback fb = { 0 }, child_fb = { 0 };
	if (buffer) {
		commit_with_feedback(client, child, buffer, &child_fb);
		commit_with_feedback(client, surface, buffer, &fb);
	}
	zct_roundtrip(client);
	ZCT_CHECK(fb.discarded && !fb.presented, "role-less surface: feedback %s",
		fb.presented ? "presented" : "not discarded");
	ZCT_CHECK(child_fb.discarded && !child_fb.presented, "its subsurface: feedback %s",
		child_fb.presented ? "presented" : "not discarded");
	ZCT_CHECK(enters == 0, "role-less surface got %d wl_surface.enter", enters);
	ZCT_CHECK(child_enters == 0, "its subsurface got %d wl_surface.enter", child_enters);
	zct_expect_no_error(client, "role-less surface");
	wl_subsurface_destroy(sub);
	wl_surface_destroy(child);
	wl_surface_destroy(surface);
	zcc_buffer_destroy(buffer);
	zct_client_destroy(client);
}

/* The contrast: a mapped window enters the output and is presented. */
static void test_mapped_window(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, false) : NULL;
	int enters = 0;
	if (window) {
		wl_surface_add_listener(window->surface, &surface_listener, &enters);
		struct zcc_buffer *buffer = zct_pattern_buffer(client, W, H,
			WL_SHM_FORMAT_XRGB8888, 0);
		struct zct_feedback fb = { 0 };
		if (buffer)
			commit_with_feedback(client, window->surface, buffer, &fb);
		zct_roundtrip(client);
		ZCT_CHECK(fb.presented, "mapped window: feedback not presented");
		ZCT_CHECK(enters == 1, "mapped window got %d wl_surface.enter, not 1", enters);
		zct_window_destroy(window);
		zcc_buffer_destroy(buffer);
	}
	zct_client_destroy(client);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { 0 };
	if (zct_compositor_start(&comp, &config)) {
		ZCT_RUN(test_roleless_surface, &comp);
		ZCT_RUN(test_mapped_window, &comp);
	}
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
