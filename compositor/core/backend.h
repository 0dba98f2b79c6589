#ifndef ZC_BACKEND_H
#define ZC_BACKEND_H

#include <stdbool.h>

#include "server.h"

struct zc_session;

/* A backend owns outputs (and, for a session, devices). Creating one opens
 * its devices (KMS: the seat session and the card), so that the renderer,
 * made next, can run on the same device; start() then creates the outputs. */
struct zc_backend_impl {
	const char *name;
	/* Creates the outputs; false with a logged reason on failure. */
	bool (*start)(struct zc_backend *backend);
	void (*destroy)(struct zc_backend *backend);
};

struct zc_backend {
	const struct zc_backend_impl *impl;
	struct zc_server *server;
	/* The seat session once started (KMS), for input devices; NULL when
	 * the backend has none (headless). */
	struct zc_session *session;
	/* The DRM device the renderer should use (KMS: the card, whose GBM
	 * buffers it renders into and scans out), or -1 (headless). */
	int drm_fd;
};

#endif
