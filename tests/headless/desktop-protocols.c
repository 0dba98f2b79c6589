/* Issue 15's desktop globals as a client sees them, each error with its
 * exact code: xdg-decoration (client_side, in the configure sequence),
 * xdg-activation (tokens; an invalid one is ignored), fractional-scale
 * (preferred_scale from --scale), cursor-shape (invalid shapes) and the
 * primary selection between two clients. */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cursor-shape-v1-client-protocol.h"
#include "fractional-scale-v1-client-protocol.h"
#include "primary-selection-unstable-v1-client-protocol.h"
#include "xdg-activation-v1-client-protocol.h"
#include "xdg-decoration-unstable-v1-client-protocol.h"
#include "zct.h"

/* ---- binding a global the test library does not know ---- */

struct extra_bind {
	const struct wl_interface *interface;
	uint32_t version;
	void *proxy;
};

static void handle_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct extra_bind *b = data;
	if (!b->proxy && strcmp(interface, b->interface->name) == 0)
		b->proxy = wl_registry_bind(registry, name, b->interface,
			version < b->version ? version : b->version);
}

static void handle_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	handle_global, handle_global_remove,
};

static void *bind_extra(struct zct_client *client, const struct wl_interface *interface,
	uint32_t version)
{
	struct extra_bind b = { interface, version, NULL };
	struct wl_registry *registry = wl_display_get_registry(client->display);
	wl_registry_add_listener(registry, &registry_listener, &b);
	zct_roundtrip(client);
	wl_registry_destroy(registry);
	ZCT_CHECK(b.proxy != NULL, "no %s global", interface->name);
	return b.proxy;
}

/* ---- xdg-decoration ---- */

/* Events in order: the decoration's configure must come before the
 * xdg_surface.configure that ends its sequence. */
struct deco_window {
	int events;
	int deco_at, xdg_at;
	uint32_t mode, serial;
};

static void handle_deco_configure(void *data, struct zxdg_toplevel_decoration_v1 *d,
	uint32_t mode)
{
	struct deco_window *w = data;
	w->mode = mode;
	w->deco_at = ++w->events;
}

static const struct zxdg_toplevel_decoration_v1_listener deco_listener = {
	handle_deco_configure,
};

static void handle_xdg_configure(void *data, struct xdg_surface *xdg, uint32_t serial)
{
	struct deco_window *w = data;
	w->serial = serial;
	w->xdg_at = ++w->events;
}

static const struct xdg_surface_listener xdg_listener = { handle_xdg_configure };

/* The mode comes with the first configure sequence after the window mapped
 * (see xdg_decoration.c: SDL 2.26), before its xdg_surface.configure; asked
 * again, it is client_side again. */
static void test_decoration_configure(struct zct_compositor *comp)
{
	struct zct_client *c = zct_client_connect(comp);
	struct zxdg_decoration_manager_v1 *m = c ? bind_extra(c,
		&zxdg_decoration_manager_v1_interface, 1) : NULL;
	struct zcc_buffer *buffer = m ? zct_pattern_buffer(c, 32, 32, WL_SHM_FORMAT_XRGB8888, 0) :
		NULL;
	if (!buffer)
		goto out;
	struct deco_window w = { 0 };
	struct wl_surface *surface = wl_compositor_create_surface(c->globals.compositor);
	struct xdg_surface *xdg = xdg_wm_base_get_xdg_surface(c->globals.wm_base, surface);
	xdg_surface_add_listener(xdg, &xdg_listener, &w);
	struct xdg_toplevel *top = xdg_surface_get_toplevel(xdg);
	struct zxdg_toplevel_decoration_v1 *deco =
		zxdg_decoration_manager_v1_get_toplevel_decoration(m, top);
	zxdg_toplevel_decoration_v1_add_listener(deco, &deco_listener, &w);
	zxdg_toplevel_decoration_v1_set_mode(deco, ZXDG_TOPLEVEL_DECORATION_V1_MODE_SERVER_SIDE);
	zct_roundtrip(c);
	ZCT_CHECK(w.events == 0, "a configure before the initial commit");
	wl_surface_commit(surface);
	zct_roundtrip(c);
	ZCT_CHECK(w.xdg_at == 1 && w.deco_at == 0, "initial sequence: decoration #%d, xdg #%d",
		w.deco_at, w.xdg_at);
	xdg_surface_ack_configure(xdg, w.serial);
	zct_show(surface, buffer);
	zct_roundtrip(c);
	zct_roundtrip(c);
	ZCT_CHECK(w.mode == ZXDG_TOPLEVEL_DECORATION_V1_MODE_CLIENT_SIDE,
		"mode %u after mapping: zcomp draws no decorations, it must answer client_side",
		w.mode);
	ZCT_CHECK(w.deco_at > 1 && w.deco_at < w.xdg_at, "decoration configure #%d, xdg #%d",
		w.deco_at, w.xdg_at);
	xdg_surface_ack_configure(xdg, w.serial);
	w.mode = 0;
	zxdg_toplevel_decoration_v1_unset_mode(deco);
	zct_roundtrip(c);
	ZCT_CHECK(w.mode == ZXDG_TOPLEVEL_DECORATION_V1_MODE_CLIENT_SIDE &&
		w.deco_at < w.xdg_at, "no client_side configure after unset_mode");
	zxdg_toplevel_decoration_v1_destroy(deco);
	xdg_toplevel_destroy(top);
	xdg_surface_destroy(xdg);
	wl_surface_destroy(surface);
	zct_expect_no_error(c, "decoration destroyed before its toplevel");
	zxdg_decoration_manager_v1_destroy(m);
out:
	zcc_buffer_destroy(buffer);
	if (c)
		zct_client_destroy(c);
}

