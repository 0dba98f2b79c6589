/* wp_single_pixel_buffer_manager_v1: a wl_buffer that is one colour,
 * usually stretched by wp_viewport into a background or a letterbox bar.
 * Renderers fill its destination with the colour (path "solid-fill"):
 * nothing is uploaded or sampled. The protocol has no errors. */
#include "single_pixel_buffer.h"

#include <drm_fourcc.h>
#include <stdlib.h>

#include "base/buffer.h"
#include "single-pixel-buffer-v1-server-protocol.h"

#define SINGLE_PIXEL_BUFFER_VERSION 1

struct sp_buffer {
	struct zc_buffer base;
	float rgba[4];  /* premultiplied, 0..1 */
	uint32_t pixel; /* the same as one ARGB8888 pixel, for CPU readers (capture) */
};

static void sp_buffer_destroy(struct zc_buffer *buffer)
{
	struct sp_buffer *sp = wl_container_of(buffer, sp, base);
	free(sp);
}

static bool sp_buffer_begin_cpu_access(struct zc_buffer *buffer, uint32_t access,
	struct zc_cpu_view *view)
{
	struct sp_buffer *sp = wl_container_of(buffer, sp, base);
	if (access & ZC_CPU_WRITE)
		return false;
	*view = (struct zc_cpu_view){ .format = buffer->format, .n_planes = 1,
		.data = { &sp->pixel }, .stride = { 4 } };
	return true;
}

static void sp_buffer_end_cpu_access(struct zc_buffer *buffer)
{
}

static bool sp_buffer_get_solid_colour(struct zc_buffer *buffer, float rgba[4])
{
	struct sp_buffer *sp = wl_container_of(buffer, sp, base);
	for (int i = 0; i < 4; i++)
		rgba[i] = sp->rgba[i];
	return true;
}

static const struct zc_buffer_impl sp_buffer_impl = {
	.name = "single-pixel",
	.destroy = sp_buffer_destroy,
	.begin_cpu_access = sp_buffer_begin_cpu_access,
	.end_cpu_access = sp_buffer_end_cpu_access,
	.get_solid_colour = sp_buffer_get_solid_colour,
};

static void handle_resource_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_buffer_interface sp_wl_buffer_impl = {
	.destroy = handle_resource_destroy,
};

static uint32_t sp_channel8(uint32_t v)
{
	return (uint32_t)(((uint64_t)v * 255 + 0x7fffffffu) / 0xffffffffu);
}

static void handle_manager_create_u32_rgba_buffer(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, uint32_t r, uint32_t g, uint32_t b,
	uint32_t a)
{
	struct sp_buffer *sp = calloc(1, sizeof(*sp));
	struct wl_resource *buffer_resource = sp ?
		wl_resource_create(client, &wl_buffer_interface, 1, id) : NULL;
	if (!buffer_resource) {
		free(sp);
		wl_resource_post_no_memory(resource);
		return;
	}
	const uint32_t v[4] = { r, g, b, a };
	for (int i = 0; i < 4; i++)
		sp->rgba[i] = (float)((double)v[i] / (double)UINT32_MAX);
	sp->pixel = sp_channel8(a) << 24 | sp_channel8(r) << 16 | sp_channel8(g) << 8 |
		sp_channel8(b);
	wl_resource_set_implementation(buffer_resource, &sp_wl_buffer_impl, sp, NULL);
	/* Fully opaque: XRGB, so the renderers replace instead of blending. */
	buffer_init(&sp->base, &sp_buffer_impl, buffer_resource, 1, 1,
		a == UINT32_MAX ? DRM_FORMAT_XRGB8888 : DRM_FORMAT_ARGB8888);
}

static const struct wp_single_pixel_buffer_manager_v1_interface manager_impl = {
	.destroy = handle_resource_destroy,
	.create_u32_rgba_buffer = handle_manager_create_u32_rgba_buffer,
};

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *resource = wl_resource_create(client,
		&wp_single_pixel_buffer_manager_v1_interface, (int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &manager_impl, data, NULL);
}

bool single_pixel_buffer_global_create(struct zc_server *server)
{
	return wl_global_create(server->display, &wp_single_pixel_buffer_manager_v1_interface,
		SINGLE_PIXEL_BUFFER_VERSION, server, bind_manager) != NULL;
}
