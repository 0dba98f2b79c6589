/*
 * wp_linux_drm_syncobj_v1: explicit sync. A commit whose acquire point has
 * not signalled is held in the surface's commit queue (core/commit.h) on an
 * fd the event loop polls. Its release point is kept on the buffer and
 * signalled when zcomp stops reading the buffer, that is when the buffer's
 * last lock goes (buffer->release_signal): for a buffer on a KMS plane once
 * the flip that replaced it completed (the output holds it until then), for
 * a composited one after the frame that last read it ended, through the
 * renderer's fence when it has one (GL: an EGL native fence) and from the
 * CPU otherwise (pixman, whose reads end within the frame).
 */
#include "linux_drm_syncobj.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "base/buffer.h"
#include "base/util.h"
#include "core/backend.h"
#include "core/commit.h"
#include "core/surface.h"
#include "renderer/renderer.h"
#include "linux-drm-syncobj-v1-server-protocol.h"
#include "linux_drm_syncobj_private.h"

struct zc_linux_drm_syncobj {
	struct zc_server *server;
	struct wl_global *global;
	struct syncobj_device *dev;
};

/* An imported timeline; points set on it keep it after its resource went. */
struct syncobj_timeline {
	int refs;
	struct syncobj_device *dev;
	uint32_t handle;
};

struct syncobj_point {
	struct syncobj_timeline *timeline; /* NULL: unset */
	uint64_t value;
};

/* wp_linux_drm_syncobj_surface_v1: an addon on its wl_surface. */
struct syncobj_surface {
	struct wl_resource *resource;
	struct zc_surface *surface; /* NULL once the wl_surface is gone */
	struct zc_addon addon;
	struct syncobj_point acquire, release; /* pending */
	struct wl_listener commit_queued;
	/* For the log and --stats: commits with points, and those whose
	 * acquire point had not signalled when they were queued. */
	uint64_t n_commits, n_held;
};

/* Release points waiting for the buffer's last lock: an addon on it. */
struct syncobj_buffer {
	struct zc_addon addon;
	struct zc_buffer *buffer;
	struct zc_renderer *renderer; /* outlives every buffer */
	struct wl_array points; /* struct syncobj_point */
	struct wl_listener release;
};

static const char surface_addon_owner[] = "linux-drm-syncobj surface";
static const char buffer_addon_owner[] = "linux-drm-syncobj buffer";

/* ---- timelines and points ---- */

static struct syncobj_timeline *timeline_ref(struct syncobj_timeline *timeline)
{
	timeline->refs++;
	return timeline;
}

static void timeline_unref(struct syncobj_timeline *timeline)
{
	if (!timeline || --timeline->refs > 0)
		return;
	drmSyncobjDestroy(timeline->dev->fd, timeline->handle);
	syncobj_device_unref(timeline->dev);
	free(timeline);
}

static void point_set(struct syncobj_point *point, struct syncobj_timeline *timeline,
	uint64_t value)
{
	timeline_unref(point->timeline);
	point->timeline = timeline ? timeline_ref(timeline) : NULL;
	point->value = value;
}

/* Now, or when sync_file (>= 0) signals. */
static void point_signal(struct syncobj_point *point, int sync_file)
{
	struct syncobj_timeline *t = point->timeline;
	if (!syncobj_point_signal(t->dev, t->handle, point->value, sync_file))
		zc_warn("linux-drm-syncobj: cannot signal release point %" PRIu64 ": %s",
			point->value, strerror(errno));
	else
		zc_debug("linux-drm-syncobj: release point %" PRIu64 " signalled %s", point->value,
			sync_file >= 0 ? "through the renderer's fence" : "from the CPU");
	point_set(point, NULL, 0);
}

/* ---- release points on buffers ---- */

/* Composition has ended reading the buffer once the renderer's work so far
 * is done (GL: its fence); the CPU path and planes are done already. */
