/* (f) xdg_wm_base protocol errors, each provoked on a fresh client and
 * checked for interface and code (xdg-shell.xml is the reference). */
#include "zct.h"

#define W 32
#define H 32

struct error_case {
	const char *what;
	/* Issues the offending requests; false if the setup itself failed. */
	bool (*provoke)(struct zct_client *client);
	const struct wl_interface *interface;
	uint32_t code;
	/* The failing request is the object's destructor. */
	bool on_destroyed;
};

/* A wl_surface with an xdg_surface and nothing else yet. */
static struct xdg_surface *bare_xdg_surface(struct zct_client *client,
	struct wl_surface **surface)
{
	*surface = wl_compositor_create_surface(client->globals.compositor);
	return xdg_wm_base_get_xdg_surface(client->globals.wm_base, *surface);
}

static struct xdg_positioner *valid_positioner(struct zct_client *client)
{
	struct xdg_positioner *p = xdg_wm_base_create_positioner(client->globals.wm_base);
	xdg_positioner_set_size(p, 10, 10);
	xdg_positioner_set_anchor_rect(p, 0, 0, 1, 1);
	return p;
}

static bool provoke_role(struct zct_client *client)
{
	if (!client->globals.subcompositor)
		return false;
	struct zct_window *parent = zct_window_create(client, false);
	if (!parent)
		return false;
	struct wl_surface *child = wl_compositor_create_surface(client->globals.compositor);
	wl_subcompositor_get_subsurface(client->globals.subcompositor, child, parent->surface);
	xdg_wm_base_get_xdg_surface(client->globals.wm_base, child);
	return true;
}

static bool provoke_defunct_surfaces(struct zct_client *client)
{
	struct wl_surface *surface;
	bare_xdg_surface(client, &surface);
	xdg_wm_base_destroy(client->globals.wm_base);
	client->globals.wm_base = NULL;
	return true;
}

static bool provoke_not_constructed(struct zct_client *client)
{
	struct wl_surface *surface;
	bare_xdg_surface(client, &surface);
	wl_surface_commit(surface);
	return true;
}

static bool provoke_already_constructed(struct zct_client *client)
{
	struct wl_surface *surface;
	struct xdg_surface *xdg = bare_xdg_surface(client, &surface);
	xdg_surface_get_toplevel(xdg);
	xdg_surface_get_toplevel(xdg);
	return true;
}

static bool provoke_unconfigured_buffer(struct zct_client *client)
{
	struct wl_surface *surface;
	struct xdg_surface *xdg = bare_xdg_surface(client, &surface);
	xdg_surface_get_toplevel(xdg);
	struct zcc_buffer *buffer = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 0);
	if (!buffer)
		return false;
	/* The initial commit must carry no buffer. */
	wl_surface_attach(surface, buffer->wl_buffer, 0, 0);
	wl_surface_commit(surface);
	return true;
}

/* xdg-shell: attaching a buffer before the first configure is an error by
 * itself, commit or not, role object or not (wlcs checks the bare attach). */
static bool provoke_attach_before_configure(struct zct_client *client)
{
	struct wl_surface *surface;
	bare_xdg_surface(client, &surface);
	struct zcc_buffer *buffer = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 0);
	if (!buffer)
		return false;
	wl_surface_attach(surface, buffer->wl_buffer, 0, 0);
	return true;
}

static bool provoke_buffer_before_xdg_surface(struct zct_client *client)
{
	struct wl_surface *surface = wl_compositor_create_surface(client->globals.compositor);
	struct zcc_buffer *buffer = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 0);
	if (!buffer)
		return false;
	wl_surface_attach(surface, buffer->wl_buffer, 0, 0);
	xdg_wm_base_get_xdg_surface(client->globals.wm_base, surface);
	return true;
}

static bool provoke_invalid_serial(struct zct_client *client)
{
	struct zct_window *window = zct_window_create(client, false);
	if (!window)
		return false;
	xdg_surface_ack_configure(window->xdg_surface, window->serial + 1000);
	return true;
}

static bool provoke_geometry_zero(struct zct_client *client)
{
	struct zct_window *window = zct_window_create(client, false);
	if (!window)
		return false;
	xdg_surface_set_window_geometry(window->xdg_surface, 0, 0, 0, 10);
	return true;
}

static bool provoke_geometry_negative(struct zct_client *client)
{
	struct zct_window *window = zct_window_create(client, false);
	if (!window)
		return false;
	xdg_surface_set_window_geometry(window->xdg_surface, 0, 0, 10, -5);
	return true;
}

static bool provoke_defunct_role_object(struct zct_client *client)
{
	struct wl_surface *surface;
	struct xdg_surface *xdg = bare_xdg_surface(client, &surface);
	xdg_surface_get_toplevel(xdg);
	xdg_surface_destroy(xdg);
	return true;
}

