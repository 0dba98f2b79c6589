#ifndef ZC_FRACTIONAL_SCALE_H
#define ZC_FRACTIONAL_SCALE_H

/*
 * wp_fractional_scale_manager_v1: preferred_scale from --scale for every
 * surface; outputs are composited 1:1 (see fractional_scale.c).
 */

#include <stdbool.h>

#include "core/server.h"

bool fractional_scale_global_create(struct zc_server *server);

#endif
