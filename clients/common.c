#include "common.h"

#include <errno.h>
#include <linux/memfd.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ext-image-capture-source-v1-client-protocol.h"
#include "ext-image-copy-capture-v1-client-protocol.h"
#include "presentation-time-client-protocol.h"
#include "viewporter-client-protocol.h"
#include "fifo-v1-client-protocol.h"
#include "fractional-scale-v1-client-protocol.h"
#include "tearing-control-v1-client-protocol.h"
#include "xdg-output-unstable-v1-client-protocol.h"
#include "xdg-shell-client-protocol.h"

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

static void handle_wm_base_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {
	.ping = handle_wm_base_ping,
};

static void handle_shm_format(void *data, struct wl_shm *shm, uint32_t format)
{
	struct zcc_globals *globals = data;
	if (globals->n_shm_formats < ZCC_MAX_SHM_FORMATS)
		globals->shm_formats[globals->n_shm_formats++] = format;
}

static const struct wl_shm_listener shm_listener = {
	.format = handle_shm_format,
};

static void handle_presentation_clock_id(void *data, struct wp_presentation *presentation,
	uint32_t clk_id)
{
	struct zcc_globals *globals = data;
	globals->presentation_clock = (clockid_t)clk_id;
	globals->has_presentation_clock = true;
}

static const struct wp_presentation_listener presentation_listener = {
	.clock_id = handle_presentation_clock_id,
};

static void handle_output_geometry(void *data, struct wl_output *wl_output, int32_t x,
	int32_t y, int32_t phys_width, int32_t phys_height, int32_t subpixel,
	const char *make, const char *model, int32_t transform)
{
	struct zcc_output *output = data;
	output->x = x;
	output->y = y;
	output->phys_width = phys_width;
	output->phys_height = phys_height;
}

static void handle_output_mode(void *data, struct wl_output *wl_output, uint32_t flags,
	int32_t width, int32_t height, int32_t refresh)
{
	struct zcc_output *output = data;
	if (!(flags & WL_OUTPUT_MODE_CURRENT))
		return;
	output->mode_width = width;
	output->mode_height = height;
	output->refresh_mhz = refresh;
}

static void handle_output_done(void *data, struct wl_output *wl_output)
{
	struct zcc_output *output = data;
	output->done = true;
}

static void handle_output_scale(void *data, struct wl_output *wl_output, int32_t factor)
{
	struct zcc_output *output = data;
	output->scale = factor;
}

static void handle_output_name(void *data, struct wl_output *wl_output, const char *name)
{
	struct zcc_output *output = data;
	snprintf(output->name, sizeof(output->name), "%s", name);
}

static void handle_output_description(void *data, struct wl_output *wl_output,
	const char *description)
{
}

static const struct wl_output_listener output_listener = {
	.geometry = handle_output_geometry,
	.mode = handle_output_mode,
	.done = handle_output_done,
	.scale = handle_output_scale,
	.name = handle_output_name,
	.description = handle_output_description,
};

static void bind_output(struct zcc_globals *globals, uint32_t name, uint32_t version)
{
	/* A slot an output removed earlier left free, else a new one. */
	struct zcc_output *output = NULL;
	for (int i = 0; i < globals->n_outputs && !output; i++) {
		if (!globals->outputs[i].wl_output)
			output = &globals->outputs[i];
	}
	if (!output && globals->n_outputs < ZCC_MAX_OUTPUTS)
		output = &globals->outputs[globals->n_outputs++];
	if (!output)
		return;
	memset(output, 0, sizeof(*output));
	output->global_name = name;
	output->scale = 1;
	output->wl_output = wl_registry_bind(globals->registry, name, &wl_output_interface,
		min_u32(version, 4));
	wl_output_add_listener(output->wl_output, &output_listener, output);
}

/* Binds `iface` at the lower of the advertised and the known version. */
static void *bind_global(struct zcc_globals *globals, uint32_t name,
	const struct wl_interface *iface, uint32_t version, uint32_t max_version)
{
	return wl_registry_bind(globals->registry, name, iface, min_u32(version, max_version));
}

