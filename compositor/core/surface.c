/*
 * wl_compositor, wl_surface and wl_region. A surface's life in one
 * paragraph: requests fill `pending`; wl_surface.commit lets the role check
 * it (a protocol error drops it) and queues it as a zc_commit (commit.c),
 * where it may wait for fences, sync points or barriers; once ready a
 * synchronized subsurface caches it, and otherwise surface_apply_state()
 * makes it current: the new buffer is locked, the
 * old one unlocked (and so released, unless a plane or capture still holds
 * it), damage is translated to the outputs and a repaint is scheduled.
 */
#include "surface.h"

#include <stdlib.h>
#include <string.h>

#include "base/buffer.h"
#include "base/util.h"
#include "commit.h"
#include "output.h"

#define COMPOSITOR_VERSION 6

static void state_handle_buffer_destroy(struct wl_listener *listener, void *data)
{
	struct zc_surface_state *state =
		container_of(listener, struct zc_surface_state, buffer_destroy);
	wl_list_remove(&state->buffer_destroy.link);
	wl_list_init(&state->buffer_destroy.link);
	state->buffer = NULL;
}

void surface_state_init(struct zc_surface_state *state)
{
	*state = (struct zc_surface_state){
		.scale = 1,
		.transform = WL_OUTPUT_TRANSFORM_NORMAL,
		.src_x = -1, .src_y = -1, .src_width = -1, .src_height = -1,
		.dst_width = -1, .dst_height = -1,
	};
	pixman_region32_init(&state->surface_damage);
	pixman_region32_init(&state->buffer_damage);
	pixman_region32_init(&state->opaque);
	pixman_region32_init_rect(&state->input, INT32_MIN / 2, INT32_MIN / 2, UINT32_MAX / 2,
		UINT32_MAX / 2);
	wl_list_init(&state->frame_callbacks);
	wl_list_init(&state->feedbacks);
	state->buffer_destroy.notify = state_handle_buffer_destroy;
	wl_list_init(&state->buffer_destroy.link);
}

static void state_set_buffer(struct zc_surface_state *state, struct zc_buffer *buffer)
{
	wl_list_remove(&state->buffer_destroy.link);
	wl_list_init(&state->buffer_destroy.link);
	state->buffer = buffer;
	if (buffer)
		wl_signal_add(&buffer->destroy_signal, &state->buffer_destroy);
}

static void destroy_callback_list(struct wl_list *list)
{
	struct wl_resource *cb, *tmp;
	wl_resource_for_each_safe(cb, tmp, list)
		wl_resource_destroy(cb);
}

void surface_state_finish(struct zc_surface_state *state)
{
	state_set_buffer(state, NULL);
	pixman_region32_fini(&state->surface_damage);
	pixman_region32_fini(&state->buffer_damage);
	pixman_region32_fini(&state->opaque);
	pixman_region32_fini(&state->input);
	destroy_callback_list(&state->frame_callbacks);
	presentation_feedback_list_discard(&state->feedbacks);
}

/* Moves what src carries onto dst, leaving src empty. Damage and callbacks
 * accumulate; everything else is replaced. */
void surface_state_move(struct zc_surface_state *dst, struct zc_surface_state *src)
{
	if (src->fields & ZC_STATE_BUFFER) {
		state_set_buffer(dst, src->buffer);
		state_set_buffer(src, NULL);
		dst->dx = src->dx;
		dst->dy = src->dy;
	}
	pixman_region32_union(&dst->surface_damage, &dst->surface_damage, &src->surface_damage);
	pixman_region32_union(&dst->buffer_damage, &dst->buffer_damage, &src->buffer_damage);
	pixman_region32_clear(&src->surface_damage);
	pixman_region32_clear(&src->buffer_damage);
	if (src->fields & ZC_STATE_OPAQUE)
		pixman_region32_copy(&dst->opaque, &src->opaque);
	if (src->fields & ZC_STATE_INPUT)
		pixman_region32_copy(&dst->input, &src->input);
	if (src->fields & ZC_STATE_SCALE)
		dst->scale = src->scale;
	if (src->fields & ZC_STATE_PRESENT_HINT)
		dst->async_hint = src->async_hint;
	if (src->fields & ZC_STATE_TRANSFORM)
		dst->transform = src->transform;
	if (src->fields & ZC_STATE_OFFSET) {
		dst->dx = src->dx;
		dst->dy = src->dy;
	}
	if (src->fields & ZC_STATE_VIEWPORT) {
		dst->src_x = src->src_x;
		dst->src_y = src->src_y;
		dst->src_width = src->src_width;
		dst->src_height = src->src_height;
		dst->dst_width = src->dst_width;
		dst->dst_height = src->dst_height;
	}
	/* A newer content update makes the cached one's feedback moot. */
	if ((src->fields & ZC_STATE_BUFFER) && (dst->fields & ZC_STATE_FEEDBACK))
		presentation_feedback_list_discard(&dst->feedbacks);
	wl_list_insert_list(dst->frame_callbacks.prev, &src->frame_callbacks);
	wl_list_init(&src->frame_callbacks);
	wl_list_insert_list(dst->feedbacks.prev, &src->feedbacks);
	wl_list_init(&src->feedbacks);
	dst->fields |= src->fields;
	src->fields = 0;
}

