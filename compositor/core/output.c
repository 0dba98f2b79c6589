/*
 * Outputs and the repaint loop: the middle of the frame path.
 *
 *   surface_apply_state()   damage -> output_schedule_repaint()
 *   output_repaint()        plane assignment (output_planes.c): client
 *                           dma-bufs the display scans out as they are, on
 *                           the primary plane (the whole frame, no rendering)
 *                           or on overlay planes; the rest is composited:
 *                           back buffer from the backend, damage widened by
 *                           the buffer's age, renderer begin/draw/end; the
 *                           frame's callbacks and feedback move to the output
 *   impl->commit()          the backend puts the frame on screen
 *   output_present()        the backend's report that it is on screen:
 *                           feedback presented, frame callbacks done, and
 *                           the next repaint if something changed meanwhile
 *
 * One frame is in flight per output at a time; changes are collected until
 * the repaint's deadline before the next refresh it can make
 * (output_schedule.c), also while a frame is pending.
 */
#include "output.h"

#include <stdlib.h>
#include <string.h>

#include "renderer/renderer.h"
#include "base/buffer.h"
#include "base/util.h"
#include "cursor.h"
#include "stats.h"
#include "surface.h"

#define OUTPUT_VERSION 4

static const float background[4] = { 0.1f, 0.1f, 0.12f, 1.0f };

const struct zc_plane_formats *output_plane_formats(struct zc_output *output, bool primary)
{
	return output->impl->plane_formats ? output->impl->plane_formats(output, primary) : NULL;
}

struct zc_output_readback *output_readback(struct zc_output *output,
	output_readback_done_fn done, void *data)
{
	return output->impl->readback ? output->impl->readback(output, done, data) : NULL;
}

void output_readback_cancel(struct zc_output_readback *readback)
{
	if (readback)
		readback->output->impl->cancel_readback(readback);
}

void output_readback_done(struct zc_output_readback *readback, struct zc_buffer *frame,
	const struct timespec *when)
{
	readback->done(readback->data, frame, when);
}

uint64_t output_refresh_nsec(const struct zc_output *output)
{
	if (output->refresh_mhz <= 0)
		return 0;
	return 1000000000000ull / (uint64_t)output->refresh_mhz;
}

struct zc_output *output_at(struct zc_server *server, int32_t lx, int32_t ly)
{
	struct zc_output *output;
	wl_list_for_each(output, &server->outputs, link) {
		if (lx >= output->x && ly >= output->y && lx < output->x + output->logical_width &&
		    ly < output->y + output->logical_height)
			return output;
	}
	return NULL;
}

void output_damage_whole(struct zc_output *output)
{
	pixman_region32_union_rect(&output->damage, &output->damage, 0, 0,
		(uint32_t)output->width, (uint32_t)output->height);
	output_schedule_repaint(output);
}

/* region: layout coordinates. */
static void output_damage_region(struct zc_output *output, const pixman_region32_t *region)
{
	pixman_region32_t local, pixels;
	pixman_region32_init(&local);
	pixman_region32_init(&pixels);
	pixman_region32_intersect_rect(&local, region, output->x, output->y,
		(uint32_t)output->logical_width, (uint32_t)output->logical_height);
	if (pixman_region32_not_empty(&local)) {
		output_region_pixels(output, &local, &pixels);
		pixman_region32_intersect_rect(&pixels, &pixels, 0, 0, (uint32_t)output->width,
			(uint32_t)output->height);
		pixman_region32_union(&output->damage, &output->damage, &pixels);
		output_schedule_repaint(output);
	}
	pixman_region32_fini(&pixels);
	pixman_region32_fini(&local);
}

void output_damage_layout_region(struct zc_server *server, const pixman_region32_t *region)
{
	struct zc_output *output;
	wl_list_for_each(output, &server->outputs, link)
		output_damage_region(output, region);
}

void output_damage_box(struct zc_output *output, int32_t x, int32_t y, int32_t width,
	int32_t height)
{
	int32_t r[4];
	if (!zc_rect_clip(x, y, width, height, -ZC_COORD_LIMIT, ZC_COORD_LIMIT, r))
		return;
	pixman_region32_t box;
	pixman_region32_init_rect(&box, r[0], r[1], (uint32_t)r[2], (uint32_t)r[3]);
	output_damage_region(output, &box);
	pixman_region32_fini(&box);
}