static bool provoke_invalid_positioner(struct zct_client *client)
{
	struct zct_window *parent = zct_window_create(client, false);
	if (!parent)
		return false;
	struct wl_surface *surface;
	struct xdg_surface *xdg = bare_xdg_surface(client, &surface);
	/* Neither size nor anchor rectangle set: incomplete. */
	struct xdg_positioner *p = xdg_wm_base_create_positioner(client->globals.wm_base);
	xdg_surface_get_popup(xdg, parent->xdg_surface, p);
	return true;
}

static bool provoke_positioner_size(struct zct_client *client)
{
	struct xdg_positioner *p = xdg_wm_base_create_positioner(client->globals.wm_base);
	xdg_positioner_set_size(p, 0, 10);
	return true;
}

static bool provoke_positioner_anchor_rect(struct zct_client *client)
{
	struct xdg_positioner *p = xdg_wm_base_create_positioner(client->globals.wm_base);
	xdg_positioner_set_anchor_rect(p, 0, 0, -1, 10);
	return true;
}

static bool provoke_parent_self(struct zct_client *client)
{
	struct zct_window *window = zct_window_create(client, false);
	if (!window)
		return false;
	xdg_toplevel_set_parent(window->toplevel, window->toplevel);
	return true;
}

static bool provoke_parent_loop(struct zct_client *client)
{
	struct zct_window *a = zct_window_create(client, false);
	struct zct_window *b = zct_window_create(client, false);
	/* Only mapped toplevels can be parents: an unmapped one means null. */
	if (!a || !b || !zct_window_map(a) || !zct_window_map(b))
		return false;
	xdg_toplevel_set_parent(a->toplevel, b->toplevel);
	xdg_toplevel_set_parent(b->toplevel, a->toplevel);
	return true;
}

static bool provoke_max_below_min(struct zct_client *client)
{
	struct zct_window *window = zct_window_create(client, false);
	if (!window)
		return false;
	xdg_toplevel_set_min_size(window->toplevel, 100, 100);
	xdg_toplevel_set_max_size(window->toplevel, 50, 50);
	wl_surface_commit(window->surface);
	return true;
}

static bool provoke_negative_min(struct zct_client *client)
{
	struct zct_window *window = zct_window_create(client, false);
	if (!window)
		return false;
	xdg_toplevel_set_min_size(window->toplevel, -1, 10);
	wl_surface_commit(window->surface);
	return true;
}

static const struct error_case cases[] = {
	{ "get_xdg_surface on a subsurface", provoke_role,
	  &xdg_wm_base_interface, XDG_WM_BASE_ERROR_ROLE, false },
	{ "destroy xdg_wm_base with surfaces alive", provoke_defunct_surfaces,
	  &xdg_wm_base_interface, XDG_WM_BASE_ERROR_DEFUNCT_SURFACES, true },
	{ "commit an xdg_surface without a role", provoke_not_constructed,
	  &xdg_surface_interface, XDG_SURFACE_ERROR_NOT_CONSTRUCTED, false },
	{ "get_toplevel twice", provoke_already_constructed,
	  &xdg_surface_interface, XDG_SURFACE_ERROR_ALREADY_CONSTRUCTED, false },
	{ "buffer in the initial commit", provoke_unconfigured_buffer,
	  &xdg_surface_interface, XDG_SURFACE_ERROR_UNCONFIGURED_BUFFER, false },
	{ "buffer attached (no commit) before the first configure",
	  provoke_attach_before_configure,
	  &xdg_surface_interface, XDG_SURFACE_ERROR_UNCONFIGURED_BUFFER, false },
	{ "get_xdg_surface with a buffer attached", provoke_buffer_before_xdg_surface,
	  &xdg_wm_base_interface, XDG_WM_BASE_ERROR_INVALID_SURFACE_STATE, false },
	{ "ack_configure with an unsent serial", provoke_invalid_serial,
	  &xdg_surface_interface, XDG_SURFACE_ERROR_INVALID_SERIAL, false },
	{ "window geometry 0 wide", provoke_geometry_zero,
	  &xdg_surface_interface, XDG_SURFACE_ERROR_INVALID_SIZE, false },
	{ "window geometry -5 high", provoke_geometry_negative,
	  &xdg_surface_interface, XDG_SURFACE_ERROR_INVALID_SIZE, false },
	{ "xdg_surface destroyed before its toplevel", provoke_defunct_role_object,
	  &xdg_surface_interface, XDG_SURFACE_ERROR_DEFUNCT_ROLE_OBJECT, true },
	{ "get_popup with an incomplete positioner", provoke_invalid_positioner,
	  &xdg_wm_base_interface, XDG_WM_BASE_ERROR_INVALID_POSITIONER, false },
	{ "positioner size 0x10", provoke_positioner_size,
	  &xdg_positioner_interface, XDG_POSITIONER_ERROR_INVALID_INPUT, false },
	{ "positioner anchor rect -1 wide", provoke_positioner_anchor_rect,
	  &xdg_positioner_interface, XDG_POSITIONER_ERROR_INVALID_INPUT, false },
	{ "toplevel as its own parent", provoke_parent_self,
	  &xdg_toplevel_interface, XDG_TOPLEVEL_ERROR_INVALID_PARENT, false },
	{ "parent loop", provoke_parent_loop,
	  &xdg_toplevel_interface, XDG_TOPLEVEL_ERROR_INVALID_PARENT, false },
	{ "max size below min size", provoke_max_below_min,
	  &xdg_toplevel_interface, XDG_TOPLEVEL_ERROR_INVALID_SIZE, false },
	{ "negative min size", provoke_negative_min,
	  &xdg_toplevel_interface, XDG_TOPLEVEL_ERROR_INVALID_SIZE, false },
};

