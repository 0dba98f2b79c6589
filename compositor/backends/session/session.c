/*
 * libseat glue. libseat tells us when the seat is enabled or disabled; a
 * disable must be acknowledged (libseat_disable_seat) once we have stopped
 * touching devices, which for KMS means nothing more is committed.
 */
#include "session.h"

#include <errno.h>
#include <libseat.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"

/* How long start-up waits for the seat manager to hand us the seat. */
#define SESSION_ENABLE_TIMEOUT_MS 5000

static void handle_session_enable(struct libseat *seat, void *data)
{
	struct zc_session *session = data;
	zc_info("session: seat %s enabled", libseat_seat_name(seat));
	session->active = true;
	wl_signal_emit_mutable(&session->active_changed, session);
}

static void handle_session_disable(struct libseat *seat, void *data)
{
	struct zc_session *session = data;
	zc_info("session: seat %s disabled", libseat_seat_name(seat));
	session->active = false;
	/* Listeners stop committing before we acknowledge. */
	wl_signal_emit_mutable(&session->active_changed, session);
	libseat_disable_seat(seat);
}

static struct libseat_seat_listener seat_listener = {
	.enable_seat = handle_session_enable,
	.disable_seat = handle_session_disable,
};

static int handle_session_readable(int fd, uint32_t mask, void *data)
{
	struct zc_session *session = data;
	if (libseat_dispatch(session->seat, 0) < 0)
		zc_err("session: libseat dispatch failed: %s", strerror(errno));
	return 0;
}

static void handle_libseat_log(enum libseat_log_level level, const char *fmt, va_list args)
{
	char line[512];
	vsnprintf(line, sizeof(line), fmt, args);
	if (level == LIBSEAT_LOG_LEVEL_ERROR)
		zc_err("libseat: %s", line);
	else if (level == LIBSEAT_LOG_LEVEL_INFO)
		zc_debug("libseat: %s", line);
}

static bool is_noop_backend(void)
{
	const char *backend = getenv("LIBSEAT_BACKEND");
	return backend && strcmp(backend, "noop") == 0;
}

/* The seat manager may enable the seat only after a round trip; libseat may
 * also hold the event already, so dispatch before every wait. */
static bool session_wait_enabled(struct zc_session *session)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (libseat_dispatch(session->seat, 0) < 0)
			return false;
		if (session->active)
			return true;
		if (is_noop_backend()) {
			/* libseat before 0.8 never enables a noop seat: it is ours. */
			zc_debug("session: noop seat without an enable event, taking it");
			session->active = true;
			return true;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		long waited = (now.tv_sec - start.tv_sec) * 1000 +
			(now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited >= SESSION_ENABLE_TIMEOUT_MS)
			return false;
		struct pollfd pfd = { .fd = libseat_get_fd(session->seat), .events = POLLIN };
		poll(&pfd, 1, (int)(SESSION_ENABLE_TIMEOUT_MS - waited));
	}
}

struct zc_session *session_create(struct wl_event_loop *loop)
{
	struct zc_session *session = calloc(1, sizeof(*session));
	if (!session)
		return NULL;
	wl_signal_init(&session->active_changed);
	libseat_set_log_handler(handle_libseat_log);
	libseat_set_log_level(LIBSEAT_LOG_LEVEL_INFO);
	session->seat = libseat_open_seat(&seat_listener, session);
	if (!session->seat) {
		zc_err("session: cannot open a seat (no seatd or logind session?%s)",
			getenv("LIBSEAT_BACKEND") ? "" :
			" As root without a seat manager, set LIBSEAT_BACKEND=noop");
		goto err_free;
	}
	if (!session_wait_enabled(session)) {
		zc_err("session: the seat was not enabled within %d ms",
			SESSION_ENABLE_TIMEOUT_MS);
		goto err_close;
	}
	session->source = wl_event_loop_add_fd(loop, libseat_get_fd(session->seat),
		WL_EVENT_READABLE, handle_session_readable, session);
	if (!session->source)
		goto err_close;
	zc_info("session: seat %s", libseat_seat_name(session->seat));
	return session;

err_close:
	libseat_close_seat(session->seat);
err_free:
	free(session);
	return NULL;
}

void session_destroy(struct zc_session *session)
{
	if (!session)
		return;
	wl_event_source_remove(session->source);
	libseat_close_seat(session->seat);
	free(session);
}

const char *session_seat_name(const struct zc_session *session)
{
	return libseat_seat_name(session->seat);
}

int session_open_device(struct zc_session *session, const char *path, int *device_id)
{
	int fd = -1;
	*device_id = libseat_open_device(session->seat, path, &fd);
	if (*device_id < 0) {
		zc_debug("session: cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	return fd;
}

void session_close_device(struct zc_session *session, int device_id, int fd)
{
	if (libseat_close_device(session->seat, device_id) < 0)
		zc_debug("session: closing device %d: %s", device_id, strerror(errno));
	close(fd);
}

void session_switch_vt(struct zc_session *session, int vt)
{
	if (libseat_switch_session(session->seat, vt) < 0)
		zc_warn("session: cannot switch to VT %d: %s", vt, strerror(errno));
}
