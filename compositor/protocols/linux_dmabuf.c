/* F_DUPFD_CLOEXEC and the other GNU/Linux extensions used here. */
#define _GNU_SOURCE
#include "linux_dmabuf.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <linux/sync_file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wayland-server-protocol.h>

#include "renderer/dmabuf.h"
#include "base/formats.h"
#include "renderer/renderer.h"
#include "base/buffer.h"
#include "linux-dmabuf-v1-server-protocol.h"
#include "linux_dmabuf_private.h"
#include "core/surface.h"

#define LINUX_DMABUF_VERSION 5
struct dmabuf_params {
	struct zc_linux_dmabuf *dmabuf;
	struct zc_dmabuf_attribs attribs; /* fds owned until create */
	uint32_t planes_set;              /* bit per plane_idx */
	bool mixed_modifiers;
	bool used;
};

struct client_dmabuf {
	struct zc_buffer base;
	struct zc_dmabuf_attribs attribs; /* owns the fds */
	struct dmabuf_mapping maps[ZC_MAX_PLANES];
	bool mapped;
};

/* Sentinel returned by checks: not a client mistake but an import failure. */
#define DMABUF_IMPORT_FAILED UINT32_MAX

static void attribs_close(struct zc_dmabuf_attribs *attribs)
{
	for (int i = 0; i < ZC_MAX_PLANES; i++) {
		if (attribs->fd[i] >= 0)
			close(attribs->fd[i]);
		attribs->fd[i] = -1;
	}
}

/* ---- the buffer ---- */

static const struct zc_buffer_impl client_dmabuf_impl;

static struct client_dmabuf *client_dmabuf_from_buffer(struct zc_buffer *buffer)
{
	return container_of(buffer, struct client_dmabuf, base);
}

static void client_dmabuf_destroy(struct zc_buffer *buffer)
{
	struct client_dmabuf *buf = client_dmabuf_from_buffer(buffer);
	dmabuf_unmap_planes(buf->maps);
	attribs_close(&buf->attribs);
	free(buf);
}

/* Maps each plane once, for the buffer's lifetime: mmap per frame would
 * cost more than reading the damage. */
static bool client_dmabuf_map(struct client_dmabuf *buf)
{
	if (buf->mapped)
		return true;
	if (!dmabuf_map_planes(&buf->attribs, buf->maps)) {
		zc_warn("dmabuf: cannot map the buffer: %s", strerror(errno));
		return false;
	}
	buf->mapped = true;
	return true;
}

/* Planes often share one dma-buf; syncing it once per access is enough. */
static bool fd_seen_before(const struct zc_dmabuf_attribs *a, int plane)
{
	for (int i = 0; i < plane; i++) {
		if (a->fd[i] == a->fd[plane])
			return true;
	}
	return false;
}

static void client_dmabuf_sync(struct client_dmabuf *buf, uint64_t flags)
{
	for (int i = 0; i < buf->attribs.n_planes; i++) {
		if (fd_seen_before(&buf->attribs, i))
			continue;
		int r = dmabuf_sync(buf->attribs.fd[i], flags);
		if (r < 0)
			zc_debug("dmabuf: DMA_BUF_IOCTL_SYNC 0x%llx: %s",
				(unsigned long long)flags, strerror(-r));
	}
}

