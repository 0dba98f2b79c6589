#ifndef ZC_IDLE_H
#define ZC_IDLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/server.h"

/* The idle state (input activity of the seat, so after it), with
 * zwp_idle_inhibit_manager_v1 and ext_idle_notifier_v1; outputs blank after
 * options->idle_timeout_ms without input (0: never). */
bool idle_global_create(struct zc_server *server);
void idle_global_destroy(struct zc_server *server);
/* Changes the blanking timeout (0: never), lighting blanked outputs. */
bool idle_set_blank_timeout(struct zc_idle *idle, int32_t timeout_ms);

#endif
