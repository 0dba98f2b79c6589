/*
 * wl_shm: client buffers in shared memory.
 *
 * A pool is one mapping of a client's file, shared by every buffer made from
 * it and refcounted, so buffers outlive the wl_shm_pool resource. A client can
 * shrink its file after handing it over; reading the mapping past the new end
 * then raises SIGBUS. While a buffer is being accessed its pool sits on
 * access_list, and the SIGBUS handler replaces a faulting pool's mapping with
 * zero pages, so the access completes on blank pixels and the client gets a
 * protocol error when it ends.
 */
#include "shm.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wayland-server-protocol.h>

#include "base/formats.h"
#include "renderer/renderer.h"
#include "base/buffer.h"
#include "core/server.h"

#define SHM_VERSION 2

struct zc_shm {
	struct zc_server *server;
	struct wl_global *global;
};

struct zc_shm_pool {
	struct wl_resource *resource; /* NULL once the client destroyed it */
	struct zc_server *server;
	int fd; /* kept for resize */
	char *data;
	size_t size;
	bool writable; /* a read-only fd maps read-only; writes are refused */
	int n_refs;    /* the resource and each buffer */

	int n_access; /* nested begin_cpu_access calls on its buffers */
	struct zc_shm_pool *next_access;
	volatile sig_atomic_t faulted;
};

struct zc_shm_buffer {
	struct zc_buffer base;
	struct zc_shm_pool *pool;
	size_t offset;
	uint32_t stride;
};

/* Pools whose memory is being accessed right now. The compositor is
 * single-threaded, so only the SIGBUS handler races with the list, and it
 * only reads it. */
static struct zc_shm_pool *access_list;
static struct sigaction prev_sigbus;
static bool sigbus_installed;

static bool shm_pool_contains(const struct zc_shm_pool *pool, const char *addr)
{
	return addr >= pool->data && addr < pool->data + pool->size;
}

/* Called when our handler cannot explain the fault: behave as if we had
 * never installed it. Only async-signal-safe calls from here on. */
static void shm_sigbus_chain(int sig, siginfo_t *info, void *context)
{
	if ((prev_sigbus.sa_flags & SA_SIGINFO) && prev_sigbus.sa_sigaction) {
		prev_sigbus.sa_sigaction(sig, info, context);
		return;
	}
	if (prev_sigbus.sa_handler != SIG_DFL && prev_sigbus.sa_handler != SIG_IGN) {
		prev_sigbus.sa_handler(sig);
		return;
	}
	/* Ignoring a fault would loop on the faulting instruction: die instead.
	 * The signal stays blocked until we return, then kills us. */
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGBUS, &dfl, NULL);
	raise(SIGBUS);
}

/* Remaps the pool under a fault at addr; false if addr is in none. */
static bool shm_rescue_fault(const void *addr)
{
	for (struct zc_shm_pool *pool = access_list; pool; pool = pool->next_access) {
		if (!shm_pool_contains(pool, addr))
			continue;
		/* Same address and size, so the interrupted access continues
		 * on zeroes instead of faulting again. */
		int prot = PROT_READ | (pool->writable ? PROT_WRITE : 0);
		void *zero = mmap(pool->data, pool->size, prot,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (zero == MAP_FAILED)
			return false;
		pool->faulted = 1;
		return true;
	}
	return false;
}

static void shm_handle_sigbus(int sig, siginfo_t *info, void *context)
{
	int saved_errno = errno;
	/* si_code <= 0: sent by kill() or sigqueue(), si_addr means nothing. */
	bool rescued = info->si_code > 0 && shm_rescue_fault(info->si_addr);
	errno = saved_errno;
	if (!rescued)
		shm_sigbus_chain(sig, info, context);
}

static bool shm_install_sigbus_handler(void)
{
	if (sigbus_installed)
		return true;
	struct sigaction sa = {
		.sa_sigaction = shm_handle_sigbus,
		.sa_flags = SA_SIGINFO,
	};
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &prev_sigbus) < 0) {
		zc_err("shm: cannot install the SIGBUS handler: %s", strerror(errno));
		return false;
	}
	sigbus_installed = true;
	return true;
}

static bool shm_format_supported(uint32_t drm_format)
{
	const struct zc_format_info *info = format_info(drm_format);
	return info && ((info->pixman != 0 && info->n_planes == 1) || info->yuv);
}

/* Pools */

static void shm_pool_unref(struct zc_shm_pool *pool)
{
	if (--pool->n_refs > 0)
		return;
	assert(pool->n_access == 0);
	munmap(pool->data, pool->size);
	close(pool->fd);
	free(pool);
}

/* Maps size bytes of fd, read-write when the fd allows it: capture writes
 * frames into client buffers. */
