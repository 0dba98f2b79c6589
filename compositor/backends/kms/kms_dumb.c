/*
 * Dumb buffers: CPU-mapped scanout memory on the card node (render nodes
 * refuse to create them), the pixman renderer's render targets. Each gets
 * its framebuffer at creation and loses it at destruction, so framebuffers
 * can only leak with their buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/formats.h"
#include "base/buffer.h"
#include "kms.h"

struct kms_dumb {
	struct zc_buffer base;
	/* Our own reference to the device's open file: the buffer may outlive
	 * the backend (a lock held elsewhere) and its handle lives in that file. */
	int fd;
	uint32_t handle, stride, fb_id;
	uint64_t size;
	void *map;
};

static int live_framebuffers;

static void kms_dumb_destroy(struct zc_buffer *buffer)
{
	struct kms_dumb *dumb = container_of(buffer, struct kms_dumb, base);
	if (dumb->fb_id) {
		drmModeRmFB(dumb->fd, dumb->fb_id);
		live_framebuffers--;
	}
	if (dumb->map && dumb->map != MAP_FAILED)
		munmap(dumb->map, dumb->size);
	if (dumb->handle)
		drmModeDestroyDumbBuffer(dumb->fd, dumb->handle);
	close(dumb->fd);
	free(dumb);
}

/* The mapping is made once at creation: "CPU access" is just handing it out. */
static bool kms_dumb_begin(struct zc_buffer *buffer, uint32_t access, struct zc_cpu_view *view)
{
	struct kms_dumb *dumb = container_of(buffer, struct kms_dumb, base);
	*view = (struct zc_cpu_view){
		.format = buffer->format,
		.n_planes = 1,
		.data = { dumb->map },
		.stride = { dumb->stride },
	};
	return true;
}

static void kms_dumb_end(struct zc_buffer *buffer)
{
}

static const struct zc_buffer_impl kms_dumb_impl = {
	.name = "dumb",
	.destroy = kms_dumb_destroy,
	.begin_cpu_access = kms_dumb_begin,
	.end_cpu_access = kms_dumb_end,
};

static bool kms_dumb_map(struct kms_dumb *dumb)
{
	uint64_t offset;
	if (drmModeMapDumbBuffer(dumb->fd, dumb->handle, &offset) != 0)
		return false;
	dumb->map = mmap(NULL, dumb->size, PROT_READ | PROT_WRITE, MAP_SHARED, dumb->fd,
		(off_t)offset);
	return dumb->map != MAP_FAILED;
}

static bool kms_dumb_add_fb(struct kms_dumb *dumb, int32_t width, int32_t height,
	uint32_t format)
{
	uint32_t handles[4] = { dumb->handle }, pitches[4] = { dumb->stride };
	uint32_t offsets[4] = { 0 };
	if (drmModeAddFB2(dumb->fd, (uint32_t)width, (uint32_t)height, format, handles, pitches,
		    offsets, &dumb->fb_id, 0) != 0)
		return false;
	live_framebuffers++;
	return true;
}

struct zc_buffer *kms_dumb_create(int fd, int32_t width, int32_t height, uint32_t format)
{
	const struct zc_format_info *info = format_info(format);
	if (!info || info->n_planes != 1)
		return NULL;
	struct kms_dumb *dumb = calloc(1, sizeof(*dumb));
	if (!dumb)
		return NULL;
	buffer_init(&dumb->base, &kms_dumb_impl, NULL, width, height, format);
	dumb->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dumb->fd < 0) {
		free(dumb);
		return NULL;
	}
	if (drmModeCreateDumbBuffer(dumb->fd, (uint32_t)width, (uint32_t)height,
		    info->bpp[0], 0, &dumb->handle, &dumb->stride, &dumb->size) != 0 ||
	    !kms_dumb_map(dumb) || !kms_dumb_add_fb(dumb, width, height, format)) {
		zc_err("kms: cannot create a %dx%d %s dumb buffer: %s", width, height,
			info->name, strerror(errno));
		kms_dumb_destroy(&dumb->base);
		return NULL;
	}
	return &dumb->base;
}

uint32_t kms_dumb_get_fb(struct zc_buffer *buffer)
{
	if (buffer->impl != &kms_dumb_impl)
		return 0;
	return container_of(buffer, struct kms_dumb, base)->fb_id;
}

int kms_dumb_fb_count(void)
{
	return live_framebuffers;
}