void output_damage_layout_box(struct zc_server *server, int32_t x, int32_t y,
	int32_t width, int32_t height)
{
	struct zc_output *output;
	wl_list_for_each(output, &server->outputs, link)
		output_damage_box(output, x, y, width, height);
}

void output_set_power(struct zc_output *output, bool on)
{
	if (output->power_off == !on)
		return;
	zc_info("output %s: display %s", output->name, on ? "on" : "off (idle)");
	output->power_off = !on;
	if (output->impl->set_power)
		output->impl->set_power(output, on);
	if (on)
		output_damage_whole(output);
}

/* ---- drawing ---- */

struct repaint_ctx {
	struct zc_output *output;
	struct zc_renderer *renderer;
	const pixman_region32_t *damage;
	int32_t origin_x, origin_y; /* view origin in layout coordinates */
};

static void draw_source_box(const struct zc_surface *surface, struct zc_draw *draw)
{
	const struct zc_surface_state *cur = &surface->current;
	if (cur->src_width > 0) {
		draw->src_x = cur->src_x * cur->scale;
		draw->src_y = cur->src_y * cur->scale;
		draw->src_width = cur->src_width * cur->scale;
		draw->src_height = cur->src_height * cur->scale;
	} else {
		draw->src_x = draw->src_y = 0;
		draw->src_width = surface->buffer->width;
		draw->src_height = surface->buffer->height;
	}
}

static void repaint_surface(struct zc_surface *surface, int32_t sx, int32_t sy, void *data)
{
	struct repaint_ctx *ctx = data;
	if (!surface->buffer || surface->width <= 0 || surface->height <= 0)
		return;
	pixman_box32_t box;
	if (!output_box_pixels(ctx->output, (int64_t)ctx->origin_x + sx,
		    (int64_t)ctx->origin_y + sy, surface->width, surface->height, &box))
		return;
	struct zc_draw draw = {
		.x = box.x1,
		.y = box.y1,
		.width = box.x2 - box.x1,
		.height = box.y2 - box.y1,
		.buffer_damage = &surface->buffer_damage,
	};
	draw_source_box(surface, &draw);
	pixman_region32_t clip;
	pixman_region32_init(&clip);
	pixman_region32_intersect_rect(&clip, ctx->damage, draw.x, draw.y,
		(uint32_t)draw.width, (uint32_t)draw.height);
	if (pixman_region32_not_empty(&clip)) {
		struct zc_draw_stats stats = { 0 };
		draw.clip = &clip;
		draw.stats = &stats;
		renderer_draw_buffer(ctx->renderer, surface->buffer, &draw);
		stats_record_draw(surface, &stats);
		/* The renderer has read what the client changed. */
		pixman_region32_clear(&surface->buffer_damage);
	}
	pixman_region32_fini(&clip);
}

/* Damage the back buffer needs: this frame's plus that of the frames it
 * missed, or everything when its age is unknown. */
static void output_buffer_damage(struct zc_output *output, int age, pixman_region32_t *out)
{
	pixman_region32_copy(out, &output->damage);
	if (age <= 0 || age > OUTPUT_DAMAGE_HISTORY) {
		pixman_region32_union_rect(out, out, 0, 0, (uint32_t)output->width,
			(uint32_t)output->height);
		return;
	}
	for (int i = 0; i < age - 1; i++)
		pixman_region32_union(out, out, &output->damage_history[i]);
}

static void output_push_damage_history(struct zc_output *output)
{
	pixman_region32_fini(&output->damage_history[OUTPUT_DAMAGE_HISTORY - 1]);
	memmove(&output->damage_history[1], &output->damage_history[0],
		sizeof(output->damage_history[0]) * (OUTPUT_DAMAGE_HISTORY - 1));
	pixman_region32_init(&output->damage_history[0]);
	pixman_region32_copy(&output->damage_history[0], &output->damage);
	pixman_region32_clear(&output->damage);
}

