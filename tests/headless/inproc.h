#ifndef ZC_TEST_INPROC_H
#define ZC_TEST_INPROC_H

/*
 * zcomp's core in a thread of the test process (headless backend, pixman),
 * so a test can inject input through seat_notify_* / touch_notify_* while
 * real clients talk to it over its socket (INPROC_SOCKET). Calls into zcomp
 * go through a pipe and run on its thread (inproc_run).
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "../../compositor/server.h"

#define INPROC_SOCKET "zc-seat-test"

extern int inproc_failures;

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __func__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			inproc_failures++; \
		} \
	} while (0)

struct harness {
	struct zc_options options;
	struct zc_server server;
	pthread_t thread;
	int call_pipe[2], done_pipe[2];
	struct wl_event_source *call_source;
	bool running;
};

typedef void (*server_fn)(struct zc_server *server, void *arg);

/* Starts zcomp (640x480, one output, keymap layout or the default) in a
 * private XDG_RUNTIME_DIR set by the caller; false (recorded) on failure. */
bool harness_start(struct harness *h, const char *layout);
void harness_stop(struct harness *h);
/* Runs fn on zcomp's thread and waits for it; the events it caused are
 * flushed before zcomp sleeps again. */
void server_run(struct harness *h, server_fn fn, void *arg);

#endif
