/* zc-dmabuf --provoke-sync: each wp_linux_drm_syncobj_v1 mistake a client
 * can make, with the error the protocol names, and the objects destroyed in
 * every order, which must raise none. Each case runs on its own connection. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <xf86drm.h>

#include "dmabuf-client.h"
#include "dmabuf-sync.h"
#include "linux-drm-syncobj-v1-client-protocol.h"

#define NO_ERROR (-1)

struct sync_ctx {
	struct dmabuf_client *client;
	struct dmabuf_sync *sync;
	struct wl_surface *surface;
	struct wl_buffer *dmabuf; /* a valid dma-buf wl_buffer */
	struct zcc_buffer *shm;
	/* What a case made, for the clean-up (NULL once the case destroyed it). */
	struct wp_linux_drm_syncobj_surface_v1 *syncobj_surfaces[2];
	int n_syncobj_surfaces;
	struct dmabuf_sync_timeline release;
	struct wp_linux_drm_syncobj_timeline_v1 *bad_timeline;
};

typedef void (*sync_act_fn)(struct sync_ctx *ctx);

struct sync_case {
	const char *name;
	sync_act_fn act;
	int expect; /* error code, or NO_ERROR */
	const struct wl_interface *iface; /* where the error is raised */
};

static struct wp_linux_drm_syncobj_surface_v1 *get_surface(struct sync_ctx *ctx)
{
	struct wp_linux_drm_syncobj_surface_v1 *s =
		wp_linux_drm_syncobj_manager_v1_get_surface(ctx->sync->manager, ctx->surface);
	ctx->syncobj_surfaces[ctx->n_syncobj_surfaces++] = s;
	return s;
}

static void destroy_syncobj_surface(struct sync_ctx *ctx,
	struct wp_linux_drm_syncobj_surface_v1 *s)
{
	for (int i = 0; i < ctx->n_syncobj_surfaces; i++) {
		if (ctx->syncobj_surfaces[i] == s)
			ctx->syncobj_surfaces[i] = NULL;
	}
	wp_linux_drm_syncobj_surface_v1_destroy(s);
}

static void ctx_finish(struct sync_ctx *ctx)
{
	for (int i = 0; i < ctx->n_syncobj_surfaces; i++) {
		if (ctx->syncobj_surfaces[i])
			wp_linux_drm_syncobj_surface_v1_destroy(ctx->syncobj_surfaces[i]);
	}
	if (ctx->release.handle)
		dmabuf_sync_timeline_destroy(ctx->sync, &ctx->release);
	if (ctx->bad_timeline)
		wp_linux_drm_syncobj_timeline_v1_destroy(ctx->bad_timeline);
}

static void set_points(struct wp_linux_drm_syncobj_surface_v1 *s, struct dmabuf_sync_timeline *a,
	uint64_t acquire, struct dmabuf_sync_timeline *r, uint64_t release)
{
	if (a)
		wp_linux_drm_syncobj_surface_v1_set_acquire_point(s, a->proxy, 0, (uint32_t)acquire);
	if (r)
		wp_linux_drm_syncobj_surface_v1_set_release_point(s, r->proxy, 0, (uint32_t)release);
}

/* Explicit sync on ctx's surface with the acquire point 1 already
 * signalled, so a commit applies at once. */
static struct wp_linux_drm_syncobj_surface_v1 *ready_surface(struct sync_ctx *ctx)
{
	struct wp_linux_drm_syncobj_surface_v1 *s = get_surface(ctx);
	dmabuf_sync_timeline_create(ctx->sync, &ctx->release);
	ctx->sync->acquire_point = 1;
	dmabuf_sync_signal_acquire(ctx->sync);
	return s;
}

static void commit_buffer(struct sync_ctx *ctx, struct wl_buffer *buffer)
{
	wl_surface_attach(ctx->surface, buffer, 0, 0);
	wl_surface_commit(ctx->surface);
}

static void act_surface_exists(struct sync_ctx *ctx)
{
	get_surface(ctx);
	get_surface(ctx);
}

static void act_invalid_timeline(struct sync_ctx *ctx)
{
	int fd = eventfd(0, EFD_CLOEXEC);
	ctx->bad_timeline = wp_linux_drm_syncobj_manager_v1_import_timeline(ctx->sync->manager, fd);
	close(fd);
}

static void act_no_surface(struct sync_ctx *ctx)
{
	struct wp_linux_drm_syncobj_surface_v1 *s = get_surface(ctx);
	wl_surface_destroy(ctx->surface);
	ctx->surface = NULL;
	set_points(s, &ctx->sync->acquire, 1, NULL, 0);
}

