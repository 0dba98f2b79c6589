/*
 * wp_commit_timing_manager_v1. An update with a timestamp T waits in its
 * surface's commit queue (holding back only that surface's later updates)
 * until the frame that will be presented at the first refresh at or after T
 * can take it:
 *   - while the output presents frame after frame, the update is let go at
 *     the present after which the next frame lands at or after T (the
 *     repaint that follows each present latches what was applied before it);
 *   - when the output is idle, a timer lets it go just after the refresh
 *     before T, so the repaint it starts lands on the refresh at T;
 *   - a surface on no output is let go at T itself.
 * How close it came is in the update's presentation feedback.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "commit-timing-v1-server-protocol.h"
#include "pacing.h"

#include "base/addon.h"
#include "base/log.h"
#include "base/util.h"
#include "core/commit.h"
#include "core/output.h"
#include "core/refresh_timer.h"
#include "core/surface.h"

/* After the refresh before the target, so the idle repaint lands after it. */
#define TIMING_IDLE_SLACK_NS 500000ull

struct timing_surface {
	struct zc_addon addon;
	struct zc_surface *surface;
	struct wl_resource *resource; /* the wp_commit_timer_v1, NULL when none */
	bool pending;
	uint64_t pending_ns;
	struct zc_output *output; /* whose presents are watched, or NULL */
	struct wl_listener output_frame, output_destroy, commit_queued;
	struct wl_list commits; /* timed_commit.link */
};

struct timed_commit {
	struct timing_surface *ts; /* NULL once the surface state is gone */
	struct zc_commit_hold hold;
	bool held;
	uint64_t target_ns;
	struct wl_event_source *timer;
	struct wl_listener done;
	struct wl_list link;
};

static const char timing_owner;

static uint64_t clock_now_ns(const struct zc_server *server)
{
	struct timespec ts;
	clock_gettime(server->clock, &ts);
	return timespec_to_ns(&ts);
}

static void timed_commit_release(struct timed_commit *tc)
{
	if (!tc->held)
		return;
	tc->held = false;
	wl_event_source_timer_update(tc->timer, 0);
	commit_hold_release(&tc->hold);
}

/* When an idle output's repaint started then lands at the refresh for
 * target; target itself without an output or its grid. */
static uint64_t release_time(const struct zc_output *output, uint64_t target)
{
	if (!output || !timespec_to_ns(&output->last_present))
		return target;
	uint64_t vblank = refresh_grid_at_or_after(output, target);
	return vblank - refresh_grid_period(output) + TIMING_IDLE_SLACK_NS;
}

/* True if it was let go at once (tc may be gone then). */
static bool timed_commit_arm(struct timed_commit *tc, struct zc_output *output, uint64_t now)
{
	uint64_t at = release_time(output, tc->target_ns);
	if (at <= now) {
		timed_commit_release(tc);
		return true;
	}
	int ms = (int)((at - now + 999999) / 1000000);
	wl_event_source_timer_update(tc->timer, ms);
	return false;
}

static int handle_timer(void *data)
{
	timed_commit_release(data);
	return 0;
}

/* ---- the surface's output ---- */

static void timing_unwatch_output(struct timing_surface *ts)
{
	if (!ts->output)
		return;
	wl_list_remove(&ts->output_frame.link);
	wl_list_remove(&ts->output_destroy.link);
	ts->output = NULL;
}

static void timing_watch_output(struct timing_surface *ts, struct zc_output *output)
{
	if (ts->output == output)
		return;
	timing_unwatch_output(ts);
	if (!output)
		return;
	ts->output = output;
	wl_signal_add(&output->frame, &ts->output_frame);
	wl_signal_add(&output->destroy, &ts->output_destroy);
}

