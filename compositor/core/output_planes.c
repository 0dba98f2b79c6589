/*
 * Plane assignment: per frame, which views' buffers the display scans out
 * as they are, and which the renderer composites into the primary plane.
 *
 *   walk        views top-down; a view whose surface is one opaque dma-buf
 *               shown as it is, entirely on the output, is a candidate
 *               unless something composited above overlaps it (that would
 *               be drawn under it)
 *   primary     a candidate covering the whole output, with nothing
 *               composited above, is the frame itself: nothing below it
 *               is visible
 *   overlays    other candidates are added, topmost first, below the
 *               layers already accepted
 *   TEST_ONLY   each try is checked by the backend (test_frame); the tries
 *               of one frame are bounded in number and time, the rest is
 *               composited and the overrun counted and logged
 */
#include <time.h>

#include "base/buffer.h"
#include "cursor.h"
#include "output.h"
#include "stats.h"
#include "surface.h"

/* TEST_ONLY commits per frame, and the time they may take: a frame must not
 * wait for the driver's checks of views that would not fit anyway. The
 * time budget is one refresh period, counted once PLAN_MIN_TESTS were made
 * (on an emulated machine one check can take milliseconds). Backends answer
 * what they have tested before without a new test, so only changes cost. */
#define PLAN_MAX_TESTS 12
#define PLAN_MIN_TESTS 3
#define PLAN_DEFAULT_BUDGET_NS 16666667ll

struct plan_walk {
	struct zc_output *output;
	struct zc_plane_plan *plan;
	pixman_region32_t composited; /* output pixels, above the view */
	int64_t start_ns, budget_ns;
	int tests; /* TEST_ONLY commits made */
	bool over_budget;
};

static int64_t now_ns(void)
{
	return (int64_t)timespec_now_ns();
}

struct view_region_ctx {
	struct zc_output *output;
	struct zc_view *view;
	pixman_region32_t *region;
};

/* The pixels output_render draws the surface on. */
static void add_surface_box(struct zc_surface *surface, int32_t sx, int32_t sy, void *data)
{
	struct view_region_ctx *ctx = data;
	pixman_box32_t b;
	if (surface->buffer && surface->width > 0 && surface->height > 0 &&
	    output_box_pixels(ctx->output, (int64_t)ctx->view->x + sx, (int64_t)ctx->view->y + sy,
		    surface->width, surface->height, &b))
		pixman_region32_union_rect(ctx->region, ctx->region, b.x1, b.y1,
			(uint32_t)(b.x2 - b.x1), (uint32_t)(b.y2 - b.y1));
}

/* What the view's surface tree covers on the output, in its pixels. */
static void view_region(struct zc_output *output, struct zc_view *view,
	pixman_region32_t *region)
{
	struct view_region_ctx ctx = { output, view, region };
	surface_for_each_mapped(view->surface, add_surface_box, &ctx);
	pixman_region32_intersect_rect(region, region, 0, 0, (uint32_t)output->width,
		(uint32_t)output->height);
}

/* No alpha channel, or an opaque region over all of it: nothing below the
 * surface shows through, so planes need no blending. */
static bool surface_is_opaque(struct zc_surface *surface)
{
	if (surface->buffer->opaque)
		return true;
	pixman_box32_t box = { 0, 0, surface->width, surface->height };
	return pixman_region32_contains_rectangle(&surface->current.opaque, &box) ==
		PIXMAN_REGION_IN;
}

/* Whether the buffer lands pixel for pixel on box: its whole buffer (no
 * crop, or a crop of all of it), untransformed, exactly box's size, so the
 * renderer would copy it and a plane can show it unscaled. Buffer scale,
 * wp_viewport and --scale may all take part (a client drawing at F through
 * fractional-scale-v1 with a viewport). A one-colour buffer looks the same
 * whatever brought it to its size: the plane stretches its single pixel. */
static bool surface_shown_as_is(struct zc_surface *surface, const pixman_box32_t *box)
{
	const struct zc_surface_state *cur = &surface->current;
	const struct zc_buffer *buffer = surface->buffer;
	float rgba[4];
	if (buffer_get_solid_colour(surface->buffer, rgba))
		return true;
	bool whole = cur->src_width <= 0 || (cur->src_x == 0 && cur->src_y == 0 &&
		cur->src_width * cur->scale == buffer->width &&
		cur->src_height * cur->scale == buffer->height);
	return whole && cur->transform == WL_OUTPUT_TRANSFORM_NORMAL &&
		box->x2 - box->x1 == buffer->width && box->y2 - box->y1 == buffer->height;
}

