/*
 * The commit queue (see commit.h). Waiting happens in the event loop: a held
 * commit blocks nothing but the later commits of its own surface (and the
 * parent commits that must take its synchronized-subsurface state along).
 */
#include "commit.h"

#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/buffer.h"
#include "base/log.h"
#include "base/util.h"

static struct zc_commit *commit_create(struct zc_surface *surface)
{
	struct zc_commit *commit = calloc(1, sizeof(*commit));
	if (!commit)
		return NULL;
	commit->surface = surface;
	commit->seq = ++surface->commit_seq;
	commit->queued_ns = timespec_now_ns();
	surface_state_init(&commit->state);
	surface_state_move(&commit->state, &surface->pending);
	if (commit->state.buffer)
		commit->pinned = buffer_lock(commit->state.buffer);
	wl_list_init(&commit->holds);
	wl_signal_init(&commit->done);
	wl_list_insert(surface->commit_queue.prev, &commit->link);
	return commit;
}

static void commit_destroy(struct zc_commit *commit)
{
	struct zc_commit_hold *hold, *tmp;
	wl_list_for_each_safe(hold, tmp, &commit->holds, link) {
		wl_list_remove(&hold->link);
		hold->commit = NULL;
		hold->cancel(hold);
	}
	wl_list_remove(&commit->link);
	wl_signal_emit_mutable(&commit->done, commit);
	surface_state_finish(&commit->state);
	if (commit->pinned)
		buffer_unlock(commit->pinned);
	free(commit);
}

/* A pinned buffer that went into a synchronized subsurface's cache stays
 * locked until the surface's next applied state (which shows it and takes
 * its own lock) or the surface's end. */
struct cache_pin {
	struct zc_buffer *buffer;
	struct wl_listener surface_commit, surface_destroy;
};

static void cache_pin_destroy(struct cache_pin *pin)
{
	wl_list_remove(&pin->surface_commit.link);
	wl_list_remove(&pin->surface_destroy.link);
	buffer_unlock(pin->buffer);
	free(pin);
}

static void handle_cache_pin_commit(struct wl_listener *listener, void *data)
{
	cache_pin_destroy(container_of(listener, struct cache_pin, surface_commit));
}

static void handle_cache_pin_destroy(struct wl_listener *listener, void *data)
{
	cache_pin_destroy(container_of(listener, struct cache_pin, surface_destroy));
}

/* Out of memory: the pin stays with the commit, which unlocks it now. */
static void commit_pin_in_cache(struct zc_commit *commit)
{
	struct cache_pin *pin = calloc(1, sizeof(*pin));
	if (!pin)
		return;
	pin->buffer = commit->pinned;
	commit->pinned = NULL;
	pin->surface_commit.notify = handle_cache_pin_commit;
	wl_signal_add(&commit->surface->commit_signal, &pin->surface_commit);
	pin->surface_destroy.notify = handle_cache_pin_destroy;
	wl_signal_add(&commit->surface->destroy_signal, &pin->surface_destroy);
}

/* A synchronized subsurface takes the state into its cache; anything else
 * shows it now. */
static void commit_apply(struct zc_commit *commit)
{
	struct zc_surface *surface = commit->surface;
	uint64_t waited = timespec_now_ns() - commit->queued_ns;
	if (waited > 1000000)
		zc_debug("surface %u: commit %" PRIu64 " applied after %.1f ms",
			wl_resource_get_id(surface->resource), commit->seq, (double)waited / 1e6);
	if (surface->role && surface->role->cache && surface->role->cache(surface, &commit->state)) {
		if (commit->pinned)
			commit_pin_in_cache(commit);
	} else {
		surface_apply_state(surface, &commit->state);
	}
	commit->applied = true;
	commit_destroy(commit);
}

static void commit_queue_flush(struct zc_surface *surface)
{
	/* Applying may release holds of this very queue (a role or module
	 * reacting to the new state): the outer loop picks those up. */
	if (surface->commit_flushing)
		return;
	surface->commit_flushing = true;
	while (!wl_list_empty(&surface->commit_queue)) {
		struct zc_commit *commit =
			wl_container_of(surface->commit_queue.next, commit, link);
		if (!wl_list_empty(&commit->holds))
			break;
		commit_apply(commit);
	}
	surface->commit_flushing = false;
}

void commit_hold_add(struct zc_commit *commit, struct zc_commit_hold *hold, const char *reason,
	void (*cancel)(struct zc_commit_hold *hold))
{
	hold->commit = commit;
	hold->reason = reason;
	hold->cancel = cancel;
	wl_list_insert(commit->holds.prev, &hold->link);
	zc_debug("surface %u: commit %" PRIu64 " held: %s",
		wl_resource_get_id(commit->surface->resource), commit->seq, reason);
}

/* The surface whose queue the hold was in, or NULL if it was in none. */
static struct zc_surface *hold_detach(struct zc_commit_hold *hold)
{
	struct zc_commit *commit = hold->commit;
	if (!commit)
		return NULL;
	wl_list_remove(&hold->link);
	wl_list_init(&hold->link);
	hold->commit = NULL;
	return commit->surface;
}

