#ifndef ZC_ZCOMP_H
#define ZC_ZCOMP_H

/*
 * The composition root: the one place that names concrete backends and
 * renderers and lists the protocol globals. It assembles a zc_server from
 * the options and takes it apart again, in the order that keeps every
 * object's dependencies alive.
 */

#include "core/server.h"

/* The backend first (KMS opens the seat session and the card), then the
 * renderer on its device, then the globals; false with a logged reason. */
bool zcomp_init(struct zc_server *server, const struct zc_options *options);
/* Outputs, the socket, then input devices. */
bool zcomp_start(struct zc_server *server);
/* Safe after a failed init or start. */
void zcomp_finish(struct zc_server *server);

#endif