static char *shm_map(int fd, size_t size, bool *writable)
{
	void *data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	*writable = data != MAP_FAILED;
	if (data == MAP_FAILED && (errno == EACCES || errno == EPERM))
		data = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	return data == MAP_FAILED ? NULL : data;
}

/* A mapping may reach past its file's end (reads there raise SIGBUS), so
 * the file's size is checked where it matters: a buffer whose bytes the
 * file does not hold is refused when it is created, and the client learns
 * its mistake at once rather than at the first frame. Only files have a
 * meaningful size. */
static bool shm_fd_covers(int fd, int32_t size)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return false;
	return !S_ISREG(st.st_mode) || st.st_size >= (off_t)size;
}

static void shm_pool_handle_resource_destroy(struct wl_resource *resource)
{
	struct zc_shm_pool *pool = wl_resource_get_user_data(resource);
	pool->resource = NULL;
	shm_pool_unref(pool);
}

static void handle_pool_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void handle_pool_resize(struct wl_client *client, struct wl_resource *resource,
	int32_t size)
{
	struct zc_shm_pool *pool = wl_resource_get_user_data(resource);
	if (size <= 0 || (size_t)size < pool->size) {
		wl_resource_post_error(resource, WL_SHM_ERROR_INVALID_STRIDE,
			"pool can only grow (%zu -> %d bytes)", pool->size, size);
		return;
	}
	if (!shm_fd_covers(pool->fd, size)) {
		wl_resource_post_error(resource, WL_SHM_ERROR_INVALID_FD,
			"file is smaller than the pool size %d", size);
		return;
	}
	/* Accesses never span a dispatch, so no pointer into the old
	 * mapping is live here. mremap would spare a copy of page tables but
	 * needs _GNU_SOURCE. */
	bool writable;
	char *data = shm_map(pool->fd, (size_t)size, &writable);
	if (!data) {
		wl_resource_post_error(resource, WL_SHM_ERROR_INVALID_FD,
			"cannot remap the pool: %s", strerror(errno));
		return;
	}
	munmap(pool->data, pool->size);
	pool->data = data;
	pool->size = (size_t)size;
}

static const struct zc_buffer_impl shm_buffer_impl;

static void handle_buffer_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_buffer_interface shm_buffer_interface = {
	.destroy = handle_buffer_destroy,
};

/* One past the last byte of the pool a buffer's planes use; 0 for a YUV
 * layout that has none (format_shm_layout refuses it). */
static uint64_t shm_layout_end(const struct zc_format_info *info, int32_t offset,
	int32_t height, int32_t stride)
{
	if (!info->yuv)
		return (uint64_t)offset + (uint64_t)stride * (uint64_t)height;
	uint32_t strides[3];
	uint64_t offsets[3];
	uint64_t span = format_shm_layout(info, (uint32_t)stride, (uint32_t)height, strides,
		offsets);
	return span ? (uint64_t)offset + span : 0;
}

/* YUV: every plane of the implicit layout (format_shm_layout) inside the
 * pool, each row starting on a whole sample. */
static const char *shm_check_yuv_layout(const struct zc_shm_pool *pool,
	const struct zc_format_info *info, int32_t offset, int32_t height, int32_t stride)
{
	uint32_t strides[3];
	uint64_t offsets[3];
	if (stride % (int32_t)format_sample_bytes(info, 0) != 0)
		return "stride splits a YUV sample";
	uint64_t span = format_shm_layout(info, (uint32_t)stride, (uint32_t)height, strides,
		offsets);
	if (span == 0)
		return "stride is not a multiple of the chroma subsampling";
	if ((uint64_t)offset + span > pool->size)
		return "YUV planes extend beyond the pool";
	return NULL;
}

/* Returns NULL if the layout is acceptable, else why it is not. */
static const char *shm_check_layout(const struct zc_shm_pool *pool,
	const struct zc_format_info *info, int32_t offset, int32_t width,
	int32_t height, int32_t stride)
{
	if (width <= 0 || height <= 0)
		return "invalid size";
	if (offset < 0)
		return "negative offset";
	uint32_t min_stride = format_min_stride(info, 0, (uint32_t)width);
	if (stride <= 0 || min_stride == 0 || (uint32_t)stride < min_stride)
		return "stride too small for the width";
	/* A row must start on a pixel, else pixel reads straddle two. */
	if (info->bpp[0] % 8 == 0 && stride % (info->bpp[0] / 8) != 0)
		return "stride is not a multiple of the pixel size";
	if (info->yuv)
		return shm_check_yuv_layout(pool, info, offset, height, stride);
	if (shm_layout_end(info, offset, height, stride) > pool->size)
		return "buffer extends beyond the pool";
	return NULL;
}

