#ifndef ZC_LINUX_DRM_SYNCOBJ_H
#define ZC_LINUX_DRM_SYNCOBJ_H

#include <stdbool.h>

#include "core/server.h"

/* wp_linux_drm_syncobj_manager_v1, offered only when a DRM device with
 * timeline syncobjs is there (true without a global when there is none). */
bool linux_drm_syncobj_global_create(struct zc_server *server);
void linux_drm_syncobj_global_destroy(struct zc_server *server);

#endif
