#ifndef ZC_INPUT_H
#define ZC_INPUT_H

/*
 * Input devices through libinput's udev backend, opened through the seat
 * session, their events fed into the seat (seat.c). Only the KMS backend
 * has a session; the headless backend has no input devices.
 *
 * libinput only takes devices that udev has tagged (ID_INPUT_*): without a
 * udev daemon and its database no device shows up (see tests/vm/README.md).
 */

#include "core/server.h"

struct zc_input;
struct zc_session;

/* NULL (logged) if libinput cannot be set up; zcomp then runs without
 * input devices. */
struct zc_input *input_create(struct zc_server *server, struct zc_session *session);
void input_destroy(struct zc_input *input);

#endif
