#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "presentation-time-client-protocol.h"
#include "xdg-shell-client-protocol.h"
#include "zct.h"

#define WAIT_MS 3000

struct zct_client *zct_client_connect(struct zct_compositor *comp)
{
	struct zct_client *client = calloc(1, sizeof(*client));
	if (!client)
		return NULL;
	/* An absolute path: the test's own environment stays untouched. */
	client->display = wl_display_connect(comp->socket_path);
	if (!client->display) {
		ZCT_CHECK(false, "cannot connect to %s: %s", comp->socket_path, strerror(errno));
		free(client);
		return NULL;
	}
	if (!zcc_globals_bind(client->display, &client->globals)) {
		ZCT_CHECK(false, "registry roundtrips failed");
		zct_client_destroy(client);
		return NULL;
	}
	return client;
}

struct bind_request {
	const struct wl_interface *interface;
	uint32_t version;
	void *proxy;
};

static void handle_bind_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct bind_request *req = data;
	if (req->proxy || strcmp(interface, req->interface->name) != 0)
		return;
	req->proxy = wl_registry_bind(registry, name, req->interface,
		version < req->version ? version : req->version);
}

static void handle_bind_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener bind_listener = {
	.global = handle_bind_global,
	.global_remove = handle_bind_global_remove,
};

void zct_client_destroy(struct zct_client *client)
{
	if (!client)
		return;
	zcc_globals_finish(&client->globals);
	wl_display_disconnect(client->display);
	free(client);
}

void zct_client_kill(struct zct_client *client)
{
	wl_display_flush(client->display);
	/* The compositor sees a hangup with every object still alive, as when
	 * a client crashes; our side is torn down later, by the caller. */
	shutdown(wl_display_get_fd(client->display), SHUT_RDWR);
}

bool zct_wait(struct zct_client *client, const bool *flag, int timeout_ms)
{
	return zcc_dispatch_until(client->display, flag, timeout_ms);
}

void *zct_bind(struct zct_client *client, const struct wl_interface *interface,
	uint32_t version)
{
	struct bind_request req = { interface, version, NULL };
	struct wl_registry *registry = wl_display_get_registry(client->display);
	wl_registry_add_listener(registry, &bind_listener, &req);
	zct_roundtrip(client);
	wl_registry_destroy(registry);
	ZCT_CHECK(req.proxy, "zcomp offers no %s", interface->name);
	return req.proxy;
}

bool zct_roundtrip(struct zct_client *client)
{
	int ret = wl_display_roundtrip(client->display);
	ZCT_CHECK(ret >= 0, "roundtrip failed: %s", strerror(wl_display_get_error(client->display)));
	return ret >= 0;
}

static void handle_xdg_surface_configure(void *data, struct xdg_surface *xdg_surface,
	uint32_t serial)
{
	struct zct_window *window = data;
	window->serial = serial;
	window->configured = true;
	window->n_configures++;
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = handle_xdg_surface_configure,
};

static void handle_toplevel_configure(void *data, struct xdg_toplevel *toplevel,
	int32_t width, int32_t height, struct wl_array *states)
{
	struct zct_window *window = data;
	window->width = width;
	window->height = height;
}

static void handle_toplevel_close(void *data, struct xdg_toplevel *toplevel)
{
}

static void handle_toplevel_configure_bounds(void *data, struct xdg_toplevel *toplevel,
	int32_t width, int32_t height)
{
}

static void handle_toplevel_wm_capabilities(void *data, struct xdg_toplevel *toplevel,
	struct wl_array *caps)
{
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = handle_toplevel_configure,
	.close = handle_toplevel_close,
	.configure_bounds = handle_toplevel_configure_bounds,
	.wm_capabilities = handle_toplevel_wm_capabilities,
};

void zct_window_init_listeners(struct zct_window *window)
{
	if (window->xdg_surface)
		xdg_surface_add_listener(window->xdg_surface, &xdg_surface_listener, window);
	if (window->toplevel)
		xdg_toplevel_add_listener(window->toplevel, &toplevel_listener, window);
}

struct zct_window *zct_window_create(struct zct_client *client, bool fullscreen)
{
	struct zcc_globals *g = &client->globals;
	ZCT_CHECK(g->compositor && g->wm_base, "wl_compositor or xdg_wm_base missing");
	if (!g->compositor || !g->wm_base)
		return NULL;
	struct zct_window *window = calloc(1, sizeof(*window));
	window->client = client;
	window->surface = wl_compositor_create_surface(g->compositor);
	window->xdg_surface = xdg_wm_base_get_xdg_surface(g->wm_base, window->surface);
	window->toplevel = xdg_surface_get_toplevel(window->xdg_surface);
	zct_window_init_listeners(window);
	xdg_toplevel_set_title(window->toplevel, "zct");
	if (fullscreen)
		xdg_toplevel_set_fullscreen(window->toplevel, NULL);
	wl_surface_commit(window->surface);
	if (!zct_wait(client, &window->configured, WAIT_MS)) {
		ZCT_CHECK(false, "no initial xdg_surface.configure");
		zct_window_destroy(window);
		return NULL;
	}
	xdg_surface_ack_configure(window->xdg_surface, window->serial);
	return window;
}