/* The view as one layer, in output pixels: an opaque dma-buf shown pixel
 * for pixel (surface_shown_as_is; no subsurfaces), or an opaque
 * single-pixel buffer at any size, entirely on the output. */
static bool view_layer(struct zc_output *output, struct zc_view *view, struct zc_layer *layer)
{
	struct zc_surface *surface = view->surface;
	struct zc_buffer *buffer = surface->buffer;
	float rgba[4];
	pixman_box32_t box;
	if (!buffer || !(buffer_get_dmabuf(buffer) || buffer_get_solid_colour(buffer, rgba)) ||
	    !surface_is_opaque(surface) ||
	    !output_box_pixels(output, view->x, view->y, surface->width, surface->height, &box) ||
	    !surface_shown_as_is(surface, &box))
		return false;
	/* children holds the surface itself: one entry = no subsurfaces. */
	if (surface->children.next != surface->children.prev)
		return false;
	*layer = (struct zc_layer){ .buffer = buffer, .x = box.x1, .y = box.y1,
		.width = box.x2 - box.x1, .height = box.y2 - box.y1 };
	return layer->x >= 0 && layer->y >= 0 && layer->x + layer->width <= output->width &&
		layer->y + layer->height <= output->height;
}

static int plan_tests_left(const struct plan_walk *w)
{
	if (w->tests >= PLAN_MIN_TESTS && now_ns() - w->start_ns >= w->budget_ns)
		return 0;
	return PLAN_MAX_TESTS - w->tests;
}

static bool plan_test(struct plan_walk *w, struct zc_buffer *primary,
	const struct zc_layers *layers, enum zc_plane_failure *why)
{
	int left = plan_tests_left(w), before = left;
	bool ok = w->output->impl->test_frame(w->output, primary, layers, &left, why);
	w->tests += before - left;
	if (!ok && *why == ZC_PLANE_UNTESTED)
		w->over_budget = true;
	return ok;
}

/* One TEST_ONLY try: the layer as the primary's buffer, or below the
 * layers accepted so far. */
static bool plan_try(struct plan_walk *w, struct zc_view *view, const struct zc_layer *layer,
	bool primary, enum zc_plane_failure *why)
{
	struct zc_plane_plan *plan = w->plan;
	*why = ZC_PLANE_NO_PLANE;
	if (!primary && plan->layers.n == OUTPUT_MAX_LAYERS)
		return false;
	if (primary)
		return plan_test(w, layer->buffer, &plan->layers, why);
	struct zc_layers layers = plan->layers;
	layers.layer[layers.n++] = *layer;
	if (!plan_test(w, NULL, &layers, why))
		return false;
	plan->layer_surfaces[plan->layers.n] = view->surface;
	plan->layers = layers;
	return true;
}

static bool plan_candidate(struct plan_walk *w, struct zc_view *view,
	const pixman_region32_t *region, struct zc_layer *layer)
{
	if (!view_layer(w->output, view, layer))
		return false;
	pixman_region32_t overlap;
	pixman_region32_init(&overlap);
	pixman_region32_intersect(&overlap, &w->composited, region);
	bool free_above = !pixman_region32_not_empty(&overlap);
	pixman_region32_fini(&overlap);
	return free_above;
}

const char *zc_plane_failure_name(enum zc_plane_failure why)
{
	static const char *const names[] = { "ok", "not importable", "refused by the driver",
		"no free plane", "not a candidate", "over budget", "no plane lists the format",
		"no plane can be told the YUV encoding (COLOR_ENCODING/COLOR_RANGE)" };
	return (size_t)why < sizeof(names) / sizeof(names[0]) ? names[why] : "?";
}

