#ifndef ZC_XDG_ACTIVATION_H
#define ZC_XDG_ACTIVATION_H

/*
 * xdg_activation_v1: tokens that let a client (or the one it hands the
 * token to) focus and raise a window; honoured only when made from a user's
 * key or button press in the focused client.
 */

#include <stdbool.h>

#include "core/server.h"

/* Creates the global and server->xdg_activation; false on failure. */
bool xdg_activation_global_create(struct zc_server *server);
void xdg_activation_global_destroy(struct zc_server *server);

#endif
