/* Guest test: every dma-buf exporter of the VM (udmabuf, dma-heap system, vgem / virtio-gpu /
 * vkms dumb buffers) gives a buffer that can be mmapped and bracketed with
 * DMA_BUF_IOCTL_SYNC: a pattern written through the dma-buf mapping reads back, shows
 * through the exporter's own mapping (memfd, dumb map) and the other way round; lseek
 * gives the size; DMA_BUF_IOCTL_EXPORT_SYNC_FILE gives a sync_file. */
#include "vmutil.h"

#include <errno.h>
#include <linux/dma-buf.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

static void test_exporter(const char *exporter, uint32_t seed)
{
	const uint32_t w = 256, h = 256;
	struct zc_buf b;
	int r = zc_buf_create(exporter, w, h, &b);
	if (!zc_check(r == 0, "%s: create %ux%u buffer and export a dma-buf (%s)", exporter, w, h,
		      r ? strerror(-r) : "ok"))
		goto out;

	off_t end = lseek(b.dmabuf, 0, SEEK_END);
	zc_check(end == (off_t)b.size, "%s: lseek(SEEK_END) = %lld, size %llu", exporter,
		 (long long)end, (unsigned long long)b.size);
	lseek(b.dmabuf, 0, SEEK_SET);

	void *map = mmap(NULL, b.size, PROT_READ | PROT_WRITE, MAP_SHARED, b.dmabuf, 0);
	if (!zc_check(map != MAP_FAILED, "%s: mmap the dma-buf (%s)", exporter,
		      map == MAP_FAILED ? strerror(errno) : "ok"))
		goto out;

	r = zc_dmabuf_sync(b.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	zc_check(r == 0, "%s: SYNC_START|WRITE (%s)", exporter, r ? strerror(-r) : "ok");
	zc_fill(map, b.pitch, w, h, seed);
	r = zc_dmabuf_sync(b.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	zc_check(r == 0, "%s: SYNC_END|WRITE (%s)", exporter, r ? strerror(-r) : "ok");

	uint32_t bx = 0, by = 0;
	r = zc_dmabuf_sync(b.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	zc_check(r == 0, "%s: SYNC_START|READ (%s)", exporter, r ? strerror(-r) : "ok");
	uint64_t bad = zc_verify(map, b.pitch, w, h, seed, &bx, &by);
	zc_check(bad == 0, "%s: pattern reads back through the dma-buf mapping (%llu bad, first %u,%u)",
		 exporter, (unsigned long long)bad, bx, by);
	r = zc_dmabuf_sync(b.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	zc_check(r == 0, "%s: SYNC_END|READ (%s)", exporter, r ? strerror(-r) : "ok");

	/* The exporter's own view of the same pages. */
	void *own = NULL;
	size_t own_size = 0;
	if (b.memfd >= 0) {
		own = mmap(NULL, b.size, PROT_READ | PROT_WRITE, MAP_SHARED, b.memfd, 0);
		own_size = b.size;
		if (own == MAP_FAILED)
			own = NULL;
		zc_check(own != NULL, "%s: mmap the memfd", exporter);
	} else if (b.card >= 0) {
		r = zc_dumb_map(&b.dumb);
		zc_check(r == 0, "%s: map the dumb buffer (%s)", exporter, r ? strerror(-r) : "ok");
		own = b.dumb.map;
	}
	if (own) {
		bad = zc_verify(own, b.pitch, w, h, seed, &bx, &by);
		zc_check(bad == 0, "%s: pattern shows through the exporter's mapping (%llu bad)",
			 exporter, (unsigned long long)bad);
		zc_fill(own, b.pitch, w, h, seed + 1);
		zc_dmabuf_sync(b.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
		bad = zc_verify(map, b.pitch, w, h, seed + 1, &bx, &by);
		zc_dmabuf_sync(b.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
		zc_check(bad == 0, "%s: a write through the exporter's mapping shows in the dma-buf (%llu bad)",
			 exporter, (unsigned long long)bad);
		if (own_size)
			munmap(own, own_size);
	}

	struct dma_buf_export_sync_file ex = { .flags = DMA_BUF_SYNC_RW, .fd = -1 };
	r = ioctl(b.dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &ex);
	zc_check(r == 0 && ex.fd >= 0, "%s: DMA_BUF_IOCTL_EXPORT_SYNC_FILE (%s)", exporter,
		 r ? strerror(errno) : "ok");
	if (ex.fd >= 0)
		close(ex.fd);
	munmap(map, b.size);
out:
	zc_buf_destroy(&b);
}

int main(void)
{
	for (int i = 0; i < zc_exporter_count; i++)
		test_exporter(zc_exporters[i], (uint32_t)i * 3 + 1);
	printf("%d failure(s)\n", zc_failures);
	return zc_failures ? 1 : 0;
}
