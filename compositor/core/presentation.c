/*
 * wp_presentation: tells clients when their content update reached the
 * screen. A feedback object follows its content update:
 * pending state -> surface (shown content) -> output (frame in flight) ->
 * presented, or discarded when superseded or never shown.
 */
#include <stdlib.h>

#include "output.h"
#include "presentation-time-server-protocol.h"
#include "surface.h"

#define PRESENTATION_VERSION 2

struct zc_presentation_feedback {
	struct wl_resource *resource;
	struct wl_list link;
	bool zero_copy;
};

/* The resource's destroy handler unlinks and frees fb. */
static void feedback_destroy(struct zc_presentation_feedback *fb)
{
	wl_resource_destroy(fb->resource);
}

void presentation_feedback_list_discard(struct wl_list *feedbacks)
{
	struct zc_presentation_feedback *fb, *tmp;
	wl_list_for_each_safe(fb, tmp, feedbacks, link) {
		wp_presentation_feedback_send_discarded(fb->resource);
		feedback_destroy(fb);
	}
}

static void feedback_send_sync_outputs(struct zc_presentation_feedback *fb,
	struct zc_output *output)
{
	struct wl_client *client = wl_resource_get_client(fb->resource);
	struct wl_resource *res;
	wl_resource_for_each(res, &output->resources) {
		if (wl_resource_get_client(res) == client)
			wp_presentation_feedback_send_sync_output(fb->resource, res);
	}
}

void presentation_feedback_list_mark_zero_copy(struct wl_list *feedbacks)
{
	struct zc_presentation_feedback *fb;
	wl_list_for_each(fb, feedbacks, link)
		fb->zero_copy = true;
}

void presentation_feedback_list_present(struct wl_list *feedbacks, struct zc_output *output,
	const struct timespec *when, uint64_t seq, uint32_t flags)
{
	uint64_t sec = (uint64_t)when->tv_sec;
	uint32_t refresh = (uint32_t)output_refresh_nsec(output);
	struct zc_presentation_feedback *fb, *tmp;
	wl_list_for_each_safe(fb, tmp, feedbacks, link) {
		feedback_send_sync_outputs(fb, output);
		wp_presentation_feedback_send_presented(fb->resource, (uint32_t)(sec >> 32),
			(uint32_t)sec, (uint32_t)when->tv_nsec, refresh, (uint32_t)(seq >> 32),
			(uint32_t)seq, flags | (fb->zero_copy ? ZC_PRESENT_ZERO_COPY : 0));
		feedback_destroy(fb);
	}
}

/* The client may not destroy a feedback object; it dies with the client. */
static void handle_feedback_resource_destroy(struct wl_resource *resource)
{
	struct zc_presentation_feedback *fb = wl_resource_get_user_data(resource);
	wl_list_remove(&fb->link);
	free(fb);
}

static void handle_presentation_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void handle_presentation_feedback(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *surface_resource, uint32_t callback)
{
	struct zc_surface *surface = surface_from_resource(surface_resource);
	struct zc_presentation_feedback *fb = calloc(1, sizeof(*fb));
	if (!fb) {
		wl_resource_post_no_memory(resource);
		return;
	}
	fb->resource = wl_resource_create(client, &wp_presentation_feedback_interface,
		wl_resource_get_version(resource), callback);
	if (!fb->resource) {
		free(fb);
		wl_resource_post_no_memory(resource);
		return;
	}
	wl_resource_set_implementation(fb->resource, NULL, fb, handle_feedback_resource_destroy);
	wl_list_insert(surface->pending.feedbacks.prev, &fb->link);
	surface->pending.fields |= ZC_STATE_FEEDBACK;
}

static const struct wp_presentation_interface presentation_impl = {
	.destroy = handle_presentation_destroy,
	.feedback = handle_presentation_feedback,
};

static void bind_presentation(struct wl_client *client, void *data, uint32_t version,
	uint32_t id)
{
	struct zc_server *server = data;
	struct wl_resource *res = wl_resource_create(client, &wp_presentation_interface,
		(int)version, id);
	if (!res) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(res, &presentation_impl, server, NULL);
	wp_presentation_send_clock_id(res, (uint32_t)server->clock);
}

bool presentation_global_create(struct zc_server *server)
{
	return wl_global_create(server->display, &wp_presentation_interface,
		PRESENTATION_VERSION, server, bind_presentation) != NULL;
}