static void handle_registry_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct zcc_globals *g = data;

	if (strcmp(interface, wl_compositor_interface.name) == 0) {
		g->compositor = bind_global(g, name, &wl_compositor_interface, version, 5);
	} else if (strcmp(interface, wl_subcompositor_interface.name) == 0) {
		g->subcompositor = bind_global(g, name, &wl_subcompositor_interface, version, 1);
	} else if (strcmp(interface, wl_shm_interface.name) == 0) {
		g->shm = bind_global(g, name, &wl_shm_interface, version, 1);
		wl_shm_add_listener(g->shm, &shm_listener, g);
	} else if (strcmp(interface, xdg_wm_base_interface.name) == 0) {
		g->wm_base = bind_global(g, name, &xdg_wm_base_interface, version, 6);
		xdg_wm_base_add_listener(g->wm_base, &wm_base_listener, g);
	} else if (strcmp(interface, wp_presentation_interface.name) == 0) {
		g->presentation = bind_global(g, name, &wp_presentation_interface, version, 2);
		wp_presentation_add_listener(g->presentation, &presentation_listener, g);
	} else if (strcmp(interface, wp_viewporter_interface.name) == 0) {
		g->viewporter = bind_global(g, name, &wp_viewporter_interface, version, 1);
	} else if (strcmp(interface, wp_fractional_scale_manager_v1_interface.name) == 0) {
		g->fractional_scale_manager = bind_global(g, name,
			&wp_fractional_scale_manager_v1_interface, version, 1);
	} else if (strcmp(interface, wp_fifo_manager_v1_interface.name) == 0) {
		g->fifo_manager = bind_global(g, name, &wp_fifo_manager_v1_interface, version, 1);
	} else if (strcmp(interface, wp_tearing_control_manager_v1_interface.name) == 0) {
		g->tearing_manager = bind_global(g, name, &wp_tearing_control_manager_v1_interface,
			version, 1);
	} else if (strcmp(interface, zxdg_output_manager_v1_interface.name) == 0) {
		g->xdg_output_manager = bind_global(g, name,
			&zxdg_output_manager_v1_interface, version, 3);
	} else if (strcmp(interface, ext_output_image_capture_source_manager_v1_interface.name) == 0) {
		g->capture_source_manager = bind_global(g, name,
			&ext_output_image_capture_source_manager_v1_interface, version, 1);
	} else if (strcmp(interface, ext_image_copy_capture_manager_v1_interface.name) == 0) {
		g->copy_capture_manager = bind_global(g, name,
			&ext_image_copy_capture_manager_v1_interface, version, 1);
	} else if (strcmp(interface, wl_output_interface.name) == 0) {
		bind_output(g, name, version);
	}
}

/* Outputs come and go (hotplug): the client lets go of a removed one and
 * says so, which is what tests of output removal look for. */
static void handle_registry_global_remove(void *data, struct wl_registry *registry,
	uint32_t name)
{
	struct zcc_globals *g = data;
	for (int i = 0; i < g->n_outputs; i++) {
		struct zcc_output *output = &g->outputs[i];
		if (output->global_name != name || !output->wl_output)
			continue;
		fprintf(stderr, "zcc: output %s removed (global %u)\n", output->name, name);
		if (wl_output_get_version(output->wl_output) >= WL_OUTPUT_RELEASE_SINCE_VERSION)
			wl_output_release(output->wl_output);
		else
			wl_output_destroy(output->wl_output);
		output->wl_output = NULL;
	}
}

static const struct wl_registry_listener registry_listener = {
	.global = handle_registry_global,
	.global_remove = handle_registry_global_remove,
};

bool zcc_globals_bind(struct wl_display *display, struct zcc_globals *globals)
{
	memset(globals, 0, sizeof(*globals));
	globals->registry = wl_display_get_registry(display);
	wl_registry_add_listener(globals->registry, &registry_listener, globals);
	/* The first roundtrip binds, the second collects the bound globals'
	 * initial events (formats, modes, clock). */
	return wl_display_roundtrip(display) >= 0 && wl_display_roundtrip(display) >= 0;
}

void zcc_globals_finish(struct zcc_globals *g)
{
	for (int i = 0; i < g->n_outputs; i++) {
		if (g->outputs[i].wl_output)
			wl_output_destroy(g->outputs[i].wl_output);
	}
	if (g->copy_capture_manager)
		ext_image_copy_capture_manager_v1_destroy(g->copy_capture_manager);
	if (g->capture_source_manager)
		ext_output_image_capture_source_manager_v1_destroy(g->capture_source_manager);
	if (g->xdg_output_manager)
		zxdg_output_manager_v1_destroy(g->xdg_output_manager);
	if (g->viewporter)
		wp_viewporter_destroy(g->viewporter);
	if (g->fractional_scale_manager)
		wp_fractional_scale_manager_v1_destroy(g->fractional_scale_manager);
	if (g->fifo_manager)
		wp_fifo_manager_v1_destroy(g->fifo_manager);
	if (g->tearing_manager)
		wp_tearing_control_manager_v1_destroy(g->tearing_manager);
	if (g->presentation)
		wp_presentation_destroy(g->presentation);
	if (g->wm_base)
		xdg_wm_base_destroy(g->wm_base);
	if (g->shm)
		wl_shm_destroy(g->shm);
	if (g->subcompositor)
		wl_subcompositor_destroy(g->subcompositor);
	if (g->compositor)
		wl_compositor_destroy(g->compositor);
	if (g->registry)
		wl_registry_destroy(g->registry);
	memset(g, 0, sizeof(*g));
}

