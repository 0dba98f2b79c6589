/*
 * libinput glue. libinput opens device nodes through our callbacks, which
 * go through the seat session, so a VT switch revokes them; while the
 * session is inactive libinput is suspended, and resumed (devices reopened)
 * when it comes back.
 */
#include "input_devices.h"

#include <errno.h>
#include <fcntl.h>
#include <libinput.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/output.h"
#include "input/seat.h"
#include "session.h"
#include "input/touch.h"

/* libinput closes by fd; the session needs its device id. */
struct input_device_fd {
	int fd, device_id;
	struct wl_list link; /* zc_input.fds */
};

struct zc_input {
	struct zc_server *server;
	struct zc_session *session;
	struct udev *udev;
	struct libinput *li;
	struct wl_event_source *source;
	struct wl_listener session_active;
	struct wl_list fds;
	int n_devices;
	int n_touch_devices;
};

static int handle_input_open_restricted(const char *path, int flags, void *data)
{
	struct zc_input *input = data;
	struct input_device_fd *entry = calloc(1, sizeof(*entry));
	if (!entry)
		return -ENOMEM;
	entry->fd = session_open_device(input->session, path, &entry->device_id);
	if (entry->fd < 0) {
		int err = errno ? errno : ENODEV;
		free(entry);
		return -err;
	}
	/* libseat's noop backend ignores libinput's flags; a blocking evdev fd
	 * would hang libinput as it drains the device. */
	int fl = fcntl(entry->fd, F_GETFL);
	if ((flags & O_NONBLOCK) && fl >= 0)
		fcntl(entry->fd, F_SETFL, fl | O_NONBLOCK);
	wl_list_insert(&input->fds, &entry->link);
	return entry->fd;
}

static void handle_input_close_restricted(int fd, void *data)
{
	struct zc_input *input = data;
	struct input_device_fd *entry;
	wl_list_for_each(entry, &input->fds, link) {
		if (entry->fd == fd) {
			wl_list_remove(&entry->link);
			session_close_device(input->session, entry->device_id, fd);
			free(entry);
			return;
		}
	}
	close(fd);
}

static const struct libinput_interface input_interface = {
	.open_restricted = handle_input_open_restricted,
	.close_restricted = handle_input_close_restricted,
};

static void handle_libinput_log(struct libinput *li, enum libinput_log_priority priority,
	const char *fmt, va_list args)
{
	char line[512];
	vsnprintf(line, sizeof(line), fmt, args);
	line[strcspn(line, "\n")] = '\0';
	zc_log(priority == LIBINPUT_LOG_PRIORITY_ERROR ? ZC_LOG_ERROR : ZC_LOG_DEBUG,
		"libinput: %s", line);
}

/* ---- events ---- */

/* A touchscreen unplugged with fingers down: its points can never go up,
 * so clients are told to forget them (all of them: libinput's seat slots do
 * not say which device a point came from). */
static void input_touch_device(struct zc_input *input, bool added)
{
	struct zc_seat *seat = input->server->seat;
	input->n_touch_devices += added ? 1 : -1;
	if (!added && touch_has_points(seat_get_touch(seat))) {
		zc_info("input: touch device removed with points down: cancelling them");
		touch_notify_cancel(seat_get_touch(seat));
	}
	seat_set_touch_capable(seat, input->n_touch_devices > 0);
}

static void input_device_added(struct zc_input *input, struct libinput_device *device,
	bool added)
{
	input->n_devices += added ? 1 : -1;
	bool touch = libinput_device_has_capability(device, LIBINPUT_DEVICE_CAP_TOUCH);
	zc_info("input: %s %s (%s%s%s%s)", added ? "added" : "removed",
		libinput_device_get_name(device), libinput_device_get_sysname(device),
		libinput_device_has_capability(device, LIBINPUT_DEVICE_CAP_KEYBOARD) ?
			", keyboard" : "",
		libinput_device_has_capability(device, LIBINPUT_DEVICE_CAP_POINTER) ?
			", pointer" : "", touch ? ", touch" : "");
	if (touch)
		input_touch_device(input, added);
}

/* Two keyboards pressing one key: clients see one press and one release. */
static void input_key(struct zc_input *input, struct libinput_event_keyboard *ev)
{
	bool pressed = libinput_event_keyboard_get_key_state(ev) == LIBINPUT_KEY_STATE_PRESSED;
	uint32_t count = libinput_event_keyboard_get_seat_key_count(ev);
	if ((pressed && count != 1) || (!pressed && count != 0))
		return;
	seat_notify_key(input->server->seat, libinput_event_keyboard_get_time(ev),
		libinput_event_keyboard_get_key(ev), pressed);
}

static void input_button(struct zc_input *input, struct libinput_event_pointer *ev)
{
	bool pressed = libinput_event_pointer_get_button_state(ev) ==
		LIBINPUT_BUTTON_STATE_PRESSED;
	uint32_t count = libinput_event_pointer_get_seat_button_count(ev);
	if ((pressed && count != 1) || (!pressed && count != 0))
		return;
	seat_notify_button(input->server->seat, libinput_event_pointer_get_time(ev),
		libinput_event_pointer_get_button(ev), pressed);
}

