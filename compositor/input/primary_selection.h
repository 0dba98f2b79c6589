#ifndef ZC_PRIMARY_SELECTION_H
#define ZC_PRIMARY_SELECTION_H

/*
 * zwp_primary_selection_device_manager_v1: the primary selection (select
 * text, middle-click to paste), carried like the clipboard (selection.c) to
 * the client with keyboard focus.
 */

#include <stdbool.h>

#include "core/server.h"

/* Creates the global and server->primary_selection; false on failure. */
bool primary_selection_global_create(struct zc_server *server);
void primary_selection_global_destroy(struct zc_server *server);

#endif
