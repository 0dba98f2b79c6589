/* wl_data_device_manager (the clipboard): a selection set by one client is
 * offered to the client with keyboard focus, which reads it through a pipe
 * the source writes; a destroyed source clears the selection; drags are
 * cancelled; misuse is a protocol error. */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zct.h"

#define MIME "text/plain;charset=utf-8"
#define TEXT "copied by client A"

struct dd_client {
	struct zct_client *client;
	struct wl_data_device_manager *manager;
	struct wl_seat *seat;
	struct wl_data_device *device;
	struct zct_window *window;
	/* What the data device was last offered. */
	struct wl_data_offer *pending, *selection;
	bool got_selection, offered_mime;
};

struct dd_source {
	struct wl_data_source *source;
	bool cancelled;
	int sends;
};

/* ---- offers and the device ---- */

static void handle_offer_offer(void *data, struct wl_data_offer *offer, const char *mime)
{
	struct dd_client *c = data;
	if (strcmp(mime, MIME) == 0)
		c->offered_mime = true;
}

static void handle_offer_ignore_u(void *data, struct wl_data_offer *offer, uint32_t v)
{
}

static const struct wl_data_offer_listener offer_listener = {
	.offer = handle_offer_offer,
	.source_actions = handle_offer_ignore_u,
	.action = handle_offer_ignore_u,
};

static void handle_device_data_offer(void *data, struct wl_data_device *device,
	struct wl_data_offer *offer)
{
	struct dd_client *c = data;
	c->pending = offer;
	c->offered_mime = false;
	wl_data_offer_add_listener(offer, &offer_listener, c);
}

static void handle_device_enter(void *data, struct wl_data_device *device, uint32_t serial,
	struct wl_surface *surface, wl_fixed_t x, wl_fixed_t y, struct wl_data_offer *offer)
{
}

static void handle_device_leave(void *data, struct wl_data_device *device)
{
}

static void handle_device_motion(void *data, struct wl_data_device *device, uint32_t time,
	wl_fixed_t x, wl_fixed_t y)
{
}

static void handle_device_drop(void *data, struct wl_data_device *device)
{
}

static void handle_device_selection(void *data, struct wl_data_device *device,
	struct wl_data_offer *offer)
{
	struct dd_client *c = data;
	if (c->selection && c->selection != offer)
		wl_data_offer_destroy(c->selection);
	c->selection = offer;
	c->got_selection = true;
}

static const struct wl_data_device_listener device_listener = {
	.data_offer = handle_device_data_offer,
	.enter = handle_device_enter,
	.leave = handle_device_leave,
	.motion = handle_device_motion,
	.drop = handle_device_drop,
	.selection = handle_device_selection,
};

/* ---- sources ---- */

static void handle_source_target(void *data, struct wl_data_source *s, const char *mime)
{
}

static void handle_source_send(void *data, struct wl_data_source *s, const char *mime,
	int32_t fd)
{
	struct dd_source *src = data;
	src->sends++;
	if (strcmp(mime, MIME) == 0)
		ZCT_CHECK(write(fd, TEXT, strlen(TEXT)) == (ssize_t)strlen(TEXT), "write");
	close(fd);
}

static void handle_source_cancelled(void *data, struct wl_data_source *s)
{
	struct dd_source *src = data;
	src->cancelled = true;
}

static void handle_source_ignore(void *data, struct wl_data_source *s)
{
}

static void handle_source_action(void *data, struct wl_data_source *s, uint32_t action)
{
}

static const struct wl_data_source_listener source_listener = {
	.target = handle_source_target,
	.send = handle_source_send,
	.cancelled = handle_source_cancelled,
	.dnd_drop_performed = handle_source_ignore,
	.dnd_finished = handle_source_ignore,
	.action = handle_source_action,
};

static void source_init(struct dd_client *c, struct dd_source *src)
{
	*src = (struct dd_source){
		.source = wl_data_device_manager_create_data_source(c->manager),
	};
	wl_data_source_add_listener(src->source, &source_listener, src);
	wl_data_source_offer(src->source, MIME);
}

/* ---- clients ---- */

static void handle_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct dd_client *c = data;
	if (strcmp(interface, wl_data_device_manager_interface.name) == 0)
		c->manager = wl_registry_bind(registry, name, &wl_data_device_manager_interface, 3);
	else if (strcmp(interface, wl_seat_interface.name) == 0 && !c->seat)
		c->seat = wl_registry_bind(registry, name, &wl_seat_interface, 1);
}

static void handle_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	handle_global, handle_global_remove,
};

/* Connects, maps a window (which takes the keyboard focus: the topmost
 * window is the activated one) and gets a data device. */
static bool dd_client_init(struct dd_client *c, struct zct_compositor *comp)
{
	*c = (struct dd_client){ .client = zct_client_connect(comp) };
	if (!c->client)
		return false;
	struct wl_registry *registry = wl_display_get_registry(c->client->display);
	wl_registry_add_listener(registry, &registry_listener, c);
	zct_roundtrip(c->client);
	wl_registry_destroy(registry);
	ZCT_CHECK(c->manager && c->seat, "no wl_data_device_manager or wl_seat");
	if (!c->manager || !c->seat)
		return false;
	c->device = wl_data_device_manager_get_data_device(c->manager, c->seat);
	wl_data_device_add_listener(c->device, &device_listener, c);
	c->window = zct_window_create(c->client, false);
	return c->window && zct_window_map(c->window) && zct_roundtrip(c->client);
}