static bool transform_swaps_axes(enum wl_output_transform transform)
{
	return transform & WL_OUTPUT_TRANSFORM_90;
}

/* Surface size from buffer size, scale, transform and viewport. */
static void surface_update_size(struct zc_surface *surface)
{
	const struct zc_surface_state *cur = &surface->current;
	if (!surface->buffer) {
		surface->width = surface->height = 0;
		return;
	}
	int32_t w = surface->buffer->width, h = surface->buffer->height;
	if (transform_swaps_axes(cur->transform)) {
		int32_t t = w;
		w = h;
		h = t;
	}
	w /= cur->scale;
	h /= cur->scale;
	if (cur->dst_width > 0) {
		w = cur->dst_width;
		h = cur->dst_height;
	} else if (cur->src_width > 0) {
		w = (int32_t)cur->src_width;
		h = (int32_t)cur->src_height;
	}
	surface->width = w;
	surface->height = h;
}

/* Damage for the renderer in buffer pixels: exact for scale-only surfaces,
 * the whole buffer when a viewport or transform makes the mapping lossy. */
static void surface_accumulate_buffer_damage(struct zc_surface *surface,
	struct zc_surface_state *state)
{
	if (!surface->buffer)
		return;
	struct zc_buffer *buf = surface->buffer;
	pixman_region32_t scaled;
	pixman_region32_init(&scaled);
	if (state->transform != WL_OUTPUT_TRANSFORM_NORMAL || state->src_width > 0 ||
	    state->dst_width > 0) {
		pixman_region32_init_rect(&scaled, 0, 0, (uint32_t)buf->width, (uint32_t)buf->height);
	} else {
		int n;
		const pixman_box32_t *b = pixman_region32_rectangles(&state->surface_damage, &n);
		int64_t s = state->scale;
		for (int i = 0; i < n; i++) {
			/* Scaled in 64 bits and clipped to the buffer: a huge scale
			 * or rectangle must not overflow. */
			int64_t x1 = zc_clamp64(b[i].x1 * s, 0, buf->width);
			int64_t y1 = zc_clamp64(b[i].y1 * s, 0, buf->height);
			int64_t x2 = zc_clamp64(b[i].x2 * s, 0, buf->width);
			int64_t y2 = zc_clamp64(b[i].y2 * s, 0, buf->height);
			if (x2 > x1 && y2 > y1)
				pixman_region32_union_rect(&scaled, &scaled, (int32_t)x1, (int32_t)y1,
					(uint32_t)(x2 - x1), (uint32_t)(y2 - y1));
		}
	}
	pixman_region32_union(&scaled, &scaled, &state->buffer_damage);
	pixman_region32_intersect_rect(&scaled, &scaled, 0, 0, (uint32_t)buf->width,
		(uint32_t)buf->height);
	pixman_region32_union(&surface->buffer_damage, &surface->buffer_damage, &scaled);
	pixman_region32_fini(&scaled);
}

/* Surface-coordinate damage of this update, including buffer damage mapped
 * back (conservatively: whole surface when scaled by a viewport). */
