/*
 * wp_cursor_shape_manager_v1 (v2): clients name a cursor ("text",
 * "pointer", ...) instead of drawing one; zcomp shows that image of the
 * Xcursor theme (core/cursor_theme.c) under the rules of
 * wl_pointer.set_cursor. zcomp has no tablets, so a device made for a
 * tablet tool is inert.
 */
#include "cursor_shape.h"

#include <stdlib.h>

#include "cursor-shape-v1-server-protocol.h"
#include "seat.h"

#define CURSOR_SHAPE_VERSION 2

/* Indexed by wp_cursor_shape_device_v1.shape: the CSS name themes use, and
 * the old X name some themes (DMZ) have instead. */
static const struct {
	const char *name, *alt;
} shape_names[] = {
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_DEFAULT] = { "default", "left_ptr" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_CONTEXT_MENU] = { "context-menu", NULL },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_HELP] = { "help", "question_arrow" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_POINTER] = { "pointer", "hand2" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_PROGRESS] = { "progress", "left_ptr_watch" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_WAIT] = { "wait", "watch" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_CELL] = { "cell", "plus" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_CROSSHAIR] = { "crosshair", "cross" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_TEXT] = { "text", "xterm" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_VERTICAL_TEXT] = { "vertical-text", NULL },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_ALIAS] = { "alias", "dnd-link" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_COPY] = { "copy", "dnd-copy" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_MOVE] = { "move", "dnd-move" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_NO_DROP] = { "no-drop", "dnd-none" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_NOT_ALLOWED] = { "not-allowed", "crossed_circle" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_GRAB] = { "grab", "openhand" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_GRABBING] = { "grabbing", "closedhand" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_E_RESIZE] = { "e-resize", "right_side" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_N_RESIZE] = { "n-resize", "top_side" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_NE_RESIZE] = { "ne-resize", "top_right_corner" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_NW_RESIZE] = { "nw-resize", "top_left_corner" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_S_RESIZE] = { "s-resize", "bottom_side" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_SE_RESIZE] = { "se-resize", "bottom_right_corner" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_SW_RESIZE] = { "sw-resize", "bottom_left_corner" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_W_RESIZE] = { "w-resize", "left_side" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_EW_RESIZE] = { "ew-resize", "sb_h_double_arrow" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_NS_RESIZE] = { "ns-resize", "sb_v_double_arrow" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_NESW_RESIZE] = { "nesw-resize", "fd_double_arrow" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_NWSE_RESIZE] = { "nwse-resize", "bd_double_arrow" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_COL_RESIZE] = { "col-resize", "sb_h_double_arrow" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_ROW_RESIZE] = { "row-resize", "sb_v_double_arrow" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_ALL_SCROLL] = { "all-scroll", "fleur" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_ZOOM_IN] = { "zoom-in", NULL },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_ZOOM_OUT] = { "zoom-out", NULL },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_DND_ASK] = { "dnd-ask", "dnd-copy" },
	[WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_ALL_RESIZE] = { "all-resize", "fleur" },
};

/* The last shape of each version. */
static uint32_t shape_max(int version)
{
	return version >= 2 ? WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_ALL_RESIZE :
		WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_ZOOM_OUT;
}

/* A device: its wl_pointer, until that goes (then it is inert). */
struct zc_cursor_shape_device {
	struct wl_resource *pointer;
	struct wl_listener pointer_destroy;
};

static void device_forget_pointer(struct zc_cursor_shape_device *device)
{
	if (!device->pointer)
		return;
	wl_list_remove(&device->pointer_destroy.link);
	device->pointer = NULL;
}

static void handle_device_pointer_destroy(struct wl_listener *listener, void *data)
{
	struct zc_cursor_shape_device *device = wl_container_of(listener, device,
		pointer_destroy);
	device_forget_pointer(device);
}

static void handle_device_set_shape(struct wl_client *client, struct wl_resource *resource,
	uint32_t serial, uint32_t shape)
{
	struct zc_cursor_shape_device *device = wl_resource_get_user_data(resource);
	if (shape < WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_DEFAULT ||
	    shape > shape_max(wl_resource_get_version(resource))) {
		wl_resource_post_error(resource, WP_CURSOR_SHAPE_DEVICE_V1_ERROR_INVALID_SHAPE,
			"invalid cursor shape %u", shape);
		return;
	}
	if (device->pointer)
		seat_pointer_set_named_cursor(device->pointer, serial, shape_names[shape].name,
			shape_names[shape].alt);
}

static void handle_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void handle_device_resource_destroy(struct wl_resource *resource)
{
	struct zc_cursor_shape_device *device = wl_resource_get_user_data(resource);
	device_forget_pointer(device);
	free(device);
}

static const struct wp_cursor_shape_device_v1_interface device_impl = {
	.destroy = handle_destroy,
	.set_shape = handle_device_set_shape,
};

/* pointer NULL: a tablet tool's device, which never shows anything. */
static void device_create(struct wl_client *client, struct wl_resource *manager, uint32_t id,
	struct wl_resource *pointer)
{
	struct zc_cursor_shape_device *device = calloc(1, sizeof(*device));
	if (!device) {
		wl_client_post_no_memory(client);
		return;
	}
	if (!server_resource_create(client, &wp_cursor_shape_device_v1_interface,
		    wl_resource_get_version(manager), id, &device_impl, device,
		    handle_device_resource_destroy)) {
		free(device);
		return;
	}
	if (!pointer)
		return;
	device->pointer = pointer;
	device->pointer_destroy.notify = handle_device_pointer_destroy;
	wl_resource_add_destroy_listener(pointer, &device->pointer_destroy);
}

static void handle_manager_get_pointer(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, struct wl_resource *pointer)
{
	device_create(client, resource, id, pointer);
}

static void handle_manager_get_tablet_tool(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *tablet_tool)
{
	device_create(client, resource, id, NULL);
}

static const struct wp_cursor_shape_manager_v1_interface manager_impl = {
	.destroy = handle_destroy,
	.get_pointer = handle_manager_get_pointer,
	.get_tablet_tool_v2 = handle_manager_get_tablet_tool,
};

static void bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	server_resource_create(client, &wp_cursor_shape_manager_v1_interface, (int)version, id,
		&manager_impl, NULL, NULL);
}

bool cursor_shape_global_create(struct zc_server *server)
{
	return wl_global_create(server->display, &wp_cursor_shape_manager_v1_interface,
		CURSOR_SHAPE_VERSION, NULL, bind_manager) != NULL;
}
