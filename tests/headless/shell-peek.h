#ifndef ZC_TEST_SHELL_PEEK_H
#define ZC_TEST_SHELL_PEEK_H

/* Reads shell state on zcomp's thread for tests that cannot include the
 * shell's headers (their xdg-shell names clash with the client's). */

#include <stdint.h>

struct zc_server;

struct shell_peek_window {
	int32_t vx, vy;            /* the main surface in the layout */
	int32_t gx, gy, gw, gh;    /* effective window geometry, surface-local */
};

/* server_fn: the topmost view, which must be an xdg_surface's. */
void shell_peek_top_window(struct zc_server *server, void *arg);

#endif
