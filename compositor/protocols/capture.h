#ifndef ZC_CAPTURE_H
#define ZC_CAPTURE_H

/*
 * Screen capture: ext-image-capture-source-v1 (output sources) and
 * ext-image-copy-capture-v1. Frames copy an output's presented contents, or
 * what the display scans out where the output can read it back.
 */

#include "core/server.h"

/* The two globals (server->capture). */
bool capture_global_create(struct zc_server *server);
void capture_global_destroy(struct zc_server *server);

#endif