static void surface_collect_damage(struct zc_surface *surface, struct zc_surface_state *state,
	pixman_region32_t *out)
{
	pixman_region32_copy(out, &state->surface_damage);
	if (pixman_region32_not_empty(&state->buffer_damage)) {
		if (state->scale == 1 && state->transform == WL_OUTPUT_TRANSFORM_NORMAL &&
		    state->src_width < 0 && state->dst_width < 0) {
			pixman_region32_union(out, out, &state->buffer_damage);
		} else {
			pixman_region32_union_rect(out, out, 0, 0, (uint32_t)surface->width,
				(uint32_t)surface->height);
		}
	}
	pixman_region32_intersect_rect(out, out, 0, 0, (uint32_t)surface->width,
		(uint32_t)surface->height);
}

static void surface_damage_outputs(struct zc_surface *surface, const pixman_region32_t *damage)
{
	int32_t lx, ly;
	if (!surface_get_layout_position(surface, &lx, &ly))
		return;
	pixman_region32_t layout;
	pixman_region32_init(&layout);
	pixman_region32_copy(&layout, damage);
	pixman_region32_translate(&layout, lx, ly);
	output_damage_layout_region(surface->server, &layout);
	pixman_region32_fini(&layout);
}

static void surface_swap_buffer(struct zc_surface *surface, struct zc_buffer *buffer)
{
	if (buffer == surface->buffer)
		return;
	if (buffer)
		buffer_lock(buffer);
	if (surface->buffer)
		buffer_unlock(surface->buffer);
	surface->buffer = buffer;
	pixman_region32_clear(&surface->buffer_damage);
}

/* Picks the output that paces the surface's frame callbacks, and tells the
 * client which output it is on. */
/* The output under the surface's centre, else any it overlaps; NULL when
 * it is not shown (no role, unmapped, or off every output): such a surface
 * gets no wl_surface.enter and its feedback is discarded. */
static struct zc_output *surface_shown_on(struct zc_surface *surface)
{
	int32_t lx, ly;
	if (!surface_get_layout_position(surface, &lx, &ly))
		return surface->role && surface->role->output ? surface->role->output(surface) : NULL;
	if (!surface_tree_mapped(surface))
		return NULL;
	int64_t x2 = (int64_t)lx + surface->width, y2 = (int64_t)ly + surface->height;
	struct zc_output *output = output_at(surface->server, zc_sat32((lx + x2) / 2),
		zc_sat32((ly + y2) / 2));
	if (output)
		return output;
	wl_list_for_each(output, &surface->server->outputs, link) {
		if (lx < (int64_t)output->x + output->logical_width && x2 > output->x &&
		    ly < (int64_t)output->y + output->logical_height && y2 > output->y)
			return output;
	}
	return NULL;
}

void surface_update_output(struct zc_surface *surface)
{
	struct zc_output *output = surface_shown_on(surface);
	if (output == surface->output)
		return;
	struct wl_client *client = wl_resource_get_client(surface->resource);
	struct wl_resource *res;
	if (surface->output) {
		wl_resource_for_each(res, &surface->output->resources) {
			if (wl_resource_get_client(res) == client)
				wl_surface_send_leave(surface->resource, res);
		}
	}
	surface->output = output;
	if (!output)
		return;
	wl_resource_for_each(res, &output->resources) {
		if (wl_resource_get_client(res) == client)
			wl_surface_send_enter(surface->resource, res);
	}
	if (wl_resource_get_version(surface->resource) >= WL_SURFACE_PREFERRED_BUFFER_SCALE_SINCE_VERSION) {
		wl_surface_send_preferred_buffer_scale(surface->resource, output->scale);
		wl_surface_send_preferred_buffer_transform(surface->resource,
			WL_OUTPUT_TRANSFORM_NORMAL);
	}
}