const struct zcc_output *zcc_globals_find_output(const struct zcc_globals *globals,
	const char *name)
{
	for (int i = 0; i < globals->n_outputs; i++) {
		const struct zcc_output *output = &globals->outputs[i];
		if (output->wl_output && strcmp(output->name, name) == 0)
			return output;
	}
	return NULL;
}

bool zcc_globals_has_shm_format(const struct zcc_globals *globals, uint32_t format)
{
	for (int i = 0; i < globals->n_shm_formats; i++) {
		if (globals->shm_formats[i] == format)
			return true;
	}
	return false;
}

void zcc_latencies_present(struct zcc_latencies *lat, int64_t commit_ns, int64_t present_ns,
	uint32_t refresh)
{
	zcc_latencies_add(lat, present_ns - commit_ns);
	int64_t ready = commit_ns > lat->last_present_ns ? commit_ns : lat->last_present_ns;
	if (refresh && present_ns - ready > (int64_t)refresh * 5 / 4)
		lat->missed++;
	lat->last_present_ns = present_ns;
}

void zcc_latencies_add(struct zcc_latencies *lat, int64_t ns)
{
	if (lat->n == lat->cap) {
		size_t cap = lat->cap ? lat->cap * 2 : 256;
		int64_t *grown = realloc(lat->ns, cap * sizeof(*grown));
		if (!grown)
			return;
		lat->ns = grown;
		lat->cap = cap;
	}
	lat->ns[lat->n++] = ns;
}

static int compare_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

void zcc_latencies_sort(struct zcc_latencies *lat)
{
	if (lat->n)
		qsort(lat->ns, lat->n, sizeof(*lat->ns), compare_i64);
}

double zcc_latencies_ms(const struct zcc_latencies *lat, double p)
{
	if (lat->n == 0)
		return 0.0;
	size_t i = (size_t)(p * (double)(lat->n - 1) + 0.5);
	return (double)lat->ns[i] / 1e6;
}

void zcc_latencies_finish(struct zcc_latencies *lat)
{
	free(lat->ns);
	*lat = (struct zcc_latencies){ 0 };
}

static void handle_xdg_surface_configure(void *data, struct xdg_surface *xdg_surface,
	uint32_t serial)
{
	struct zcc_window *window = data;
	xdg_surface_ack_configure(xdg_surface, serial);
	window->configured = true;
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = handle_xdg_surface_configure,
};

static void handle_toplevel_configure(void *data, struct xdg_toplevel *toplevel,
	int32_t width, int32_t height, struct wl_array *states)
{
	struct zcc_window *window = data;
	window->width = width;
	window->height = height;
}

static void handle_toplevel_close(void *data, struct xdg_toplevel *toplevel)
{
	struct zcc_window *window = data;
	window->closed = true;
}

static void handle_toplevel_configure_bounds(void *data, struct xdg_toplevel *toplevel,
	int32_t width, int32_t height)
{
}

static void handle_toplevel_wm_capabilities(void *data, struct xdg_toplevel *toplevel,
	struct wl_array *caps)
{
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = handle_toplevel_configure,
	.close = handle_toplevel_close,
	.configure_bounds = handle_toplevel_configure_bounds,
	.wm_capabilities = handle_toplevel_wm_capabilities,
};

void zcc_window_init(struct zcc_window *window, const struct zcc_globals *globals,
	const char *title, bool fullscreen, struct wl_output *output)
{
	*window = (struct zcc_window){ 0 };
	window->surface = wl_compositor_create_surface(globals->compositor);
	window->xdg_surface = xdg_wm_base_get_xdg_surface(globals->wm_base, window->surface);
	xdg_surface_add_listener(window->xdg_surface, &xdg_surface_listener, window);
	window->toplevel = xdg_surface_get_toplevel(window->xdg_surface);
	xdg_toplevel_add_listener(window->toplevel, &toplevel_listener, window);
	xdg_toplevel_set_title(window->toplevel, title);
	xdg_toplevel_set_app_id(window->toplevel, title);
	if (fullscreen)
		xdg_toplevel_set_fullscreen(window->toplevel, output);
	wl_surface_commit(window->surface);
}