/* Touchscreens span the first output, like absolute pointers. */
static void input_touch_position(struct zc_input *input, struct libinput_event_touch *ev,
	bool down)
{
	if (wl_list_empty(&input->server->outputs))
		return;
	struct zc_output *output = wl_container_of(input->server->outputs.next, output, link);
	double x = output->x +
		libinput_event_touch_get_x_transformed(ev, (uint32_t)output->logical_width);
	double y = output->y +
		libinput_event_touch_get_y_transformed(ev, (uint32_t)output->logical_height);
	struct zc_touch *touch = seat_get_touch(input->server->seat);
	uint32_t time = libinput_event_touch_get_time(ev);
	int32_t id = libinput_event_touch_get_seat_slot(ev);
	if (down)
		touch_notify_down(touch, time, id, x, y);
	else
		touch_notify_motion(touch, time, id, x, y);
}

static void input_touch_event(struct zc_input *input, struct libinput_event *event)
{
	struct libinput_event_touch *ev = libinput_event_get_touch_event(event);
	struct zc_touch *touch = seat_get_touch(input->server->seat);
	switch (libinput_event_get_type(event)) {
	case LIBINPUT_EVENT_TOUCH_DOWN:
	case LIBINPUT_EVENT_TOUCH_MOTION:
		input_touch_position(input, ev,
			libinput_event_get_type(event) == LIBINPUT_EVENT_TOUCH_DOWN);
		break;
	case LIBINPUT_EVENT_TOUCH_UP:
		touch_notify_up(touch, libinput_event_touch_get_time(ev),
			libinput_event_touch_get_seat_slot(ev));
		break;
	case LIBINPUT_EVENT_TOUCH_CANCEL:
		touch_notify_cancel(touch);
		break;
	case LIBINPUT_EVENT_TOUCH_FRAME:
		touch_notify_frame(touch);
		break;
	default:
		break;
	}
}

/* Absolute devices (tablets) span the first output. */
static void input_motion_absolute(struct zc_input *input, struct libinput_event_pointer *ev)
{
	if (wl_list_empty(&input->server->outputs))
		return;
	struct zc_output *output = wl_container_of(input->server->outputs.next, output, link);
	double x = libinput_event_pointer_get_absolute_x_transformed(ev,
		(uint32_t)output->logical_width);
	double y = libinput_event_pointer_get_absolute_y_transformed(ev,
		(uint32_t)output->logical_height);
	seat_notify_motion_absolute(input->server->seat, libinput_event_pointer_get_time(ev),
		output->x + x, output->y + y);
}

static void input_motion(struct zc_input *input, struct libinput_event_pointer *ev)
{
	struct zc_pointer_motion motion = {
		.time_usec = libinput_event_pointer_get_time_usec(ev),
		.dx = libinput_event_pointer_get_dx(ev),
		.dy = libinput_event_pointer_get_dy(ev),
		.dx_unaccel = libinput_event_pointer_get_dx_unaccelerated(ev),
		.dy_unaccel = libinput_event_pointer_get_dy_unaccelerated(ev),
	};
	seat_notify_motion(input->server->seat, &motion);
}

static void input_scroll(struct zc_input *input, struct libinput_event_pointer *ev,
	bool wheel)
{
	static const struct {
		enum libinput_pointer_axis li;
		uint32_t wl;
	} axes[] = {
		{ LIBINPUT_POINTER_AXIS_SCROLL_VERTICAL, WL_POINTER_AXIS_VERTICAL_SCROLL },
		{ LIBINPUT_POINTER_AXIS_SCROLL_HORIZONTAL, WL_POINTER_AXIS_HORIZONTAL_SCROLL },
	};
	for (size_t i = 0; i < ZC_ARRAY_LEN(axes); i++) {
		if (!libinput_event_pointer_has_axis(ev, axes[i].li))
			continue;
		double v120 = wheel ? libinput_event_pointer_get_scroll_value_v120(ev, axes[i].li) : 0;
		seat_notify_axis(input->server->seat, libinput_event_pointer_get_time(ev),
			axes[i].wl, libinput_event_pointer_get_scroll_value(ev, axes[i].li),
			(int32_t)v120);
	}
}

static void input_pointer_event(struct zc_input *input, struct libinput_event *event)
{
	struct libinput_event_pointer *ev = libinput_event_get_pointer_event(event);
	switch (libinput_event_get_type(event)) {
	case LIBINPUT_EVENT_POINTER_MOTION:
		input_motion(input, ev);
		break;
	case LIBINPUT_EVENT_POINTER_MOTION_ABSOLUTE:
		input_motion_absolute(input, ev);
		break;
	case LIBINPUT_EVENT_POINTER_BUTTON:
		input_button(input, ev);
		break;
	case LIBINPUT_EVENT_POINTER_SCROLL_WHEEL:
		input_scroll(input, ev, true);
		break;
	case LIBINPUT_EVENT_POINTER_SCROLL_FINGER:
	case LIBINPUT_EVENT_POINTER_SCROLL_CONTINUOUS:
		input_scroll(input, ev, false);
		break;
	default:
		return;
	}
	seat_notify_frame(input->server->seat);
}