/* A fresh client, a toplevel (not committed) and a decoration manager. */
struct deco_case {
	struct zct_client *c;
	struct zxdg_decoration_manager_v1 *m;
	struct wl_surface *surface;
	struct xdg_toplevel *top;
};

static bool deco_case_init(struct deco_case *d, struct zct_compositor *comp)
{
	*d = (struct deco_case){ .c = zct_client_connect(comp) };
	d->m = d->c ? bind_extra(d->c, &zxdg_decoration_manager_v1_interface, 1) : NULL;
	if (!d->m)
		return false;
	d->surface = wl_compositor_create_surface(d->c->globals.compositor);
	d->top = xdg_surface_get_toplevel(xdg_wm_base_get_xdg_surface(d->c->globals.wm_base,
		d->surface));
	return true;
}

static void deco_case_expect(struct deco_case *d, uint32_t code, const char *what)
{
	if (d->m)
		zct_expect_error(d->c, &zxdg_toplevel_decoration_v1_interface, code, what);
	if (d->c)
		zct_client_destroy(d->c);
}

static void test_decoration_errors(struct zct_compositor *comp)
{
	struct deco_case d;
	if (deco_case_init(&d, comp)) {
		/* After the initial commit (before it, the attach alone is an
		 * xdg_surface error), but before the configure is acked. */
		wl_surface_commit(d.surface);
		struct zcc_buffer *buffer = zct_pattern_buffer(d.c, 8, 8, WL_SHM_FORMAT_XRGB8888, 0);
		if (buffer)
			wl_surface_attach(d.surface, buffer->wl_buffer, 0, 0);
		zxdg_decoration_manager_v1_get_toplevel_decoration(d.m, d.top);
	}
	deco_case_expect(&d, ZXDG_TOPLEVEL_DECORATION_V1_ERROR_UNCONFIGURED_BUFFER,
		"a decoration for a toplevel with a buffer before its first configure");

	if (deco_case_init(&d, comp)) {
		zxdg_decoration_manager_v1_get_toplevel_decoration(d.m, d.top);
		zxdg_decoration_manager_v1_get_toplevel_decoration(d.m, d.top);
	}
	deco_case_expect(&d, ZXDG_TOPLEVEL_DECORATION_V1_ERROR_ALREADY_CONSTRUCTED,
		"a second decoration for one toplevel");

	if (deco_case_init(&d, comp)) {
		zxdg_decoration_manager_v1_get_toplevel_decoration(d.m, d.top);
		xdg_toplevel_destroy(d.top);
	}
	deco_case_expect(&d, ZXDG_TOPLEVEL_DECORATION_V1_ERROR_ORPHANED,
		"the toplevel destroyed before its decoration");

	if (deco_case_init(&d, comp))
		zxdg_toplevel_decoration_v1_set_mode(
			zxdg_decoration_manager_v1_get_toplevel_decoration(d.m, d.top), 3);
	deco_case_expect(&d, ZXDG_TOPLEVEL_DECORATION_V1_ERROR_INVALID_MODE, "set_mode(3)");
}

/* A client that disconnects with its decoration alive is no error case:
 * zcomp must survive it (checked by the final alive/stop). */
static void test_decoration_disconnect(struct zct_compositor *comp)
{
	struct deco_case d;
	if (deco_case_init(&d, comp)) {
		zxdg_decoration_manager_v1_get_toplevel_decoration(d.m, d.top);
		zct_roundtrip(d.c);
		zct_client_kill(d.c);
	}
	if (d.c)
		zct_client_destroy(d.c);
	zct_compositor_alive(comp);
}

