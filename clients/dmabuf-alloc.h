#ifndef ZC_DMABUF_ALLOC_H
#define ZC_DMABUF_ALLOC_H

/*
 * Client-side dma-bufs for zc-dmabuf and the VM tests: where the memory
 * comes from (udmabuf over a memfd, a dumb buffer of a DRM card exported by
 * PRIME, the dma-heap system heap), how planes are laid out in it, and the
 * frame-numbered test pattern written through mmap + DMA_BUF_IOCTL_SYNC.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

enum dmabuf_source {
	DMABUF_SOURCE_UDMABUF,
	DMABUF_SOURCE_DUMB,
	DMABUF_SOURCE_HEAP,
};

/* Where each plane lies in the one dma-buf all planes share. */
struct dmabuf_layout {
	uint32_t format; /* DRM fourcc: XRGB8888, ARGB8888, XBGR8888, ABGR8888, RGB565, NV12, YUV420 */
	int32_t width, height;
	int n_planes;
	uint32_t offset[3], stride[3];
	size_t size; /* bytes the dma-buf needs, page aligned */
};

/* Lays out planes one after the other from first_offset. stride 0: the
 * smallest, rounded up to 4 bytes; chroma strides follow the luma stride.
 * False for an unknown format or a stride below the minimum. */
bool dmabuf_layout_init(struct dmabuf_layout *layout, uint32_t format, int32_t width,
	int32_t height, uint32_t stride, uint32_t first_offset);

struct dmabuf_alloc {
	enum dmabuf_source source;
	int fd;      /* the dma-buf */
	int card_fd; /* dumb: the card it lives on (shared, not owned) */
	uint32_t handle;
	size_t size;
	uint8_t *map; /* the dma-buf's own mapping */
};

/* Opens a card node by path ("/dev/dri/card1") or by driver name ("vgem");
 * returns the fd or -1 with a message on stderr. */
int dmabuf_open_card(const char *path_or_driver);

/* Returns false with a message on stderr. card_fd is used for DUMB only. */
bool dmabuf_alloc_create(struct dmabuf_alloc *alloc, enum dmabuf_source source, int card_fd,
	size_t size);
/* The same for one image of layout: a single-plane image at offset 0 gets a
 * dumb buffer of its own rows (scanout on virtio-gpu needs that). */
bool dmabuf_alloc_create_image(struct dmabuf_alloc *alloc, enum dmabuf_source source,
	int card_fd, const struct dmabuf_layout *layout);
void dmabuf_alloc_destroy(struct dmabuf_alloc *alloc);

/* Writes pattern frame `frame` into every plane, bracketed by
 * DMA_BUF_IOCTL_SYNC START|WRITE and END|WRITE. */
bool dmabuf_write_pattern(struct dmabuf_alloc *alloc, const struct dmabuf_layout *layout,
	uint32_t frame);

/* The colour zcomp should show at (x, y) for pattern frame `frame`: the
 * pattern itself in RGB formats' precision, or its YUV samples decoded with
 * BT.601 video range for NV12 and YUV420. */
struct zcc_rgb dmabuf_expected_rgb(const struct dmabuf_layout *layout, uint32_t frame,
	int32_t x, int32_t y);

/* Formats by name: "xrgb8888", "nv12", ...; 0 if unknown. */
bool dmabuf_format_is_yuv(uint32_t format);
uint32_t dmabuf_format_from_name(const char *name);
const char *dmabuf_format_name(uint32_t format);

#endif
