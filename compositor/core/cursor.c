/*
 * The cursor: which image, where, and on which path each output shows it.
 *
 *   cursor_move / cursor_set_*   the state changes
 *   cursor_update                per output: the plane (impl->set_cursor and
 *                                a repaint without damage, so the backend
 *                                commits the plane alone), or damage on the
 *                                boxes the image leaves and enters
 *   cursor_draw                  the composited path, last in output_render
 *
 * The default image is drawn here rather than loaded from an Xcursor theme:
 * it exists on every machine (CI, a bare VM) and its pixels are known, so
 * tests can check them. Named shapes (cursor-shape-v1) come from the theme
 * (cursor_theme.c), and fall back to the arrow where it has none.
 */
#include "cursor.h"

#include <drm_fourcc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "renderer/renderer.h"
#include "base/buffer.h"
#include "cursor_arrow.h"
#include "cursor_theme.h"
#include "output.h"
#include "surface.h"

struct zc_cursor {
	struct zc_server *server;
	double x, y;
	struct zc_buffer *arrow;
	struct zc_cursor_theme *theme;
	/* A named image from the theme (its cache owns it), or NULL. */
	const struct zc_cursor_image *shape;
	/* The client surface with the cursor role, or NULL: arrow or hidden. */
	struct zc_surface *surface;
	struct wl_listener surface_destroy;
	bool hidden;
	/* Nothing is shown before the pointer first moved: without a pointing
	 * device (headless, a machine with only a keyboard) there is no cursor. */
	bool active;
	int32_t hotspot_x, hotspot_y;
	/* The box drawn last, in layout coordinates, for damage. */
	int32_t box_x, box_y, box_w, box_h;
	struct wl_listener new_output;
};

static const struct zc_surface_role cursor_role;

static struct zc_buffer *arrow_create(void)
{
	int32_t w = ZC_CURSOR_ARROW_WIDTH, h = ZC_CURSOR_ARROW_HEIGHT;
	struct zc_buffer *buffer = memory_buffer_create(w, h, DRM_FORMAT_ARGB8888);
	struct zc_cpu_view view;
	if (!buffer || !buffer_begin_cpu_access(buffer, ZC_CPU_WRITE, &view)) {
		if (buffer)
			buffer_drop(buffer);
		return NULL;
	}
	for (int32_t y = 0; y < h; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)view.data[0] + (size_t)y * view.stride[0]);
		for (int32_t x = 0; x < w; x++)
			row[x] = zc_cursor_arrow[y][x] == 'X' ? 0xff000000u :
				zc_cursor_arrow[y][x] == '.' ? 0xffffffffu : 0;
	}
	buffer_end_cpu_access(buffer);
	return buffer;
}

/* What to show: the image and its size in layout pixels, or NULL. */
static struct zc_buffer *cursor_image(const struct zc_cursor *cursor, int32_t *w, int32_t *h)
{
	if (cursor->hidden || !cursor->active)
		return NULL;
	if (cursor->surface) {
		*w = cursor->surface->width;
		*h = cursor->surface->height;
		return cursor->surface->buffer;
	}
	struct zc_buffer *image = cursor->shape ? cursor->shape->buffer : cursor->arrow;
	*w = image->width;
	*h = image->height;
	return image;
}

/* Damage in the composited outputs only: plane outputs need none. */
static void damage_box(struct zc_cursor *cursor, int32_t x, int32_t y, int32_t w, int32_t h)
{
	if (w <= 0 || h <= 0)
		return;
	struct zc_output *output;
	wl_list_for_each(output, &cursor->server->outputs, link) {
		if (!output->cursor_on_plane)
			output_damage_box(output, x, y, w, h);
	}
}

/* A plane cannot scale: it shows the image at its buffer size, with the
 * hotspot (in buffer pixels) on the pointer's output pixel under --scale.
 * w, h: the image's size in the layout. */
static void plane_position(const struct zc_cursor *cursor, const struct zc_output *output,
	const struct zc_buffer *image, int32_t w, int32_t h, int32_t *hx, int32_t *hy,
	int32_t *x, int32_t *y)
{
	pixman_box32_t at;
	output_box_pixels(output, (int64_t)floor(cursor->x), (int64_t)floor(cursor->y), 1, 1,
		&at);
	*hx = w > 0 ? (int32_t)((int64_t)cursor->hotspot_x * image->width / w) : 0;
	*hy = h > 0 ? (int32_t)((int64_t)cursor->hotspot_y * image->height / h) : 0;
	*x = at.x1 - *hx;
	*y = at.y1 - *hy;
}

/* One output: on its plane if the backend can (the output under the
 * hotspot gets the image, the others none), else composited. */