static bool output_render(struct zc_output *output, struct zc_buffer *target,
	const pixman_region32_t *damage)
{
	struct zc_renderer *renderer = output->server->renderer;
	if (!renderer_begin(renderer, target, damage))
		return false;
	renderer_clear(renderer, damage, background);
	struct repaint_ctx ctx = { .output = output, .renderer = renderer, .damage = damage };
	struct zc_view *view;
	wl_list_for_each(view, &output->server->views, link) {
		ctx.origin_x = view->x;
		ctx.origin_y = view->y;
		surface_for_each_mapped(view->surface, repaint_surface, &ctx);
	}
	cursor_draw(output, renderer, damage);
	return renderer_end(renderer);
}

/* Callbacks and feedback of every surface this output paces join the frame. */
static void output_collect_frame_requests(struct zc_output *output)
{
	struct zc_surface *surface;
	wl_list_for_each(surface, &output->server->surfaces, link) {
		if (surface->output != output)
			continue;
		/* Only buffers on a plane reach the screen without a copy. */
		if (surface->plane_output == output)
			presentation_feedback_list_mark_zero_copy(&surface->feedbacks);
		wl_list_insert_list(output->frame_callbacks.prev, &surface->frame_callbacks);
		wl_list_init(&surface->frame_callbacks);
		wl_list_insert_list(output->feedbacks.prev, &surface->feedbacks);
		wl_list_init(&surface->feedbacks);
	}
}

/* ---- direct scanout and planes ---- */

/* What leaves a plane is composited again: its area is repainted. */
static bool output_apply_layers(struct zc_output *output, const struct zc_layers *layers)
{
	const struct zc_layers *cur = &output->layers_front;
	if (output_layers_equal(cur, layers))
		return false;
	pixman_region32_t left;
	pixman_region32_init(&left);
	for (int i = 0; i < cur->n; i++)
		pixman_region32_union_rect(&left, &left, cur->layer[i].x, cur->layer[i].y,
			(uint32_t)cur->layer[i].width, (uint32_t)cur->layer[i].height);
	for (int i = 0; i < layers->n; i++) {
		pixman_region32_t box;
		pixman_region32_init_rect(&box, layers->layer[i].x, layers->layer[i].y,
			(uint32_t)layers->layer[i].width, (uint32_t)layers->layer[i].height);
		pixman_region32_subtract(&left, &left, &box);
		pixman_region32_fini(&box);
	}
	pixman_region32_union(&output->damage, &output->damage, &left);
	pixman_region32_fini(&left);
	if (output->impl->set_layers)
		output->impl->set_layers(output, layers);
	return true;
}

/* Layers are opaque: what they cover need not be rendered. */
static void subtract_layers(pixman_region32_t *region, const struct zc_layers *layers)
{
	for (int i = 0; i < layers->n; i++) {
		pixman_region32_t box;
		pixman_region32_init_rect(&box, layers->layer[i].x, layers->layer[i].y,
			(uint32_t)layers->layer[i].width, (uint32_t)layers->layer[i].height);
		pixman_region32_subtract(region, region, &box);
		pixman_region32_fini(&box);
	}
}

/* The primary plane's frame under the layers; NULL when the layers cover
 * all that changed, so the frame on the primary plane stays. */
static struct zc_buffer *output_composite(struct zc_output *output,
	const struct zc_layers *layers)
{
	/* The back buffers missed the frames scanned out directly. */
	bool full = output->last_direct;
	if (full)
		pixman_region32_union_rect(&output->damage, &output->damage, 0, 0,
			(uint32_t)output->width, (uint32_t)output->height);
	subtract_layers(&output->damage, layers);
	if (!full && !pixman_region32_not_empty(&output->damage))
		return NULL;
	int age = 0;
	struct zc_buffer *target = output->impl->acquire_buffer(output, &age);
	pixman_region32_t damage;
	pixman_region32_init(&damage);
	output_buffer_damage(output, age, &damage);
	/* Also what older frames changed where a layer is now: hidden by it. */
	subtract_layers(&damage, layers);
	if (target && !output_render(output, target, &damage)) {
		zc_err("output %s: rendering failed", output->name);
		target = NULL;
	}
	pixman_region32_fini(&damage);
	output_push_damage_history(output);
	return target;
}

