#include <drm_fourcc.h>
#include <stdlib.h>
#include <string.h>
#include <wayland-client-protocol.h>
#include <wayland-server-protocol.h>

#include "base/buffer.h"
#include "check.h"
#include "harness.h"

/* What happened to the buffers under test, in order. */
static char events[256];

static void log_event(const char *what)
{
	strncat(events, what, sizeof(events) - strlen(events) - 1);
}

struct destroy_watch {
	struct wl_listener listener;
	int fired;
};

static void handle_watch(struct wl_listener *listener, void *data)
{
	struct destroy_watch *w = wl_container_of(listener, w, listener);
	w->fired++;
	wl_list_remove(&w->listener.link);
	log_event("signal,");
}

static void watch(struct zc_buffer *buffer, struct destroy_watch *w)
{
	*w = (struct destroy_watch){ .listener.notify = handle_watch };
	wl_signal_add(&buffer->destroy_signal, &w->listener);
}

static void test_memory_buffer(void)
{
	struct zc_buffer *b = memory_buffer_create(10, 5, DRM_FORMAT_XRGB8888);
	CHECK(b != NULL);
	if (!b)
		return;
	CHECK_EQ(b->width, 10);
	CHECK_EQ(b->height, 5);
	CHECK_EQ(b->format, DRM_FORMAT_XRGB8888);
	CHECK(b->opaque);
	CHECK(b->resource == NULL);
	CHECK(strcmp(b->impl->name, "memory") == 0);

	struct zc_cpu_view view;
	CHECK(buffer_begin_cpu_access(b, ZC_CPU_READ | ZC_CPU_WRITE, &view));
	CHECK_EQ(view.n_planes, 1);
	CHECK_EQ(view.stride[0], 40);
	CHECK_EQ(view.format, DRM_FORMAT_XRGB8888);
	CHECK(view.data[0] != NULL);
	memset(view.data[0], 0xab, 40 * 5); /* all of it is ours to write */
	buffer_end_cpu_access(b);
	CHECK(buffer_get_dmabuf(b) == NULL);

	struct destroy_watch w;
	watch(b, &w);
	buffer_drop(b);
	CHECK_EQ(w.fired, 1);
}

static void test_memory_buffer_layout(void)
{
	struct zc_buffer *b = memory_buffer_create(3, 2, DRM_FORMAT_RGB565);
	CHECK(b != NULL);
	if (b) {
		struct zc_cpu_view view;
		CHECK(buffer_begin_cpu_access(b, ZC_CPU_READ, &view));
		CHECK_EQ(view.stride[0], 8); /* 6 bytes, padded for pixman */
		buffer_end_cpu_access(b);
		CHECK(b->opaque);
		buffer_drop(b);
	}
	CHECK(memory_buffer_create(4, 4, DRM_FORMAT_NV12) == NULL);
	CHECK(memory_buffer_create(0, 4, DRM_FORMAT_XRGB8888) == NULL);
	CHECK(memory_buffer_create(4, -1, DRM_FORMAT_XRGB8888) == NULL);
	CHECK(memory_buffer_create(4, 4, DRM_FORMAT_C8) == NULL);
	struct zc_buffer *argb = memory_buffer_create(1, 1, DRM_FORMAT_ARGB8888);
	CHECK(argb && !argb->opaque);
	if (argb)
		buffer_drop(argb);
}

static void test_memory_buffer_drop_while_locked(void)
{
	struct zc_buffer *b = memory_buffer_create(2, 2, DRM_FORMAT_ARGB8888);
	CHECK(b != NULL);
	if (!b)
		return;
	struct destroy_watch w;
	watch(b, &w);
	CHECK(buffer_lock(b) == b);
	buffer_lock(b);
	buffer_drop(b);
	CHECK_EQ(w.fired, 0);
	buffer_unlock(b);
	CHECK_EQ(w.fired, 0);
	buffer_unlock(b);
	CHECK_EQ(w.fired, 1);
}

/* A buffer implementation that records what is done to it. */
struct fake_buffer {
	struct zc_buffer base;
	struct zc_dmabuf_attribs attribs;
};

static void fake_destroy(struct zc_buffer *buffer)
{
	log_event("impl,");
	free(container_of(buffer, struct fake_buffer, base));
}

static const struct zc_dmabuf_attribs *fake_get_dmabuf(struct zc_buffer *buffer)
{
	struct fake_buffer *fake = wl_container_of(buffer, fake, base);
	return &fake->attribs;
}

static const struct zc_buffer_impl fake_impl = {
	.name = "fake",
	.destroy = fake_destroy,
	.get_dmabuf = fake_get_dmabuf,
};

static struct zc_buffer *fake_create(struct wl_resource *resource)
{
	struct fake_buffer *fake = calloc(1, sizeof(*fake));
	if (!fake)
		return NULL;
	buffer_init(&fake->base, &fake_impl, resource, 16, 8, DRM_FORMAT_ARGB8888);
	fake->attribs.width = 16;
	return &fake->base;
}

struct test_addon {
	struct zc_addon base;
	const char *name;
};

static void test_addon_destroy(struct zc_addon *att)
{
	struct test_addon *t = wl_container_of(att, t, base);
	log_event(t->name);
	log_event(",");
}

