#include "grab.h"

#include "seat.h"
#include "touch.h"

static bool handle_grab_host_start(void *data, struct zc_grab *grab, struct zc_surface *root,
	uint32_t serial, double *x, double *y)
{
	struct zc_seat *seat = data;
	struct zc_touch *touch = seat_get_touch(seat);
	if (seat_pointer_grabbed(seat) || touch_grabbed(touch))
		return false;
	return seat_pointer_grab_begin(seat, grab, root, serial, x, y) ||
		touch_grab_begin(touch, grab, root, serial, x, y);
}

static void handle_grab_host_cancel(void *data, struct zc_grab *grab)
{
	struct zc_seat *seat = data;
	seat_pointer_grab_cancel(seat, grab);
	touch_grab_cancel(seat_get_touch(seat), grab);
}

static bool handle_grab_host_serial_is_input(void *data, struct wl_client *client,
	uint32_t serial)
{
	struct zc_seat *seat = data;
	return seat_is_input_serial(seat, client, serial) ||
		touch_is_input_serial(seat_get_touch(seat), client, serial);
}

static const struct zc_grab_host_impl grab_host_impl = {
	.start = handle_grab_host_start,
	.cancel = handle_grab_host_cancel,
	.serial_is_input = handle_grab_host_serial_is_input,
};

void grab_host_install(struct zc_server *server)
{
	server->grab_host = (struct zc_grab_host){ .impl = &grab_host_impl, .data = server->seat };
}

void grab_host_uninstall(struct zc_server *server)
{
	server->grab_host = (struct zc_grab_host){ 0 };
}