static void update_output(struct zc_cursor *cursor, struct zc_output *output,
	struct zc_buffer *image, int32_t w, int32_t h, bool changed)
{
	bool on_output = image && cursor->x >= output->x && cursor->y >= output->y &&
		cursor->x < output->x + output->logical_width &&
		cursor->y < output->y + output->logical_height;
	int32_t x = 0, y = 0, hx = 0, hy = 0;
	if (on_output)
		plane_position(cursor, output, image, w, h, &hx, &hy, &x, &y);
	bool was_on_plane = output->cursor_on_plane;
	output->cursor_on_plane = output->impl->set_cursor &&
		output->impl->set_cursor(output, on_output ? image : NULL, x, y, hx, hy, changed);
	if (output->cursor_on_plane)
		output_schedule_repaint(output);
	else if (was_on_plane)
		output_damage_whole(output);
}

/* changed: the image's pixels (or which image) changed, not only its place. */
static void cursor_update(struct zc_cursor *cursor, bool changed)
{
	int32_t w = 0, h = 0;
	struct zc_buffer *image = cursor_image(cursor, &w, &h);
	int32_t x = (int32_t)floor(cursor->x) - cursor->hotspot_x;
	int32_t y = (int32_t)floor(cursor->y) - cursor->hotspot_y;
	damage_box(cursor, cursor->box_x, cursor->box_y, cursor->box_w, cursor->box_h);
	struct zc_output *output;
	wl_list_for_each(output, &cursor->server->outputs, link)
		update_output(cursor, output, image, w, h, changed);
	cursor->box_x = x;
	cursor->box_y = y;
	cursor->box_w = image ? w : 0;
	cursor->box_h = image ? h : 0;
	damage_box(cursor, x, y, cursor->box_w, cursor->box_h);
}

void cursor_move(struct zc_cursor *cursor, double x, double y)
{
	if (!cursor || (cursor->active && x == cursor->x && y == cursor->y))
		return;
	cursor->active = true;
	cursor->x = x;
	cursor->y = y;
	zc_debug("cursor: at %d,%d", (int)floor(x), (int)floor(y));
	cursor_update(cursor, false);
}

bool cursor_get_position(const struct zc_cursor *cursor, double *x, double *y)
{
	if (!cursor || !cursor->active)
		return false;
	*x = cursor->x;
	*y = cursor->y;
	return true;
}

static void cursor_forget_surface(struct zc_cursor *cursor)
{
	if (!cursor->surface)
		return;
	wl_list_remove(&cursor->surface_destroy.link);
	cursor->surface = NULL;
}

void cursor_set_default(struct zc_cursor *cursor)
{
	if (!cursor || (!cursor->surface && !cursor->shape && !cursor->hidden &&
			       !cursor->hotspot_x && !cursor->hotspot_y))
		return;
	cursor_forget_surface(cursor);
	cursor->shape = NULL;
	cursor->hidden = false;
	cursor->hotspot_x = cursor->hotspot_y = 0;
	cursor_update(cursor, true);
}

static void handle_cursor_surface_destroy(struct wl_listener *listener, void *data)
{
	struct zc_cursor *cursor = wl_container_of(listener, cursor, surface_destroy);
	/* Gone with its client, usually: the arrow, until someone sets another. */
	cursor_forget_surface(cursor);
	cursor->hidden = false;
	cursor->hotspot_x = cursor->hotspot_y = 0;
	cursor_update(cursor, true);
}

void cursor_set_surface(struct zc_cursor *cursor, struct wl_resource *pointer,
	struct wl_resource *surface_resource, int32_t hotspot_x, int32_t hotspot_y)
{
	struct zc_surface *surface =
		surface_resource ? surface_from_resource(surface_resource) : NULL;
	if (surface && !surface_set_role(surface, &cursor_role, cursor, pointer,
			       WL_POINTER_ERROR_ROLE))
		return;
	if (surface != cursor->surface) {
		cursor_forget_surface(cursor);
		if (surface)
			wl_signal_add(&surface->destroy_signal, &cursor->surface_destroy);
		cursor->surface = surface;
	}
	cursor->shape = NULL;
	cursor->hidden = surface == NULL;
	cursor->hotspot_x = hotspot_x;
	cursor->hotspot_y = hotspot_y;
	zc_debug("cursor: %s, hotspot %d,%d", surface ? "client surface" : "hidden",
		hotspot_x, hotspot_y);
	cursor_update(cursor, true);
}

