#ifndef ZC_BACKENDS_H
#define ZC_BACKENDS_H

/*
 * The concrete backends. Only the composition root (compositor/zcomp.c)
 * names them; the core knows a struct zc_backend and its outputs.
 */

#include "core/backend.h"

/* Virtual outputs whose vblank is a timer (tests, CI, demos). */
struct zc_backend *headless_backend_create(struct zc_server *server);
/* Atomic KMS on a DRM device of the seat (session through libseat); NULL
 * with a logged reason when no device can be opened. */
struct zc_backend *kms_backend_create(struct zc_server *server);

#endif
