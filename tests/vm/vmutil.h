/* Shared helpers of the zcomp VM test programs (they run inside the test VM). */
#ifndef ZC_VM_UTIL_H
#define ZC_VM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit status that tests/vm/guest-run.sh reports as a skip. */
#define ZC_VM_SKIP 77

/* Number of failed zc_check()s so far. */
extern int zc_failures;

/* Prints "ok: MSG" or "FAIL: MSG" and counts failures; returns cond. */
bool zc_check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Opens the first /dev/dri/cardN (render == false) or renderDN (render == true) whose
 * kernel driver (drmGetVersion) is `driver`. Returns the fd or -1. The path goes to
 * path_out when that is not NULL. */
int zc_open_driver(const char *driver, bool render, char *path_out, size_t path_len);

/* A dumb buffer (XRGB8888, 32 bpp) on a card node. */
struct zc_dumb {
	int fd;
	uint32_t handle, pitch, width, height;
	uint64_t size;
	void *map;
};
/* Returns 0 or -errno. */
int zc_dumb_create(int card_fd, uint32_t width, uint32_t height, struct zc_dumb *out);
int zc_dumb_map(struct zc_dumb *d);
void zc_dumb_destroy(struct zc_dumb *d);

/* DMA_BUF_IOCTL_SYNC with `flags` (DMA_BUF_SYNC_*); returns 0 or -errno. */
int zc_dmabuf_sync(int dmabuf_fd, uint64_t flags);

/* A dma-buf of `size` bytes (page multiple) from a memfd through /dev/udmabuf. The
 * memfd is returned in *memfd_out (the caller closes it). Returns the fd or -errno. */
int zc_udmabuf_create(size_t size, int *memfd_out);
/* A dma-buf of `size` bytes from /dev/dma_heap/system. Returns the fd or -errno. */
int zc_heap_create(size_t size);

/* The test pattern: an XRGB8888 value for pixel (x, y), different for each seed. */
uint32_t zc_pattern(uint32_t x, uint32_t y, uint32_t seed);
void zc_fill(void *map, uint32_t pitch, uint32_t width, uint32_t height, uint32_t seed);
/* Number of pixels that differ from the pattern (and the first one in *bad_x/y). */
uint64_t zc_verify(const void *map, uint32_t pitch, uint32_t width, uint32_t height,
		   uint32_t seed, uint32_t *bad_x, uint32_t *bad_y);

/* A binary PPM (P6, maxval 255) in memory, RGB bytes. */
struct zc_ppm {
	uint32_t width, height;
	uint8_t *rgb;
};
int zc_ppm_read(const char *path, struct zc_ppm *out);
int zc_ppm_write(const char *path, const struct zc_ppm *ppm);
void zc_ppm_free(struct zc_ppm *ppm);

/* Runs argv (PATH lookup) and waits; returns its exit status, or -1. */
int zc_run(char *const argv[]);

/* A dma-buf from one of the exporters of the VM: "udmabuf", "dma-heap", "vgem",
 * "virtio_gpu", "vkms" (the last three: a dumb buffer on that driver's card node). */
struct zc_buf {
	const char *exporter;
	int dmabuf;
	int memfd;         /* udmabuf: the memfd behind it, else -1 */
	int card;          /* dumb exporters: the card fd, else -1 */
	struct zc_dumb dumb;
	uint32_t width, height, pitch;
	uint64_t size;
};
extern const char *const zc_exporters[];
extern const int zc_exporter_count;
/* Returns 0 or -errno (a missing device is -ENODEV). */
int zc_buf_create(const char *exporter, uint32_t width, uint32_t height, struct zc_buf *out);
void zc_buf_destroy(struct zc_buf *b);

#endif
