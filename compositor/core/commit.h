#ifndef ZC_COMMIT_H
#define ZC_COMMIT_H

/*
 * Content updates that wait. Every wl_surface.commit becomes a zc_commit in
 * its surface's queue; it is applied once nothing holds it and every commit
 * before it has been applied, so a surface's updates keep their order. One
 * mechanism for every reason an update waits: an unsignalled implicit fence
 * on its buffer, an explicit-sync acquire point, a fifo barrier, a target
 * presentation time, or a synchronized subsurface's own held commit.
 *
 * A module that wants an update to wait listens to the surface's
 * `commit_queued` signal, embeds a zc_commit_hold in its own object, adds it
 * with commit_hold_add() and calls commit_hold_release() when the reason is
 * gone. If the update is dropped first (its surface was destroyed) the
 * hold's cancel() is called instead, and the owner frees its object there.
 */

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

#include "surface.h"

struct zc_commit;

struct zc_commit_hold {
	struct zc_commit *commit;
	const char *reason; /* for the log: "fence", "acquire point", ... */
	/* The commit was dropped while held; the hold is already detached. */
	void (*cancel)(struct zc_commit_hold *hold);
	struct wl_list link; /* zc_commit.holds */
};

struct zc_commit {
	struct zc_surface *surface;
	struct zc_surface_state state;
	uint64_t seq;      /* per surface, from 1 */
	uint64_t queued_ns; /* CLOCK_MONOTONIC */
	bool rejected;     /* a commit_queued listener posted a protocol error */
	bool applied;      /* when `done` fires: applied (or cached), not dropped */
	/* The attached buffer, locked while queued: a client may destroy its
	 * wl_buffer right after committing it (Mesa's WSI does, tearing down
	 * a swapchain), which must not turn a held update into an unmap. */
	struct zc_buffer *pinned;
	struct wl_list holds; /* zc_commit_hold.link */
	struct wl_list link;  /* zc_surface.commit_queue */
	/* Fires once, when the commit leaves the queue; data: zc_commit. */
	struct wl_signal done;
};

/* Queues the surface's pending state as a new commit and applies whatever
 * is ready. Called by wl_surface.commit after validation. */
void commit_queue_push(struct zc_surface *surface);
/* Drops every queued commit (surface destruction). */
void commit_queue_finish(struct zc_surface *surface);

void commit_hold_add(struct zc_commit *commit, struct zc_commit_hold *hold, const char *reason,
	void (*cancel)(struct zc_commit_hold *hold));
/* The reason is gone: detaches the hold and applies what became ready. */
void commit_hold_release(struct zc_commit_hold *hold);

/* Holds commit until fd becomes readable (a sync_file, an eventfd); takes
 * ownership of fd. False (fd closed) if memory ran out. */
bool commit_hold_until_readable(struct zc_commit *commit, int fd, const char *reason);

/* A commit_queued listener found a client error (already posted): the
 * commit is dropped instead of applied. */
void commit_reject(struct zc_commit *commit);

#endif