static struct zc_shm_buffer *shm_buffer_create(struct zc_shm_pool *pool,
	struct wl_resource *resource, int32_t offset, int32_t width, int32_t height,
	int32_t stride, uint32_t format)
{
	struct zc_shm_buffer *buffer = calloc(1, sizeof(*buffer));
	if (!buffer)
		return NULL;
	buffer->pool = pool;
	buffer->offset = (size_t)offset;
	buffer->stride = (uint32_t)stride;
	pool->n_refs++;
	wl_resource_set_implementation(resource, &shm_buffer_interface, buffer, NULL);
	buffer_init(&buffer->base, &shm_buffer_impl, resource, width, height, format);
	return buffer;
}

static void handle_pool_create_buffer(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, int32_t offset, int32_t width, int32_t height, int32_t stride,
	uint32_t shm_format)
{
	struct zc_shm_pool *pool = wl_resource_get_user_data(resource);
	uint32_t format = format_from_shm(shm_format);
	if (!shm_format_supported(format)) {
		wl_resource_post_error(resource, WL_SHM_ERROR_INVALID_FORMAT,
			"unsupported format 0x%08x", shm_format);
		return;
	}
	const char *why = shm_check_layout(pool, format_info(format), offset, width,
		height, stride);
	if (why) {
		wl_resource_post_error(resource, WL_SHM_ERROR_INVALID_STRIDE,
			"%s (offset %d, %dx%d, stride %d, pool %zu bytes)", why, offset,
			width, height, stride, pool->size);
		return;
	}

	struct wl_resource *buffer_resource = wl_resource_create(client, &wl_buffer_interface,
		1, id);
	if (!buffer_resource)
		goto err_no_memory;
	struct zc_shm_buffer *buffer = shm_buffer_create(pool, buffer_resource, offset,
		width, height, stride, format);
	if (!buffer)
		goto err_resource;
	/* On the wl_buffer, as weston and Mir do and wlcs checks: the pool
	 * may be fine where other buffers lie. shm_check_layout bounded the
	 * end by the pool size, an int32_t. */
	uint64_t end = shm_layout_end(format_info(format), offset, height, stride);
	if (!shm_fd_covers(pool->fd, (int32_t)end)) {
		wl_resource_post_error(buffer_resource, WL_SHM_ERROR_INVALID_FD,
			"the pool's file ends before this buffer's end (%" PRIu64 " bytes)", end);
		return;
	}

	struct zc_renderer *renderer = pool->server->renderer;
	if (renderer && !renderer_import_buffer(renderer, &buffer->base)) {
		/* The format and layout passed our checks, so what the renderer
		 * could not take is the row layout. */
		wl_resource_post_error(resource, WL_SHM_ERROR_INVALID_STRIDE,
			"the renderer cannot read this buffer layout");
	}
	return;

err_resource:
	wl_resource_destroy(buffer_resource);
err_no_memory:
	wl_client_post_no_memory(client);
}

static const struct wl_shm_pool_interface shm_pool_interface = {
	.create_buffer = handle_pool_create_buffer,
	.destroy = handle_pool_destroy,
	.resize = handle_pool_resize,
};

/* wl_shm */

static bool shm_check_pool_fd(struct wl_resource *resource, int fd, int32_t size)
{
	if (size <= 0) {
		wl_resource_post_error(resource, WL_SHM_ERROR_INVALID_STRIDE,
			"invalid pool size %d", size);
		return false;
	}
	return true;
}

static void handle_shm_create_pool(struct wl_client *client, struct wl_resource *resource,
	uint32_t id, int32_t fd, int32_t size)
{
	struct zc_shm *shm = wl_resource_get_user_data(resource);
	struct zc_shm_pool *pool = NULL;
	if (!shm_check_pool_fd(resource, fd, size))
		goto err_fd;
	pool = calloc(1, sizeof(*pool));
	if (!pool) {
		wl_client_post_no_memory(client);
		goto err_fd;
	}
	pool->data = shm_map(fd, (size_t)size, &pool->writable);
	if (!pool->data) {
		wl_resource_post_error(resource, WL_SHM_ERROR_INVALID_FD,
			"cannot map the file: %s", strerror(errno));
		goto err_pool;
	}
	pool->resource = wl_resource_create(client, &wl_shm_pool_interface,
		wl_resource_get_version(resource), id);
	if (!pool->resource) {
		wl_client_post_no_memory(client);
		goto err_map;
	}
	pool->server = shm->server;
	pool->fd = fd;
	pool->size = (size_t)size;
	pool->n_refs = 1;
	wl_resource_set_implementation(pool->resource, &shm_pool_interface, pool,
		shm_pool_handle_resource_destroy);
	return;

err_map:
	munmap(pool->data, (size_t)size);
err_pool:
	free(pool);
err_fd:
	close(fd);
}

