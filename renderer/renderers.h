#ifndef ZC_RENDERERS_H
#define ZC_RENDERERS_H

/*
 * The concrete renderers. Only the composition root (compositor/zcomp.c)
 * and tests name them; everything else holds a struct zc_renderer and calls
 * the dispatchers of renderer.h.
 */

#include "renderer.h"

/* CPU composition with pixman: reads shm and dma-bufs (mmap + sync). */
struct zc_renderer *pix_renderer_create(void);
/* EGL + GLES2 on the GBM device of drm_fd (KMS), or on the surfaceless
 * platform when drm_fd is -1 (headless). NULL with a logged reason. */
struct zc_renderer *gl_renderer_create(int drm_fd);

#endif