static void syncobj_buffer_signal_all(struct syncobj_buffer *sb)
{
	if (sb->points.size == 0)
		return;
	int fence = renderer_export_fence(sb->renderer);
	struct syncobj_point *point;
	wl_array_for_each(point, &sb->points)
		point_signal(point, fence);
	sb->points.size = 0;
	if (fence >= 0)
		close(fence);
}

static void handle_buffer_release(struct wl_listener *listener, void *data)
{
	struct syncobj_buffer *sb = wl_container_of(listener, sb, release);
	syncobj_buffer_signal_all(sb);
}

static void syncobj_buffer_destroy(struct zc_addon *addon)
{
	struct syncobj_buffer *sb = wl_container_of(addon, sb, addon);
	syncobj_buffer_signal_all(sb);
	wl_array_release(&sb->points);
	wl_list_remove(&sb->release.link);
	free(sb);
}

static struct syncobj_buffer *syncobj_buffer_get(struct zc_buffer *buffer,
	struct zc_renderer *renderer)
{
	struct zc_addon *addon = addon_find(&buffer->addons, buffer_addon_owner);
	if (addon)
		return container_of(addon, struct syncobj_buffer, addon);
	struct syncobj_buffer *sb = calloc(1, sizeof(*sb));
	if (!sb)
		return NULL;
	sb->buffer = buffer;
	sb->renderer = renderer;
	wl_array_init(&sb->points);
	sb->release.notify = handle_buffer_release;
	wl_signal_add(&buffer->release_signal, &sb->release);
	addon_init(&sb->addon, &buffer->addons, buffer_addon_owner, syncobj_buffer_destroy);
	return sb;
}

/* Takes the point over; false if memory ran out. */
static bool syncobj_buffer_add_release(struct zc_buffer *buffer, struct zc_renderer *renderer,
	struct syncobj_point *point)
{
	struct syncobj_buffer *sb = syncobj_buffer_get(buffer, renderer);
	struct syncobj_point *slot = sb ? wl_array_add(&sb->points, sizeof(*slot)) : NULL;
	if (!slot)
		return false;
	*slot = *point;
	*point = (struct syncobj_point){ 0 };
	return true;
}

/* ---- acquire: holding the commit ---- */

/* Without DRM_IOCTL_SYNCOBJ_EVENTFD a point with no fence yet has nothing
 * to poll: look again every few milliseconds. */
struct retry_hold {
	struct zc_commit_hold base;
	struct syncobj_point point;
	struct wl_event_source *timer;
};

#define RETRY_MS 2

static void retry_hold_destroy(struct retry_hold *hold)
{
	wl_event_source_remove(hold->timer);
	point_set(&hold->point, NULL, 0);
	free(hold);
}

static void retry_hold_cancel(struct zc_commit_hold *base)
{
	retry_hold_destroy(container_of(base, struct retry_hold, base));
}

static int handle_retry_timer(void *data)
{
	struct retry_hold *hold = data;
	int fd = syncobj_point_wait_fd(hold->point.timeline->dev, hold->point.timeline->handle,
		hold->point.value);
	if (fd == -EAGAIN) {
		wl_event_source_timer_update(hold->timer, RETRY_MS);
		return 0;
	}
	struct zc_commit *commit = hold->base.commit;
	/* The fd hold replaces this one before it goes, so the commit never
	 * looks ready in between. */
	if (fd >= 0 && !commit_hold_until_readable(commit, fd, "acquire point"))
		zc_warn("linux-drm-syncobj: out of memory: acquire point not waited for");
	else if (fd < 0)
		zc_warn("linux-drm-syncobj: acquire point %" PRIu64 " unusable: %s",
			hold->point.value, strerror(-fd));
	commit_hold_release(&hold->base);
	retry_hold_destroy(hold);
	return 0;
}

static bool hold_retry(struct zc_commit *commit, struct syncobj_point *point)
{
	struct zc_server *server = commit->surface->server;
	struct retry_hold *hold = calloc(1, sizeof(*hold));
	if (!hold)
		return false;
	hold->timer = wl_event_loop_add_timer(server->loop, handle_retry_timer, hold);
	if (!hold->timer) {
		free(hold);
		return false;
	}
	point_set(&hold->point, point->timeline, point->value);
	wl_event_source_timer_update(hold->timer, RETRY_MS);
	commit_hold_add(commit, &hold->base, "acquire point (no fence yet)", retry_hold_cancel);
	return true;
}