static void test_fake_impl_addons(void)
{
	events[0] = '\0';
	struct zc_buffer *b = fake_create(NULL);
	CHECK(b != NULL);
	if (!b)
		return;
	CHECK(!b->opaque);
	struct zc_cpu_view view;
	CHECK(!buffer_begin_cpu_access(b, ZC_CPU_READ, &view)); /* no CPU path */
	CHECK(buffer_get_dmabuf(b) != NULL && buffer_get_dmabuf(b)->width == 16);

	static const int owner_a, owner_b, owner_c;
	struct test_addon a = { .name = "a" }, bb = { .name = "b" }, c = { .name = "c" };
	addon_init(&a.base, &b->addons, &owner_a, test_addon_destroy);
	addon_init(&bb.base, &b->addons, &owner_b, test_addon_destroy);
	addon_init(&c.base, &b->addons, &owner_c, test_addon_destroy);
	CHECK(addon_find(&b->addons, &owner_a) == &a.base);
	CHECK(addon_find(&b->addons, &owner_b) == &bb.base);
	CHECK(addon_find(&b->addons, events) == NULL);

	addon_destroy(&bb.base);
	CHECK(strcmp(events, "b,") == 0);
	CHECK(addon_find(&b->addons, &owner_b) == NULL);

	struct destroy_watch w;
	watch(b, &w);
	events[0] = '\0';
	buffer_drop(b);
	/* Listeners first (they may still read the buffer), then what hangs off
	 * it, then the implementation. */
	CHECK(strcmp(events, "signal,c,a,impl,") == 0 || strcmp(events, "signal,a,c,impl,") == 0);
	if (check_failures)
		fprintf(stderr, "events: %s\n", events);
}

/* Client side of the resource tests: counts wl_buffer.release. */
static void handle_release(void *data, struct wl_buffer *buffer)
{
	(*(int *)data)++;
}

static const struct wl_buffer_listener release_listener = {
	.release = handle_release,
};

static void handle_resource_destroy_request(struct wl_client *client,
	struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_buffer_interface fake_buffer_interface = {
	.destroy = handle_resource_destroy_request,
};

/* A wl_buffer that exists on both sides without a factory: the client
 * allocates the id, the server creates the resource with it. */
static struct zc_buffer *fake_with_resource(struct th_client *c, struct wl_buffer **proxy,
	int *releases)
{
	*proxy = (struct wl_buffer *)wl_proxy_create((struct wl_proxy *)c->display,
		&wl_buffer_interface);
	wl_buffer_add_listener(*proxy, &release_listener, releases);
	struct wl_resource *resource = wl_resource_create(c->client, &wl_buffer_interface, 1,
		wl_proxy_get_id((struct wl_proxy *)*proxy));
	wl_resource_set_implementation(resource, &fake_buffer_interface, NULL, NULL);
	return fake_create(resource);
}

static void test_fake_impl_release(void)
{
	struct th_server srv;
	struct th_client c;
	CHECK(th_server_init(&srv) && th_client_connect(&c, &srv));
	int releases = 0;
	struct wl_buffer *proxy;
	struct zc_buffer *b = fake_with_resource(&c, &proxy, &releases);
	CHECK(buffer_from_resource(b->resource) == b);

	buffer_lock(b);
	buffer_lock(b);
	buffer_unlock(b);
	CHECK(th_roundtrip(&c));
	CHECK_EQ(releases, 0);
	buffer_unlock(b);
	CHECK(th_roundtrip(&c));
	CHECK_EQ(releases, 1);

	/* The client destroys the buffer while the compositor still shows it. */
	struct destroy_watch w;
	watch(b, &w);
	buffer_lock(b);
	wl_buffer_destroy(proxy);
	CHECK(th_roundtrip(&c));
	CHECK_EQ(w.fired, 0);
	CHECK(b->resource == NULL && b->resource_gone);
	buffer_unlock(b);
	CHECK_EQ(w.fired, 1);
	CHECK(th_roundtrip(&c));
	CHECK_EQ(releases, 1);

	th_client_disconnect(&c);
	th_server_finish(&srv);
}

static void test_fake_impl_resource_lifetime(void)
{
	struct th_server srv;
	struct th_client c;
	CHECK(th_server_init(&srv) && th_client_connect(&c, &srv));
	int releases = 0;
	struct wl_buffer *proxy, *proxy2;
	struct zc_buffer *idle = fake_with_resource(&c, &proxy, &releases);
	struct zc_buffer *held = fake_with_resource(&c, &proxy2, &releases);
	struct destroy_watch w_idle, w_held;
	watch(idle, &w_idle);
	watch(held, &w_held);

	/* Not a buffer of ours: no listener to find. */
	struct wl_resource *foreign = wl_resource_create(c.client, &wl_buffer_interface, 1, 0);
	CHECK(buffer_from_resource(foreign) == NULL);

	buffer_lock(held);
	wl_buffer_destroy(proxy);
	CHECK(th_roundtrip(&c));
	CHECK_EQ(w_idle.fired, 1); /* unlocked: gone with its resource */

	/* The client vanishes with the buffer still on screen. */
	wl_proxy_destroy((struct wl_proxy *)proxy2);
	th_client_disconnect(&c);
	CHECK_EQ(w_held.fired, 0);
	CHECK(held->resource == NULL);
	buffer_unlock(held);
	CHECK_EQ(w_held.fired, 1);
	th_server_finish(&srv);
}

int main(void)
{
	RUN(test_memory_buffer);
	RUN(test_memory_buffer_layout);
	RUN(test_memory_buffer_drop_while_locked);
	RUN(test_fake_impl_addons);
	RUN(test_fake_impl_release);
	RUN(test_fake_impl_resource_lifetime);
	return check_exit_status();
}