static void act_unsupported_buffer(struct sync_ctx *ctx)
{
	struct dmabuf_sync_timeline *r = &ctx->release;
	set_points(ready_surface(ctx), &ctx->sync->acquire, 1, r, 1);
	commit_buffer(ctx, ctx->shm->wl_buffer);
}

static void act_unsupported_buffer_no_points(struct sync_ctx *ctx)
{
	get_surface(ctx);
	commit_buffer(ctx, ctx->shm->wl_buffer);
}

static void act_no_buffer(struct sync_ctx *ctx)
{
	struct dmabuf_sync_timeline *r = &ctx->release;
	set_points(ready_surface(ctx), &ctx->sync->acquire, 1, r, 1);
	wl_surface_commit(ctx->surface);
}

static void act_no_buffer_null(struct sync_ctx *ctx)
{
	struct dmabuf_sync_timeline *r = &ctx->release;
	set_points(ready_surface(ctx), NULL, 0, r, 1);
	commit_buffer(ctx, NULL);
}

static void act_no_acquire_point(struct sync_ctx *ctx)
{
	struct dmabuf_sync_timeline *r = &ctx->release;
	set_points(ready_surface(ctx), NULL, 0, r, 1);
	commit_buffer(ctx, ctx->dmabuf);
}

static void act_no_release_point(struct sync_ctx *ctx)
{
	set_points(ready_surface(ctx), &ctx->sync->acquire, 1, NULL, 0);
	commit_buffer(ctx, ctx->dmabuf);
}

static void act_conflicting_points(struct sync_ctx *ctx)
{
	set_points(ready_surface(ctx), &ctx->sync->acquire, 1, &ctx->sync->acquire, 1);
	commit_buffer(ctx, ctx->dmabuf);
}

static void act_conflicting_points_below(struct sync_ctx *ctx)
{
	set_points(ready_surface(ctx), &ctx->sync->acquire, 3, &ctx->sync->acquire, 2);
	commit_buffer(ctx, ctx->dmabuf);
}

/* One timeline, acquire below release: allowed. */
static void act_same_timeline_ok(struct sync_ctx *ctx)
{
	set_points(ready_surface(ctx), &ctx->sync->acquire, 1, &ctx->sync->acquire, 2);
	commit_buffer(ctx, ctx->dmabuf);
}

static void act_destroy_surface_first(struct sync_ctx *ctx)
{
	struct dmabuf_sync_timeline *r = &ctx->release;
	struct wp_linux_drm_syncobj_surface_v1 *s = ready_surface(ctx);
	set_points(s, &ctx->sync->acquire, 1, r, 1);
	wl_surface_destroy(ctx->surface);
	ctx->surface = NULL;
	destroy_syncobj_surface(ctx, s);
}

static void act_destroy_manager_first(struct sync_ctx *ctx)
{
	struct dmabuf_sync_timeline *r = &ctx->release;
	struct wp_linux_drm_syncobj_surface_v1 *s = ready_surface(ctx);
	wp_linux_drm_syncobj_manager_v1_destroy(ctx->sync->manager);
	ctx->sync->manager = NULL;
	set_points(s, &ctx->sync->acquire, 1, r, 1);
	commit_buffer(ctx, ctx->dmabuf);
}

static void act_destroy_timelines_first(struct sync_ctx *ctx)
{
	struct dmabuf_sync_timeline *r = &ctx->release;
	struct wp_linux_drm_syncobj_surface_v1 *s = ready_surface(ctx);
	set_points(s, &ctx->sync->acquire, 1, r, 1);
	dmabuf_sync_timeline_forget(&ctx->sync->acquire);
	dmabuf_sync_timeline_forget(r);
	commit_buffer(ctx, ctx->dmabuf);
}

static void act_destroy_with_pending_points(struct sync_ctx *ctx)
{
	struct dmabuf_sync_timeline *r = &ctx->release;
	struct wp_linux_drm_syncobj_surface_v1 *s = ready_surface(ctx);
	set_points(s, &ctx->sync->acquire, 1, r, 1);
	destroy_syncobj_surface(ctx, s);
	/* Without its syncobj surface the wl_surface takes buffers as before. */
	commit_buffer(ctx, ctx->dmabuf);
	get_surface(ctx);
}

