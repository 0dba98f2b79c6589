/*
 * wp_viewporter: crop (source) and scale (destination) of a surface's
 * buffer, double-buffered with the rest of the surface state. The
 * consistency checks that depend on the buffer happen at commit, in
 * viewport_validate(), where the protocol says they must.
 */
#include <math.h>
#include <stdlib.h>

#include "base/buffer.h"
#include "base/util.h"
#include "surface.h"
#include "viewporter-server-protocol.h"

struct zc_viewport {
	struct wl_resource *resource;
	struct zc_surface *surface; /* NULL once the surface is gone */
	struct wl_listener surface_destroy;
};

static struct zc_surface *viewport_surface(struct wl_resource *resource)
{
	struct zc_viewport *vp = wl_resource_get_user_data(resource);
	if (!vp->surface) {
		wl_resource_post_error(resource, WP_VIEWPORT_ERROR_NO_SURFACE,
			"the wl_surface of this wp_viewport is gone");
		return NULL;
	}
	return vp->surface;
}

static void handle_viewport_set_source(struct wl_client *client, struct wl_resource *resource,
	wl_fixed_t x, wl_fixed_t y, wl_fixed_t width, wl_fixed_t height)
{
	struct zc_surface *surface = viewport_surface(resource);
	if (!surface)
		return;
	bool unset = x == wl_fixed_from_int(-1) && y == wl_fixed_from_int(-1) &&
		width == wl_fixed_from_int(-1) && height == wl_fixed_from_int(-1);
	if (!unset && (x < 0 || y < 0 || width <= 0 || height <= 0)) {
		wl_resource_post_error(resource, WP_VIEWPORT_ERROR_BAD_VALUE,
			"source rectangle %.2f,%.2f %.2fx%.2f is invalid", wl_fixed_to_double(x),
			wl_fixed_to_double(y), wl_fixed_to_double(width), wl_fixed_to_double(height));
		return;
	}
	struct zc_surface_state *p = &surface->pending;
	p->src_x = unset ? -1 : wl_fixed_to_double(x);
	p->src_y = unset ? -1 : wl_fixed_to_double(y);
	p->src_width = unset ? -1 : wl_fixed_to_double(width);
	p->src_height = unset ? -1 : wl_fixed_to_double(height);
	p->fields |= ZC_STATE_VIEWPORT;
}

static void handle_viewport_set_destination(struct wl_client *client,
	struct wl_resource *resource, int32_t width, int32_t height)
{
	struct zc_surface *surface = viewport_surface(resource);
	if (!surface)
		return;
	bool unset = width == -1 && height == -1;
	if (!unset && (width <= 0 || height <= 0)) {
		wl_resource_post_error(resource, WP_VIEWPORT_ERROR_BAD_VALUE,
			"destination size %dx%d is invalid", width, height);
		return;
	}
	/* Clamped: wider than ZC_COORD_LIMIT is past every output anyway, and
	 * surface sizes then add to positions without overflowing. */
	surface->pending.dst_width = unset ? -1 : (int32_t)zc_clamp64(width, 1, ZC_COORD_LIMIT);
	surface->pending.dst_height = unset ? -1 : (int32_t)zc_clamp64(height, 1, ZC_COORD_LIMIT);
	surface->pending.fields |= ZC_STATE_VIEWPORT;
}

static void viewport_clear(struct zc_surface *surface)
{
	struct zc_surface_state *p = &surface->pending;
	p->src_x = p->src_y = p->src_width = p->src_height = -1;
	p->dst_width = p->dst_height = -1;
	p->fields |= ZC_STATE_VIEWPORT;
}

static void viewport_destroy(struct zc_viewport *vp)
{
	if (vp->surface) {
		viewport_clear(vp->surface);
		vp->surface->viewport = NULL;
		wl_list_remove(&vp->surface_destroy.link);
	}
	free(vp);
}

static void handle_viewport_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_viewport_interface viewport_impl = {
	.destroy = handle_viewport_destroy,
	.set_source = handle_viewport_set_source,
	.set_destination = handle_viewport_set_destination,
};

static void handle_viewport_resource_destroy(struct wl_resource *resource)
{
	viewport_destroy(wl_resource_get_user_data(resource));
}

