/* The commit queue (core/commit.c): held commits keep their order, a
 * parent waits for its synchronized child's held commit, a dropped commit
 * cancels its holds, a rejected one is never applied. The holds here are
 * the test's own, added the way explicit sync or fifo add theirs. */
#define _GNU_SOURCE

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-client-protocol.h>

#include "base/buffer.h"
#include "check.h"
#include "core/commit.h"
#include "harness.h"
#include "protocols/shm.h"

static struct th_server srv;

struct test_client {
	struct th_client c;
	struct wl_registry *registry;
	struct wl_compositor *compositor;
	struct wl_subcompositor *subcompositor;
	struct wl_shm *shm;
};

/* What the server side saw of one surface. */
struct watch {
	struct zc_surface *surface;
	struct wl_listener queued, applied;
	int hold_next;    /* holds to add to the next commits */
	bool reject_next;
	struct zc_commit_hold holds[4];
	int n_holds, cancelled;
	struct zc_buffer *applied_buffers[8];
	int n_applied;
};

static void handle_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct test_client *tc = data;
	if (strcmp(interface, wl_compositor_interface.name) == 0)
		tc->compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 4);
	else if (strcmp(interface, wl_subcompositor_interface.name) == 0)
		tc->subcompositor = wl_registry_bind(registry, name, &wl_subcompositor_interface, 1);
	else if (strcmp(interface, wl_shm_interface.name) == 0)
		tc->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
}

static void handle_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = handle_global,
	.global_remove = handle_global_remove,
};

static bool client_connect(struct test_client *tc)
{
	*tc = (struct test_client){ 0 };
	if (!th_client_connect(&tc->c, &srv))
		return false;
	tc->registry = wl_display_get_registry(tc->c.display);
	wl_registry_add_listener(tc->registry, &registry_listener, tc);
	return th_roundtrip(&tc->c) && tc->compositor && tc->subcompositor && tc->shm;
}

static void client_disconnect(struct test_client *tc)
{
	wl_shm_destroy(tc->shm);
	wl_subcompositor_destroy(tc->subcompositor);
	wl_compositor_destroy(tc->compositor);
	wl_registry_destroy(tc->registry);
	th_client_disconnect(&tc->c);
}

static struct wl_buffer *make_buffer(struct test_client *tc)
{
	int fd = memfd_create("commit-test", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 4 * 4 * 4) < 0)
		abort();
	struct wl_shm_pool *pool = wl_shm_create_pool(tc->shm, fd, 4 * 4 * 4);
	struct wl_buffer *buffer =
		wl_shm_pool_create_buffer(pool, 0, 4, 4, 16, WL_SHM_FORMAT_ARGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);
	return buffer;
}

static void handle_hold_cancel(struct zc_commit_hold *hold)
{
	/* The owner would free its object here; ours live in the watch. */
	hold->reason = "cancelled";
}

static void handle_commit_queued(struct wl_listener *listener, void *data)
{
	struct watch *w = wl_container_of(listener, w, queued);
	struct zc_commit *commit = data;
	if (w->reject_next) {
		w->reject_next = false;
		commit_reject(commit);
		return;
	}
	if (w->hold_next > 0 && w->n_holds < 4) {
		w->hold_next--;
		commit_hold_add(commit, &w->holds[w->n_holds++], "test", handle_hold_cancel);
	}
}

static void handle_commit_applied(struct wl_listener *listener, void *data)
{
	struct watch *w = wl_container_of(listener, w, applied);
	if (w->n_applied < 8)
		w->applied_buffers[w->n_applied++] = w->surface->buffer;
}

static void watch_init(struct watch *w, struct test_client *tc, struct wl_surface *surface)
{
	*w = (struct watch){ 0 };
	th_roundtrip(&tc->c);
	w->surface = surface_from_resource(th_resource(&tc->c, surface));
	w->queued.notify = handle_commit_queued;
	wl_signal_add(&w->surface->commit_queued, &w->queued);
	w->applied.notify = handle_commit_applied;
	wl_signal_add(&w->surface->commit_signal, &w->applied);
}

static void watch_finish(struct watch *w)
{
	wl_list_remove(&w->queued.link);
	wl_list_remove(&w->applied.link);
}

static struct zc_buffer *server_buffer(struct test_client *tc, struct wl_buffer *buffer)
{
	return buffer_from_resource(th_resource(&tc->c, buffer));
}

static void commit_buffer(struct wl_surface *surface, struct wl_buffer *buffer)
{
	wl_surface_attach(surface, buffer, 0, 0);
	wl_surface_damage_buffer(surface, 0, 0, 4, 4);
	wl_surface_commit(surface);
}

/* Commit 1 is held, commit 2 is not: neither shows until 1 is released,
 * then both, in order. */