/* ---- xdg-activation ---- */

static void handle_token_done(void *data, struct xdg_activation_token_v1 *t, const char *token)
{
	char *out = data;
	snprintf(out, 64, "%s", token);
}

static const struct xdg_activation_token_v1_listener token_listener = { handle_token_done };

static void test_activation(struct zct_compositor *comp)
{
	struct zct_client *c = zct_client_connect(comp);
	struct xdg_activation_v1 *act = c ? bind_extra(c, &xdg_activation_v1_interface, 1) : NULL;
	if (!act)
		goto out;
	/* No serial of a user's action: a token comes, activate ignores it. */
	char name[64] = "";
	struct xdg_activation_token_v1 *token = xdg_activation_v1_get_activation_token(act);
	xdg_activation_token_v1_add_listener(token, &token_listener, name);
	xdg_activation_token_v1_set_app_id(token, "zct");
	xdg_activation_token_v1_commit(token);
	zct_roundtrip(c);
	ZCT_CHECK(strlen(name) == 32, "token '%s'", name);
	struct zct_window *window = zct_window_create(c, false);
	if (window) {
		xdg_activation_v1_activate(act, name, window->surface);
		xdg_activation_v1_activate(act, "not-a-token", window->surface);
		zct_expect_no_error(c, "activate with tokens zcomp ignores");
	}
	/* Anything after commit is already_used. */
	struct wl_seat *seat = bind_extra(c, &wl_seat_interface, 1);
	xdg_activation_token_v1_set_serial(token, 1, seat);
	zct_expect_error(c, &xdg_activation_token_v1_interface,
		XDG_ACTIVATION_TOKEN_V1_ERROR_ALREADY_USED, "set_serial after commit");
out:
	if (c)
		zct_client_destroy(c);
	c = zct_client_connect(comp);
	act = c ? bind_extra(c, &xdg_activation_v1_interface, 1) : NULL;
	if (act) {
		token = xdg_activation_v1_get_activation_token(act);
		xdg_activation_token_v1_commit(token);
		xdg_activation_token_v1_commit(token);
		zct_expect_error(c, &xdg_activation_token_v1_interface,
			XDG_ACTIVATION_TOKEN_V1_ERROR_ALREADY_USED, "commit twice");
	}
	if (c)
		zct_client_destroy(c);
}

/* ---- fractional-scale ---- */

static void handle_preferred_scale(void *data, struct wp_fractional_scale_v1 *f, uint32_t scale)
{
	*(uint32_t *)data = scale;
}

static const struct wp_fractional_scale_v1_listener scale_listener = { handle_preferred_scale };

/* The preferred_scale a new surface gets, or 0. */
static uint32_t preferred_scale(struct zct_client *c, struct wp_fractional_scale_manager_v1 *m)
{
	uint32_t scale = 0;
	struct wl_surface *surface = wl_compositor_create_surface(c->globals.compositor);
	struct wp_fractional_scale_v1 *f = wp_fractional_scale_manager_v1_get_fractional_scale(m,
		surface);
	wp_fractional_scale_v1_add_listener(f, &scale_listener, &scale);
	zct_roundtrip(c);
	wp_fractional_scale_v1_destroy(f);
	wl_surface_destroy(surface);
	return scale;
}

static void test_fractional_scale(struct zct_compositor *comp)
{
	struct zct_client *c = zct_client_connect(comp);
	struct wp_fractional_scale_manager_v1 *m = c ? bind_extra(c,
		&wp_fractional_scale_manager_v1_interface, 1) : NULL;
	if (m) {
		uint32_t scale = preferred_scale(c, m);
		ZCT_CHECK(scale == 120, "preferred_scale %u without --scale", scale);
		struct wl_surface *s = wl_compositor_create_surface(c->globals.compositor);
		wp_fractional_scale_manager_v1_get_fractional_scale(m, s);
		wp_fractional_scale_manager_v1_get_fractional_scale(m, s);
		zct_expect_error(c, &wp_fractional_scale_manager_v1_interface,
			WP_FRACTIONAL_SCALE_MANAGER_V1_ERROR_FRACTIONAL_SCALE_EXISTS,
			"a second wp_fractional_scale_v1 for one surface");
	}
	if (c)
		zct_client_destroy(c);
}

/* Run as zcomp's client (argv[1] = "--scale-child"): exits 0 if a surface
 * is asked for the scale given in argv[2]. */