void surface_apply_state(struct zc_surface *surface, struct zc_surface_state *state)
{
	bool new_content = state->fields & ZC_STATE_BUFFER;
	bool reshaped = state->fields & (ZC_STATE_INPUT | ZC_STATE_OFFSET);
	bool had_buffer = surface->buffer != NULL;
	int32_t old_w = surface->width, old_h = surface->height;
	if (new_content || (state->fields & (ZC_STATE_SCALE | ZC_STATE_VIEWPORT | ZC_STATE_TRANSFORM)))
		surface_damage_whole(surface); /* old extent */

	if (new_content) {
		surface_swap_buffer(surface, state->buffer);
		/* Content not yet shown is superseded: its feedback is discarded. */
		presentation_feedback_list_discard(&surface->feedbacks);
	}
	state_set_buffer(state, NULL);
	surface_state_move(&surface->current, state);
	surface->current.fields = 0;
	state_set_buffer(&surface->current, NULL);
	surface_update_size(surface);

	pixman_region32_t damage;
	pixman_region32_init(&damage);
	surface_collect_damage(surface, &surface->current, &damage);
	surface_accumulate_buffer_damage(surface, &surface->current);
	if (new_content || old_w != surface->width || old_h != surface->height)
		pixman_region32_union_rect(&damage, &damage, 0, 0, (uint32_t)surface->width,
			(uint32_t)surface->height);
	pixman_region32_clear(&surface->current.surface_damage);
	pixman_region32_clear(&surface->current.buffer_damage);

	wl_list_insert_list(surface->frame_callbacks.prev, &surface->current.frame_callbacks);
	wl_list_init(&surface->current.frame_callbacks);
	wl_list_insert_list(surface->feedbacks.prev, &surface->current.feedbacks);
	wl_list_init(&surface->current.feedbacks);

	subsurface_parent_commit(surface);
	if (surface->role && surface->role->commit)
		surface->role->commit(surface);

	surface_update_tree_output(surface);
	/* Content of a surface that is not shown is never presented. */
	if (!surface->output)
		presentation_feedback_list_discard(&surface->feedbacks);
	surface_damage_outputs(surface, &damage);
	pixman_region32_fini(&damage);
	if (surface->output)
		output_schedule_repaint(surface->output);
	if (reshaped || had_buffer != (surface->buffer != NULL) || old_w != surface->width ||
	    old_h != surface->height)
		view_notify_scene_changed(surface->server);
	wl_signal_emit_mutable(&surface->commit_signal, surface);
}

/* ---- wl_surface requests ---- */

static void handle_surface_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void handle_surface_attach(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *buffer_resource, int32_t x, int32_t y)
{
	struct zc_surface *surface = surface_from_resource(resource);
	if ((x || y) && wl_resource_get_version(resource) >= WL_SURFACE_OFFSET_SINCE_VERSION) {
		wl_resource_post_error(resource, WL_SURFACE_ERROR_INVALID_OFFSET,
			"attach with a non-zero offset; use wl_surface.offset");
		return;
	}
	struct zc_buffer *buffer = NULL;
	if (buffer_resource) {
		buffer = buffer_from_resource(buffer_resource);
		if (!buffer) {
			wl_resource_post_error(resource, WL_DISPLAY_ERROR_INVALID_OBJECT,
				"wl_buffer not created by this compositor");
			return;
		}
	}
	state_set_buffer(&surface->pending, buffer);
	surface->pending.dx = x;
	surface->pending.dy = y;
	surface->pending.fields |= ZC_STATE_BUFFER;
	if (buffer)
		wl_signal_emit_mutable(&surface->attach_signal, surface);
}

/* Damage is clipped at the protocol boundary to [0, ZC_DAMAGE_LIMIT]: no
 * surface or buffer is that large, and pixman's int32 boxes then never see
 * x + width overflow (int32 extremes are legal values for a client). */
#define ZC_DAMAGE_LIMIT (1 << 24)

static void surface_damage_add(pixman_region32_t *region, int32_t x, int32_t y,
	int32_t width, int32_t height)
{
	int32_t r[4];
	if (zc_rect_clip(x, y, width, height, 0, ZC_DAMAGE_LIMIT, r))
		pixman_region32_union_rect(region, region, r[0], r[1], (uint32_t)r[2], (uint32_t)r[3]);
}

static void handle_surface_damage(struct wl_client *client, struct wl_resource *resource,
	int32_t x, int32_t y, int32_t width, int32_t height)
{
	struct zc_surface *surface = surface_from_resource(resource);
	surface_damage_add(&surface->pending.surface_damage, x, y, width, height);
	surface->pending.fields |= ZC_STATE_DAMAGE;
}