static void dd_client_destroy(struct dd_client *c)
{
	if (c->selection)
		wl_data_offer_destroy(c->selection);
	if (c->device)
		wl_data_device_release(c->device);
	if (c->window)
		zct_window_destroy(c->window);
	if (c->seat)
		wl_seat_destroy(c->seat);
	if (c->manager)
		wl_data_device_manager_destroy(c->manager);
	if (c->client)
		zct_client_destroy(c->client);
}

/* B asks for the selection; A's source writes it; B reads it. */
static bool read_selection(struct dd_client *a, struct dd_client *b, char *out, size_t size)
{
	int fds[2];
	if (pipe(fds) != 0)
		return false;
	wl_data_offer_receive(b->selection, MIME, fds[1]);
	close(fds[1]);
	zct_roundtrip(b->client);
	zct_roundtrip(a->client);
	size_t got = 0;
	struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
	while (got + 1 < size && poll(&pfd, 1, 2000) == 1) {
		ssize_t n = read(fds[0], out + got, size - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	out[got] = '\0';
	close(fds[0]);
	return true;
}

static void test_selection_between_clients(struct zct_compositor *comp)
{
	struct dd_client a, b;
	if (!dd_client_init(&a, comp))
		return;
	ZCT_CHECK(a.got_selection && !a.selection, "a focused client starts with no selection");
	struct dd_source src;
	source_init(&a, &src);
	wl_data_device_set_selection(a.device, src.source, 0);
	zct_roundtrip(a.client);
	ZCT_CHECK(a.selection && a.offered_mime, "the focused setter is offered its selection");

	if (dd_client_init(&b, comp)) {
		ZCT_CHECK(b.selection && b.offered_mime, "focus moved: the selection is offered");
		char text[64] = "";
		ZCT_CHECK(b.selection && read_selection(&a, &b, text, sizeof(text)) &&
			strcmp(text, TEXT) == 0, "read '%s'", text);
		ZCT_CHECK(src.sends == 1, "%d sends", src.sends);

		/* The source goes away: the focused client's selection is cleared. */
		wl_data_source_destroy(src.source);
		zct_roundtrip(a.client);
		b.got_selection = false;
		zct_roundtrip(b.client);
		ZCT_CHECK(b.got_selection && !b.selection, "a destroyed source clears it");

		/* A drag is refused: the source is cancelled. */
		struct dd_source drag;
		source_init(&b, &drag);
		wl_data_source_set_actions(drag.source, WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY);
		wl_data_device_start_drag(b.device, drag.source, b.window->surface, NULL, 0);
		zct_roundtrip(b.client);
		ZCT_CHECK(drag.cancelled, "start_drag cancels the source");
		wl_data_source_destroy(drag.source);
		zct_expect_no_error(b.client, "after the refused drag");
		dd_client_destroy(&b);
	}
	dd_client_destroy(&a);
}

/* A replaced selection's source is cancelled; a used source cannot be set
 * again. */
static void test_replace_and_reuse(struct zct_compositor *comp)
{
	struct dd_client a;
	if (!dd_client_init(&a, comp))
		return;
	struct dd_source first, second;
	source_init(&a, &first);
	source_init(&a, &second);
	wl_data_device_set_selection(a.device, first.source, 0);
	wl_data_device_set_selection(a.device, second.source, 0);
	zct_roundtrip(a.client);
	ZCT_CHECK(first.cancelled && !second.cancelled, "the replaced source is cancelled");
	wl_data_device_set_selection(a.device, second.source, 0);
	zct_expect_error(a.client, &wl_data_device_interface, WL_DATA_DEVICE_ERROR_USED_SOURCE,
		"set_selection with a used source");
	wl_data_source_destroy(first.source);
	wl_data_source_destroy(second.source);
	dd_client_destroy(&a);
}

/* finish is for drag-and-drop offers only. */
static void test_finish_on_selection(struct zct_compositor *comp)
{
	struct dd_client a;
	if (!dd_client_init(&a, comp))
		return;
	struct dd_source src;
	source_init(&a, &src);
	wl_data_device_set_selection(a.device, src.source, 0);
	zct_roundtrip(a.client);
	if (a.selection) {
		wl_data_offer_finish(a.selection);
		zct_expect_error(a.client, &wl_data_offer_interface,
			WL_DATA_OFFER_ERROR_INVALID_FINISH, "finish on a selection offer");
	}
	wl_data_source_destroy(src.source);
	dd_client_destroy(&a);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { 0 };
	if (!zct_compositor_start(&comp, &config))
		return zct_exit_status();
	ZCT_RUN(test_selection_between_clients, &comp);
	ZCT_RUN(test_replace_and_reuse, &comp);
	ZCT_RUN(test_finish_on_selection, &comp);
	zct_compositor_alive(&comp);
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
