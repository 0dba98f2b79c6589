#include "dmabuf.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <linux/dma-buf.h>
#include <linux/magic.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "base/formats.h"

bool dmabuf_fd_is_dmabuf(int fd)
{
	struct statfs fs;
	if (fd < 0 || fstatfs(fd, &fs) < 0)
		return false;
	return fs.f_type == DMA_BUF_MAGIC;
}

int64_t dmabuf_fd_size(int fd)
{
	off_t end = lseek(fd, 0, SEEK_END);
	if (end < 0)
		return -1;
	/* dma-bufs accept only these two seeks; leave the position as found. */
	lseek(fd, 0, SEEK_SET);
	return end;
}

int dmabuf_sync(int fd, uint64_t flags)
{
	struct dma_buf_sync sync = { .flags = flags };
	/* EAGAIN: the wait for a producer's fence was cut short; ask again. */
	while (ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync) < 0) {
		if (errno != EINTR && errno != EAGAIN)
			return -errno;
	}
	return 0;
}

bool dmabuf_fd_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n;
	do {
		n = poll(&pfd, 1, 0);
	} while (n < 0 && errno == EINTR);
	return n > 0 && (pfd.revents & POLLIN);
}

int dmabuf_export_ready_fence(int fd, uint32_t flags)
{
	struct dma_buf_export_sync_file req = { .flags = flags, .fd = -1 };
	int r;
	do {
		r = ioctl(fd, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &req);
	} while (r < 0 && (errno == EINTR || errno == EAGAIN));
	if (r < 0)
		return -1;
	if (dmabuf_fd_readable(req.fd)) {
		close(req.fd);
		return -1;
	}
	return req.fd;
}

/* The mapping starts at the dma-buf's first byte whatever the offset: GEM
 * shmem exporters (vgem, virtio-gpu and vkms dumb buffers on 6.12) fault in
 * pages counted from the start of the mapping, ignoring its file offset, so
 * a mapping at a non-zero offset shows the wrong pages. Mapping from zero
 * costs address space only. */
bool dmabuf_map(int fd, uint64_t offset, uint64_t length, struct dmabuf_mapping *map)
{
	uint64_t span = offset + length;
	if (length == 0 || span < length || span > SIZE_MAX)
		return false;
	/* Read-only: the fd may be read-only, and we never write clients' pixels. */
	void *base = mmap(NULL, (size_t)span, PROT_READ, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED)
		return false;
	*map = (struct dmabuf_mapping){
		.base = base,
		.base_length = (size_t)span,
		.data = (uint8_t *)base + offset,
	};
	return true;
}

void dmabuf_unmap(struct dmabuf_mapping *map)
{
	if (map->base)
		munmap(map->base, map->base_length);
	*map = (struct dmabuf_mapping){ 0 };
}

bool dmabuf_map_planes(const struct zc_dmabuf_attribs *a,
	struct dmabuf_mapping maps[ZC_MAX_PLANES])
{
	const struct zc_format_info *info = format_info(a->format);
	for (int i = 0; i < ZC_MAX_PLANES; i++)
		maps[i] = (struct dmabuf_mapping){ 0 };
	if (!info)
		return false;
	for (int i = 0; i < a->n_planes; i++) {
		uint32_t rows = format_plane_height(info, i, (uint32_t)a->height);
		uint32_t min_stride = format_min_stride(info, i, (uint32_t)a->width);
		uint64_t extent = dmabuf_plane_extent(a->stride[i], min_stride, rows);
		if (!dmabuf_map(a->fd[i], a->offset[i], extent, &maps[i])) {
			int err = errno;
			dmabuf_unmap_planes(maps);
			errno = err;
			return false;
		}
	}
	return true;
}

void dmabuf_unmap_planes(struct dmabuf_mapping maps[ZC_MAX_PLANES])
{
	for (int i = 0; i < ZC_MAX_PLANES; i++)
		dmabuf_unmap(&maps[i]);
}

uint64_t dmabuf_plane_extent(uint32_t stride, uint32_t min_stride, uint32_t rows)
{
	if (rows == 0)
		return 0;
	/* Both factors are below 2^32, so the product fits in 64 bits. */
	uint64_t before_last = (uint64_t)stride * (rows - 1);
	uint64_t last = stride > min_stride ? stride : min_stride;
	return before_last + last;
}

/* From 8 fractional bits to a channel; negative sums are black. */
static uint8_t fixed_to8(int32_t v)
{
	if (v < 0)
		return 0;
	v >>= 8;
	return v > 255 ? 255 : (uint8_t)v;
}

/* The integer BT.601 video-range matrix; the +128 in c rounds to nearest. */
uint32_t dmabuf_yuv_to_xrgb(uint8_t y, uint8_t u, uint8_t v)
{
	int32_t c = 298 * ((int32_t)y - 16) + 128;
	int32_t d = (int32_t)u - 128;
	int32_t e = (int32_t)v - 128;
	uint32_t r = fixed_to8(c + 409 * e);
	uint32_t g = fixed_to8(c - 100 * d - 208 * e);
	uint32_t b = fixed_to8(c + 516 * d);
	return 0xff000000u | r << 16 | g << 8 | b;
}

/* Pointers to the chroma samples of row y for either layout. */
static void yuv_chroma_rows(const struct zc_cpu_view *view, int32_t y, const uint8_t **u,
	const uint8_t **v, int *step)
{
	size_t cy = (size_t)(y / 2);
	if (view->format == DRM_FORMAT_NV12) {
		*u = (const uint8_t *)view->data[1] + cy * view->stride[1];
		*v = *u + 1;
		*step = 2;
	} else {
		*u = (const uint8_t *)view->data[1] + cy * view->stride[1];
		*v = (const uint8_t *)view->data[2] + cy * view->stride[2];
		*step = 1;
	}
}

bool dmabuf_convert_yuv(const struct zc_cpu_view *view, int32_t width, int32_t height,
	const pixman_box32_t *box, uint32_t *dst, uint32_t dst_stride)
{
	bool nv12 = view->format == DRM_FORMAT_NV12 && view->n_planes == 2;
	bool yuv420 = view->format == DRM_FORMAT_YUV420 && view->n_planes == 3;
	if (!nv12 && !yuv420)
		return false;
	int32_t x1 = box->x1 < 0 ? 0 : box->x1, y1 = box->y1 < 0 ? 0 : box->y1;
	int32_t x2 = box->x2 > width ? width : box->x2;
	int32_t y2 = box->y2 > height ? height : box->y2;
	for (int32_t y = y1; y < y2; y++) {
		const uint8_t *luma = (const uint8_t *)view->data[0] + (size_t)y * view->stride[0];
		const uint8_t *u, *v;
		int step;
		yuv_chroma_rows(view, y, &u, &v, &step);
		uint32_t *out = (uint32_t *)((uint8_t *)dst + (size_t)y * dst_stride);
		for (int32_t x = x1; x < x2; x++) {
			size_t c = (size_t)(x / 2) * (size_t)step;
			out[x] = dmabuf_yuv_to_xrgb(luma[x], u[c], v[c]);
		}
	}
	return true;
}
