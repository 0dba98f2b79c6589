#ifndef ZC_TEST_HARNESS_H
#define ZC_TEST_HARNESS_H

/*
 * A compositor-side wl_display and a client connected to it over a
 * socketpair, both driven from the test's one thread: each pump round
 * flushes the client, dispatches the server without blocking, flushes the
 * server and reads whatever the client got.
 */

#include <stdbool.h>
#include <stdint.h>
#include <wayland-client-core.h>
#include <wayland-server-core.h>

#include "core/server.h"

struct th_server {
	struct wl_display *display;
	struct wl_event_loop *loop;
	struct zc_server server;
};

struct th_client {
	struct th_server *srv;
	struct wl_client *client; /* server side; NULL once the server dropped it */
	struct wl_listener client_destroy;
	struct wl_display *display; /* client side */
};

bool th_server_init(struct th_server *srv);
void th_server_finish(struct th_server *srv);

bool th_client_connect(struct th_client *c, struct th_server *srv);
void th_client_disconnect(struct th_client *c);

/* Runs pump rounds until *flag is true (or a few rounds if flag is NULL),
 * the client hits an error, or nothing more can happen. */
void th_pump(struct th_client *c, const bool *flag);
/* wl_display_roundtrip for one thread; false if the client saw an error. */
bool th_roundtrip(struct th_client *c);

/* The server-side resource of a client proxy. */
struct wl_resource *th_resource(struct th_client *c, void *proxy);

/* Pumps, then says whether the client died of exactly this protocol error. */
bool th_expect_error(struct th_client *c, const struct wl_interface *interface,
	uint32_t code);

int th_count_fds(void);

#endif
