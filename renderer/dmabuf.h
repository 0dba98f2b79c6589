#ifndef ZC_DMABUF_H
#define ZC_DMABUF_H

/*
 * The CPU side of dma-bufs: what it takes to read a client's dma-buf safely
 * without a GPU. The rules, from the kernel's dma-buf documentation:
 *   - only a real dma-buf (fstatfs f_type == DMA_BUF_MAGIC) is mapped, so a
 *     memfd a client can truncate never reaches mmap (no SIGBUS);
 *   - its size is lseek(fd, 0, SEEK_END);
 *   - every CPU access is bracketed by DMA_BUF_IOCTL_SYNC START and END,
 *     which waits for producers and keeps caches coherent;
 *   - readiness for implicit sync is a sync_file exported from the
 *     dma-buf's reservation object.
 */

#include <pixman.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buffer.h"

/* True if fd refers to a dma-buf (and not a memfd, pipe, device node...). */
bool dmabuf_fd_is_dmabuf(int fd);
/* The dma-buf's size in bytes, or -1 if the exporter does not say. */
int64_t dmabuf_fd_size(int fd);

/* DMA_BUF_IOCTL_SYNC with DMA_BUF_SYNC_* flags, retried when interrupted.
 * Returns 0 or -errno. */
int dmabuf_sync(int fd, uint64_t flags);

/* A sync_file that signals when the accesses `flags` (DMA_BUF_SYNC_READ:
 * wait for writers) would no longer wait, or -1 when they would not wait now
 * (or the kernel cannot export one). The caller owns the fd. */
int dmabuf_export_ready_fence(int fd, uint32_t flags);
/* poll(fd, 0): true if a sync_file or dma-buf fd is readable (signalled). */
bool dmabuf_fd_readable(int fd);

/* A read-only view of bytes [offset, offset + length) of a dma-buf at
 * `data`; any offset, page aligned or not. */
struct dmabuf_mapping {
	void *base;
	size_t base_length;
	uint8_t *data;
};

bool dmabuf_map(int fd, uint64_t offset, uint64_t length, struct dmabuf_mapping *map);
void dmabuf_unmap(struct dmabuf_mapping *map);

/* Every plane of a client dma-buf, each mapped over the bytes its rows take
 * (the format's plane heights, the larger of stride and a row's size);
 * false, with nothing left mapped, if one plane cannot be mapped. */
bool dmabuf_map_planes(const struct zc_dmabuf_attribs *a,
	struct dmabuf_mapping maps[ZC_MAX_PLANES]);
void dmabuf_unmap_planes(struct dmabuf_mapping maps[ZC_MAX_PLANES]);

/* Bytes a plane occupies from its offset: (rows - 1) * stride + one row,
 * or 0 when the arithmetic overflows 64 bits. */
uint64_t dmabuf_plane_extent(uint32_t stride, uint32_t min_stride, uint32_t rows);

/* BT.601 limited range, as compositors assume for linux-dmabuf YUV without a
 * colour-representation protocol: one pixel to 0xffRRGGBB. */
uint32_t dmabuf_yuv_to_xrgb(uint8_t y, uint8_t u, uint8_t v);

/* Where converted pixels go: buffer pixel (x, y) to XRGB8888 pixel
 * (x + dx, y + dy) of `data` (rows `stride` bytes apart): a shadow image
 * (dx = dy = 0) or, for an unscaled draw, the output's target itself. */
struct dmabuf_xrgb_dest {
	uint8_t *data;
	uint32_t stride;
	int32_t dx, dy;
};

/* Converts exactly the pixels of `box` (clipped to width x height) of a YUV
 * view of any format in the table (formats.c) with libyuv, straight from the
 * view's planes to `dest`; pixels outside the box are not written. The
 * encoding is fixed at BT.601 limited range, the same as dmabuf_yuv_to_xrgb:
 * no protocol lets a client say otherwise (color-representation is not
 * packaged), and it is what V4L2 cameras and SD video produce. */
bool dmabuf_convert_yuv(const struct zc_cpu_view *view, int32_t width, int32_t height,
	const pixman_box32_t *box, const struct dmabuf_xrgb_dest *dest);

#endif