/* False after posting an error on resource (the commit is then rejected);
 * *held: the point had not signalled yet. */
static bool hold_on_point(struct zc_commit *commit, struct syncobj_point *point,
	struct wl_resource *resource, bool *held)
{
	struct syncobj_timeline *t = point->timeline;
	*held = !syncobj_point_signalled(t->dev, t->handle, point->value);
	if (!*held)
		return true;
	int fd = syncobj_point_wait_fd(t->dev, t->handle, point->value);
	bool ok;
	if (fd == -EAGAIN)
		ok = hold_retry(commit, point);
	else if (fd >= 0)
		ok = commit_hold_until_readable(commit, fd, "acquire point");
	else if (fd == -ENOMEM)
		ok = false;
	else {
		wl_client_post_implementation_error(wl_resource_get_client(resource),
			"cannot wait for acquire point %" PRIu64 ": %s", point->value,
			strerror(-fd));
		return false;
	}
	if (!ok)
		wl_resource_post_no_memory(resource);
	return ok;
}

/* ---- the commit ---- */

uint32_t syncobj_check_commit(const struct syncobj_commit_facts *f, const char **why)
{
	if (!f->buffer_attached) {
		if (!f->has_acquire && !f->has_release)
			return 0;
		*why = "acquire or release point set without a buffer attached";
		return WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_NO_BUFFER;
	}
	if (!f->buffer_supported) {
		*why = "only dma-bufs (linux-dmabuf) take explicit sync";
		return WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_UNSUPPORTED_BUFFER;
	}
	if (!f->has_acquire) {
		*why = "buffer attached without an acquire point";
		return WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_NO_ACQUIRE_POINT;
	}
	if (!f->has_release) {
		*why = "buffer attached without a release point";
		return WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_NO_RELEASE_POINT;
	}
	if (f->same_timeline && f->acquire >= f->release) {
		*why = "acquire point not below the release point on the same timeline";
		return WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_CONFLICTING_POINTS;
	}
	return 0;
}

static uint32_t surface_check_commit(struct syncobj_surface *ss, const struct zc_commit *commit,
	const char **why)
{
	const struct zc_surface_state *s = &commit->state;
	struct syncobj_commit_facts f = {
		.buffer_attached = (s->fields & ZC_STATE_BUFFER) && s->buffer,
		.has_acquire = ss->acquire.timeline != NULL,
		.has_release = ss->release.timeline != NULL,
		.same_timeline = ss->acquire.timeline == ss->release.timeline,
		.acquire = ss->acquire.value,
		.release = ss->release.value,
	};
	f.buffer_supported = f.buffer_attached && buffer_get_dmabuf(s->buffer);
	return syncobj_check_commit(&f, why);
}

static void handle_surface_commit_queued(struct wl_listener *listener, void *data)
{
	struct syncobj_surface *ss = wl_container_of(listener, ss, commit_queued);
	struct zc_commit *commit = data;
	const char *why = NULL;
	uint32_t error = surface_check_commit(ss, commit, &why);
	if (error) {
		wl_resource_post_error(ss->resource, error, "%s", why);
		commit_reject(commit);
		return;
	}
	if (!ss->acquire.timeline)
		return; /* no buffer in this commit, no points */
	struct zc_buffer *buffer = commit->state.buffer;
	bool held = false;
	/* The queue keeps this commit's buffer locked until it is shown (or
	 * dropped), so no earlier unlock can signal the point (commit.c). */
	if (!syncobj_buffer_add_release(buffer, commit->surface->server->renderer, &ss->release)) {
		wl_resource_post_no_memory(ss->resource);
		commit_reject(commit);
	} else if (!hold_on_point(commit, &ss->acquire, ss->resource, &held)) {
		commit_reject(commit);
	} else {
		ss->n_commits++;
		ss->n_held += held;
	}
	point_set(&ss->acquire, NULL, 0);
	point_set(&ss->release, NULL, 0);
}