static bool client_dmabuf_begin_cpu_access(struct zc_buffer *buffer, uint32_t access,
	struct zc_cpu_view *view)
{
	struct client_dmabuf *buf = client_dmabuf_from_buffer(buffer);
	/* Clients' pixels are only ever read. */
	if ((access & ZC_CPU_WRITE) || !client_dmabuf_map(buf))
		return false;
	client_dmabuf_sync(buf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	*view = (struct zc_cpu_view){ .format = buffer->format, .n_planes = buf->attribs.n_planes };
	for (int i = 0; i < buf->attribs.n_planes; i++) {
		view->data[i] = buf->maps[i].data;
		view->stride[i] = buf->attribs.stride[i];
	}
	return true;
}

static void client_dmabuf_end_cpu_access(struct zc_buffer *buffer)
{
	client_dmabuf_sync(client_dmabuf_from_buffer(buffer), DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
}

static const struct zc_dmabuf_attribs *client_dmabuf_get_dmabuf(struct zc_buffer *buffer)
{
	return &client_dmabuf_from_buffer(buffer)->attribs;
}

/* Both fences, as one: a sync_file merge, or -1 with both closed. */
static int merge_fences(int a, int b)
{
	struct sync_merge_data merge = { .fd2 = b };
	snprintf(merge.name, sizeof(merge.name), "zcomp-ready");
	int r = ioctl(a, SYNC_IOC_MERGE, &merge);
	close(a);
	close(b);
	return r < 0 ? -1 : merge.fence;
}

/* A fence of one dma-buf: its exported sync_file, or on a kernel without
 * EXPORT_SYNC_FILE the dma-buf itself, which polls readable once writers
 * are done. */
static int plane_ready_fence(int fd)
{
	int fence = dmabuf_export_ready_fence(fd, DMA_BUF_SYNC_READ);
	if (fence >= 0 || dmabuf_fd_readable(fd))
		return fence;
	return fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

static int client_dmabuf_export_ready_fence(struct zc_buffer *buffer)
{
	struct client_dmabuf *buf = client_dmabuf_from_buffer(buffer);
	int fence = -1;
	for (int i = 0; i < buf->attribs.n_planes; i++) {
		if (fd_seen_before(&buf->attribs, i))
			continue;
		int plane = plane_ready_fence(buf->attribs.fd[i]);
		if (plane < 0)
			continue;
		/* A merge failure leaves -1: reading early beats never showing. */
		fence = fence < 0 ? plane : merge_fences(fence, plane);
	}
	return fence;
}

static const struct zc_buffer_impl client_dmabuf_impl = {
	.name = "dmabuf",
	.destroy = client_dmabuf_destroy,
	.begin_cpu_access = client_dmabuf_begin_cpu_access,
	.end_cpu_access = client_dmabuf_end_cpu_access,
	.get_dmabuf = client_dmabuf_get_dmabuf,
	.export_ready_fence = client_dmabuf_export_ready_fence,
};

static void handle_buffer_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_buffer_interface dmabuf_wl_buffer_impl = {
	.destroy = handle_buffer_destroy,
};

/* ---- validation ---- */

/* The first client mistake in the planes and the format, as the protocol
 * error to raise (0 if none; DMABUF_IMPORT_FAILED for what a v3 client may
 * not be blamed for). */
static uint32_t params_check_format(const struct zc_linux_dmabuf *dmabuf, int version,
	const struct dmabuf_params *params, const char **why)
{
	const struct zc_dmabuf_attribs *a = &params->attribs;
	const struct zc_format_set *set =
		renderer_get_formats(dmabuf->server->renderer);
	const struct zc_format_info *info = format_info(a->format);
	if (!info || !format_set_get(set, a->format)) {
		*why = "format not supported";
		return ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_FORMAT;
	}
	if (params->planes_set != (1u << info->n_planes) - 1) {
		*why = "planes do not match the format's";
		return ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INCOMPLETE;
	}
	if (params->mixed_modifiers || !format_set_has(set, a->format, a->modifier)) {
		*why = "format and modifier pair not advertised";
		/* Only version 4 promises clients this is a protocol error. */
		return version >= 4 ? ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_FORMAT :
			DMABUF_IMPORT_FAILED;
	}
	return 0;
}

/* Planes against their dma-bufs. A plane's rows end at
 * offset + stride * (rows - 1) + row bytes; all in 64 bits, where none of it
 * can overflow. */
static uint32_t params_check_planes(const struct zc_dmabuf_attribs *a, const char **why)
{
	const struct zc_format_info *info = format_info(a->format);
	for (int i = 0; i < a->n_planes; i++) {
		if ((uint64_t)a->offset[i] + a->stride[i] > UINT32_MAX) {
			*why = "offset + stride overflows";
			return ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_OUT_OF_BOUNDS;
		}
		if (!dmabuf_fd_is_dmabuf(a->fd[i])) {
			*why = "fd is not a dma-buf";
			return DMABUF_IMPORT_FAILED;
		}
		int64_t size = dmabuf_fd_size(a->fd[i]);
		if (size < 0) {
			*why = "dma-buf size unknown";
			return DMABUF_IMPORT_FAILED;
		}
		uint32_t rows = format_plane_height(info, i, (uint32_t)a->height);
		uint32_t min_stride = format_min_stride(info, i, (uint32_t)a->width);
		uint64_t end = a->offset[i] + dmabuf_plane_extent(a->stride[i], min_stride, rows);
		if (min_stride == 0 || end > (uint64_t)size) {
			*why = "plane extends beyond its dma-buf";
			return ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_OUT_OF_BOUNDS;
		}
		/* Overlapping rows: legal to describe, but no image we can read. */
		if (a->stride[i] < min_stride) {
			*why = "stride shorter than a row";
			return DMABUF_IMPORT_FAILED;
		}
	}
	return 0;
}

/* YUV planes are read in sample-sized units (a CbCr pair, a 4:2:2
 * macropixel), as texels by GL and as words by the CPU path: an offset or
 * stride that splits a sample describes no image either can read. The
 * protocol has no error for it, so the import fails. */
static uint32_t params_check_alignment(const struct zc_dmabuf_attribs *a, const char **why)
{
	const struct zc_format_info *info = format_info(a->format);
	if (!info->yuv)
		return 0;
	for (int i = 0; i < a->n_planes; i++) {
		uint32_t unit = format_sample_bytes(info, i);
		if (a->offset[i] % unit || a->stride[i] % unit) {
			*why = "YUV plane offset or stride splits a sample";
			return DMABUF_IMPORT_FAILED;
		}
	}
	return 0;
}

static uint32_t params_check(const struct zc_linux_dmabuf *dmabuf, int version,
	const struct dmabuf_params *params, uint32_t flags, const char **why)
{
	const struct zc_dmabuf_attribs *a = &params->attribs;
	if (params->planes_set == 0 || params->planes_set != (1u << a->n_planes) - 1) {
		*why = params->planes_set ? "plane indices have gaps" : "no planes";
		return ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INCOMPLETE;
	}
	uint32_t error = params_check_format(dmabuf, version, params, why);
	if (error)
		return error;
	if (a->width <= 0 || a->height <= 0) {
		*why = "non-positive width or height";
		return ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_DIMENSIONS;
	}
	error = params_check_alignment(a, why);
	if (error)
		return error;
	error = params_check_planes(a, why);
	if (error)
		return error;
	/* y-inverted and interlaced layouts would need a path we lack. */
	if (flags) {
		*why = "flags not supported";
		return DMABUF_IMPORT_FAILED;
	}
	return 0;
}

/* ---- buffer creation ---- */

/* Takes the fds from attribs. NULL on allocation failure (posted) or import
 * failure (*refused set); fds closed either way. */
static struct client_dmabuf *client_dmabuf_create(struct zc_linux_dmabuf *dmabuf,
	struct wl_resource *params_resource, uint32_t id, struct zc_dmabuf_attribs *attribs,
	bool *refused)
{
	struct wl_client *client = wl_resource_get_client(params_resource);
	struct client_dmabuf *buf = calloc(1, sizeof(*buf));
	if (!buf)
		goto err_alloc;
	struct wl_resource *resource = wl_resource_create(client, &wl_buffer_interface, 1, id);
	if (!resource)
		goto err_resource;
	wl_resource_set_implementation(resource, &dmabuf_wl_buffer_impl, buf, NULL);
	buf->attribs = *attribs;
	for (int i = 0; i < ZC_MAX_PLANES; i++)
		attribs->fd[i] = -1;
	buffer_init(&buf->base, &client_dmabuf_impl, resource, buf->attribs.width,
		buf->attribs.height, buf->attribs.format);
	if (!renderer_import_buffer(dmabuf->server->renderer, &buf->base)) {
		*refused = true;
		/* Destroying the resource destroys the unlocked buffer. */
		wl_resource_destroy(resource);
		return NULL;
	}
	return buf;

err_resource:
	free(buf);
err_alloc:
	attribs_close(attribs);
	wl_resource_post_no_memory(params_resource);
	return NULL;
}

static void params_create(struct wl_resource *resource, uint32_t buffer_id, int32_t width,
	int32_t height, uint32_t format, uint32_t flags)
{
	struct dmabuf_params *params = wl_resource_get_user_data(resource);
	if (params->used) {
		wl_resource_post_error(resource, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_ALREADY_USED,
			"params already used to create a buffer");
		return;
	}
	params->used = true;
	struct zc_dmabuf_attribs *a = &params->attribs;
	a->width = width;
	a->height = height;
	a->format = format;
	const char *why = NULL;
	uint32_t error = params_check(params->dmabuf, wl_resource_get_version(resource), params,
		flags, &why);
	bool refused = error == DMABUF_IMPORT_FAILED;
	if (error && !refused) {
		wl_resource_post_error(resource, error, "%s", why);
		goto out;
	}
	struct client_dmabuf *buf = NULL;
	if (!refused)
		buf = client_dmabuf_create(params->dmabuf, resource, buffer_id, a, &refused);
	if (refused) {
		zc_debug("dmabuf: %ux%u %.4s modifier 0x%llx not importable: %s", width, height,
			(const char *)&format, (unsigned long long)a->modifier,
			why ? why : "the renderer cannot read it");
		if (buffer_id == 0)
			zwp_linux_buffer_params_v1_send_failed(resource);
		else
			wl_resource_post_error(resource,
				ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_WL_BUFFER,
				"cannot import the dma-buf: %s", why ? why : "renderer refused it");
	} else if (buf && buffer_id == 0) {
		zwp_linux_buffer_params_v1_send_created(resource, buf->base.resource);
	}
out:
	attribs_close(a);
}

/* ---- zwp_linux_buffer_params_v1 ---- */

static void handle_params_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

/* Version 5 makes planes with different modifiers an error at once; older
 * versions learn it at create (version 4: invalid_format, 3: failed). */
static bool params_reject_mixed_modifiers(struct wl_resource *resource, uint64_t modifier,
	uint64_t first)
{
	if (wl_resource_get_version(resource) < 5)
		return false;
	wl_resource_post_error(resource, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_FORMAT,
		"modifier 0x%llx differs from the other planes' 0x%llx",
		(unsigned long long)modifier, (unsigned long long)first);
	return true;
}

static void handle_params_add(struct wl_client *client, struct wl_resource *resource,
	int32_t fd, uint32_t plane_idx, uint32_t offset, uint32_t stride, uint32_t modifier_hi,
	uint32_t modifier_lo)
{
	struct dmabuf_params *params = wl_resource_get_user_data(resource);
	uint64_t modifier = (uint64_t)modifier_hi << 32 | modifier_lo;
	if (params->used) {
		wl_resource_post_error(resource, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_ALREADY_USED,
			"params already used to create a buffer");
		goto err;
	}
	if (plane_idx >= ZC_MAX_PLANES) {
		wl_resource_post_error(resource, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_PLANE_IDX,
			"plane index %u >= %d", plane_idx, ZC_MAX_PLANES);
		goto err;
	}
	if (params->planes_set & (1u << plane_idx)) {
		wl_resource_post_error(resource, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_PLANE_SET,
			"plane %u already set", plane_idx);
		goto err;
	}
	struct zc_dmabuf_attribs *a = &params->attribs;
	if (params->planes_set && modifier != a->modifier) {
		if (params_reject_mixed_modifiers(resource, modifier, a->modifier))
			goto err;
		params->mixed_modifiers = true;
	}
	params->planes_set |= 1u << plane_idx;
	a->modifier = modifier;
	a->fd[plane_idx] = fd;
	a->offset[plane_idx] = offset;
	a->stride[plane_idx] = stride;
	if ((int)plane_idx + 1 > a->n_planes)
		a->n_planes = (int)plane_idx + 1;
	return;

err:
	close(fd);
}

static void handle_params_create(struct wl_client *client, struct wl_resource *resource,
	int32_t width, int32_t height, uint32_t format, uint32_t flags)
{
	params_create(resource, 0, width, height, format, flags);
}

static void handle_params_create_immed(struct wl_client *client, struct wl_resource *resource,
	uint32_t buffer_id, int32_t width, int32_t height, uint32_t format, uint32_t flags)
{
	params_create(resource, buffer_id, width, height, format, flags);
}

static const struct zwp_linux_buffer_params_v1_interface params_impl = {
	.destroy = handle_params_destroy,
	.add = handle_params_add,
	.create = handle_params_create,
	.create_immed = handle_params_create_immed,
};

static void handle_params_resource_destroy(struct wl_resource *resource)
{
	struct dmabuf_params *params = wl_resource_get_user_data(resource);
	attribs_close(&params->attribs);
	free(params);
}

static void handle_dmabuf_create_params(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	struct dmabuf_params *params = calloc(1, sizeof(*params));
	if (!params)
		goto err_alloc;
	params->dmabuf = wl_resource_get_user_data(resource);
	for (int i = 0; i < ZC_MAX_PLANES; i++)
		params->attribs.fd[i] = -1;
	struct wl_resource *res = wl_resource_create(client, &zwp_linux_buffer_params_v1_interface,
		wl_resource_get_version(resource), id);
	if (!res)
		goto err_resource;
	wl_resource_set_implementation(res, &params_impl, params, handle_params_resource_destroy);
	return;

err_resource:
	free(params);
err_alloc:
	wl_resource_post_no_memory(resource);
}

static void handle_dmabuf_get_default_feedback(struct wl_client *client,
	struct wl_resource *resource, uint32_t id)
{
	linux_dmabuf_feedback_create(client, resource, id, NULL);
}

static void handle_dmabuf_get_surface_feedback(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *surface)
{
	linux_dmabuf_feedback_create(client, resource, id, surface_from_resource(surface));
}

static void handle_dmabuf_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct zwp_linux_dmabuf_v1_interface dmabuf_impl = {
	.destroy = handle_dmabuf_destroy,
	.create_params = handle_dmabuf_create_params,
	.get_default_feedback = handle_dmabuf_get_default_feedback,
	.get_surface_feedback = handle_dmabuf_get_surface_feedback,
};

/* Versions before 4 learn formats from events. Version 3 gets every pair;
 * older versions know no modifiers, so they only hear of formats offered
 * with the implicit modifier. */
static void send_formats(struct wl_resource *resource, const struct zc_format_set *set)
{
	int version = wl_resource_get_version(resource);
	for (size_t i = 0; i < set->n_formats; i++) {
		const struct zc_format *f = &set->formats[i];
		for (size_t j = 0; j < f->n_modifiers; j++) {
			uint64_t mod = f->modifiers[j];
			if (version >= ZWP_LINUX_DMABUF_V1_MODIFIER_SINCE_VERSION)
				zwp_linux_dmabuf_v1_send_modifier(resource, f->format,
					(uint32_t)(mod >> 32), (uint32_t)mod);
			else if (mod == DRM_FORMAT_MOD_INVALID)
				zwp_linux_dmabuf_v1_send_format(resource, f->format);
		}
	}
}

static void bind_dmabuf(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct zc_linux_dmabuf *dmabuf = data;
	struct wl_resource *resource = wl_resource_create(client, &zwp_linux_dmabuf_v1_interface,
		(int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &dmabuf_impl, dmabuf, NULL);
	if (version < ZWP_LINUX_DMABUF_V1_GET_DEFAULT_FEEDBACK_SINCE_VERSION) {
		struct zc_renderer *renderer = dmabuf->server->renderer;
		send_formats(resource, renderer_get_formats(renderer));
	}
}

/* ---- the global ---- */

struct zc_linux_dmabuf *linux_dmabuf_create(struct zc_server *server,
	const dev_t *main_device)
{
	struct zc_linux_dmabuf *dmabuf = calloc(1, sizeof(*dmabuf));
	if (!dmabuf)
		return NULL;
	dmabuf->server = server;
	dmabuf->table_fd = -1;
	wl_array_init(&dmabuf->indices);
	int version = 3;
	if (main_device) {
		dmabuf->has_main_device = true;
		dmabuf->main_device = *main_device;
		if (!linux_dmabuf_table_init(dmabuf,
			    renderer_get_formats(server->renderer)))
			goto err;
		version = LINUX_DMABUF_VERSION;
	}
	dmabuf->global = wl_global_create(server->display, &zwp_linux_dmabuf_v1_interface,
		version, dmabuf, bind_dmabuf);
	if (!dmabuf->global)
		goto err;
	return dmabuf;

err:
	linux_dmabuf_destroy(dmabuf);
	return NULL;
}

void linux_dmabuf_destroy(struct zc_linux_dmabuf *dmabuf)
{
	if (!dmabuf)
		return;
	if (dmabuf->global)
		wl_global_destroy(dmabuf->global);
	if (dmabuf->table_fd >= 0)
		close(dmabuf->table_fd);
	free(dmabuf->table);
	wl_array_release(&dmabuf->indices);
	free(dmabuf);
}

static bool device_of(const char *path, dev_t *device)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISCHR(st.st_mode))
		return false;
	*device = st.st_rdev;
	return true;
}

/* Render nodes are numbered from 128 in probe order; the lowest is the
 * first GPU, what a client allocating on "the" device picks too. */
bool linux_dmabuf_find_main_device(const char *path, dev_t *device)
{
	if (path)
		return device_of(path, device);
	for (int minor = 128; minor < 192; minor++) {
		char node[32];
		snprintf(node, sizeof(node), "/dev/dri/renderD%d", minor);
		if (device_of(node, device))
			return true;
	}
	return false;
}

bool linux_dmabuf_global_create(struct zc_server *server)
{
	dev_t device;
	bool found = linux_dmabuf_find_main_device(server->options->drm_device, &device);
	if (!found)
		zc_info("linux-dmabuf: no DRM device, offering version 3 (no feedback)");
	server->linux_dmabuf = linux_dmabuf_create(server, found ? &device : NULL);
	return server->linux_dmabuf != NULL;
}

void linux_dmabuf_global_destroy(struct zc_server *server)
{
	linux_dmabuf_destroy(server->linux_dmabuf);
	server->linux_dmabuf = NULL;
}
