/*
 * wp_fifo_manager_v1. A content update with set_barrier sets the surface's
 * barrier when it is applied; the barrier clears right after the next
 * latching deadline, which here is the output repaint that takes the update
 * along, seen when that frame is presented. A content update with
 * wait_barrier is held in the commit queue while the barrier is set.
 *
 * Surfaces whose output paints nothing (off every output, occluded, output
 * idle) still progress: their barrier clears at the next point of the
 * output's refresh grid (the default refresh without an output), so they run
 * at the refresh rate, never faster and never stalled. A safety timer does
 * the same when a frame that should have carried the update is lost.
 */
#include <stdlib.h>

#include "fifo-v1-server-protocol.h"
#include "pacing.h"

#include "base/addon.h"
#include "base/log.h"
#include "base/util.h"
#include "core/commit.h"
#include "core/output.h"
#include "core/refresh_timer.h"
#include "core/surface.h"

struct fifo_surface {
	struct zc_addon addon;
	struct zc_surface *surface;
	struct wl_resource *resource; /* the wp_fifo_v1, NULL when none */
	bool pending_set, pending_wait;
	bool barrier;
	int frames_left; /* presents of output until the barrier clears */
	struct zc_output *output; /* whose frames are watched, or NULL */
	struct wl_listener output_frame, output_destroy, commit_queued;
	struct wl_event_source *timer;
	struct wl_list commits; /* fifo_commit.link, oldest first */
};

struct fifo_commit {
	struct fifo_surface *fs; /* NULL once the surface state is gone */
	struct zc_commit *commit;
	bool set_barrier, wait_barrier, held;
	struct zc_commit_hold hold;
	struct wl_listener done;
	struct wl_list link;
};

static const char fifo_owner;

/* ---- the barrier ---- */

static void fifo_unwatch_output(struct fifo_surface *fs)
{
	if (!fs->output)
		return;
	wl_list_remove(&fs->output_frame.link);
	wl_list_remove(&fs->output_destroy.link);
	fs->output = NULL;
}

static bool commit_is_head(const struct zc_commit *commit)
{
	return commit->link.prev == &commit->surface->commit_queue;
}

/* Lets the oldest waiting update go once nothing before it is queued and no
 * barrier is set; the updates behind it are looked at when it is applied. */
static void fifo_surface_update(struct fifo_surface *fs)
{
	struct fifo_commit *fc;
	wl_list_for_each(fc, &fs->commits, link) {
		if (!fc->held)
			continue;
		if (fs->barrier || !commit_is_head(fc->commit))
			return;
		fc->held = false;
		commit_hold_release(&fc->hold);
		return;
	}
}

static void fifo_clear_barrier(struct fifo_surface *fs)
{
	fs->barrier = false;
	fifo_unwatch_output(fs);
	wl_event_source_timer_update(fs->timer, 0);
	fifo_surface_update(fs);
}

static int handle_fifo_timer(void *data)
{
	fifo_clear_barrier(data);
	return 0;
}

static void handle_output_frame(struct wl_listener *listener, void *data)
{
	struct fifo_surface *fs = wl_container_of(listener, fs, output_frame);
	if (--fs->frames_left <= 0)
		fifo_clear_barrier(fs);
}

static void handle_output_destroy(struct wl_listener *listener, void *data)
{
	struct fifo_surface *fs = wl_container_of(listener, fs, output_destroy);
	fifo_unwatch_output(fs); /* the timer clears it */
}

/* Nanoseconds from now to the first refresh grid point after now (a
 * whole period without a grid). */
static uint64_t fifo_next_refresh_in(const struct zc_output *output, uint64_t now)
{
	uint64_t next = refresh_grid_at_or_after(output, now + 1);
	return next > now + 1 ? next - now : refresh_grid_period(output);
}

static void fifo_arm_timer(struct fifo_surface *fs, uint64_t ns)
{
	/* Rounded up: a barrier never clears before its refresh. */
	int ms = (int)((ns + 999999) / 1000000);
	wl_event_source_timer_update(fs->timer, ms > 0 ? ms : 1);
}

