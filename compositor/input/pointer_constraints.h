#ifndef ZC_POINTER_CONSTRAINTS_H
#define ZC_POINTER_CONSTRAINTS_H

#include <stdbool.h>

#include "core/server.h"

/* zwp_pointer_constraints_v1 (lock, confine), the seat's motion filter;
 * after the seat. */
bool pointer_constraints_global_create(struct zc_server *server);
void pointer_constraints_global_destroy(struct zc_server *server);

#endif