/* Places the view; returns false when nothing below it can be seen. */
static bool plan_view(struct plan_walk *w, struct zc_view *view)
{
	struct zc_output *output = w->output;
	pixman_region32_t region;
	pixman_region32_init(&region);
	view_region(output, view, &region);
	struct zc_layer layer;
	bool visible = pixman_region32_not_empty(&region);
	bool candidate = visible && plan_candidate(w, view, &region, &layer);
	/* A single pixel covering the output is tried as an overlay: the
	 * primary plane's framebuffer is always of the mode's size. */
	bool fullscreen = candidate && layer.width == output->width &&
		layer.height == output->height && layer.buffer->width == layer.width;
	enum zc_plane_failure why = ZC_PLANE_NOT_CANDIDATE, overlay_why = ZC_PLANE_NO_PLANE;
	bool primary = fullscreen && plan_try(w, view, &layer, true, &why);
	bool overlay = !primary && candidate && plan_try(w, view, &layer, false, &overlay_why);
	if (candidate && !fullscreen)
		why = overlay_why;
	if (primary)
		w->plan->primary = view->surface;
	else if (!overlay)
		pixman_region32_union(&w->composited, &w->composited, &region);
	if (visible) {
		struct zc_plane_result result = { .output = output, .primary = fullscreen,
			.why = overlay ? ZC_PLANE_OK : why };
		wl_signal_emit_mutable(&view->surface->plane_result, &result);
		/* Path accounting says why a surface was composited. */
		view->surface->stats.plane = result.why == ZC_PLANE_OK || primary ? NULL :
			zc_plane_failure_name(result.why);
	}
	if (!primary && !overlay && view->surface->plane_output == output)
		zc_debug("output %s: surface %u leaves its plane (%s)", output->name,
			wl_resource_get_id(view->surface->resource), zc_plane_failure_name(why));
	pixman_region32_fini(&region);
	return !primary;
}

static void plan_log_budget(struct zc_output *output, const struct plan_walk *w)
{
	uint64_t n = ++output->plane_budget_exceeded;
	if (n <= 3 || n % 100 == 0)
		zc_info("output %s: plane assignment stopped after %d tests, %.3f ms: untested "
			"views are composited (%llu frames so far)", output->name, w->tests,
			(double)(now_ns() - w->start_ns) / 1e6, (unsigned long long)n);
}

void output_plan_planes(struct zc_output *output, struct zc_plane_plan *plan)
{
	*plan = (struct zc_plane_plan){ 0 };
	/* A cursor drawn into the frame must stay above every window: no
	 * window may then sit on a plane over the primary. */
	if (!output->impl->test_frame || output->server->options->no_scanout || cursor_needs_composition(output))
		return;
	uint64_t refresh = output_refresh_nsec(output);
	struct plan_walk w = { .output = output, .plan = plan, .start_ns = now_ns(),
		.budget_ns = refresh ? (int64_t)refresh : PLAN_DEFAULT_BUDGET_NS };
	pixman_region32_init(&w.composited);
	struct zc_view *view;
	wl_list_for_each_reverse(view, &output->server->views, link) {
		if (!plan_view(&w, view))
			break;
	}
	pixman_region32_fini(&w.composited);
	if (w.over_budget)
		plan_log_budget(output, &w);
}

/* ---- what the plan means for surfaces ---- */

static void account_scanout(struct zc_output *output, struct zc_surface *surface, bool always)
{
	surface->plane_output = output;
	/* A frame counts when the client changed the buffer's contents: the
	 * composited path counts the frames it reads the same way. */
	if (!always && !pixman_region32_not_empty(&surface->buffer_damage))
		return;
	struct zc_draw_stats stats = { .path = ZC_DRAW_PATH_SCANOUT };
	stats_record_draw(surface, &stats);
	pixman_region32_clear(&surface->buffer_damage);
}

void output_plan_account(struct zc_output *output, const struct zc_plane_plan *plan)
{
	struct zc_surface *surface;
	wl_list_for_each(surface, &output->server->surfaces, link) {
		if (surface->plane_output == output)
			surface->plane_output = NULL;
	}
	if (plan->primary)
		account_scanout(output, plan->primary, true);
	for (int i = 0; i < plan->layers.n; i++)
		account_scanout(output, plan->layer_surfaces[i], false);
}

/* ---- layer sets ---- */

void output_layers_copy_locked(struct zc_layers *dst, const struct zc_layers *src)
{
	*dst = *src;
	for (int i = 0; i < dst->n; i++)
		buffer_lock(dst->layer[i].buffer);
}

void output_layers_unlock(struct zc_layers *layers)
{
	for (int i = 0; i < layers->n; i++)
		buffer_unlock(layers->layer[i].buffer);
	layers->n = 0;
}

bool output_layers_equal(const struct zc_layers *a, const struct zc_layers *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++) {
		const struct zc_layer *la = &a->layer[i], *lb = &b->layer[i];
		if (la->buffer != lb->buffer || la->x != lb->x || la->y != lb->y ||
		    la->width != lb->width || la->height != lb->height)
			return false;
	}
	return true;
}