/* Returns whether the frame changes the layers. */
static bool output_prepare_frame(struct zc_output *output, struct zc_buffer **target)
{
	struct zc_plane_plan plan;
	output_plan_planes(output, &plan);
	bool layers_changed = output_apply_layers(output, &plan.layers);
	/* Only a buffer that is the whole frame may tear: nothing of anyone
	 * else's is in it (wp_tearing_control_v1). */
	output->frame_async = plan.primary && plan.primary->current.async_hint;
	if (plan.primary) {
		*target = plan.primary->buffer;
		output->last_direct = true;
		output_push_damage_history(output);
	} else {
		*target = output_composite(output, &plan.layers);
		if (*target)
			output->last_direct = false;
	}
	output_plan_account(output, &plan);
	if (layers_changed)
		output_layers_copy_locked(&output->layers_in_flight, &plan.layers);
	return layers_changed;
}

void output_repaint(struct zc_output *output)
{
	uint64_t start = timespec_now_ns();
	output->repaint_needed = false;
	output->frame_async = false;
	struct zc_buffer *target = NULL;
	bool layers_changed = false;
	if (pixman_region32_not_empty(&output->damage))
		layers_changed = output_prepare_frame(output, &target);
	output_collect_frame_requests(output);
	output->in_flight = target ? buffer_lock(target) : NULL;
	output->layers_in_flight_set = layers_changed;
	if (!output->impl->commit(output, target)) {
		zc_err("output %s: commit failed", output->name);
		if (output->in_flight)
			buffer_unlock(output->in_flight);
		output->in_flight = NULL;
		output_layers_unlock(&output->layers_in_flight);
		output->layers_in_flight_set = false;
		output->repaint_target = 0;
		return;
	}
	output->repaint_state = OUTPUT_FRAME_PENDING;
	/* Only frames with contents say how long a repaint takes. */
	if (target)
		output_schedule_record(output, start, timespec_now_ns());
}

void output_present(struct zc_output *output, const struct timespec *when, uint64_t seq,
	uint32_t flags)
{
	output->msc = seq;
	output->last_present = *when;
	output_schedule_presented(output, when);
	if (output->in_flight) {
		if (output->front)
			buffer_unlock(output->front);
		output->front = output->in_flight;
		output->in_flight = NULL;
	}
	if (output->layers_in_flight_set) {
		output_layers_unlock(&output->layers_front);
		output->layers_front = output->layers_in_flight;
		output->layers_in_flight.n = 0;
		output->layers_in_flight_set = false;
	}
	presentation_feedback_list_present(&output->feedbacks, output, when, seq, flags);
	output->repaint_state = OUTPUT_IDLE;
	wl_signal_emit_mutable(&output->frame, output);
	if (output->repaint_needed)
		output_schedule_repaint(output);
	/* Last: what the clients commit after it measures their drawing time. */
	output_schedule_frame_done(output,
		(uint32_t)(when->tv_sec * 1000 + when->tv_nsec / 1000000));
}

/*
 * The committed frame never reached the screen (the commit failed): what is on
 * screen stays there and stays locked, the frame's buffers go back, its
 * feedback is discarded (nothing was presented), clients still get their frame
 * callbacks so they keep drawing, and the next frame redraws everything.
 */
void output_frame_dropped(struct zc_output *output)
{
	if (output->in_flight)
		buffer_unlock(output->in_flight);
	output->in_flight = NULL;
	if (output->layers_in_flight_set)
		output_layers_unlock(&output->layers_in_flight);
	output->layers_in_flight_set = false;
	presentation_feedback_list_discard(&output->feedbacks);
	output->repaint_target = 0;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	output_send_frame_callbacks(output, (uint32_t)(now.tv_sec * 1000 + now.tv_nsec / 1000000));
	output->repaint_state = OUTPUT_IDLE;
	output_damage_whole(output);
}

/* ---- wl_output ---- */

