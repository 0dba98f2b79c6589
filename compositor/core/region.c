/* wl_region: a set of rectangles, used for opaque and input regions. */
#include <stdlib.h>

#include "surface.h"

struct zc_region {
	pixman_region32_t region;
};

pixman_region32_t *region_from_resource(struct wl_resource *resource)
{
	struct zc_region *r = wl_resource_get_user_data(resource);
	return &r->region;
}

static void handle_region_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void handle_region_add(struct wl_client *client, struct wl_resource *resource,
	int32_t x, int32_t y, int32_t width, int32_t height)
{
	struct zc_region *r = wl_resource_get_user_data(resource);
	if (width > 0 && height > 0)
		pixman_region32_union_rect(&r->region, &r->region, x, y, (uint32_t)width,
			(uint32_t)height);
}

static void handle_region_subtract(struct wl_client *client, struct wl_resource *resource,
	int32_t x, int32_t y, int32_t width, int32_t height)
{
	struct zc_region *r = wl_resource_get_user_data(resource);
	if (width <= 0 || height <= 0)
		return;
	pixman_region32_t rect;
	pixman_region32_init_rect(&rect, x, y, (uint32_t)width, (uint32_t)height);
	pixman_region32_subtract(&r->region, &r->region, &rect);
	pixman_region32_fini(&rect);
}

static const struct wl_region_interface region_impl = {
	.destroy = handle_region_destroy,
	.add = handle_region_add,
	.subtract = handle_region_subtract,
};

static void handle_region_resource_destroy(struct wl_resource *resource)
{
	struct zc_region *r = wl_resource_get_user_data(resource);
	pixman_region32_fini(&r->region);
	free(r);
}

void region_create(struct wl_client *client, struct wl_resource *resource, uint32_t id)
{
	struct zc_region *r = calloc(1, sizeof(*r));
	if (!r) {
		wl_resource_post_no_memory(resource);
		return;
	}
	struct wl_resource *res = wl_resource_create(client, &wl_region_interface, 1, id);
	if (!res) {
		free(r);
		wl_resource_post_no_memory(resource);
		return;
	}
	pixman_region32_init(&r->region);
	wl_resource_set_implementation(res, &region_impl, r, handle_region_resource_destroy);
}
