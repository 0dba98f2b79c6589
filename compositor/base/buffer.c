#include "buffer.h"

#include <assert.h>
#include <drm_fourcc.h>
#include <stdlib.h>
#include <wayland-server-protocol.h>

#include "formats.h"
#include "util.h"

static void buffer_destroy(struct zc_buffer *buffer)
{
	wl_signal_emit_mutable(&buffer->destroy_signal, buffer);
	addon_set_finish(&buffer->addons);
	if (buffer->resource)
		wl_list_remove(&buffer->resource_destroy.link);
	buffer->impl->destroy(buffer);
}

static void handle_buffer_resource_destroy(struct wl_listener *listener, void *data)
{
	struct zc_buffer *buffer = container_of(listener, struct zc_buffer, resource_destroy);
	buffer->resource_gone = true;
	wl_list_remove(&buffer->resource_destroy.link);
	buffer->resource = NULL;
	if (buffer->n_locks == 0)
		buffer_destroy(buffer);
}

void buffer_init(struct zc_buffer *buffer, const struct zc_buffer_impl *impl,
	struct wl_resource *resource, int32_t width, int32_t height, uint32_t format)
{
	const struct zc_format_info *info = format_info(format);
	*buffer = (struct zc_buffer){
		.impl = impl,
		.resource = resource,
		.width = width,
		.height = height,
		.format = format,
		.opaque = info && !info->has_alpha,
	};
	addon_set_init(&buffer->addons);
	wl_signal_init(&buffer->destroy_signal);
	wl_signal_init(&buffer->release_signal);
	if (resource) {
		buffer->resource_destroy.notify = handle_buffer_resource_destroy;
		wl_resource_add_destroy_listener(resource, &buffer->resource_destroy);
	}
}

/* Every buffer we create carries our destroy listener, whatever its
 * interface implementation: finding it identifies the buffer. */
struct zc_buffer *buffer_from_resource(struct wl_resource *resource)
{
	struct wl_listener *listener =
		wl_resource_get_destroy_listener(resource, handle_buffer_resource_destroy);
	if (!listener)
		return NULL;
	return container_of(listener, struct zc_buffer, resource_destroy);
}

struct zc_buffer *buffer_lock(struct zc_buffer *buffer)
{
	buffer->n_locks++;
	return buffer;
}

void buffer_unlock(struct zc_buffer *buffer)
{
	assert(buffer->n_locks > 0);
	if (--buffer->n_locks > 0)
		return;
	buffer->releases++;
	wl_signal_emit_mutable(&buffer->release_signal, buffer);
	if (buffer->resource_gone) {
		buffer_destroy(buffer);
		return;
	}
	if (buffer->resource)
		wl_buffer_send_release(buffer->resource);
}

void buffer_drop(struct zc_buffer *buffer)
{
	assert(!buffer->resource);
	buffer->resource_gone = true;
	if (buffer->n_locks == 0)
		buffer_destroy(buffer);
}

bool buffer_begin_cpu_access(struct zc_buffer *buffer, uint32_t access,
	struct zc_cpu_view *view)
{
	if (!buffer->impl->begin_cpu_access)
		return false;
	return buffer->impl->begin_cpu_access(buffer, access, view);
}

void buffer_end_cpu_access(struct zc_buffer *buffer)
{
	buffer->impl->end_cpu_access(buffer);
}

const struct zc_dmabuf_attribs *buffer_get_dmabuf(struct zc_buffer *buffer)
{
	if (!buffer->impl->get_dmabuf)
		return NULL;
	return buffer->impl->get_dmabuf(buffer);
}

bool buffer_get_solid_colour(struct zc_buffer *buffer, float rgba[4])
{
	return buffer->impl->get_solid_colour && buffer->impl->get_solid_colour(buffer, rgba);
}

int buffer_export_ready_fence(struct zc_buffer *buffer)
{
	if (!buffer->impl->export_ready_fence)
		return -1;
	return buffer->impl->export_ready_fence(buffer);
}

/* Memory buffers: the back buffers of headless outputs. */
struct memory_buffer {
	struct zc_buffer base;
	uint32_t stride;
	void *data;
};

static void memory_buffer_destroy(struct zc_buffer *buffer)
{
	struct memory_buffer *mem = container_of(buffer, struct memory_buffer, base);
	free(mem->data);
	free(mem);
}

static bool memory_buffer_begin(struct zc_buffer *buffer, uint32_t access,
	struct zc_cpu_view *view)
{
	struct memory_buffer *mem = container_of(buffer, struct memory_buffer, base);
	*view = (struct zc_cpu_view){
		.format = buffer->format,
		.n_planes = 1,
		.data = { mem->data },
		.stride = { mem->stride },
	};
	return true;
}

static void memory_buffer_end(struct zc_buffer *buffer)
{
}

static const struct zc_buffer_impl memory_buffer_impl = {
	.name = "memory",
	.destroy = memory_buffer_destroy,
	.begin_cpu_access = memory_buffer_begin,
	.end_cpu_access = memory_buffer_end,
};

struct zc_buffer *memory_buffer_create(int32_t width, int32_t height, uint32_t format)
{
	const struct zc_format_info *info = format_info(format);
	if (!info || info->n_planes != 1 || width <= 0 || height <= 0)
		return NULL;
	struct memory_buffer *mem = calloc(1, sizeof(*mem));
	if (!mem)
		return NULL;
	/* pixman wants 4-byte aligned rows. */
	mem->stride = (format_min_stride(info, 0, (uint32_t)width) + 3) & ~3u;
	mem->data = calloc((size_t)height, mem->stride);
	if (!mem->data) {
		free(mem);
		return NULL;
	}
	buffer_init(&mem->base, &memory_buffer_impl, NULL, width, height, format);
	return &mem->base;
}
