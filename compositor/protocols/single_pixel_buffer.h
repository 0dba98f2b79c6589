#ifndef ZC_SINGLE_PIXEL_BUFFER_H
#define ZC_SINGLE_PIXEL_BUFFER_H

#include <stdbool.h>

#include "core/server.h"

/* wp_single_pixel_buffer_manager_v1: one-colour buffers, filled by the
 * renderers (no state beyond the global: the display destroys it). */
bool single_pixel_buffer_global_create(struct zc_server *server);

#endif
