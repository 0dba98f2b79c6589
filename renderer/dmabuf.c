#include "dmabuf.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <linux/dma-buf.h>
#include <linux/magic.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libyuv.h>

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

/* Where the sample of pixel (x, y) starts in plane 0 (luma, or the packed
 * macropixel) and in a chroma plane. */
static const uint8_t *yuv_luma(const struct zc_cpu_view *view, const struct zc_format_info *info,
	int32_t x, int32_t y)
{
	size_t at = info->n_planes == 1 ? (size_t)(x / 2) * 4 : (size_t)x;
	return (const uint8_t *)view->data[0] + (size_t)y * view->stride[0] + at;
}

static const uint8_t *yuv_chroma(const struct zc_cpu_view *view, const struct zc_format_info *info,
	int plane, int32_t x, int32_t y)
{
	return (const uint8_t *)view->data[plane] + (size_t)(y / info->vsub) * view->stride[plane] +
		(size_t)(x / info->hsub) * format_sample_bytes(info, plane);
}

/* A rectangle of pixels from (x, y), w x h, to out; x a multiple of the
 * horizontal subsampling, y of the vertical one unless h is 1. libyuv names
 * pixels by their bytes in memory, so its "ARGB" is DRM XRGB8888. Encoding:
 * BT.601 limited range (see dmabuf.h). */
struct yuv_rect {
	int32_t x, y, w, h;
	uint8_t *out;
	int out_stride;
};

static void yuv_convert_planar(const struct zc_cpu_view *view, const struct zc_format_info *info,
	const struct yuv_rect *r)
{
	bool swap = view->format == DRM_FORMAT_YVU420;
	int u = swap ? 2 : 1, v = swap ? 1 : 2;
	const uint8_t *py = yuv_luma(view, info, r->x, r->y);
	const uint8_t *pu = yuv_chroma(view, info, u, r->x, r->y);
	const uint8_t *pv = yuv_chroma(view, info, v, r->x, r->y);
	int sy = (int)view->stride[0], su = (int)view->stride[u], sv = (int)view->stride[v];
	if (info->hsub == 1)
		I444ToARGBMatrix(py, sy, pu, su, pv, sv, r->out, r->out_stride,
			&kYuvI601Constants, r->w, r->h);
	else if (info->vsub == 1)
		I422ToARGBMatrix(py, sy, pu, su, pv, sv, r->out, r->out_stride,
			&kYuvI601Constants, r->w, r->h);
	else
		I420ToARGBMatrix(py, sy, pu, su, pv, sv, r->out, r->out_stride,
			&kYuvI601Constants, r->w, r->h);
}

/* NV16/NV61 (4:2:2) have a chroma row per luma row: libyuv's 4:2:0 routine
 * run one row at a time reads exactly that. */
static void yuv_convert_semiplanar(const struct zc_cpu_view *view,
	const struct zc_format_info *info, const struct yuv_rect *r)
{
	bool vu = view->format == DRM_FORMAT_NV21 || view->format == DRM_FORMAT_NV61;
	int sy = (int)view->stride[0], suv = (int)view->stride[1];
	int32_t rows = info->vsub == 2 ? r->h : 1;
	for (int32_t y = 0; y < r->h; y += rows)
		(vu ? NV21ToARGBMatrix : NV12ToARGBMatrix)(yuv_luma(view, info, r->x, r->y + y),
			sy, yuv_chroma(view, info, 1, r->x, r->y + y), suv,
			r->out + (size_t)y * (size_t)r->out_stride, r->out_stride,
			&kYuvI601Constants, r->w, rows);
}

/* YVYU and VYUY are YUYV and UYVY with the chroma bytes swapped: each row
 * is reordered into `scratch` (a macropixel shuffled as one 4-byte pixel). */
static const uint8_t swap_yvyu[16] = { 0, 3, 2, 1, 4, 7, 6, 5, 8, 11, 10, 9, 12, 15, 14, 13 };
static const uint8_t swap_vyuy[16] = { 2, 1, 0, 3, 6, 5, 4, 7, 10, 9, 8, 11, 14, 13, 12, 15 };

