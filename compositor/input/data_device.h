#ifndef ZC_DATA_DEVICE_H
#define ZC_DATA_DEVICE_H

/*
 * wl_data_device_manager: the clipboard (selection) between clients. The
 * client with keyboard focus is offered the selection; drag-and-drop is
 * refused (every drag source is cancelled at once).
 */

#include <stdbool.h>

#include "core/server.h"

/* Creates the global and server->data_device; false on failure. */
bool data_device_global_create(struct zc_server *server);
void data_device_global_destroy(struct zc_server *server);
/* The keyboard focus moved to client (NULL: none), for the clipboard and
 * the primary selection; called by the seat before it sends
 * wl_keyboard.enter, as the protocol asks. */
void data_device_set_focus(struct zc_server *server, struct wl_client *client);

#endif
