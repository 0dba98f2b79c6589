#ifndef ZC_RELATIVE_POINTER_H
#define ZC_RELATIVE_POINTER_H

#include <stdbool.h>

#include "core/server.h"

/* zwp_relative_pointer_manager_v1, fed by the seat's relative motion; after
 * the seat. */
bool relative_pointer_global_create(struct zc_server *server);
void relative_pointer_global_destroy(struct zc_server *server);

#endif