/* A frame was presented at P: what is applied now is shown at P + period. */
static void handle_output_frame(struct wl_listener *listener, void *data)
{
	struct timing_surface *ts = wl_container_of(listener, ts, output_frame);
	struct zc_output *output = data;
	uint64_t period = refresh_grid_period(output);
	uint64_t next = timespec_to_ns(&output->last_present) + period;
	struct timed_commit *tc;
	/* A release may apply (and free) other commits: start over after it. */
again:
	wl_list_for_each(tc, &ts->commits, link) {
		/* Half a refresh of tolerance for a target just past the grid. */
		if (tc->held && next + period / 2 >= refresh_grid_at_or_after(output, tc->target_ns)) {
			timed_commit_release(tc);
			goto again;
		}
	}
}

static void handle_output_destroy(struct wl_listener *listener, void *data)
{
	struct timing_surface *ts = wl_container_of(listener, ts, output_destroy);
	timing_unwatch_output(ts);
	uint64_t now = clock_now_ns(ts->surface->server);
	struct timed_commit *tc;
again:
	wl_list_for_each(tc, &ts->commits, link) {
		if (tc->held && timed_commit_arm(tc, NULL, now))
			goto again;
	}
}

/* ---- content updates ---- */

static void handle_commit_done(struct wl_listener *listener, void *data)
{
	struct timed_commit *tc = wl_container_of(listener, tc, done);
	wl_list_remove(&tc->link);
	wl_list_remove(&tc->done.link);
	wl_event_source_remove(tc->timer);
	free(tc);
}

/* Freed in handle_commit_done, which always follows. */
static void handle_hold_cancel(struct zc_commit_hold *hold)
{
	struct timed_commit *tc = wl_container_of(hold, tc, hold);
	tc->held = false;
}

static void handle_commit_queued(struct wl_listener *listener, void *data)
{
	struct timing_surface *ts = wl_container_of(listener, ts, commit_queued);
	struct zc_commit *commit = data;
	if (!ts->pending || commit->rejected) {
		ts->pending = false;
		return;
	}
	ts->pending = false;
	struct zc_server *server = ts->surface->server;
	struct zc_output *output = ts->surface->output;
	uint64_t now = clock_now_ns(server);
	/* Due already: nothing to wait for (and nothing may be applied from
	 * inside commit_queued). */
	if (release_time(output, ts->pending_ns) <= now)
		return;
	struct timed_commit *tc = calloc(1, sizeof(*tc));
	if (!tc)
		goto err_alloc;
	tc->timer = wl_event_loop_add_timer(server->loop, handle_timer, tc);
	if (!tc->timer)
		goto err_timer;
	tc->ts = ts;
	tc->target_ns = ts->pending_ns;
	tc->done.notify = handle_commit_done;
	wl_signal_add(&commit->done, &tc->done);
	wl_list_insert(ts->commits.prev, &tc->link);
	tc->held = true;
	commit_hold_add(commit, &tc->hold, "target time", handle_hold_cancel);
	timing_watch_output(ts, output);
	timed_commit_arm(tc, output, now);
	return;

err_timer:
	free(tc);
err_alloc:
	wl_resource_post_no_memory(ts->surface->resource);
	commit_reject(commit);
}

/* ---- per-surface state ---- */

static void timing_surface_destroy(struct zc_addon *addon)
{
	struct timing_surface *ts = wl_container_of(addon, ts, addon);
	struct timed_commit *tc;
	wl_list_for_each(tc, &ts->commits, link)
		tc->ts = NULL;
	/* The commits free themselves when the queue drops them. */
	wl_list_remove(&ts->commits);
	wl_list_init(&ts->commits);
	if (ts->resource)
		wl_resource_set_user_data(ts->resource, NULL);
	timing_unwatch_output(ts);
	wl_list_remove(&ts->commit_queued.link);
	free(ts);
}

