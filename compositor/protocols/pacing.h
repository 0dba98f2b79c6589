#ifndef ZC_PACING_H
#define ZC_PACING_H

/*
 * Frame pacing protocols: wp_fifo_v1 (fifo.c) and wp_commit_timing_v1
 * (commit_timing.c). Both make content updates wait in the surface's commit
 * queue (core/commit.h) for a point on an output's refresh grid.
 */

#include "core/server.h"

bool fifo_global_create(struct zc_server *server);
bool commit_timing_global_create(struct zc_server *server);
/* wp_tearing_control_manager_v1 (tearing_control.c): the async hint. */
bool tearing_control_global_create(struct zc_server *server);

#endif
