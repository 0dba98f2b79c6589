#include "dmabuf-alloc.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/memfd.h>
#include <linux/udmabuf.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <wayland-client-protocol.h>
#include <xf86drm.h>

/* F_ADD_SEALS without _GNU_SOURCE: the values are the kernel's ABI. */
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_SEAL_SHRINK 0x0002
#endif

static const struct {
	uint32_t format;
	const char *name;
} format_names[] = {
	{ DRM_FORMAT_XRGB8888, "xrgb8888" }, { DRM_FORMAT_ARGB8888, "argb8888" },
	{ DRM_FORMAT_XBGR8888, "xbgr8888" }, { DRM_FORMAT_ABGR8888, "abgr8888" },
	{ DRM_FORMAT_RGB565, "rgb565" },     { DRM_FORMAT_NV12, "nv12" },
	{ DRM_FORMAT_YUV420, "yuv420" },     { DRM_FORMAT_YUYV, "yuyv" },
};

uint32_t dmabuf_format_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (strcasecmp(format_names[i].name, name) == 0)
			return format_names[i].format;
	}
	return 0;
}

const char *dmabuf_format_name(uint32_t format)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (format_names[i].format == format)
			return format_names[i].name;
	}
	return "?";
}

bool dmabuf_format_is_yuv(uint32_t format)
{
	return format == DRM_FORMAT_NV12 || format == DRM_FORMAT_YUV420 ||
		format == DRM_FORMAT_YUYV;
}

/* wl_shm names the first two formats differently; the rest are fourccs. */
static uint32_t shm_code(uint32_t format)
{
	if (format == DRM_FORMAT_XRGB8888)
		return WL_SHM_FORMAT_XRGB8888;
	if (format == DRM_FORMAT_ARGB8888)
		return WL_SHM_FORMAT_ARGB8888;
	return format;
}

static uint32_t round_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) / a * a;
}

bool dmabuf_layout_init(struct dmabuf_layout *layout, uint32_t format, int32_t width,
	int32_t height, uint32_t stride, uint32_t first_offset)
{
	*layout = (struct dmabuf_layout){ .format = format, .width = width, .height = height };
	uint32_t w = (uint32_t)width, h = (uint32_t)height, cw = (w + 1) / 2, ch = (h + 1) / 2;
	uint32_t min_stride, rows[3] = { h, ch, ch };
	if (width <= 0 || height <= 0)
		return false;
	if (format == DRM_FORMAT_YUYV) {
		min_stride = round_up(w, 2) * 2; /* whole macropixels */
		layout->n_planes = 1;
	} else if (dmabuf_format_is_yuv(format)) {
		min_stride = w;
		layout->n_planes = format == DRM_FORMAT_NV12 ? 2 : 3;
	} else if (zcc_format_get(shm_code(format))) {
		min_stride = w * (uint32_t)zcc_format_get(shm_code(format))->bytes_per_pixel;
		layout->n_planes = 1;
	} else {
		return false;
	}
	if (stride == 0)
		stride = round_up(min_stride, 4);
	if (stride < min_stride)
		return false;
	layout->stride[0] = stride;
	/* NV12 interleaves U and V: a chroma row is as wide as a luma row. */
	uint32_t cstride = format == DRM_FORMAT_NV12 ? round_up(stride, 2) : (stride + 1) / 2;
	if (cstride < (format == DRM_FORMAT_NV12 ? 2 * cw : cw))
		cstride = format == DRM_FORMAT_NV12 ? 2 * cw : cw;
	uint64_t at = first_offset;
	for (int i = 0; i < layout->n_planes; i++) {
		if (i > 0)
			layout->stride[i] = cstride;
		layout->offset[i] = (uint32_t)at;
		at += (uint64_t)layout->stride[i] * rows[i];
		if (at > UINT32_MAX)
			return false;
	}
	long page = sysconf(_SC_PAGESIZE);
	layout->size = (size_t)((at + (uint64_t)page - 1) / (uint64_t)page * (uint64_t)page);
	return true;
}

/* ---- sources ---- */

static bool driver_is(int fd, const char *name)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool same = v && strcmp(v->name, name) == 0;
	drmFreeVersion(v);
	return same;
}