void zcc_window_finish(struct zcc_window *window)
{
	if (window->toplevel)
		xdg_toplevel_destroy(window->toplevel);
	if (window->xdg_surface)
		xdg_surface_destroy(window->xdg_surface);
	if (window->surface)
		wl_surface_destroy(window->surface);
	*window = (struct zcc_window){ 0 };
}

int zcc_create_shm_file(size_t size)
{
	/* Called through syscall() so no _GNU_SOURCE is needed. */
	int fd = (int)syscall(SYS_memfd_create, "zcc-shm", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)size) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void handle_buffer_release(void *data, struct wl_buffer *wl_buffer)
{
	struct zcc_buffer *buffer = data;
	buffer->busy = false;
}

static const struct wl_buffer_listener buffer_listener = {
	.release = handle_buffer_release,
};

struct zcc_buffer *zcc_buffer_create(struct wl_shm *shm, int32_t width, int32_t height,
	uint32_t format)
{
	const struct zcc_format *info = zcc_format_get(format);
	if (!info || width <= 0 || height <= 0)
		return NULL;
	struct zcc_buffer *buffer = calloc(1, sizeof(*buffer));
	if (!buffer)
		return NULL;
	buffer->width = width;
	buffer->height = height;
	buffer->format = format;
	/* Rows padded to 4 bytes, as wl_shm clients commonly do. */
	buffer->stride = (width * info->bytes_per_pixel + 3) & ~3;
	buffer->size = (size_t)buffer->stride * (size_t)height;

	int fd = zcc_create_shm_file(buffer->size);
	if (fd < 0)
		goto err_free;
	buffer->data = mmap(NULL, buffer->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (buffer->data == MAP_FAILED)
		goto err_close;
	struct wl_shm_pool *pool = wl_shm_create_pool(shm, fd, (int32_t)buffer->size);
	buffer->wl_buffer = wl_shm_pool_create_buffer(pool, 0, width, height,
		buffer->stride, format);
	wl_shm_pool_destroy(pool);
	close(fd);
	wl_buffer_add_listener(buffer->wl_buffer, &buffer_listener, buffer);
	return buffer;

err_close:
	close(fd);
err_free:
	free(buffer);
	return NULL;
}

void zcc_buffer_destroy(struct zcc_buffer *buffer)
{
	if (!buffer)
		return;
	wl_buffer_destroy(buffer->wl_buffer);
	munmap(buffer->data, buffer->size);
	free(buffer);
}

int64_t zcc_timespec_to_nsec(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

int64_t zcc_now_nsec(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return zcc_timespec_to_nsec(&ts);
}

int zcc_dispatch_poll(struct wl_display *display, struct pollfd *extra, int n_extra,
	int timeout_ms)
{
	int n;
	while (wl_display_prepare_read(display) != 0) {
		n = wl_display_dispatch_pending(display);
		if (n != 0)
			return n < 0 ? -1 : n;
	}
	if (wl_display_flush(display) < 0 && errno != EAGAIN) {
		wl_display_cancel_read(display);
		return -1;
	}
	struct pollfd pfds[ZCC_MAX_EXTRA_FDS + 1];
	if (n_extra > ZCC_MAX_EXTRA_FDS)
		n_extra = ZCC_MAX_EXTRA_FDS;
	pfds[0] = (struct pollfd){ .fd = wl_display_get_fd(display), .events = POLLIN };
	for (int i = 0; i < n_extra; i++)
		pfds[i + 1] = extra[i];
	int ret = poll(pfds, (nfds_t)n_extra + 1, timeout_ms);
	if (ret <= 0) {
		wl_display_cancel_read(display);
		return ret == 0 || errno == EINTR ? 0 : -1;
	}
	for (int i = 0; i < n_extra; i++)
		extra[i].revents = pfds[i + 1].revents;
	if (!(pfds[0].revents & POLLIN)) {
		wl_display_cancel_read(display);
		return 0;
	}
	if (wl_display_read_events(display) < 0)
		return -1;
	n = wl_display_dispatch_pending(display);
	return n < 0 ? -1 : n;
}

int zcc_dispatch_timeout(struct wl_display *display, int timeout_ms)
{
	return zcc_dispatch_poll(display, NULL, 0, timeout_ms);
}

bool zcc_dispatch_until(struct wl_display *display, const bool *flag, int timeout_ms)
{
	int64_t deadline = zcc_now_nsec(CLOCK_MONOTONIC) + (int64_t)timeout_ms * 1000000;
	while (!*flag) {
		int64_t left_ms = (deadline - zcc_now_nsec(CLOCK_MONOTONIC)) / 1000000;
		if (left_ms <= 0)
			break;
		if (zcc_dispatch_timeout(display, (int)left_ms) < 0)
			break;
	}
	return *flag;
}
