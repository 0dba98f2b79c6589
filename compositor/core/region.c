/* wl_region: a set of rectangles, used for opaque and input regions. */
#include <stdlib.h>

#include "base/util.h"
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

/* Any int32 is legal; pixman ignores a rectangle whose far edge passes
 * INT32_MAX (and computes that edge in int), so the rectangle is clipped
 * to +-ZC_COORD_LIMIT first: beyond any output, so nothing visible changes. */
static bool region_rect(int32_t x, int32_t y, int32_t width, int32_t height, int32_t out[4])
{
	return zc_rect_clip(x, y, width, height, -ZC_COORD_LIMIT, ZC_COORD_LIMIT, out);
}

static void handle_region_add(struct wl_client *client, struct wl_resource *resource,
	int32_t x, int32_t y, int32_t width, int32_t height)
{
	struct zc_region *r = wl_resource_get_user_data(resource);
	int32_t b[4];
	if (region_rect(x, y, width, height, b))
		pixman_region32_union_rect(&r->region, &r->region, b[0], b[1], (uint32_t)b[2],
			(uint32_t)b[3]);
}

static void handle_region_subtract(struct wl_client *client, struct wl_resource *resource,
	int32_t x, int32_t y, int32_t width, int32_t height)
{
	struct zc_region *r = wl_resource_get_user_data(resource);
	int32_t b[4];
	if (!region_rect(x, y, width, height, b))
		return;
	pixman_region32_t rect;
	pixman_region32_init_rect(&rect, b[0], b[1], (uint32_t)b[2], (uint32_t)b[3]);
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