static int scale_child(const char *expected)
{
	struct zct_compositor comp = { 0 };
	snprintf(comp.socket_path, sizeof(comp.socket_path), "%s/%s",
		getenv("XDG_RUNTIME_DIR"), getenv("WAYLAND_DISPLAY"));
	struct zct_client *c = zct_client_connect(&comp);
	struct wp_fractional_scale_manager_v1 *m = c ? bind_extra(c,
		&wp_fractional_scale_manager_v1_interface, 1) : NULL;
	uint32_t scale = m ? preferred_scale(c, m) : 0;
	fprintf(stderr, "preferred_scale %u\n", scale);
	return scale == (uint32_t)atoi(expected) ? 0 : 1;
}

static void test_scale_option(const char *self)
{
	char out[8192];
	const char *argv[] = { NULL, "--scale=1.5", "--", self, "--scale-child", "180", NULL };
	int status = zct_run_zcomp(argv, out, sizeof(out), 10000);
	ZCT_CHECK(status == 0, "--scale=1.5: status %d, output:\n%s", status, out);
	const char *bad[] = { "0.5", "5", "1.5x", "" };
	for (size_t i = 0; i < ZC_LEN(bad); i++) {
		char arg[32];
		snprintf(arg, sizeof(arg), "--scale=%s", bad[i]);
		const char *argv_bad[] = { NULL, arg, NULL };
		status = zct_run_zcomp(argv_bad, out, sizeof(out), 10000);
		ZCT_CHECK(status == 2 && strstr(out, "invalid scale"), "%s: status %d, %s", arg,
			status, out);
	}
}

/* ---- cursor-shape ---- */

static void test_cursor_shape_errors(struct zct_compositor *comp)
{
	/* 0 is below the enum; 35 (dnd_ask) exists from version 2 on only. */
	const struct {
		uint32_t version, shape;
	} cases[] = { { 2, 0 }, { 2, 37 }, { 1, 35 } };
	for (size_t i = 0; i < ZC_LEN(cases); i++) {
		struct zct_client *c = zct_client_connect(comp);
		struct wp_cursor_shape_manager_v1 *m = c ? bind_extra(c,
			&wp_cursor_shape_manager_v1_interface, cases[i].version) : NULL;
		struct wl_seat *seat = c ? bind_extra(c, &wl_seat_interface, 5) : NULL;
		if (m && seat) {
			struct wp_cursor_shape_device_v1 *dev = wp_cursor_shape_manager_v1_get_pointer(m,
				wl_seat_get_pointer(seat));
			/* A valid shape with a serial that was never sent is ignored. */
			wp_cursor_shape_device_v1_set_shape(dev, 12345,
				WP_CURSOR_SHAPE_DEVICE_V1_SHAPE_TEXT);
			zct_expect_no_error(c, "a valid shape, a stale serial");
			wp_cursor_shape_device_v1_set_shape(dev, 0, cases[i].shape);
			char what[64];
			snprintf(what, sizeof(what), "shape %u on a v%u device", cases[i].shape,
				cases[i].version);
			zct_expect_error(c, &wp_cursor_shape_device_v1_interface,
				WP_CURSOR_SHAPE_DEVICE_V1_ERROR_INVALID_SHAPE, what);
		}
		if (c)
			zct_client_destroy(c);
	}
}

/* ---- primary selection ---- */

#define MIME "text/plain;charset=utf-8"
#define TEXT "selected in client A"

struct ps_client {
	struct zct_client *c;
	struct zwp_primary_selection_device_manager_v1 *m;
	struct zwp_primary_selection_device_v1 *device;
	struct zct_window *window;
	struct zwp_primary_selection_offer_v1 *selection;
	bool got_selection, offered_mime;
};

static void handle_offer(void *data, struct zwp_primary_selection_offer_v1 *o, const char *mime)
{
	struct ps_client *p = data;
	p->offered_mime = p->offered_mime || strcmp(mime, MIME) == 0;
}

static const struct zwp_primary_selection_offer_v1_listener offer_listener = { handle_offer };

static void handle_data_offer(void *data, struct zwp_primary_selection_device_v1 *d,
	struct zwp_primary_selection_offer_v1 *offer)
{
	struct ps_client *p = data;
	p->offered_mime = false;
	zwp_primary_selection_offer_v1_add_listener(offer, &offer_listener, p);
}

static void handle_selection(void *data, struct zwp_primary_selection_device_v1 *d,
	struct zwp_primary_selection_offer_v1 *offer)
{
	struct ps_client *p = data;
	if (p->selection)
		zwp_primary_selection_offer_v1_destroy(p->selection);
	p->selection = offer;
	p->got_selection = true;
}

static const struct zwp_primary_selection_device_v1_listener device_listener = {
	handle_data_offer, handle_selection,
};