bool zct_window_map(struct zct_window *window)
{
	int32_t w = window->width > 0 ? window->width : 32;
	int32_t h = window->height > 0 ? window->height : 32;
	window->buffer = zct_pattern_buffer(window->client, w, h, WL_SHM_FORMAT_XRGB8888, 0);
	if (!window->buffer)
		return false;
	struct zct_frame frame = { 0 };
	zct_request_frame(window->surface, &frame);
	zct_show(window->surface, window->buffer);
	bool ok = zct_wait(window->client, &frame.done, WAIT_MS);
	ZCT_CHECK(ok, "no frame callback for the first buffer");
	return ok;
}

bool zct_window_ack_configure(struct zct_window *window, const char *what)
{
	int before = window->n_configures;
	zct_roundtrip(window->client);
	bool got = window->n_configures > before;
	ZCT_CHECK(got, "%s: no configure", what);
	if (got)
		xdg_surface_ack_configure(window->xdg_surface, window->serial);
	return got;
}

void zct_window_destroy(struct zct_window *window)
{
	if (!window)
		return;
	zcc_buffer_destroy(window->buffer);
	if (window->toplevel)
		xdg_toplevel_destroy(window->toplevel);
	if (window->xdg_surface)
		xdg_surface_destroy(window->xdg_surface);
	if (window->surface)
		wl_surface_destroy(window->surface);
	free(window);
}

struct zcc_buffer *zct_pattern_buffer(struct zct_client *client, int32_t width,
	int32_t height, uint32_t format, uint32_t frame)
{
	struct zcc_buffer *buffer = zcc_buffer_create(client->globals.shm, width, height, format);
	ZCT_CHECK(buffer, "cannot create a %dx%d buffer of format 0x%08x", width, height, format);
	if (buffer)
		zcc_pattern_fill(buffer->data, buffer->stride, width, height, format, frame);
	return buffer;
}

void zct_show(struct wl_surface *surface, struct zcc_buffer *buffer)
{
	wl_surface_attach(surface, buffer->wl_buffer, 0, 0);
	wl_surface_damage_buffer(surface, 0, 0, buffer->width, buffer->height);
	buffer->busy = true;
	wl_surface_commit(surface);
}

static void handle_frame_done(void *data, struct wl_callback *callback, uint32_t time)
{
	struct zct_frame *frame = data;
	ZCT_CHECK(!frame->done, "a frame callback fired twice");
	frame->done = true;
	frame->time = time;
	if (frame->count)
		(*frame->count)++;
	wl_callback_destroy(callback);
}

static const struct wl_callback_listener frame_listener = {
	.done = handle_frame_done,
};

void zct_request_frame(struct wl_surface *surface, struct zct_frame *frame)
{
	frame->done = false;
	struct wl_callback *cb = wl_surface_frame(surface);
	wl_callback_add_listener(cb, &frame_listener, frame);
}

static void feedback_finish(struct zct_feedback *feedback)
{
	wp_presentation_feedback_destroy(feedback->resource);
	feedback->resource = NULL;
}

static void handle_feedback_sync_output(void *data, struct wp_presentation_feedback *fb,
	struct wl_output *output)
{
}

static void handle_feedback_presented(void *data, struct wp_presentation_feedback *fb,
	uint32_t sec_hi, uint32_t sec_lo, uint32_t nsec, uint32_t refresh,
	uint32_t seq_hi, uint32_t seq_lo, uint32_t flags)
{
	struct zct_feedback *feedback = data;
	feedback->presented = true;
	feedback->when_ns = (int64_t)(((uint64_t)sec_hi << 32) | sec_lo) * 1000000000 + nsec;
	feedback->refresh_ns = refresh;
	feedback->seq = ((uint64_t)seq_hi << 32) | seq_lo;
	feedback->flags = flags;
	feedback_finish(feedback);
}

static void handle_feedback_discarded(void *data, struct wp_presentation_feedback *fb)
{
	struct zct_feedback *feedback = data;
	feedback->discarded = true;
	feedback_finish(feedback);
}

static const struct wp_presentation_feedback_listener feedback_listener = {
	.sync_output = handle_feedback_sync_output,
	.presented = handle_feedback_presented,
	.discarded = handle_feedback_discarded,
};

void zct_request_feedback(struct zct_client *client, struct wl_surface *surface,
	struct zct_feedback *feedback)
{
	memset(feedback, 0, sizeof(*feedback));
	ZCT_CHECK(client->globals.presentation, "wp_presentation missing");
	if (!client->globals.presentation)
		return;
	feedback->resource = wp_presentation_feedback(client->globals.presentation, surface);
	wp_presentation_feedback_add_listener(feedback->resource, &feedback_listener, feedback);
}

bool zct_feedback_resolved(const struct zct_feedback *feedback)
{
	return feedback->presented || feedback->discarded;
}