static bool yuv_convert_packed(const struct zc_cpu_view *view, const struct zc_format_info *info,
	const struct yuv_rect *r)
{
	uint32_t f = view->format;
	bool uyvy = f == DRM_FORMAT_UYVY || f == DRM_FORMAT_VYUY;
	const uint8_t *shuffle = f == DRM_FORMAT_YVYU ? swap_yvyu :
		f == DRM_FORMAT_VYUY ? swap_vyuy : NULL;
	int32_t pairs = (r->w + 1) / 2;
	uint8_t *scratch = shuffle ? malloc((size_t)pairs * 4) : NULL;
	if (shuffle && !scratch)
		return false;
	for (int32_t y = 0; y < r->h; y++) {
		const uint8_t *row = yuv_luma(view, info, r->x, r->y + y);
		if (shuffle) {
			ARGBShuffle(row, pairs * 4, scratch, pairs * 4, shuffle, pairs, 1);
			row = scratch;
		}
		(uyvy ? UYVYToARGB : YUY2ToARGB)(row, pairs * 4,
			r->out + (size_t)y * (size_t)r->out_stride, r->out_stride, r->w, 1);
	}
	free(scratch);
	return true;
}

static bool yuv_convert_aligned(const struct zc_cpu_view *view, const struct zc_format_info *info,
	const struct yuv_rect *r)
{
	if (info->n_planes == 3)
		yuv_convert_planar(view, info, r);
	else if (info->n_planes == 2)
		yuv_convert_semiplanar(view, info, r);
	else
		return yuv_convert_packed(view, info, r);
	return true;
}

/* A pixel in the middle of a chroma sample starts the rectangle: libyuv
 * pairs pixels from an even one, so that column is converted with its left
 * neighbour into scratch and copied alone. */
static bool yuv_convert_rect(const struct zc_cpu_view *view, const struct zc_format_info *info,
	struct yuv_rect r)
{
	if (r.x % info->hsub) {
		uint32_t *two = malloc((size_t)r.h * 8);
		if (!two)
			return false;
		struct yuv_rect col = { r.x - 1, r.y, 2, r.h, (uint8_t *)two, 8 };
		bool ok = yuv_convert_aligned(view, info, &col);
		for (int32_t y = 0; ok && y < r.h; y++)
			memcpy(r.out + (size_t)y * (size_t)r.out_stride, &two[y * 2 + 1], 4);
		free(two);
		if (!ok)
			return false;
		r.x++;
		r.w--;
		r.out += 4;
	}
	return r.w <= 0 || yuv_convert_aligned(view, info, &r);
}

bool dmabuf_convert_yuv(const struct zc_cpu_view *view, int32_t width, int32_t height,
	const pixman_box32_t *box, const struct dmabuf_xrgb_dest *dest)
{
	const struct zc_format_info *info = format_info(view->format);
	if (!info || !info->yuv || view->n_planes != info->n_planes)
		return false;
	int32_t x1 = box->x1 < 0 ? 0 : box->x1, x2 = box->x2 > width ? width : box->x2;
	int32_t y1 = box->y1 < 0 ? 0 : box->y1, y2 = box->y2 > height ? height : box->y2;
	if (x2 <= x1 || y2 <= y1)
		return true;
	struct yuv_rect r = { x1, y1, x2 - x1, y2 - y1,
		dest->data + (size_t)(y1 + dest->dy) * dest->stride + (size_t)(x1 + dest->dx) * 4,
		(int)dest->stride };
	/* An odd first row of 4:2:0 shares its chroma row with the one above:
	 * converted alone, the rest starts on a chroma row's first luma row. */
	if (y1 % info->vsub) {
		struct yuv_rect first = r;
		first.h = 1;
		if (!yuv_convert_rect(view, info, first))
			return false;
		r.y++;
		r.h--;
		r.out += dest->stride;
	}
	return r.h <= 0 || yuv_convert_rect(view, info, r);
}
