#ifndef ZC_SHM_H
#define ZC_SHM_H

/*
 * wl_shm: pools of client memory and the buffers in them ("shm" buffers).
 * Formats are what the renderer reads. A pool the client shrinks under us
 * faults (SIGBUS) on read: the access completes on zero pages and the client
 * gets a protocol error, the server goes on.
 */

#include "core/server.h"

/* The global (server->shm). */
bool shm_global_create(struct zc_server *server);
void shm_global_destroy(struct zc_server *server);

#endif