static const struct sync_case cases[] = {
#define MGR(e) \
	WP_LINUX_DRM_SYNCOBJ_MANAGER_V1_ERROR_##e, &wp_linux_drm_syncobj_manager_v1_interface
#define SURF(e) \
	WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_##e, &wp_linux_drm_syncobj_surface_v1_interface
	{ "surface_exists", act_surface_exists, MGR(SURFACE_EXISTS) },
	{ "invalid_timeline", act_invalid_timeline, MGR(INVALID_TIMELINE) },
	{ "no_surface", act_no_surface, SURF(NO_SURFACE) },
	{ "unsupported_buffer", act_unsupported_buffer, SURF(UNSUPPORTED_BUFFER) },
	{ "unsupported_buffer_no_points", act_unsupported_buffer_no_points,
		SURF(UNSUPPORTED_BUFFER) },
	{ "no_buffer", act_no_buffer, SURF(NO_BUFFER) },
	{ "no_buffer_null", act_no_buffer_null, SURF(NO_BUFFER) },
	{ "no_acquire_point", act_no_acquire_point, SURF(NO_ACQUIRE_POINT) },
	{ "no_release_point", act_no_release_point, SURF(NO_RELEASE_POINT) },
	{ "conflicting_points", act_conflicting_points, SURF(CONFLICTING_POINTS) },
	{ "conflicting_points_below", act_conflicting_points_below, SURF(CONFLICTING_POINTS) },
	{ "same_timeline_ok", act_same_timeline_ok, NO_ERROR, NULL },
	{ "destroy_surface_first", act_destroy_surface_first, NO_ERROR, NULL },
	{ "destroy_manager_first", act_destroy_manager_first, NO_ERROR, NULL },
	{ "destroy_timelines_first", act_destroy_timelines_first, NO_ERROR, NULL },
	{ "destroy_with_pending_points", act_destroy_with_pending_points, NO_ERROR, NULL },
#undef MGR
#undef SURF
};

static bool judge(const struct sync_case *c, struct wl_display *display)
{
	const struct wl_interface *iface = NULL;
	uint32_t id = 0;
	int err = wl_display_get_error(display);
	int code = err == EPROTO ? (int)wl_display_get_protocol_error(display, &iface, &id) : -1;
	bool ok = c->expect == NO_ERROR ? err == 0 : code == c->expect && iface == c->iface;
	printf("%s sync %s: error %d on %s (want %d%s%s)\n", ok ? "ok  " : "FAIL", c->name, code,
		iface ? iface->name : "-", c->expect, c->iface ? " on " : "",
		c->iface ? c->iface->name : "");
	return ok;
}

static bool run_case(const struct dmabuf_client_options *opt, const char *device,
	const struct sync_case *c, int card_fd)
{
	struct dmabuf_client client;
	struct dmabuf_sync sync;
	struct dmabuf_alloc alloc = { .fd = -1 };
	struct sync_ctx ctx = { .client = &client, .sync = &sync };
	bool ok = false;
	if (!dmabuf_client_connect(&client, opt) || !dmabuf_sync_init(&sync, client.display, device))
		goto out;
	ctx.surface = wl_compositor_create_surface(client.globals.compositor);
	ctx.shm = zcc_buffer_create(client.globals.shm, 16, 16, WL_SHM_FORMAT_XRGB8888);
	if (!ctx.shm || !dmabuf_client_alloc(&client, opt, card_fd, &alloc) ||
	    !(ctx.dmabuf = dmabuf_client_create_buffer(&client, opt, &alloc)))
		goto out;
	c->act(&ctx);
	wl_display_roundtrip(client.display);
	ok = judge(c, client.display);
out:
	if (!ok && !wl_display_get_error(client.display))
		fprintf(stderr, "zc-dmabuf: case %s could not be set up\n", c->name);
	ctx_finish(&ctx);
	if (ctx.dmabuf)
		wl_buffer_destroy(ctx.dmabuf);
	if (alloc.fd >= 0)
		dmabuf_alloc_destroy(&alloc);
	if (ctx.shm)
		zcc_buffer_destroy(ctx.shm);
	if (ctx.surface)
		wl_surface_destroy(ctx.surface);
	dmabuf_sync_finish(&sync);
	dmabuf_client_disconnect(&client);
	return ok;
}

bool dmabuf_sync_provoke(const struct dmabuf_client_options *opt, const char *device,
	const char *which)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);
	bool ok = true, found = false;
	int card = opt->source == DMABUF_SOURCE_DUMB ? dmabuf_open_card(opt->device) : -1;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(which, "list") == 0) {
			printf("%s\n", cases[i].name);
			found = true;
			continue;
		}
		if (strcmp(which, "all") != 0 && strcmp(which, cases[i].name) != 0)
			continue;
		found = true;
		ok = run_case(opt, device, &cases[i], card) && ok;
	}
	if (card >= 0)
		close(card);
	if (!found)
		fprintf(stderr, "zc-dmabuf: no sync provocation %s (--provoke-sync=list)\n", which);
	return ok && found;
}