/* ---- wp_linux_drm_syncobj_surface_v1 ---- */

static struct syncobj_surface *syncobj_surface_from_resource(struct wl_resource *resource)
{
	return wl_resource_get_user_data(resource);
}

static void syncobj_surface_report(struct syncobj_surface *ss)
{
	if (!ss->n_commits)
		return;
	struct wl_resource *surface = ss->surface->resource;
	pid_t pid = 0;
	wl_client_get_credentials(wl_resource_get_client(surface), &pid, NULL, NULL);
	zc_info("linux-drm-syncobj: surface %u of pid %d: %" PRIu64 " commits with points, %"
		PRIu64 " held for their acquire point", wl_resource_get_id(surface), (int)pid,
		ss->n_commits, ss->n_held);
	FILE *f = ss->surface->server->stats_file;
	if (!f)
		return;
	fprintf(f, "{\"event\":\"explicit-sync\",\"client_pid\":%d,\"surface\":%u,"
		"\"commits\":%" PRIu64 ",\"held\":%" PRIu64 "}\n", (int)pid,
		wl_resource_get_id(surface), ss->n_commits, ss->n_held);
	fflush(f);
}

/* The wl_surface went, or the object did: points not committed are dropped. */
static void syncobj_surface_detach(struct zc_addon *addon)
{
	struct syncobj_surface *ss = wl_container_of(addon, ss, addon);
	syncobj_surface_report(ss);
	wl_list_remove(&ss->commit_queued.link);
	point_set(&ss->acquire, NULL, 0);
	point_set(&ss->release, NULL, 0);
	ss->surface = NULL;
}

static void handle_surface_resource_destroy(struct wl_resource *resource)
{
	struct syncobj_surface *ss = syncobj_surface_from_resource(resource);
	if (ss->surface)
		addon_destroy(&ss->addon);
	free(ss);
}

static void handle_surface_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void surface_set_point(struct wl_resource *resource, struct wl_resource *timeline_resource,
	uint32_t hi, uint32_t lo, bool acquire)
{
	struct syncobj_surface *ss = syncobj_surface_from_resource(resource);
	if (!ss->surface) {
		wl_resource_post_error(resource, WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_NO_SURFACE,
			"the wl_surface was destroyed");
		return;
	}
	struct syncobj_timeline *timeline = wl_resource_get_user_data(timeline_resource);
	point_set(acquire ? &ss->acquire : &ss->release, timeline, (uint64_t)hi << 32 | lo);
}

static void handle_surface_set_acquire_point(struct wl_client *client,
	struct wl_resource *resource, struct wl_resource *timeline, uint32_t hi, uint32_t lo)
{
	surface_set_point(resource, timeline, hi, lo, true);
}

static void handle_surface_set_release_point(struct wl_client *client,
	struct wl_resource *resource, struct wl_resource *timeline, uint32_t hi, uint32_t lo)
{
	surface_set_point(resource, timeline, hi, lo, false);
}

static const struct wp_linux_drm_syncobj_surface_v1_interface surface_impl = {
	.destroy = handle_surface_destroy,
	.set_acquire_point = handle_surface_set_acquire_point,
	.set_release_point = handle_surface_set_release_point,
};

/* ---- wp_linux_drm_syncobj_timeline_v1 ---- */

static void handle_timeline_resource_destroy(struct wl_resource *resource)
{
	timeline_unref(wl_resource_get_user_data(resource));
}

static void handle_timeline_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_linux_drm_syncobj_timeline_v1_interface timeline_impl = {
	.destroy = handle_timeline_destroy,
};

/* ---- wp_linux_drm_syncobj_manager_v1 ---- */