/* The objects a case creates are left to die with the connection: the
 * compositor must clean up after a client killed by an error anyway. */
static void test_errors(struct zct_compositor *comp)
{
	for (size_t i = 0; i < ZC_LEN(cases); i++) {
		struct zct_client *client = zct_client_connect(comp);
		if (!client)
			return;
		bool ready = client->globals.wm_base && cases[i].provoke(client);
		ZCT_CHECK(ready, "%s: setup failed", cases[i].what);
		const char *const ifaces[] = {
			cases[i].interface->name, cases[i].on_destroyed ? "" : NULL, NULL,
		};
		if (ready)
			zct_expect_error_on(client, ifaces, cases[i].code, cases[i].what);
		zct_client_destroy(client);
		if (!zct_compositor_alive(comp))
			return;
	}
}

/* The valid counterparts do not raise errors: the checks are not vacuous. */
static void test_valid_requests(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *parent = client ? zct_window_create(client, false) : NULL;
	struct zct_window *child = client ? zct_window_create(client, false) : NULL;
	if (!parent || !child || !zct_window_map(parent) || !zct_window_map(child))
		goto cleanup;
	xdg_toplevel_set_parent(child->toplevel, parent->toplevel);
	xdg_toplevel_set_min_size(child->toplevel, 10, 10);
	xdg_toplevel_set_max_size(child->toplevel, 100, 100);
	xdg_surface_set_window_geometry(child->xdg_surface, 0, 0, 10, 10);
	xdg_positioner_destroy(valid_positioner(client));
	wl_surface_commit(child->surface);
	zct_expect_no_error(client, "valid xdg requests");
cleanup:
	zct_window_destroy(child);
	zct_window_destroy(parent);
	zct_client_destroy(client);
}

/* A first buffer committed after the initial commit but before its
 * configure is acked (the client raced its configure, as wlcs's
 * create_visible_surface does) is tolerated: the window is shown and the
 * configure still arrives. */
static void test_buffer_racing_configure(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window window = { .client = client };
	if (!client)
		return;
	window.surface = wl_compositor_create_surface(client->globals.compositor);
	window.xdg_surface = xdg_wm_base_get_xdg_surface(client->globals.wm_base, window.surface);
	window.toplevel = xdg_surface_get_toplevel(window.xdg_surface);
	zct_window_init_listeners(&window);
	struct zcc_buffer *buffer = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 0);
	if (!buffer)
		goto cleanup;
	wl_surface_commit(window.surface);
	struct zct_frame frame = { 0 };
	zct_request_frame(window.surface, &frame);
	zct_show(window.surface, buffer);
	ZCT_CHECK(zct_wait(client, &frame.done, 2000), "raced buffer: the window is not shown");
	ZCT_CHECK(window.n_configures == 1, "raced buffer: %d configures, want 1",
		window.n_configures);
	xdg_surface_ack_configure(window.xdg_surface, window.serial);
	wl_surface_commit(window.surface);
	zct_expect_no_error(client, "buffer racing the first configure");
	zcc_buffer_destroy(buffer);
cleanup:
	xdg_toplevel_destroy(window.toplevel);
	xdg_surface_destroy(window.xdg_surface);
	wl_surface_destroy(window.surface);
	zct_client_destroy(client);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = 128, .height = 96 };
	if (zct_compositor_start(&comp, &config)) {
		ZCT_RUN(test_valid_requests, &comp);
		ZCT_RUN(test_errors, &comp);
		ZCT_RUN(test_buffer_racing_configure, &comp);
	}
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