static void test_order(void)
{
	struct test_client tc;
	CHECK(client_connect(&tc));
	struct wl_surface *surface = wl_compositor_create_surface(tc.compositor);
	struct watch w;
	watch_init(&w, &tc, surface);
	struct wl_buffer *b1 = make_buffer(&tc), *b2 = make_buffer(&tc);

	w.hold_next = 1;
	commit_buffer(surface, b1);
	commit_buffer(surface, b2);
	CHECK(th_roundtrip(&tc.c));
	CHECK(w.n_applied == 0);
	CHECK(w.surface->buffer == NULL);
	CHECK(wl_list_length(&w.surface->commit_queue) == 2);

	commit_hold_release(&w.holds[0]);
	CHECK(w.n_applied == 2);
	CHECK(w.applied_buffers[0] == server_buffer(&tc, b1));
	CHECK(w.applied_buffers[1] == server_buffer(&tc, b2));
	CHECK(wl_list_empty(&w.surface->commit_queue));
	commit_hold_release(&w.holds[0]); /* a second release does nothing */
	CHECK(w.n_applied == 2);

	watch_finish(&w);
	wl_buffer_destroy(b1);
	wl_buffer_destroy(b2);
	wl_surface_destroy(surface);
	client_disconnect(&tc);
}

/* A parent commit that follows a synchronized child's held commit waits for
 * it, so the child's new state is part of the parent's; a desynchronized
 * child's hold holds nothing else. */
static void test_subsurface(bool sync)
{
	struct test_client tc;
	CHECK(client_connect(&tc));
	struct wl_surface *parent = wl_compositor_create_surface(tc.compositor);
	struct wl_surface *child = wl_compositor_create_surface(tc.compositor);
	struct wl_subsurface *sub =
		wl_subcompositor_get_subsurface(tc.subcompositor, child, parent);
	if (!sync)
		wl_subsurface_set_desync(sub);
	struct watch wp, wc;
	watch_init(&wp, &tc, parent);
	watch_init(&wc, &tc, child);
	struct wl_buffer *bp = make_buffer(&tc), *bc = make_buffer(&tc);

	wc.hold_next = 1;
	commit_buffer(child, bc);
	commit_buffer(parent, bp);
	CHECK(th_roundtrip(&tc.c));
	CHECK(wc.surface->buffer == NULL);
	CHECK((wp.surface->buffer != NULL) == !sync);

	commit_hold_release(&wc.holds[0]);
	CHECK(wp.surface->buffer == server_buffer(&tc, bp));
	CHECK(wc.surface->buffer == server_buffer(&tc, bc));
	CHECK(wl_list_empty(&wp.surface->commit_queue));

	watch_finish(&wp);
	watch_finish(&wc);
	wl_subsurface_destroy(sub);
	wl_buffer_destroy(bp);
	wl_buffer_destroy(bc);
	wl_surface_destroy(child);
	wl_surface_destroy(parent);
	client_disconnect(&tc);
}

/* A surface destroyed with held commits cancels their holds and applies
 * nothing. */
static void test_destroy_while_held(void)
{
	struct test_client tc;
	CHECK(client_connect(&tc));
	struct wl_surface *surface = wl_compositor_create_surface(tc.compositor);
	struct watch w;
	watch_init(&w, &tc, surface);
	struct wl_buffer *b1 = make_buffer(&tc), *b2 = make_buffer(&tc);
	w.hold_next = 2;
	commit_buffer(surface, b1);
	commit_buffer(surface, b2);
	CHECK(th_roundtrip(&tc.c));
	CHECK(wl_list_length(&w.surface->commit_queue) == 2);

	watch_finish(&w);
	wl_surface_destroy(surface);
	CHECK(th_roundtrip(&tc.c));
	CHECK(w.n_applied == 0);
	CHECK(strcmp(w.holds[0].reason, "cancelled") == 0);
	CHECK(strcmp(w.holds[1].reason, "cancelled") == 0);
	CHECK(w.holds[0].commit == NULL && w.holds[1].commit == NULL);

	wl_buffer_destroy(b1);
	wl_buffer_destroy(b2);
	client_disconnect(&tc);
}

/* A rejected commit is dropped; the next one applies. */
static void test_reject(void)
{
	struct test_client tc;
	CHECK(client_connect(&tc));
	struct wl_surface *surface = wl_compositor_create_surface(tc.compositor);
	struct watch w;
	watch_init(&w, &tc, surface);
	struct wl_buffer *b1 = make_buffer(&tc), *b2 = make_buffer(&tc);
	w.reject_next = true;
	commit_buffer(surface, b1);
	CHECK(th_roundtrip(&tc.c));
	CHECK(w.n_applied == 0 && w.surface->buffer == NULL);
	commit_buffer(surface, b2);
	CHECK(th_roundtrip(&tc.c));
	CHECK(w.n_applied == 1 && w.surface->buffer == server_buffer(&tc, b2));

	watch_finish(&w);
	wl_buffer_destroy(b1);
	wl_buffer_destroy(b2);
	wl_surface_destroy(surface);
	client_disconnect(&tc);
}

int main(void)
{
	if (!th_server_init(&srv) || !compositor_global_create(&srv.server) ||
	    !shm_global_create(&srv.server)) {
		fprintf(stderr, "cannot set up the server\n");
		return 1;
	}
	int fds = th_count_fds();
	test_order();
	test_subsurface(true);
	test_subsurface(false);
	test_destroy_while_held();
	test_reject();
	CHECK(th_count_fds() == fds);
	th_server_finish(&srv);
	return check_failures ? 1 : 0;
}