static void input_handle_event(struct zc_input *input, struct libinput_event *event)
{
	switch (libinput_event_get_type(event)) {
	case LIBINPUT_EVENT_DEVICE_ADDED:
		input_device_added(input, libinput_event_get_device(event), true);
		break;
	case LIBINPUT_EVENT_DEVICE_REMOVED:
		input_device_added(input, libinput_event_get_device(event), false);
		break;
	case LIBINPUT_EVENT_KEYBOARD_KEY:
		input_key(input, libinput_event_get_keyboard_event(event));
		break;
	case LIBINPUT_EVENT_TOUCH_DOWN:
	case LIBINPUT_EVENT_TOUCH_UP:
	case LIBINPUT_EVENT_TOUCH_MOTION:
	case LIBINPUT_EVENT_TOUCH_CANCEL:
	case LIBINPUT_EVENT_TOUCH_FRAME:
		input_touch_event(input, event);
		break;
	default:
		input_pointer_event(input, event);
		break;
	}
}

/* A device unplugged mid-event: libinput reads ENODEV, queues its
 * DEVICE_REMOVED and closes it through us; events already queued keep
 * their (reference-counted) device. */
static int handle_input_readable(int fd, uint32_t mask, void *data)
{
	struct zc_input *input = data;
	if (libinput_dispatch(input->li) != 0)
		zc_err("input: libinput dispatch failed");
	struct libinput_event *event;
	while ((event = libinput_get_event(input->li))) {
		input_handle_event(input, event);
		libinput_event_destroy(event);
	}
	return 0;
}

static void handle_input_session_active(struct wl_listener *listener, void *data)
{
	struct zc_input *input = wl_container_of(listener, input, session_active);
	if (input->session->active) {
		/* The devices it reopens are queued as DEVICE_ADDED events, which
		 * would otherwise wait for the next input to wake the fd. */
		if (libinput_resume(input->li) != 0)
			zc_err("input: cannot resume libinput");
		handle_input_readable(-1, 0, input);
	} else {
		/* Removing the devices queues releases of the keys and buttons
		 * held now (the Ctrl+Alt of Ctrl+Alt+Fn): clients get them now,
		 * not after the next switch back. */
		libinput_suspend(input->li);
		handle_input_readable(-1, 0, input);
	}
}

/* libseat's noop backend (before 0.8) names its seat "noop"; udev calls
 * every seat without ID_SEAT seat0. */
static const char *input_udev_seat(struct zc_session *session)
{
	const char *name = session_seat_name(session);
	return strcmp(name, "noop") == 0 ? "seat0" : name;
}

static void input_warn_without_udevd(const struct zc_input *input)
{
	if (input->n_devices > 0)
		return;
	zc_warn("input: no input devices%s", access("/run/udev/control", F_OK) == 0 ? "" :
		" (no udev daemon: libinput only takes devices in the udev database)");
}

struct zc_input *input_create(struct zc_server *server, struct zc_session *session)
{
	struct zc_input *input = calloc(1, sizeof(*input));
	if (!input)
		return NULL;
	input->server = server;
	input->session = session;
	wl_list_init(&input->fds);
	input->udev = udev_new();
	input->li = input->udev ?
		libinput_udev_create_context(&input_interface, input, input->udev) : NULL;
	if (!input->li) {
		zc_err("input: cannot create a libinput context");
		input_destroy(input);
		return NULL;
	}
	libinput_log_set_handler(input->li, handle_libinput_log);
	libinput_log_set_priority(input->li, zc_log_get_level() >= ZC_LOG_DEBUG ?
		LIBINPUT_LOG_PRIORITY_DEBUG : LIBINPUT_LOG_PRIORITY_ERROR);
	if (libinput_udev_assign_seat(input->li, input_udev_seat(session)) != 0) {
		zc_err("input: libinput cannot use seat %s", input_udev_seat(session));
		input_destroy(input);
		return NULL;
	}
	input->source = wl_event_loop_add_fd(server->loop, libinput_get_fd(input->li),
		WL_EVENT_READABLE, handle_input_readable, input);
	input->session_active.notify = handle_input_session_active;
	wl_signal_add(&session->active_changed, &input->session_active);
	handle_input_readable(-1, 0, input);
	input_warn_without_udevd(input);
	return input;
}

void input_destroy(struct zc_input *input)
{
	if (!input)
		return;
	if (input->session_active.link.next)
		wl_list_remove(&input->session_active.link);
	if (input->source)
		wl_event_source_remove(input->source);
	/* Closes every device through close_restricted. */
	if (input->li)
		libinput_unref(input->li);
	if (input->udev)
		udev_unref(input->udev);
	free(input);
}
