#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wayland-client-protocol.h>

bool th_server_init(struct th_server *srv)
{
	*srv = (struct th_server){ 0 };
	srv->display = wl_display_create();
	if (!srv->display)
		return false;
	srv->loop = wl_display_get_event_loop(srv->display);
	srv->server.display = srv->display;
	srv->server.loop = srv->loop;
	wl_list_init(&srv->server.outputs);
	wl_list_init(&srv->server.surfaces);
	wl_list_init(&srv->server.views);
	wl_signal_init(&srv->server.views_changed);
	wl_signal_init(&srv->server.scene_changed);
	srv->server.clock = CLOCK_MONOTONIC;
	return true;
}

void th_server_finish(struct th_server *srv)
{
	wl_display_destroy_clients(srv->display);
	wl_display_destroy(srv->display);
}

static void handle_client_destroy(struct wl_listener *listener, void *data)
{
	struct th_client *c = wl_container_of(listener, c, client_destroy);
	wl_list_remove(&c->client_destroy.link);
	c->client = NULL;
}

bool th_client_connect(struct th_client *c, struct th_server *srv)
{
	*c = (struct th_client){ .srv = srv };
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return false;
	c->client = wl_client_create(srv->display, sv[0]);
	if (!c->client) {
		close(sv[0]);
		close(sv[1]);
		return false;
	}
	c->client_destroy.notify = handle_client_destroy;
	wl_client_add_destroy_listener(c->client, &c->client_destroy);
	c->display = wl_display_connect_to_fd(sv[1]);
	if (!c->display) {
		close(sv[1]);
		wl_client_destroy(c->client);
		return false;
	}
	return true;
}

void th_client_disconnect(struct th_client *c)
{
	if (c->display)
		wl_display_disconnect(c->display);
	c->display = NULL;
	/* The server notices the hangup on its next dispatch; do it now so the
	 * client's resources are gone when this returns. */
	if (c->client)
		wl_client_destroy(c->client);
}

static void th_client_read(struct wl_display *display)
{
	while (wl_display_prepare_read(display) != 0)
		wl_display_dispatch_pending(display);
	struct pollfd pfd = { .fd = wl_display_get_fd(display), .events = POLLIN };
	if (poll(&pfd, 1, 0) > 0)
		wl_display_read_events(display);
	else
		wl_display_cancel_read(display);
	wl_display_dispatch_pending(display);
}

void th_pump(struct th_client *c, const bool *flag)
{
	int rounds = flag ? 1000 : 8;
	for (int i = 0; i < rounds && !(flag && *flag); i++) {
		if (wl_display_get_error(c->display))
			return;
		wl_display_flush(c->display);
		wl_event_loop_dispatch(c->srv->loop, 0);
		wl_display_flush_clients(c->srv->display);
		th_client_read(c->display);
	}
}

static void handle_sync_done(void *data, struct wl_callback *callback, uint32_t serial)
{
	*(bool *)data = true;
	wl_callback_destroy(callback);
}

static const struct wl_callback_listener sync_listener = {
	.done = handle_sync_done,
};

bool th_roundtrip(struct th_client *c)
{
	bool done = false;
	struct wl_callback *callback = wl_display_sync(c->display);
	wl_callback_add_listener(callback, &sync_listener, &done);
	th_pump(c, &done);
	if (!done) {
		wl_callback_destroy(callback);
		if (!wl_display_get_error(c->display))
			fprintf(stderr, "th_roundtrip: no answer from the server\n");
	}
	return done && !wl_display_get_error(c->display);
}

struct wl_resource *th_resource(struct th_client *c, void *proxy)
{
	if (!c->client)
		return NULL;
	return wl_client_get_object(c->client, wl_proxy_get_id(proxy));
}

bool th_expect_error(struct th_client *c, const struct wl_interface *interface,
	uint32_t code)
{
	th_roundtrip(c);
	if (wl_display_get_error(c->display) != EPROTO) {
		fprintf(stderr, "expected %s error %u, got display error %d\n",
			interface->name, code, wl_display_get_error(c->display));
		return false;
	}
	const struct wl_interface *got_interface = NULL;
	uint32_t id;
	uint32_t got = wl_display_get_protocol_error(c->display, &got_interface, &id);
	if (got != code || !got_interface || strcmp(got_interface->name, interface->name) != 0) {
		fprintf(stderr, "expected %s error %u, got %s error %u\n", interface->name,
			code, got_interface ? got_interface->name : "(none)", got);
		return false;
	}
	return true;
}

int th_count_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	if (!dir)
		return -1;
	int n = 0;
	while (readdir(dir))
		n++;
	closedir(dir);
	return n;
}

/*
 * The in-process client of these tests abandons its proxies after each
 * provoked protocol error, as a real client would: those are libwayland-client
 * allocations of the test, not the compositor code under test, whose leaks
 * LeakSanitizer still reports.
 */
const char *__lsan_default_suppressions(void);
__attribute__((visibility("default"), used)) const char *__lsan_default_suppressions(void)
{
	return "leak:libwayland-client.so\n";
}