static void fifo_set_barrier(struct fifo_surface *fs)
{
	struct zc_output *output = fs->surface->output;
	uint64_t now = timespec_now_ns();
	fs->barrier = true;
	fifo_unwatch_output(fs);
	if (output && (output->repaint_needed || output->repaint_state == OUTPUT_FRAME_PENDING)) {
		/* A frame in flight does not carry this update; the next one does. */
		fs->frames_left = output->repaint_state == OUTPUT_FRAME_PENDING ? 2 : 1;
		fs->output = output;
		wl_signal_add(&output->frame, &fs->output_frame);
		wl_signal_add(&output->destroy, &fs->output_destroy);
		uint64_t period = refresh_grid_period(output);
		fifo_arm_timer(fs, fifo_next_refresh_in(output, now) +
			(uint64_t)(fs->frames_left + 1) * period);
		return;
	}
	fifo_arm_timer(fs, fifo_next_refresh_in(output, now));
}

/* ---- content updates ---- */

static void fifo_commit_destroy(struct fifo_commit *fc)
{
	wl_list_remove(&fc->link);
	wl_list_remove(&fc->done.link);
	free(fc);
}

static void handle_commit_done(struct wl_listener *listener, void *data)
{
	struct fifo_commit *fc = wl_container_of(listener, fc, done);
	struct fifo_surface *fs = fc->fs;
	bool applied = fc->commit->applied, set = fc->set_barrier;
	fifo_commit_destroy(fc);
	if (!fs)
		return;
	if (applied && set)
		fifo_set_barrier(fs);
	fifo_surface_update(fs);
}

/* Freed in handle_commit_done, which always follows. */
static void handle_hold_cancel(struct zc_commit_hold *hold)
{
	struct fifo_commit *fc = wl_container_of(hold, fc, hold);
	fc->held = false;
}

static void handle_commit_queued(struct wl_listener *listener, void *data)
{
	struct fifo_surface *fs = wl_container_of(listener, fs, commit_queued);
	struct zc_commit *commit = data;
	bool set = fs->pending_set, wait = fs->pending_wait;
	fs->pending_set = fs->pending_wait = false;
	if (commit->rejected)
		return;
	struct fifo_commit *fc = calloc(1, sizeof(*fc));
	if (!fc) {
		wl_resource_post_no_memory(fs->surface->resource);
		commit_reject(commit);
		return;
	}
	fc->fs = fs;
	fc->commit = commit;
	fc->set_barrier = set;
	fc->wait_barrier = wait;
	fc->done.notify = handle_commit_done;
	wl_signal_add(&commit->done, &fc->done);
	wl_list_insert(fs->commits.prev, &fc->link);
	/* The XML: ignored for a synchronized subsurface, whose updates wait
	 * for its parent's commit anyway. */
	if (wait && subsurface_is_synchronized(fs->surface))
		fc->wait_barrier = wait = false;
	if (wait && (fs->barrier || !commit_is_head(commit))) {
		fc->held = true;
		commit_hold_add(commit, &fc->hold, "fifo barrier", handle_hold_cancel);
	}
}

/* ---- per-surface state ---- */

static void fifo_surface_destroy(struct zc_addon *addon)
{
	struct fifo_surface *fs = wl_container_of(addon, fs, addon);
	struct fifo_commit *fc, *tmp;
	wl_list_for_each_safe(fc, tmp, &fs->commits, link) {
		fc->fs = NULL;
		wl_list_remove(&fc->link);
		wl_list_init(&fc->link);
	}
	if (fs->resource)
		wl_resource_set_user_data(fs->resource, NULL);
	fifo_unwatch_output(fs);
	wl_list_remove(&fs->commit_queued.link);
	wl_event_source_remove(fs->timer);
	free(fs);
}

