#ifndef ZC_BACKEND_H
#define ZC_BACKEND_H

#include <stdbool.h>

#include "server.h"

struct zc_session;

/* A backend owns outputs (and, for a session, devices). */
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
};

struct zc_backend *headless_backend_create(struct zc_server *server);
/* kms.c: atomic KMS on a DRM device of the seat (session through libseat). */
struct zc_backend *kms_backend_create(struct zc_server *server);

#endif
