#ifndef ZC_TEST_HARNESS_H
#define ZC_TEST_HARNESS_H

/*
 * zcomp's core in a thread of the test process (headless backend),
 * so that a test can call into it (inject input, read its state) while real
 * clients talk to it over its socket.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "options.h"
#include "zcomp.h"

/* Failed CHECKs so far; a test's exit status. */
extern int harness_failures;

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __func__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			harness_failures++; \
		} \
	} while (0)

struct harness {
	struct zc_options options;
	struct zc_server server;
	pthread_t thread;
	int call_pipe[2], done_pipe[2];
	struct wl_event_source *call_source;
	bool running;
	char runtime_dir[64]; /* harness_start_private's, removed at stop */
};

typedef void (*server_fn)(struct zc_server *server, void *arg);

/* Starts zcomp on socket with one 640x480 output, on the renderer
 * $ZCT_RENDERER names (default pixman); layout NULL: the default keymap.
 * False, and a failed CHECK, if it did not start. */
bool harness_start(struct harness *h, const char *socket, const char *layout);
/* harness_start with a private runtime dir (/tmp/zc-harness-XXXXXX), which
 * becomes this process's XDG_RUNTIME_DIR (clients it starts find zcomp
 * there); socket_path gets the socket's absolute path (for zct clients).
 * harness_stop removes the dir, once the test left nothing in it. */
bool harness_start_private(struct harness *h, const char *socket, char *socket_path,
	size_t size);
/* The same with n_outputs 640x480 outputs side by side and --scale (in
 * 120ths, 0: none). */
bool harness_start_private_outputs(struct harness *h, const char *socket, char *socket_path,
	size_t size, int n_outputs, uint32_t scale_120);
/* The same with --scale (in 120ths, 0: none). */
bool harness_start_private_scaled(struct harness *h, const char *socket, char *socket_path,
	size_t size, uint32_t scale_120);
/* The same with n_outputs 640x480 outputs side by side. */
bool harness_start_outputs(struct harness *h, const char *socket, const char *layout,
	int n_outputs);
/* The same with outputs of width x height. */
bool harness_start_mode(struct harness *h, const char *socket, const char *layout,
	int n_outputs, int32_t width, int32_t height);
void harness_stop(struct harness *h);
/* Runs fn on zcomp's thread and waits for it; the events it caused are
 * flushed before zcomp sleeps again. */
void server_run(struct harness *h, server_fn fn, void *arg);

/* On zcomp's thread: the topmost mapped view that shows a buffer, its
 * layout position and surface size; false (nothing written) if none. */
bool harness_top_shown_view(struct zc_server *server, int32_t *x, int32_t *y, int32_t *width,
	int32_t *height);

/* For a forked GTK 4 client (before its exec): the environment that puts it
 * on zcomp's socket in dir, on Wayland, without accessibility bus or dconf,
 * logging its protocol traffic (WAYLAND_DEBUG=client) to stderr. */
void harness_gtk_env(const char *dir, const char *socket);

struct zct_compositor;

/* A sub-test against the zcomp in h; clients connect to comp's socket. */
struct harness_test {
	const char *name;
	void (*fn)(struct harness *h, struct zct_compositor *comp);
};
#define HARNESS_TEST(fn) { #fn, fn }

/* The main() of a test whose sub-tests share one zcomp (harness-zct.c,
 * with tests/lib): starts it with n_outputs outputs in a private runtime dir,
 * runs each sub-test with a TAP-like line as ZCT_RUN does, stops zcomp.
 * Returns the exit status (zct_exit_status). */
int harness_main(const char *socket, int n_outputs, const struct harness_test *tests,
	size_t n_tests);
/* Ends a client a test forked (harness-zct.c): SIGTERM, reaps it and checks
 * that its WAYLAND_DEBUG log shows no protocol error. */
void harness_client_end(pid_t pid, const char *log);

#endif