static struct fifo_surface *fifo_surface_get(struct zc_surface *surface)
{
	struct zc_addon *addon = addon_find(&surface->addons, &fifo_owner);
	struct fifo_surface *fs;
	if (addon)
		return wl_container_of(addon, fs, addon);
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return NULL;
	fs->timer = wl_event_loop_add_timer(surface->server->loop, handle_fifo_timer, fs);
	if (!fs->timer) {
		free(fs);
		return NULL;
	}
	fs->surface = surface;
	wl_list_init(&fs->commits);
	fs->output_frame.notify = handle_output_frame;
	fs->output_destroy.notify = handle_output_destroy;
	fs->commit_queued.notify = handle_commit_queued;
	wl_signal_add(&surface->commit_queued, &fs->commit_queued);
	addon_init(&fs->addon, &surface->addons, &fifo_owner, fifo_surface_destroy);
	return fs;
}

/* ---- wp_fifo_v1 ---- */

static struct fifo_surface *fifo_from_request(struct wl_resource *resource)
{
	struct fifo_surface *fs = wl_resource_get_user_data(resource);
	if (!fs)
		wl_resource_post_error(resource, WP_FIFO_V1_ERROR_SURFACE_DESTROYED,
			"the wl_surface of this wp_fifo_v1 was destroyed");
	return fs;
}

static void handle_fifo_set_barrier(struct wl_client *client, struct wl_resource *resource)
{
	struct fifo_surface *fs = fifo_from_request(resource);
	if (fs)
		fs->pending_set = true;
}

static void handle_fifo_wait_barrier(struct wl_client *client, struct wl_resource *resource)
{
	struct fifo_surface *fs = fifo_from_request(resource);
	if (fs)
		fs->pending_wait = true;
}

static void handle_fifo_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_fifo_v1_interface fifo_impl = {
	.set_barrier = handle_fifo_set_barrier,
	.wait_barrier = handle_fifo_wait_barrier,
	.destroy = handle_fifo_destroy,
};

/* What was requested but not committed is forgotten with the object; what
 * was committed stays (the XML: state changes are unaffected). */
static void handle_fifo_resource_destroy(struct wl_resource *resource)
{
	struct fifo_surface *fs = wl_resource_get_user_data(resource);
	if (!fs)
		return;
	fs->resource = NULL;
	fs->pending_set = fs->pending_wait = false;
}

/* ---- wp_fifo_manager_v1 ---- */

static void handle_manager_get_fifo(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, struct wl_resource *surface_resource)
{
	struct zc_surface *surface = surface_from_resource(surface_resource);
	struct zc_addon *addon = addon_find(&surface->addons, &fifo_owner);
	struct fifo_surface *fs = addon ? wl_container_of(addon, fs, addon) : NULL;
	if (fs && fs->resource) {
		wl_resource_post_error(resource, WP_FIFO_MANAGER_V1_ERROR_ALREADY_EXISTS,
			"wl_surface@%u already has a wp_fifo_v1",
			wl_resource_get_id(surface_resource));
		return;
	}
	fs = fifo_surface_get(surface);
	if (!fs)
		goto err;
	fs->resource = wl_resource_create(client, &wp_fifo_v1_interface,
		wl_resource_get_version(resource), id);
	if (!fs->resource)
		goto err;
	wl_resource_set_implementation(fs->resource, &fifo_impl, fs,
		handle_fifo_resource_destroy);
	return;

err:
	wl_resource_post_no_memory(resource);
}

static void handle_manager_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_fifo_manager_v1_interface manager_impl = {
	.destroy = handle_manager_destroy,
	.get_fifo = handle_manager_get_fifo,
};

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *res = wl_resource_create(client, &wp_fifo_manager_v1_interface,
		(int)version, id);
	if (!res) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(res, &manager_impl, data, NULL);
}

bool fifo_global_create(struct zc_server *server)
{
	return wl_global_create(server->display, &wp_fifo_manager_v1_interface, 1, server,
		bind_manager) != NULL;
}