int dmabuf_open_card(const char *path_or_driver)
{
	if (path_or_driver[0] == '/') {
		int fd = open(path_or_driver, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			fprintf(stderr, "cannot open %s: %s\n", path_or_driver, strerror(errno));
		return fd;
	}
	for (int i = 0; i < 64; i++) {
		char path[32];
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (driver_is(fd, path_or_driver))
			return fd;
		close(fd);
	}
	fprintf(stderr, "no DRM card driven by %s\n", path_or_driver);
	return -1;
}

static int udmabuf_create(size_t size)
{
	int memfd = (int)syscall(SYS_memfd_create, "zc-dmabuf", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (memfd < 0)
		return -1;
	int fd = -1;
	/* udmabuf wants the memfd unable to shrink under the device. */
	if (ftruncate(memfd, (off_t)size) == 0 && fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK) == 0) {
		int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
		if (dev >= 0) {
			struct udmabuf_create create = { .memfd = (uint32_t)memfd,
				.flags = UDMABUF_FLAGS_CLOEXEC, .size = size };
			fd = ioctl(dev, UDMABUF_CREATE, &create);
			close(dev);
		}
	}
	close(memfd);
	return fd;
}

static int heap_create(size_t size)
{
	int heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	if (heap < 0)
		return -1;
	struct dma_heap_allocation_data data = { .len = size, .fd_flags = O_RDWR | O_CLOEXEC };
	int r = ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &data);
	close(heap);
	return r < 0 ? -1 : (int)data.fd;
}

/* A dumb buffer is described in pixels: row_pixels 32-bit pixels a row
 * (the image's own rows where the caller knows them), else 4096-byte rows,
 * which every driver takes as they are. virtio-gpu needs the image's shape:
 * its host resource has the dumb buffer's width, and the host refuses to
 * scan out or copy a wider framebuffer from it. */
static int dumb_create(int card_fd, size_t size, uint32_t row_pixels, uint32_t *handle)
{
	uint32_t width = row_pixels ? row_pixels : 1024;
	uint64_t row_bytes = (uint64_t)width * 4;
	struct drm_mode_create_dumb create = { .width = width, .bpp = 32,
		.height = (uint32_t)((size + row_bytes - 1) / row_bytes) };
	if (drmIoctl(card_fd, DRM_IOCTL_MODE_CREATE_DUMB, &create) < 0)
		return -1;
	*handle = create.handle;
	int fd = -1;
	if (drmPrimeHandleToFD(card_fd, create.handle, DRM_CLOEXEC | DRM_RDWR, &fd) < 0) {
		struct drm_mode_destroy_dumb destroy = { .handle = create.handle };
		drmIoctl(card_fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
		return -1;
	}
	return fd;
}

static bool alloc_create(struct dmabuf_alloc *alloc, enum dmabuf_source source, int card_fd,
	size_t size, uint32_t row_pixels)
{
	*alloc = (struct dmabuf_alloc){ .source = source, .card_fd = -1, .size = size };
	switch (source) {
	case DMABUF_SOURCE_UDMABUF:
		alloc->fd = udmabuf_create(size);
		break;
	case DMABUF_SOURCE_HEAP:
		alloc->fd = heap_create(size);
		break;
	case DMABUF_SOURCE_DUMB:
		alloc->card_fd = card_fd;
		alloc->fd = dumb_create(card_fd, size, row_pixels, &alloc->handle);
		break;
	}
	if (alloc->fd < 0) {
		fprintf(stderr, "cannot allocate a %zu-byte dma-buf: %s\n", size, strerror(errno));
		return false;
	}
	void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, alloc->fd, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "cannot mmap the dma-buf: %s\n", strerror(errno));
		dmabuf_alloc_destroy(alloc);
		return false;
	}
	alloc->map = map;
	return true;
}

bool dmabuf_alloc_create(struct dmabuf_alloc *alloc, enum dmabuf_source source, int card_fd,
	size_t size)
{
	return alloc_create(alloc, source, card_fd, size, 0);
}

bool dmabuf_alloc_create_image(struct dmabuf_alloc *alloc, enum dmabuf_source source,
	int card_fd, const struct dmabuf_layout *layout)
{
	bool shaped = layout->n_planes == 1 && layout->offset[0] == 0 &&
		layout->stride[0] % 4 == 0;
	return alloc_create(alloc, source, card_fd, layout->size,
		shaped ? layout->stride[0] / 4 : 0);
}

void dmabuf_alloc_destroy(struct dmabuf_alloc *alloc)
{
	if (alloc->map)
		munmap(alloc->map, alloc->size);
	if (alloc->fd >= 0)
		close(alloc->fd);
	if (alloc->source == DMABUF_SOURCE_DUMB && alloc->handle) {
		struct drm_mode_destroy_dumb destroy = { .handle = alloc->handle };
		drmIoctl(alloc->card_fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
	}
	*alloc = (struct dmabuf_alloc){ .fd = -1, .card_fd = -1 };
}

/* ---- the pattern ---- */

static int sync_retry(int fd, uint64_t flags)
{
	struct dma_buf_sync sync = { .flags = flags };
	int r;
	do {
		r = ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync);
	} while (r < 0 && (errno == EINTR || errno == EAGAIN));
	return r;
}

