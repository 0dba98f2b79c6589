/* linux-drm-syncobj without a DRM device: the protocol's commit rules (each
 * error code of wp_linux_drm_syncobj_surface_v1 in its order), and that the
 * global is not offered when no device has timeline syncobjs (the host has
 * no DRM at all). The errors that need real timelines run in the VM
 * (tests/vm/guest/84-86). */
#include "check.h"
#include "harness.h"

#include <string.h>
#include <wayland-client-protocol.h>

#include "linux-drm-syncobj-v1-server-protocol.h"
#include "protocols/linux_drm_syncobj.h"
#include "protocols/linux_drm_syncobj_private.h"

static uint32_t check(struct syncobj_commit_facts f)
{
	const char *why = NULL;
	uint32_t error = syncobj_check_commit(&f, &why);
	if (error)
		CHECK(why && *why);
	return error;
}

static void test_commit_rules(void)
{
	/* No buffer in the commit: fine without points, no_buffer with either. */
	CHECK_EQ(check((struct syncobj_commit_facts){ 0 }), 0);
	CHECK_EQ(check((struct syncobj_commit_facts){ .has_acquire = true }),
		WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_NO_BUFFER);
	CHECK_EQ(check((struct syncobj_commit_facts){ .has_release = true }),
		WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_NO_BUFFER);
	/* wl_shm and other non-dma-bufs, whatever the points. */
	CHECK_EQ(check((struct syncobj_commit_facts){ .buffer_attached = true,
			 .has_acquire = true, .has_release = true, .release = 1 }),
		WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_UNSUPPORTED_BUFFER);
	struct syncobj_commit_facts dmabuf = { .buffer_attached = true,
		.buffer_supported = true };
	CHECK_EQ(check(dmabuf), WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_NO_ACQUIRE_POINT);
	dmabuf.has_release = true;
	CHECK_EQ(check(dmabuf), WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_NO_ACQUIRE_POINT);
	dmabuf.has_release = false;
	dmabuf.has_acquire = true;
	CHECK_EQ(check(dmabuf), WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_NO_RELEASE_POINT);
	dmabuf.has_release = true;
	/* Two timelines: any values. */
	dmabuf.acquire = 9;
	dmabuf.release = 1;
	CHECK_EQ(check(dmabuf), 0);
	/* One timeline: acquire strictly below release. */
	dmabuf.same_timeline = true;
	CHECK_EQ(check(dmabuf), WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_CONFLICTING_POINTS);
	dmabuf.release = 9;
	CHECK_EQ(check(dmabuf), WP_LINUX_DRM_SYNCOBJ_SURFACE_V1_ERROR_CONFLICTING_POINTS);
	dmabuf.release = 10;
	CHECK_EQ(check(dmabuf), 0);
	dmabuf.acquire = UINT64_MAX - 1;
	dmabuf.release = UINT64_MAX;
	CHECK_EQ(check(dmabuf), 0);
}

static bool seen_manager;

static void handle_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	if (strcmp(interface, wp_linux_drm_syncobj_manager_v1_interface.name) == 0)
		seen_manager = true;
}

static void handle_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = handle_global,
	.global_remove = handle_global_remove,
};

/* Only meaningful where no DRM device exists: skipped (77) elsewhere. */
static int test_not_offered_without_device(void)
{
	struct th_server srv;
	struct th_client c;
	CHECK(th_server_init(&srv));
	CHECK(linux_drm_syncobj_global_create(&srv.server));
	bool has_device = srv.server.linux_drm_syncobj != NULL;
	CHECK(th_client_connect(&c, &srv));
	struct wl_registry *registry = wl_display_get_registry(c.display);
	wl_registry_add_listener(registry, &registry_listener, NULL);
	CHECK(th_roundtrip(&c));
	CHECK_EQ(seen_manager, has_device);
	wl_registry_destroy(registry);
	th_client_disconnect(&c);
	linux_drm_syncobj_global_destroy(&srv.server);
	CHECK(srv.server.linux_drm_syncobj == NULL);
	th_server_finish(&srv);
	return has_device ? 1 : 0;
}

int main(void)
{
	RUN(test_commit_rules);
	int device = test_not_offered_without_device();
	if (check_failures == 0 && device)
		printf("a DRM device with timelines exists here: the global was offered\n");
	return check_exit_status();
}