static struct timing_surface *timing_surface_get(struct zc_surface *surface)
{
	struct zc_addon *addon = addon_find(&surface->addons, &timing_owner);
	struct timing_surface *ts;
	if (addon)
		return wl_container_of(addon, ts, addon);
	ts = calloc(1, sizeof(*ts));
	if (!ts)
		return NULL;
	ts->surface = surface;
	wl_list_init(&ts->commits);
	ts->output_frame.notify = handle_output_frame;
	ts->output_destroy.notify = handle_output_destroy;
	ts->commit_queued.notify = handle_commit_queued;
	wl_signal_add(&surface->commit_queued, &ts->commit_queued);
	addon_init(&ts->addon, &surface->addons, &timing_owner, timing_surface_destroy);
	return ts;
}

/* ---- wp_commit_timer_v1 ---- */

static void handle_timer_set_timestamp(struct wl_client *client, struct wl_resource *resource,
	uint32_t sec_hi, uint32_t sec_lo, uint32_t nsec)
{
	struct timing_surface *ts = wl_resource_get_user_data(resource);
	if (!ts) {
		wl_resource_post_error(resource, WP_COMMIT_TIMER_V1_ERROR_SURFACE_DESTROYED,
			"the wl_surface of this wp_commit_timer_v1 was destroyed");
		return;
	}
	uint64_t sec = (uint64_t)sec_hi << 32 | sec_lo;
	/* Seconds beyond what fits in nanoseconds are as invalid as tv_nsec. */
	if (nsec >= 1000000000u || sec > UINT64_MAX / 1000000000u - 1) {
		wl_resource_post_error(resource, WP_COMMIT_TIMER_V1_ERROR_INVALID_TIMESTAMP,
			"invalid timestamp %" PRIu64 ".%09u", sec, nsec);
		return;
	}
	if (ts->pending) {
		wl_resource_post_error(resource, WP_COMMIT_TIMER_V1_ERROR_TIMESTAMP_EXISTS,
			"a timestamp is already set for this commit");
		return;
	}
	ts->pending = true;
	ts->pending_ns = sec * 1000000000u + nsec;
}

static void handle_timer_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_commit_timer_v1_interface timer_impl = {
	.set_timestamp = handle_timer_set_timestamp,
	.destroy = handle_timer_destroy,
};

/* A timestamp set but not committed goes with the object. */
static void handle_timer_resource_destroy(struct wl_resource *resource)
{
	struct timing_surface *ts = wl_resource_get_user_data(resource);
	if (!ts)
		return;
	ts->resource = NULL;
	ts->pending = false;
}

/* ---- wp_commit_timing_manager_v1 ---- */

static void handle_manager_get_timer(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, struct wl_resource *surface_resource)
{
	struct zc_surface *surface = surface_from_resource(surface_resource);
	struct zc_addon *addon = addon_find(&surface->addons, &timing_owner);
	struct timing_surface *ts = addon ? wl_container_of(addon, ts, addon) : NULL;
	if (ts && ts->resource) {
		wl_resource_post_error(resource,
			WP_COMMIT_TIMING_MANAGER_V1_ERROR_COMMIT_TIMER_EXISTS,
			"wl_surface@%u already has a wp_commit_timer_v1",
			wl_resource_get_id(surface_resource));
		return;
	}
	ts = timing_surface_get(surface);
	if (!ts)
		goto err;
	ts->resource = wl_resource_create(client, &wp_commit_timer_v1_interface,
		wl_resource_get_version(resource), id);
	if (!ts->resource)
		goto err;
	wl_resource_set_implementation(ts->resource, &timer_impl, ts,
		handle_timer_resource_destroy);
	return;

err:
	wl_resource_post_no_memory(resource);
}

static void handle_manager_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_commit_timing_manager_v1_interface manager_impl = {
	.destroy = handle_manager_destroy,
	.get_timer = handle_manager_get_timer,
};

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *res = wl_resource_create(client,
		&wp_commit_timing_manager_v1_interface, (int)version, id);
	if (!res) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(res, &manager_impl, data, NULL);
}

bool commit_timing_global_create(struct zc_server *server)
{
	return wl_global_create(server->display, &wp_commit_timing_manager_v1_interface, 1,
		server, bind_manager) != NULL;
}