static void handle_shm_release(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_shm_interface shm_interface = {
	.create_pool = handle_shm_create_pool,
	.release = handle_shm_release,
};

static void shm_send_formats(struct wl_resource *resource)
{
	size_t n;
	const struct zc_format_info *table = format_table(&n);
	for (size_t i = 0; i < n; i++) {
		if (shm_format_supported(table[i].drm))
			wl_shm_send_format(resource, format_to_shm(table[i].drm));
	}
}

static void shm_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *resource = wl_resource_create(client, &wl_shm_interface,
		(int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &shm_interface, data, NULL);
	shm_send_formats(resource);
}

bool shm_global_create(struct zc_server *server)
{
	if (!shm_install_sigbus_handler())
		return false;
	struct zc_shm *shm = calloc(1, sizeof(*shm));
	if (!shm)
		return false;
	shm->server = server;
	shm->global = wl_global_create(server->display, &wl_shm_interface, SHM_VERSION,
		shm, shm_bind);
	if (!shm->global) {
		free(shm);
		return false;
	}
	server->shm = shm;
	return true;
}

void shm_global_destroy(struct zc_server *server)
{
	struct zc_shm *shm = server->shm;
	if (!shm)
		return;
	wl_global_destroy(shm->global);
	free(shm);
	server->shm = NULL;
}

/* Buffers */

static void shm_buffer_destroy(struct zc_buffer *base)
{
	struct zc_shm_buffer *buffer = container_of(base, struct zc_shm_buffer, base);
	shm_pool_unref(buffer->pool);
	free(buffer);
}

static void shm_access_push(struct zc_shm_pool *pool)
{
	if (pool->n_access++ > 0)
		return;
	pool->next_access = access_list;
	/* Faults come only from reads after we return, but keep the compiler
	 * from sinking the list update below them. */
	atomic_signal_fence(memory_order_seq_cst);
	access_list = pool;
	atomic_signal_fence(memory_order_seq_cst);
}

static void shm_access_pop(struct zc_shm_pool *pool)
{
	if (--pool->n_access > 0)
		return;
	struct zc_shm_pool **link = &access_list;
	while (*link != pool)
		link = &(*link)->next_access;
	atomic_signal_fence(memory_order_seq_cst);
	*link = pool->next_access;
	pool->next_access = NULL;
}

/* The planes of a YUV buffer, where create_buffer checked they lie. */
static void shm_yuv_view(const struct zc_shm_buffer *buffer, struct zc_cpu_view *view)
{
	const struct zc_format_info *info = format_info(buffer->base.format);
	if (!info->yuv)
		return;
	uint32_t strides[3];
	uint64_t offsets[3];
	format_shm_layout(info, buffer->stride, (uint32_t)buffer->base.height, strides, offsets);
	view->n_planes = info->n_planes;
	for (int i = 0; i < info->n_planes; i++) {
		view->data[i] = (uint8_t *)view->data[0] + offsets[i];
		view->stride[i] = strides[i];
	}
}

static bool shm_buffer_begin_cpu_access(struct zc_buffer *base, uint32_t access,
	struct zc_cpu_view *view)
{
	struct zc_shm_buffer *buffer = container_of(base, struct zc_shm_buffer, base);
	struct zc_shm_pool *pool = buffer->pool;
	if ((access & ZC_CPU_WRITE) && !pool->writable)
		return false;
	shm_access_push(pool);
	*view = (struct zc_cpu_view){
		.format = base->format,
		.n_planes = 1,
		.data = { pool->data + buffer->offset },
		.stride = { buffer->stride },
	};
	shm_yuv_view(buffer, view);
	return true;
}

/* The client shrank its file under us; it broke the protocol's contract,
 * and is told so on whichever of its objects still exists. */
static void shm_buffer_report_fault(struct zc_shm_buffer *buffer)
{
	struct wl_resource *resource = buffer->base.resource;
	if (!resource)
		resource = buffer->pool->resource;
	if (!resource) {
		zc_warn("shm: a client's pool file shrank under a buffer it destroyed");
		return;
	}
	wl_resource_post_error(resource, WL_SHM_ERROR_INVALID_FD,
		"error accessing SHM buffer");
}

static void shm_buffer_end_cpu_access(struct zc_buffer *base)
{
	struct zc_shm_buffer *buffer = container_of(base, struct zc_shm_buffer, base);
	shm_access_pop(buffer->pool);
	if (buffer->pool->faulted)
		shm_buffer_report_fault(buffer);
}

static const struct zc_buffer_impl shm_buffer_impl = {
	.name = "shm",
	.destroy = shm_buffer_destroy,
	.begin_cpu_access = shm_buffer_begin_cpu_access,
	.end_cpu_access = shm_buffer_end_cpu_access,
};
