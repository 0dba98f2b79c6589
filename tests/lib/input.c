/* A seat's pointer and touch as a client sees them: counters and the last
 * values of each event, for tests to check after a round trip (zct.h). */
#include "zct.h"

static void handle_pointer_enter(void *data, struct wl_pointer *wl_pointer, uint32_t serial,
	struct wl_surface *surface, wl_fixed_t x, wl_fixed_t y)
{
	struct zct_pointer *p = data;
	p->focus = surface;
	p->enters++;
	p->enter_serial = serial;
	p->x = wl_fixed_to_double(x);
	p->y = wl_fixed_to_double(y);
}

static void handle_pointer_leave(void *data, struct wl_pointer *wl_pointer, uint32_t serial,
	struct wl_surface *surface)
{
	struct zct_pointer *p = data;
	p->focus = NULL;
	p->leaves++;
}

static void handle_pointer_motion(void *data, struct wl_pointer *wl_pointer, uint32_t time,
	wl_fixed_t x, wl_fixed_t y)
{
	struct zct_pointer *p = data;
	p->motions++;
	p->x = wl_fixed_to_double(x);
	p->y = wl_fixed_to_double(y);
}

static void handle_pointer_button(void *data, struct wl_pointer *wl_pointer, uint32_t serial,
	uint32_t time, uint32_t button, uint32_t state)
{
	struct zct_pointer *p = data;
	p->buttons++;
	p->button = button;
	p->button_state = state;
	if (state == WL_POINTER_BUTTON_STATE_PRESSED)
		p->press_serial = serial;
}

static void handle_pointer_axis(void *data, struct wl_pointer *wl_pointer, uint32_t time,
	uint32_t axis, wl_fixed_t value)
{
	struct zct_pointer *p = data;
	p->axes++;
	p->axis_value = wl_fixed_to_double(value);
}

static void handle_pointer_frame(void *data, struct wl_pointer *wl_pointer)
{
	((struct zct_pointer *)data)->frames++;
}

static void handle_pointer_axis_source(void *data, struct wl_pointer *wl_pointer,
	uint32_t source)
{
}

static void handle_pointer_axis_stop(void *data, struct wl_pointer *wl_pointer, uint32_t time,
	uint32_t axis)
{
}

static void handle_pointer_axis_discrete(void *data, struct wl_pointer *wl_pointer,
	uint32_t axis, int32_t discrete)
{
}

static void handle_pointer_axis_value120(void *data, struct wl_pointer *wl_pointer,
	uint32_t axis, int32_t value120)
{
	((struct zct_pointer *)data)->axis_value120 = value120;
}

static void handle_pointer_axis_relative_direction(void *data, struct wl_pointer *wl_pointer,
	uint32_t axis, uint32_t direction)
{
}

/* Every event up to wl_seat v9: libwayland aborts on a NULL handler. */
static const struct wl_pointer_listener pointer_listener = {
	.enter = handle_pointer_enter,
	.leave = handle_pointer_leave,
	.motion = handle_pointer_motion,
	.button = handle_pointer_button,
	.axis = handle_pointer_axis,
	.frame = handle_pointer_frame,
	.axis_source = handle_pointer_axis_source,
	.axis_stop = handle_pointer_axis_stop,
	.axis_discrete = handle_pointer_axis_discrete,
	.axis_value120 = handle_pointer_axis_value120,
	.axis_relative_direction = handle_pointer_axis_relative_direction,
};

void zct_pointer_init(struct zct_pointer *pointer, struct wl_seat *seat)
{
	*pointer = (struct zct_pointer){ .wl_pointer = wl_seat_get_pointer(seat) };
	wl_pointer_add_listener(pointer->wl_pointer, &pointer_listener, pointer);
}

void zct_pointer_finish(struct zct_pointer *pointer)
{
	if (!pointer->wl_pointer)
		return;
	if (wl_pointer_get_version(pointer->wl_pointer) >= WL_POINTER_RELEASE_SINCE_VERSION)
		wl_pointer_release(pointer->wl_pointer);
	else
		wl_pointer_destroy(pointer->wl_pointer);
	pointer->wl_pointer = NULL;
}

static void handle_touch_down(void *data, struct wl_touch *wl_touch, uint32_t serial,
	uint32_t time, struct wl_surface *surface, int32_t id, wl_fixed_t x, wl_fixed_t y)
{
	struct zct_touch *t = data;
	t->downs++;
	t->down_serial = serial;
	t->down_surface = surface;
	t->id = id;
	t->x = wl_fixed_to_double(x);
	t->y = wl_fixed_to_double(y);
}

static void handle_touch_up(void *data, struct wl_touch *wl_touch, uint32_t serial,
	uint32_t time, int32_t id)
{
	struct zct_touch *t = data;
	t->ups++;
	t->id = id;
}

static void handle_touch_motion(void *data, struct wl_touch *wl_touch, uint32_t time,
	int32_t id, wl_fixed_t x, wl_fixed_t y)
{
	struct zct_touch *t = data;
	t->motions++;
	t->id = id;
	t->x = wl_fixed_to_double(x);
	t->y = wl_fixed_to_double(y);
}

static void handle_touch_frame(void *data, struct wl_touch *wl_touch)
{
	((struct zct_touch *)data)->frames++;
}

static void handle_touch_cancel(void *data, struct wl_touch *wl_touch)
{
	((struct zct_touch *)data)->cancels++;
}

static void handle_touch_shape(void *data, struct wl_touch *wl_touch, int32_t id,
	wl_fixed_t major, wl_fixed_t minor)
{
}

static void handle_touch_orientation(void *data, struct wl_touch *wl_touch, int32_t id,
	wl_fixed_t orientation)
{
}

static const struct wl_touch_listener touch_listener = {
	.down = handle_touch_down,
	.up = handle_touch_up,
	.motion = handle_touch_motion,
	.frame = handle_touch_frame,
	.cancel = handle_touch_cancel,
	.shape = handle_touch_shape,
	.orientation = handle_touch_orientation,
};

void zct_touch_init(struct zct_touch *touch, struct wl_seat *seat)
{
	*touch = (struct zct_touch){ .wl_touch = wl_seat_get_touch(seat) };
	wl_touch_add_listener(touch->wl_touch, &touch_listener, touch);
}

void zct_touch_finish(struct zct_touch *touch)
{
	if (!touch->wl_touch)
		return;
	if (wl_touch_get_version(touch->wl_touch) >= WL_TOUCH_RELEASE_SINCE_VERSION)
		wl_touch_release(touch->wl_touch);
	else
		wl_touch_destroy(touch->wl_touch);
	touch->wl_touch = NULL;
}