void commit_hold_release(struct zc_commit_hold *hold)
{
	struct zc_surface *surface = hold_detach(hold);
	if (surface)
		commit_queue_flush(surface);
}

void commit_reject(struct zc_commit *commit)
{
	commit->rejected = true;
}

/* ---- holds the core itself knows: a readable fd, a child's commit ---- */

struct fd_hold {
	struct zc_commit_hold base;
	int fd;
	struct wl_event_source *source;
};

static void fd_hold_destroy(struct fd_hold *hold)
{
	wl_event_source_remove(hold->source);
	close(hold->fd);
	free(hold);
}

static void fd_hold_cancel(struct zc_commit_hold *base)
{
	fd_hold_destroy(container_of(base, struct fd_hold, base));
}

static int handle_fd_hold_readable(int fd, uint32_t mask, void *data)
{
	struct fd_hold *hold = data;
	struct zc_surface *surface = hold_detach(&hold->base);
	fd_hold_destroy(hold);
	commit_queue_flush(surface);
	return 0;
}

bool commit_hold_until_readable(struct zc_commit *commit, int fd, const char *reason)
{
	struct fd_hold *hold = calloc(1, sizeof(*hold));
	if (!hold)
		goto err;
	hold->fd = fd;
	hold->source = wl_event_loop_add_fd(commit->surface->server->loop, fd,
		WL_EVENT_READABLE, handle_fd_hold_readable, hold);
	if (!hold->source)
		goto err_source;
	commit_hold_add(commit, &hold->base, reason, fd_hold_cancel);
	return true;

err_source:
	free(hold);
err:
	close(fd);
	return false;
}

/* A parent's commit applies the cached state of its synchronized children;
 * a child commit still held would miss it, so the parent waits for the
 * child's newest queued commit. */
struct child_hold {
	struct zc_commit_hold base;
	struct wl_listener child_done;
};

static void child_hold_destroy(struct child_hold *hold)
{
	wl_list_remove(&hold->child_done.link);
	free(hold);
}

static void child_hold_cancel(struct zc_commit_hold *base)
{
	child_hold_destroy(container_of(base, struct child_hold, base));
}

static void handle_child_commit_done(struct wl_listener *listener, void *data)
{
	struct child_hold *hold = wl_container_of(listener, hold, child_done);
	struct zc_surface *surface = hold_detach(&hold->base);
	child_hold_destroy(hold);
	commit_queue_flush(surface);
}

static bool commit_hold_on_child(struct zc_commit *commit, struct zc_surface *child)
{
	struct zc_commit *last = wl_container_of(child->commit_queue.prev, last, link);
	struct child_hold *hold = calloc(1, sizeof(*hold));
	if (!hold)
		return false;
	hold->child_done.notify = handle_child_commit_done;
	wl_signal_add(&last->done, &hold->child_done);
	commit_hold_add(commit, &hold->base, "synchronized subsurface", child_hold_cancel);
	return true;
}

static bool commit_hold_on_children(struct zc_commit *commit, struct zc_surface *parent)
{
	struct wl_list *link;
	for (link = parent->children_pending.next; link != &parent->children_pending;
	     link = link->next) {
		if (link == &parent->self_pending_link)
			continue;
		struct zc_surface *child = subsurface_get_surface(subsurface_from_pending_link(link));
		if (!subsurface_is_synchronized(child))
			continue;
		if (!wl_list_empty(&child->commit_queue) && !commit_hold_on_child(commit, child))
			return false;
		if (!commit_hold_on_children(commit, child))
			return false;
	}
	return true;
}

static bool commit_add_core_holds(struct zc_commit *commit)
{
	struct zc_surface_state *s = &commit->state;
	if ((s->fields & ZC_STATE_BUFFER) && s->buffer) {
		int fd = buffer_export_ready_fence(s->buffer);
		if (fd >= 0 && !commit_hold_until_readable(commit, fd, "implicit fence"))
			return false;
	}
	return commit_hold_on_children(commit, commit->surface);
}

void commit_queue_push(struct zc_surface *surface)
{
	struct zc_commit *commit = commit_create(surface);
	if (!commit) {
		wl_resource_post_no_memory(surface->resource);
		return;
	}
	if (!commit_add_core_holds(commit)) {
		wl_resource_post_no_memory(surface->resource);
		commit_destroy(commit);
		return;
	}
	wl_signal_emit_mutable(&surface->commit_queued, commit);
	if (commit->rejected) {
		commit_destroy(commit);
		return;
	}
	commit_queue_flush(surface);
}

void commit_queue_finish(struct zc_surface *surface)
{
	while (!wl_list_empty(&surface->commit_queue)) {
		struct zc_commit *commit =
			wl_container_of(surface->commit_queue.next, commit, link);
		commit_destroy(commit);
	}
}