static void handle_send(void *data, struct zwp_primary_selection_source_v1 *s,
	const char *mime, int32_t fd)
{
	int *sends = data;
	(*sends)++;
	ssize_t n = write(fd, TEXT, strlen(TEXT));
	(void)n;
	close(fd);
}

static void handle_cancelled(void *data, struct zwp_primary_selection_source_v1 *s)
{
	int *sends = data;
	*sends = -1;
}

static const struct zwp_primary_selection_source_v1_listener source_listener = {
	handle_send, handle_cancelled,
};

/* Connects and maps a window, which takes the keyboard focus. */
static bool ps_client_init(struct ps_client *p, struct zct_compositor *comp)
{
	*p = (struct ps_client){ .c = zct_client_connect(comp) };
	p->m = p->c ? bind_extra(p->c, &zwp_primary_selection_device_manager_v1_interface, 1) :
		NULL;
	struct wl_seat *seat = p->m ? bind_extra(p->c, &wl_seat_interface, 1) : NULL;
	if (!seat)
		return false;
	p->device = zwp_primary_selection_device_manager_v1_get_device(p->m, seat);
	zwp_primary_selection_device_v1_add_listener(p->device, &device_listener, p);
	p->window = zct_window_create(p->c, false);
	return p->window && zct_window_map(p->window) && zct_roundtrip(p->c);
}

static struct zwp_primary_selection_source_v1 *ps_source(struct ps_client *p, int *sends)
{
	struct zwp_primary_selection_source_v1 *s =
		zwp_primary_selection_device_manager_v1_create_source(p->m);
	zwp_primary_selection_source_v1_add_listener(s, &source_listener, sends);
	zwp_primary_selection_source_v1_offer(s, MIME);
	return s;
}

static void ps_read(struct ps_client *a, struct ps_client *b, char *out, size_t size)
{
	int fds[2];
	out[0] = '\0';
	if (!b->selection || pipe(fds) != 0)
		return;
	zwp_primary_selection_offer_v1_receive(b->selection, MIME, fds[1]);
	close(fds[1]);
	zct_roundtrip(b->c);
	zct_roundtrip(a->c);
	struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
	ssize_t n = poll(&pfd, 1, 2000) == 1 ? read(fds[0], out, size - 1) : 0;
	out[n > 0 ? n : 0] = '\0';
	close(fds[0]);
}

static void test_primary_selection(struct zct_compositor *comp)
{
	struct ps_client a, b = { 0 };
	int sends = 0, first_sends = 0;
	if (!ps_client_init(&a, comp))
		goto out;
	struct zwp_primary_selection_source_v1 *first = ps_source(&a, &first_sends);
	struct zwp_primary_selection_source_v1 *src = ps_source(&a, &sends);
	zwp_primary_selection_device_v1_set_selection(a.device, first, 0);
	zwp_primary_selection_device_v1_set_selection(a.device, src, 0);
	zct_roundtrip(a.c);
	ZCT_CHECK(first_sends == -1 && sends == 0, "the replaced source is cancelled");
	if (!ps_client_init(&b, comp))
		goto out;
	ZCT_CHECK(b.selection && b.offered_mime, "focus moved: the selection is offered");
	char text[64];
	ps_read(&a, &b, text, sizeof(text));
	ZCT_CHECK(strcmp(text, TEXT) == 0 && sends == 1, "read '%s', %d sends", text, sends);
	zwp_primary_selection_source_v1_destroy(src);
	zct_roundtrip(a.c);
	b.got_selection = false;
	zct_roundtrip(b.c);
	ZCT_CHECK(b.got_selection && !b.selection, "a destroyed source clears the selection");
	zct_expect_no_error(b.c, "primary selection");
out:
	if (b.c)
		zct_client_destroy(b.c);
	if (a.c)
		zct_client_destroy(a.c);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--scale-child") == 0)
		return scale_child(argv[2]);
	struct zct_compositor comp;
	struct zct_config config = { 0 };
	if (!zct_compositor_start(&comp, &config))
		return zct_exit_status();
	ZCT_RUN(test_decoration_configure, &comp);
	ZCT_RUN(test_decoration_errors, &comp);
	ZCT_RUN(test_decoration_disconnect, &comp);
	ZCT_RUN(test_activation, &comp);
	ZCT_RUN(test_fractional_scale, &comp);
	ZCT_RUN(test_cursor_shape_errors, &comp);
	ZCT_RUN(test_primary_selection, &comp);
	zct_compositor_alive(&comp);
	zct_compositor_stop(&comp);
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	ZCT_RUN(test_scale_option, self);
	return zct_exit_status();
}
