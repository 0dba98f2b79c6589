#ifndef ZC_INPUT_GRAB_H
#define ZC_INPUT_GRAB_H

/*
 * The host of input grabs (core/grab.h): a grab takes the pointer when its
 * serial is a held button press, else the touch point whose down it is.
 * One grab at a time.
 */

#include "core/server.h"

/* Sets server->grab_host for server->seat. */
void grab_host_install(struct zc_server *server);
void grab_host_uninstall(struct zc_server *server);

#endif