/* BT.601 video range, the inverse of what zcomp decodes. The chroma sums
 * are biased by 128 << 8 before the shift, keeping them non-negative. */
static void rgb_to_yuv(struct zcc_rgb rgb, uint8_t *y, uint8_t *u, uint8_t *v)
{
	int r = rgb.c[0], g = rgb.c[1], b = rgb.c[2];
	*y = (uint8_t)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
	*u = (uint8_t)((-38 * r - 74 * g + 112 * b + 128 + (128 << 8)) >> 8);
	*v = (uint8_t)((112 * r - 94 * g - 18 * b + 128 + (128 << 8)) >> 8);
}

/* Chroma comes from the top-left pixel of each 2x2 block (2x1 for YUYV). */
static void yuv_sample(const struct dmabuf_layout *l, uint32_t frame, int32_t x, int32_t y,
	uint8_t yuv[3])
{
	uint8_t unused_u, unused_v, unused_y;
	int32_t cy = l->format == DRM_FORMAT_YUYV ? y : y & ~1;
	rgb_to_yuv(zcc_pattern_rgb8(l->width, l->height, frame, x, y), &yuv[0], &unused_u,
		&unused_v);
	rgb_to_yuv(zcc_pattern_rgb8(l->width, l->height, frame, x & ~1, cy), &unused_y,
		&yuv[1], &yuv[2]);
}

static void write_yuyv(uint8_t *base, const struct dmabuf_layout *l, uint32_t frame)
{
	for (int32_t y = 0; y < l->height; y++) {
		uint8_t *row = base + l->offset[0] + (size_t)y * l->stride[0];
		for (int32_t x = 0; x < l->width; x++) {
			uint8_t yuv[3];
			yuv_sample(l, frame, x, y, yuv);
			uint8_t *m = row + (size_t)(x / 2) * 4;
			m[(x & 1) * 2] = yuv[0];
			m[1] = yuv[1];
			m[3] = yuv[2];
			if (x + 1 == l->width && !(x & 1))
				m[2] = yuv[0]; /* the padding pixel of an odd width */
		}
	}
}

static void write_yuv(uint8_t *base, const struct dmabuf_layout *l, uint32_t frame)
{
	for (int32_t y = 0; y < l->height; y++) {
		uint8_t *luma = base + l->offset[0] + (size_t)y * l->stride[0];
		size_t crow = (size_t)(y / 2);
		for (int32_t x = 0; x < l->width; x++) {
			uint8_t yuv[3];
			yuv_sample(l, frame, x, y, yuv);
			luma[x] = yuv[0];
			if ((x | y) & 1)
				continue;
			if (l->format == DRM_FORMAT_NV12) {
				uint8_t *c = base + l->offset[1] + crow * l->stride[1] + (size_t)x;
				c[0] = yuv[1];
				c[1] = yuv[2];
			} else {
				base[l->offset[1] + crow * l->stride[1] + (size_t)x / 2] = yuv[1];
				base[l->offset[2] + crow * l->stride[2] + (size_t)x / 2] = yuv[2];
			}
		}
	}
}

bool dmabuf_write_pattern(struct dmabuf_alloc *alloc, const struct dmabuf_layout *layout,
	uint32_t frame)
{
	if (sync_retry(alloc->fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE) < 0)
		return false;
	bool ok = true;
	if (layout->format == DRM_FORMAT_YUYV)
		write_yuyv(alloc->map, layout, frame);
	else if (dmabuf_format_is_yuv(layout->format))
		write_yuv(alloc->map, layout, frame);
	else
		ok = zcc_pattern_fill(alloc->map + layout->offset[0], (int32_t)layout->stride[0],
			layout->width, layout->height, shm_code(layout->format), frame);
	return sync_retry(alloc->fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE) == 0 && ok;
}

static uint8_t fixed_to8(int v)
{
	if (v < 0)
		return 0;
	v >>= 8;
	return v > 255 ? 255 : (uint8_t)v;
}

struct zcc_rgb dmabuf_expected_rgb(const struct dmabuf_layout *layout, uint32_t frame,
	int32_t x, int32_t y)
{
	if (!dmabuf_format_is_yuv(layout->format))
		return zcc_pattern_rgb(zcc_format_get(shm_code(layout->format)), layout->width,
			layout->height, frame, x, y);
	uint8_t yuv[3];
	yuv_sample(layout, frame, x, y, yuv);
	int c = 298 * (yuv[0] - 16) + 128, d = yuv[1] - 128, e = yuv[2] - 128;
	return (struct zcc_rgb){
		.c = { fixed_to8(c + 409 * e), fixed_to8(c - 100 * d - 208 * e),
			fixed_to8(c + 516 * d) },
		.bits = { 8, 8, 8 },
	};
}