static void handle_manager_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void handle_manager_get_surface(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, struct wl_resource *surface_resource)
{
	struct zc_surface *surface = surface_from_resource(surface_resource);
	if (addon_find(&surface->addons, surface_addon_owner)) {
		wl_resource_post_error(resource,
			WP_LINUX_DRM_SYNCOBJ_MANAGER_V1_ERROR_SURFACE_EXISTS,
			"the surface already has a syncobj surface");
		return;
	}
	struct syncobj_surface *ss = calloc(1, sizeof(*ss));
	if (!ss)
		goto err;
	ss->resource = wl_resource_create(client, &wp_linux_drm_syncobj_surface_v1_interface,
		wl_resource_get_version(resource), id);
	if (!ss->resource)
		goto err_resource;
	wl_resource_set_implementation(ss->resource, &surface_impl, ss,
		handle_surface_resource_destroy);
	ss->surface = surface;
	ss->commit_queued.notify = handle_surface_commit_queued;
	wl_signal_add(&surface->commit_queued, &ss->commit_queued);
	addon_init(&ss->addon, &surface->addons, surface_addon_owner, syncobj_surface_detach);
	return;

err_resource:
	free(ss);
err:
	wl_resource_post_no_memory(resource);
}

static void handle_manager_import_timeline(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, int32_t fd)
{
	struct zc_linux_drm_syncobj *syncobj = wl_resource_get_user_data(resource);
	uint32_t handle;
	if (drmSyncobjFDToHandle(syncobj->dev->fd, fd, &handle) < 0) {
		wl_resource_post_error(resource,
			WP_LINUX_DRM_SYNCOBJ_MANAGER_V1_ERROR_INVALID_TIMELINE,
			"cannot import the timeline: %s", strerror(errno));
		close(fd);
		return;
	}
	close(fd);
	struct syncobj_timeline *timeline = calloc(1, sizeof(*timeline));
	if (!timeline)
		goto err;
	struct wl_resource *timeline_resource = wl_resource_create(client,
		&wp_linux_drm_syncobj_timeline_v1_interface, wl_resource_get_version(resource), id);
	if (!timeline_resource)
		goto err_resource;
	timeline->refs = 1;
	timeline->dev = syncobj_device_ref(syncobj->dev);
	timeline->handle = handle;
	wl_resource_set_implementation(timeline_resource, &timeline_impl, timeline,
		handle_timeline_resource_destroy);
	return;

err_resource:
	free(timeline);
err:
	drmSyncobjDestroy(syncobj->dev->fd, handle);
	wl_resource_post_no_memory(resource);
}

static const struct wp_linux_drm_syncobj_manager_v1_interface manager_impl = {
	.destroy = handle_manager_destroy,
	.get_surface = handle_manager_get_surface,
	.import_timeline = handle_manager_import_timeline,
};

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *resource = wl_resource_create(client,
		&wp_linux_drm_syncobj_manager_v1_interface, (int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &manager_impl, data, NULL);
}

bool linux_drm_syncobj_global_create(struct zc_server *server)
{
	int kms_fd = server->backend ? server->backend->drm_fd : -1;
	struct syncobj_device *dev = syncobj_device_open(kms_fd);
	if (!dev) {
		zc_info("linux-drm-syncobj: no DRM device with timeline syncobjs: "
			"explicit sync not offered");
		return true;
	}
	struct zc_linux_drm_syncobj *syncobj = calloc(1, sizeof(*syncobj));
	if (!syncobj)
		goto err;
	syncobj->server = server;
	syncobj->dev = dev;
	syncobj->global = wl_global_create(server->display,
		&wp_linux_drm_syncobj_manager_v1_interface, 1, syncobj, bind_manager);
	if (!syncobj->global)
		goto err_global;
	server->linux_drm_syncobj = syncobj;
	return true;

err_global:
	free(syncobj);
err:
	syncobj_device_unref(dev);
	return false;
}

void linux_drm_syncobj_global_destroy(struct zc_server *server)
{
	struct zc_linux_drm_syncobj *syncobj = server->linux_drm_syncobj;
	if (!syncobj)
		return;
	wl_global_destroy(syncobj->global);
	syncobj_device_unref(syncobj->dev);
	free(syncobj);
	server->linux_drm_syncobj = NULL;
}