void cursor_set_named(struct zc_cursor *cursor, const char *name, const char *alt)
{
	const struct zc_cursor_image *image = cursor_theme_get(cursor->theme, name, alt);
	cursor_forget_surface(cursor);
	cursor->shape = image;
	cursor->hidden = false;
	cursor->hotspot_x = image ? image->hotspot_x : 0;
	cursor->hotspot_y = image ? image->hotspot_y : 0;
	zc_debug("cursor: shape '%s'%s", name, image ? "" : " (the arrow: not in the theme)");
	cursor_update(cursor, true);
}

/* A commit on the cursor surface: new pixels, and wl_surface.attach's
 * offset moves the hotspot the other way. */
static void handle_cursor_role_commit(struct zc_surface *surface)
{
	struct zc_cursor *cursor = surface->role_data;
	if (!cursor || cursor->surface != surface)
		return;
	cursor->hotspot_x -= surface->current.dx;
	cursor->hotspot_y -= surface->current.dy;
	surface->current.dx = surface->current.dy = 0;
	cursor_update(cursor, true);
}

/* The cursor surface is on the output under the pointer, if it is shown. */
static struct zc_output *handle_cursor_role_output(struct zc_surface *surface)
{
	struct zc_cursor *cursor = surface->role_data;
	if (!cursor || cursor->surface != surface || cursor->hidden)
		return NULL;
	return output_at(cursor->server, (int32_t)cursor->x, (int32_t)cursor->y);
}

static const struct zc_surface_role cursor_role = {
	.name = "cursor",
	.commit = handle_cursor_role_commit,
	.output = handle_cursor_role_output,
};

bool cursor_needs_composition(struct zc_output *output)
{
	struct zc_cursor *cursor = output->server->cursor;
	int32_t w = 0, h = 0;
	if (!cursor || output->cursor_on_plane || !cursor_image(cursor, &w, &h))
		return false;
	return cursor->box_x < output->x + output->logical_width && cursor->box_y < output->y +
		output->logical_height && cursor->box_x + w > output->x && cursor->box_y + h > output->y;
}

void cursor_draw(struct zc_output *output, struct zc_renderer *renderer,
	const pixman_region32_t *damage)
{
	struct zc_cursor *cursor = output->server->cursor;
	int32_t w = 0, h = 0;
	struct zc_buffer *image = cursor ? cursor_image(cursor, &w, &h) : NULL;
	pixman_box32_t box;
	if (!image || output->cursor_on_plane || w <= 0 || h <= 0 ||
	    !output_box_pixels(output, cursor->box_x, cursor->box_y, w, h, &box))
		return;
	/* Composited, the cursor scales with the rest of the layout. */
	struct zc_draw draw = {
		.x = box.x1,
		.y = box.y1,
		.width = box.x2 - box.x1,
		.height = box.y2 - box.y1,
		.src_width = image->width,
		.src_height = image->height,
	};
	pixman_region32_t clip, all;
	pixman_region32_init(&clip);
	pixman_region32_init_rect(&all, 0, 0, (uint32_t)image->width, (uint32_t)image->height);
	pixman_region32_intersect_rect(&clip, damage, draw.x, draw.y, (uint32_t)draw.width,
		(uint32_t)draw.height);
	if (pixman_region32_not_empty(&clip)) {
		draw.clip = &clip;
		draw.buffer_damage = &all;
		renderer_draw_buffer(renderer, image, &draw);
	}
	pixman_region32_fini(&all);
	pixman_region32_fini(&clip);
}

static void handle_cursor_new_output(struct wl_listener *listener, void *data)
{
	struct zc_cursor *cursor = wl_container_of(listener, cursor, new_output);
	cursor_update(cursor, true);
}

bool cursor_create(struct zc_server *server)
{
	struct zc_cursor *cursor = calloc(1, sizeof(*cursor));
	if (!cursor)
		return false;
	cursor->server = server;
	cursor->arrow = arrow_create();
	cursor->theme = cursor_theme_create();
	if (!cursor->arrow || !cursor->theme) {
		zc_err("cursor: cannot create the default image and theme (out of memory)");
		cursor_theme_destroy(cursor->theme);
		if (cursor->arrow)
			buffer_drop(cursor->arrow);
		free(cursor);
		return false;
	}
	cursor->surface_destroy.notify = handle_cursor_surface_destroy;
	cursor->new_output.notify = handle_cursor_new_output;
	wl_signal_add(&server->new_output, &cursor->new_output);
	server->cursor = cursor;
	cursor_update(cursor, true);
	return true;
}

void cursor_destroy(struct zc_server *server)
{
	struct zc_cursor *cursor = server->cursor;
	if (!cursor)
		return;
	cursor_forget_surface(cursor);
	wl_list_remove(&cursor->new_output.link);
	buffer_drop(cursor->arrow);
	cursor_theme_destroy(cursor->theme);
	free(cursor);
	server->cursor = NULL;
}
