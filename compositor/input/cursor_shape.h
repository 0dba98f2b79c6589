#ifndef ZC_CURSOR_SHAPE_H
#define ZC_CURSOR_SHAPE_H

/*
 * wp_cursor_shape_manager_v1: cursors by name, from the Xcursor theme
 * (XCURSOR_THEME, XCURSOR_SIZE); zcomp's arrow where the theme lacks one.
 */

#include <stdbool.h>

#include "core/server.h"

bool cursor_shape_global_create(struct zc_server *server);

#endif