static void handle_callback_resource_destroy(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

static void handle_surface_frame(struct wl_client *client, struct wl_resource *resource,
	uint32_t callback)
{
	struct zc_surface *surface = surface_from_resource(resource);
	struct wl_resource *cb = wl_resource_create(client, &wl_callback_interface, 1, callback);
	if (!cb) {
		wl_resource_post_no_memory(resource);
		return;
	}
	wl_resource_set_implementation(cb, NULL, NULL, handle_callback_resource_destroy);
	wl_list_insert(surface->pending.frame_callbacks.prev, wl_resource_get_link(cb));
	surface->pending.fields |= ZC_STATE_FRAME;
}

static void copy_region_or_infinite(pixman_region32_t *dst, struct wl_resource *region_res,
	bool infinite_if_null)
{
	if (region_res) {
		pixman_region32_copy(dst, region_from_resource(region_res));
	} else if (infinite_if_null) {
		pixman_region32_fini(dst);
		pixman_region32_init_rect(dst, INT32_MIN / 2, INT32_MIN / 2, UINT32_MAX / 2,
			UINT32_MAX / 2);
	} else {
		pixman_region32_clear(dst);
	}
}

static void handle_surface_set_opaque_region(struct wl_client *client,
	struct wl_resource *resource, struct wl_resource *region)
{
	struct zc_surface *surface = surface_from_resource(resource);
	copy_region_or_infinite(&surface->pending.opaque, region, false);
	surface->pending.fields |= ZC_STATE_OPAQUE;
}

static void handle_surface_set_input_region(struct wl_client *client,
	struct wl_resource *resource, struct wl_resource *region)
{
	struct zc_surface *surface = surface_from_resource(resource);
	copy_region_or_infinite(&surface->pending.input, region, true);
	surface->pending.fields |= ZC_STATE_INPUT;
}

/* What the protocol lets us check at wl_surface.commit is checked here, on
 * the pending state; the commit may then still wait (commit.c). */
static void surface_commit(struct zc_surface *surface)
{
	if (!viewport_validate(surface))
		return;
	if (surface->role && surface->role->precommit && !surface->role->precommit(surface))
		return;
	commit_queue_push(surface);
}

static void handle_surface_commit(struct wl_client *client, struct wl_resource *resource)
{
	surface_commit(surface_from_resource(resource));
}

static void handle_surface_set_buffer_transform(struct wl_client *client,
	struct wl_resource *resource, int32_t transform)
{
	if (transform < WL_OUTPUT_TRANSFORM_NORMAL || transform > WL_OUTPUT_TRANSFORM_FLIPPED_270) {
		wl_resource_post_error(resource, WL_SURFACE_ERROR_INVALID_TRANSFORM,
			"invalid transform %d", transform);
		return;
	}
	struct zc_surface *surface = surface_from_resource(resource);
	surface->pending.transform = (enum wl_output_transform)transform;
	surface->pending.fields |= ZC_STATE_TRANSFORM;
}

static void handle_surface_set_buffer_scale(struct wl_client *client,
	struct wl_resource *resource, int32_t scale)
{
	if (scale < 1) {
		wl_resource_post_error(resource, WL_SURFACE_ERROR_INVALID_SCALE,
			"invalid scale %d", scale);
		return;
	}
	struct zc_surface *surface = surface_from_resource(resource);
	surface->pending.scale = scale;
	surface->pending.fields |= ZC_STATE_SCALE;
}

static void handle_surface_damage_buffer(struct wl_client *client, struct wl_resource *resource,
	int32_t x, int32_t y, int32_t width, int32_t height)
{
	struct zc_surface *surface = surface_from_resource(resource);
	surface_damage_add(&surface->pending.buffer_damage, x, y, width, height);
	surface->pending.fields |= ZC_STATE_DAMAGE;
}

static void handle_surface_offset(struct wl_client *client, struct wl_resource *resource,
	int32_t x, int32_t y)
{
	struct zc_surface *surface = surface_from_resource(resource);
	surface->pending.dx = x;
	surface->pending.dy = y;
	surface->pending.fields |= ZC_STATE_OFFSET;
}

static const struct wl_surface_interface surface_impl = {
	.destroy = handle_surface_destroy,
	.attach = handle_surface_attach,
	.damage = handle_surface_damage,
	.frame = handle_surface_frame,
	.set_opaque_region = handle_surface_set_opaque_region,
	.set_input_region = handle_surface_set_input_region,
	.commit = handle_surface_commit,
	.set_buffer_transform = handle_surface_set_buffer_transform,
	.set_buffer_scale = handle_surface_set_buffer_scale,
	.damage_buffer = handle_surface_damage_buffer,
	.offset = handle_surface_offset,
};

struct zc_surface *surface_from_resource(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void surface_destroy(struct zc_surface *surface)
{
	stats_report_surface(surface);
	wl_signal_emit_mutable(&surface->destroy_signal, surface);
	addon_set_finish(&surface->addons);
	commit_queue_finish(surface);
	surface_damage_whole(surface);
	if (surface->view)
		view_unmap(surface->view);
	if (surface->buffer)
		buffer_unlock(surface->buffer);
	surface_state_finish(&surface->pending);
	surface_state_finish(&surface->current);
	destroy_callback_list(&surface->frame_callbacks);
	presentation_feedback_list_discard(&surface->feedbacks);
	pixman_region32_fini(&surface->damage);
	pixman_region32_fini(&surface->buffer_damage);
	wl_list_remove(&surface->self_link);
	wl_list_remove(&surface->self_pending_link);
	wl_list_remove(&surface->link);
	free(surface);
}

static void handle_surface_resource_destroy(struct wl_resource *resource)
{
	surface_destroy(surface_from_resource(resource));
}

static void handle_compositor_create_surface(struct wl_client *client,
	struct wl_resource *resource, uint32_t id)
{
	struct zc_server *server = wl_resource_get_user_data(resource);
	struct zc_surface *surface = calloc(1, sizeof(*surface));
	if (!surface)
		goto err_alloc;
	surface->resource = wl_resource_create(client, &wl_surface_interface,
		wl_resource_get_version(resource), id);
	if (!surface->resource)
		goto err_resource;
	wl_resource_set_implementation(surface->resource, &surface_impl, surface,
		handle_surface_resource_destroy);
	surface->server = server;
	surface_state_init(&surface->pending);
	surface_state_init(&surface->current);
	pixman_region32_init(&surface->damage);
	pixman_region32_init(&surface->buffer_damage);
	wl_list_init(&surface->children);
	wl_list_init(&surface->children_pending);
	wl_list_insert(&surface->children, &surface->self_link);
	wl_list_insert(&surface->children_pending, &surface->self_pending_link);
	wl_list_init(&surface->frame_callbacks);
	wl_list_init(&surface->feedbacks);
	wl_list_init(&surface->commit_queue);
	addon_set_init(&surface->addons);
	wl_signal_init(&surface->destroy_signal);
	wl_signal_init(&surface->commit_signal);
	wl_signal_init(&surface->attach_signal);
	wl_signal_init(&surface->commit_queued);
	wl_signal_init(&surface->plane_result);
	wl_list_insert(server->surfaces.prev, &surface->link);
	return;

err_resource:
	free(surface);
err_alloc:
	wl_resource_post_no_memory(resource);
}

bool surface_set_role(struct zc_surface *surface, const struct zc_surface_role *role,
	void *role_data, struct wl_resource *error_resource, uint32_t error_code)
{
	if (surface->role && surface->role != role) {
		wl_resource_post_error(error_resource, error_code,
			"wl_surface@%u already has the role %s", wl_resource_get_id(surface->resource),
			surface->role->name);
		return false;
	}
	surface->role = role;
	surface->role_data = role_data;
	return true;
}

bool surface_is_mapped(const struct zc_surface *surface)
{
	return surface->buffer != NULL;
}

static const struct wl_compositor_interface compositor_impl = {
	.create_surface = handle_compositor_create_surface,
	.create_region = region_create,
};

static void bind_compositor(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *res = wl_resource_create(client, &wl_compositor_interface,
		(int)version, id);
	if (!res) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(res, &compositor_impl, data, NULL);
}

bool compositor_global_create(struct zc_server *server)
{
	if (!wl_global_create(server->display, &wl_compositor_interface, COMPOSITOR_VERSION,
		    server, bind_compositor))
		return false;
	return subcompositor_global_create(server);
}