static void output_send_state(struct zc_output *output, struct wl_resource *res)
{
	int version = wl_resource_get_version(res);
	wl_output_send_geometry(res, output->x, output->y, output->phys_width_mm,
		output->phys_height_mm, WL_OUTPUT_SUBPIXEL_UNKNOWN, output->make, output->model,
		WL_OUTPUT_TRANSFORM_NORMAL);
	wl_output_send_mode(res, WL_OUTPUT_MODE_CURRENT | WL_OUTPUT_MODE_PREFERRED,
		output->width, output->height, output->refresh_mhz);
	if (version >= WL_OUTPUT_SCALE_SINCE_VERSION)
		wl_output_send_scale(res, output->scale);
	if (version >= WL_OUTPUT_NAME_SINCE_VERSION)
		wl_output_send_name(res, output->name);
	if (version >= WL_OUTPUT_DESCRIPTION_SINCE_VERSION)
		wl_output_send_description(res, output->description);
	xdg_output_send_details(output, wl_resource_get_client(res));
	if (version >= WL_OUTPUT_DONE_SINCE_VERSION)
		wl_output_send_done(res);
}

static void handle_output_release(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_output_interface output_impl = {
	.release = handle_output_release,
};

static void handle_output_resource_destroy(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

struct zc_output *output_from_resource(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void bind_output(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct zc_output *output = data;
	struct wl_resource *res = wl_resource_create(client, &wl_output_interface, (int)version, id);
	if (!res) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(res, &output_impl, output, handle_output_resource_destroy);
	if (!output) {
		/* The output is gone (retire_global): an inert wl_output. */
		wl_list_init(wl_resource_get_link(res));
		return;
	}
	wl_list_insert(&output->resources, wl_resource_get_link(res));
	output_send_state(output, res);
}

/* An unplugged output's global: removed at once, destroyed a while later,
 * since a client that has not yet seen global_remove may still bind it (and
 * binding a destroyed global is a protocol error that kills the client). */
struct retired_global {
	struct wl_global *global;
	struct wl_event_source *timer;
	struct wl_listener display_destroy;
};

#define OUTPUT_GLOBAL_LINGER_MS 5000

static void retired_global_free(struct retired_global *rg)
{
	wl_event_source_remove(rg->timer);
	wl_list_remove(&rg->display_destroy.link);
	free(rg);
}

static int handle_retired_global_timer(void *data)
{
	struct retired_global *rg = data;
	wl_global_destroy(rg->global);
	retired_global_free(rg);
	return 0;
}

/* The display destroys the global itself. */
static void handle_retired_global_display_destroy(struct wl_listener *listener, void *data)
{
	struct retired_global *rg = wl_container_of(listener, rg, display_destroy);
	retired_global_free(rg);
}

static void retire_global(struct zc_server *server, struct wl_global *global)
{
	wl_global_set_user_data(global, NULL);
	wl_global_remove(global);
	struct retired_global *rg = calloc(1, sizeof(*rg));
	if (rg)
		rg->timer = wl_event_loop_add_timer(server->loop, handle_retired_global_timer, rg);
	if (!rg || !rg->timer || wl_event_source_timer_update(rg->timer,
				       OUTPUT_GLOBAL_LINGER_MS) != 0) {
		if (rg && rg->timer)
			wl_event_source_remove(rg->timer);
		free(rg);
		wl_global_destroy(global);
		return;
	}
	rg->global = global;
	rg->display_destroy.notify = handle_retired_global_display_destroy;
	wl_display_add_destroy_listener(server->display, &rg->display_destroy);
}

static char *strdup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* New outputs go to the right of the existing ones. */
static int32_t output_next_x(struct zc_server *server)
{
	int32_t x = 0;
	struct zc_output *o;
	wl_list_for_each(o, &server->outputs, link) {
		if (o->x + o->logical_width > x)
			x = o->x + o->logical_width;
	}
	return x;
}

struct zc_output *output_create(struct zc_server *server, const struct zc_output_impl *impl,
	const struct zc_output_config *config, void *backend_data)
{
	struct zc_output *output = calloc(1, sizeof(*output));
	if (!output) {
		struct zc_output stub = { .backend_data = backend_data };
		impl->destroy(&stub);
		return NULL;
	}
	output->server = server;
	output->impl = impl;
	output->backend_data = backend_data;
	output->name = strdup_or_empty(config->name);
	output->description = strdup_or_empty(config->description);
	output->make = strdup_or_empty(config->make);
	output->model = strdup_or_empty(config->model);
	output->width = config->width;
	output->height = config->height;
	output->refresh_mhz = config->refresh_mhz;
	output->phys_width_mm = config->phys_width_mm;
	output->phys_height_mm = config->phys_height_mm;
	uint32_t scale_120 = server->options->scale_120;
	output->scale_120 = scale_120 >= 120 && scale_120 <= 480 ? (int32_t)scale_120 : 120;
	output->logical_width = (int32_t)((int64_t)config->width * 120 / output->scale_120);
	output->logical_height = (int32_t)((int64_t)config->height * 120 / output->scale_120);
	output->scale = (output->scale_120 + 119) / 120;
	output->render_format = config->render_format;
	output->x = output_next_x(server);
	wl_list_init(&output->resources);
	wl_list_init(&output->xdg_outputs);
	wl_list_init(&output->frame_callbacks);
	wl_list_init(&output->frame_callbacks_held);
	wl_list_init(&output->feedbacks);
	wl_signal_init(&output->frame);
	wl_signal_init(&output->destroy);
	pixman_region32_init(&output->damage);
	for (int i = 0; i < OUTPUT_DAMAGE_HISTORY; i++)
		pixman_region32_init(&output->damage_history[i]);
	output->global = wl_global_create(server->display, &wl_output_interface, OUTPUT_VERSION,
		output, bind_output);
	if (!output->name || !output->description || !output->make || !output->model ||
	    !output->global || !output_schedule_init(output)) {
		output_destroy(output);
		return NULL;
	}
	wl_list_insert(server->outputs.prev, &output->link);
	zc_info("output %s: %dx%d@%d.%03d Hz at %d,%d, scale %.3f (%dx%d in the layout)",
		output->name, output->width, output->height, output->refresh_mhz / 1000,
		output->refresh_mhz % 1000, output->x, output->y, output->scale_120 / 120.0,
		output->logical_width, output->logical_height);
	wl_signal_emit_mutable(&server->new_output, output);
	output_damage_whole(output);
	return output;
}

/* Surfaces on an output that goes away (unplugged) leave it and move to
 * another, which paces their frame callbacks from now on. */
static void output_move_surfaces(struct zc_output *output)
{
	struct zc_surface *surface;
	wl_list_for_each(surface, &output->server->surfaces, link) {
		if (surface->plane_output == output)
			surface->plane_output = NULL;
		if (surface->output != output)
			continue;
		struct wl_resource *res;
		wl_resource_for_each(res, &output->resources) {
			if (wl_resource_get_client(res) == wl_resource_get_client(surface->resource))
				wl_surface_send_leave(surface->resource, res);
		}
		surface->output = NULL;
		surface_update_output(surface);
	}
}

void output_destroy(struct zc_output *output)
{
	wl_signal_emit_mutable(&output->destroy, output);
	if (output->link.next)
		wl_list_remove(&output->link);
	wl_list_init(&output->link);
	output_move_surfaces(output);
	if (output->idle_repaint)
		wl_event_source_remove(output->idle_repaint);
	output_schedule_finish(output);
	presentation_feedback_list_discard(&output->feedbacks);
	/* Clients waiting for the frame in flight draw their next one now,
	 * for the output they moved to. */
	struct timespec now;
	clock_gettime(output->server->clock, &now);
	output_send_frame_callbacks(output,
		(uint32_t)(now.tv_sec * 1000 + now.tv_nsec / 1000000));
	struct wl_resource *res, *tmp;
	wl_resource_for_each_safe(res, tmp, &output->resources) {
		wl_list_remove(wl_resource_get_link(res));
		wl_list_init(wl_resource_get_link(res));
		wl_resource_set_user_data(res, NULL);
	}
	xdg_output_destroy_all(output);
	if (output->global)
		retire_global(output->server, output->global);
	if (output->front)
		buffer_unlock(output->front);
	if (output->in_flight)
		buffer_unlock(output->in_flight);
	output_layers_unlock(&output->layers_front);
	output_layers_unlock(&output->layers_in_flight);
	pixman_region32_fini(&output->damage);
	for (int i = 0; i < OUTPUT_DAMAGE_HISTORY; i++)
		pixman_region32_fini(&output->damage_history[i]);
	if (output->impl && output->impl->destroy)
		output->impl->destroy(output);
	free(output->name);
	free(output->description);
	free(output->make);
	free(output->model);
	free(output);
}