static void handle_viewport_surface_destroy(struct wl_listener *listener, void *data)
{
	struct zc_viewport *vp = wl_container_of(listener, vp, surface_destroy);
	wl_list_remove(&vp->surface_destroy.link);
	vp->surface = NULL;
}

static void handle_viewporter_get_viewport(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *surface_resource)
{
	struct zc_surface *surface = surface_from_resource(surface_resource);
	if (surface->viewport) {
		wl_resource_post_error(resource, WP_VIEWPORTER_ERROR_VIEWPORT_EXISTS,
			"wl_surface@%u already has a viewport", wl_resource_get_id(surface_resource));
		return;
	}
	struct zc_viewport *vp = calloc(1, sizeof(*vp));
	if (!vp)
		goto err_alloc;
	vp->resource = wl_resource_create(client, &wp_viewport_interface, 1, id);
	if (!vp->resource)
		goto err_resource;
	wl_resource_set_implementation(vp->resource, &viewport_impl, vp,
		handle_viewport_resource_destroy);
	vp->surface = surface;
	vp->surface_destroy.notify = handle_viewport_surface_destroy;
	wl_signal_add(&surface->destroy_signal, &vp->surface_destroy);
	surface->viewport = vp->resource;
	return;

err_resource:
	free(vp);
err_alloc:
	wl_resource_post_no_memory(resource);
}

static void handle_viewporter_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_viewporter_interface viewporter_impl = {
	.destroy = handle_viewporter_destroy,
	.get_viewport = handle_viewporter_get_viewport,
};

static void bind_viewporter(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *res = wl_resource_create(client, &wp_viewporter_interface,
		(int)version, id);
	if (!res) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(res, &viewporter_impl, data, NULL);
}

bool viewporter_global_create(struct zc_server *server)
{
	return wl_global_create(server->display, &wp_viewporter_interface, 1, server,
		bind_viewporter) != NULL;
}

/* What the surface will look like after this commit: pending fields where
 * set, current ones otherwise. */
struct next_state {
	struct zc_buffer *buffer;
	int32_t scale;
	enum wl_output_transform transform;
	double src_x, src_y, src_w, src_h;
	int32_t dst_w;
};

static struct next_state next_state_of(const struct zc_surface *surface)
{
	const struct zc_surface_state *p = &surface->pending, *c = &surface->current;
	bool vp = p->fields & ZC_STATE_VIEWPORT;
	return (struct next_state){
		.buffer = (p->fields & ZC_STATE_BUFFER) ? p->buffer : surface->buffer,
		.scale = (p->fields & ZC_STATE_SCALE) ? p->scale : c->scale,
		.transform = (p->fields & ZC_STATE_TRANSFORM) ? p->transform : c->transform,
		.src_x = vp ? p->src_x : c->src_x,
		.src_y = vp ? p->src_y : c->src_y,
		.src_w = vp ? p->src_width : c->src_width,
		.src_h = vp ? p->src_height : c->src_height,
		.dst_w = vp ? p->dst_width : c->dst_width,
	};
}

bool viewport_validate(struct zc_surface *surface)
{
	struct next_state n = next_state_of(surface);
	if (!n.buffer)
		return true;
	int32_t bw = n.buffer->width, bh = n.buffer->height;
	if (n.transform & WL_OUTPUT_TRANSFORM_90) {
		int32_t t = bw;
		bw = bh;
		bh = t;
	}
	if (!surface->viewport && (bw % n.scale || bh % n.scale)) {
		wl_resource_post_error(surface->resource, WL_SURFACE_ERROR_INVALID_SIZE,
			"buffer %dx%d is not a multiple of scale %d", bw, bh, n.scale);
		return false;
	}
	if (n.src_w < 0)
		return true;
	if (n.src_x + n.src_w > (double)bw / n.scale || n.src_y + n.src_h > (double)bh / n.scale) {
		wl_resource_post_error(surface->viewport, WP_VIEWPORT_ERROR_OUT_OF_BUFFER,
			"source rectangle extends outside the buffer");
		return false;
	}
	if (n.dst_w < 0 && (n.src_w != floor(n.src_w) || n.src_h != floor(n.src_h))) {
		wl_resource_post_error(surface->viewport, WP_VIEWPORT_ERROR_BAD_SIZE,
			"source size is not integral and no destination size is set");
		return false;
	}
	return true;
}
