/* zc-vm-dmabuf-bench: the cost of zcomp's CPU path for one full-damage frame
 * of a client dma-buf, next to a plain memcpy of the same frame, all in one
 * run on one machine. The path is the compositor's own: the pixman renderer
 * drawing a buffer whose CPU access is a cached mmap bracketed by
 * DMA_BUF_IOCTL_SYNC START|READ and END|READ (renderer/dmabuf.c).
 *
 *   zc-vm-dmabuf-bench [-S udmabuf|dumb|heap] [-d DEV] [-f FORMAT] [-s WxH] [-n FRAMES]
 */
#include <drm_fourcc.h>
#include <getopt.h>
#include <linux/dma-buf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "renderer/dmabuf.h"
#include "renderer/renderers.h"
#include "dmabuf-alloc.h"

/* A client dma-buf as the renderer sees it, with the same access rules as
 * compositor/protocols/linux_dmabuf.c: mapped once, every read synced. */
struct bench_buffer {
	struct zc_buffer base;
	const struct dmabuf_layout *layout;
	int fd;
	struct dmabuf_mapping map;
};

static bool bench_begin(struct zc_buffer *buffer, uint32_t access, struct zc_cpu_view *view)
{
	struct bench_buffer *b = (struct bench_buffer *)buffer;
	if (!b->map.base && !dmabuf_map(b->fd, 0, b->layout->size, &b->map))
		return false;
	dmabuf_sync(b->fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	*view = (struct zc_cpu_view){ .format = buffer->format, .n_planes = b->layout->n_planes };
	for (int i = 0; i < b->layout->n_planes; i++) {
		view->data[i] = b->map.data + b->layout->offset[i];
		view->stride[i] = b->layout->stride[i];
	}
	return true;
}

static void bench_end(struct zc_buffer *buffer)
{
	dmabuf_sync(((struct bench_buffer *)buffer)->fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
}

static void bench_destroy(struct zc_buffer *buffer)
{
	dmabuf_unmap(&((struct bench_buffer *)buffer)->map);
}

static const struct zc_buffer_impl bench_impl = {
	.name = "dmabuf",
	.destroy = bench_destroy,
	.begin_cpu_access = bench_begin,
	.end_cpu_access = bench_end,
};

struct clocks {
	struct timespec cpu, wall;
};

static void clocks_now(struct clocks *c)
{
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c->cpu);
	clock_gettime(CLOCK_MONOTONIC, &c->wall);
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* Prints one line and returns the CPU ms per frame. */
static double report(const char *what, const struct clocks *t0, const struct clocks *t1, int n,
	double bytes)
{
	printf("%-34s cpu %7.3f ms/frame  wall %7.3f ms/frame  read %9.0f bytes/frame"
	       "  (%.2f GB/s)\n", what, ms_between(&t0->cpu, &t1->cpu) / n,
		ms_between(&t0->wall, &t1->wall) / n, bytes,
		bytes * n / (ms_between(&t0->cpu, &t1->cpu) * 1e6));
	return ms_between(&t0->cpu, &t1->cpu) / n;
}

/* Every frame: the whole buffer is damage, every target pixel is drawn. */
static double bench_renderer(struct zc_buffer *src, int n, double bytes)
{
	struct zc_renderer *r = pix_renderer_create();
	struct zc_buffer *target = memory_buffer_create(src->width, src->height,
		DRM_FORMAT_XRGB8888);
	pixman_region32_t all;
	pixman_region32_init_rect(&all, 0, 0, (uint32_t)src->width, (uint32_t)src->height);
	struct zc_draw draw = { .width = src->width, .height = src->height,
		.src_width = src->width, .src_height = src->height, .clip = &all,
		.buffer_damage = &all };
	struct clocks t0, t1;
	clocks_now(&t0);
	for (int i = 0; i < n; i++) {
		r->impl->begin(r, target, &all);
		r->impl->draw_buffer(r, src, &draw);
		r->impl->end(r);
	}
	clocks_now(&t1);
	double ms = report("zcomp CPU path (sync+pixman)", &t0, &t1, n, bytes);
	pixman_region32_fini(&all);
	buffer_drop(target);
	renderer_destroy(r);
	return ms;
}

static double bench_memcpy(const char *what, const uint8_t *from, int fd, size_t bytes, int n)
{
	uint8_t *to = malloc(bytes);
	struct clocks t0, t1;
	clocks_now(&t0);
	for (int i = 0; i < n; i++) {
		if (fd >= 0)
			dmabuf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
		memcpy(to, from, bytes);
		if (fd >= 0)
			dmabuf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
		/* Keep the copy from being optimised away. */
		__asm__ volatile("" : : "r"(to) : "memory");
	}
	clocks_now(&t1);
	double ms = report(what, &t0, &t1, n, (double)bytes);
	free(to);
	return ms;
}

int main(int argc, char **argv)
{
	enum dmabuf_source source = DMABUF_SOURCE_UDMABUF;
	const char *device = "vgem";
	uint32_t format = DRM_FORMAT_XRGB8888;
	int32_t w = 1280, h = 720;
	int n = 200, c;
	while ((c = getopt(argc, argv, "S:d:f:s:n:")) != -1) {
		switch (c) {
		case 'S': source = strcmp(optarg, "dumb") == 0 ? DMABUF_SOURCE_DUMB :
				   strcmp(optarg, "heap") == 0 ? DMABUF_SOURCE_HEAP :
				   DMABUF_SOURCE_UDMABUF; break;
		case 'd': device = optarg; break;
		case 'f': format = dmabuf_format_from_name(optarg); break;
		case 's': if (sscanf(optarg, "%dx%d", &w, &h) != 2) return 2; break;
		case 'n': n = atoi(optarg); break;
		default: return 2;
		}
	}
	struct dmabuf_layout layout;
	struct dmabuf_alloc alloc;
	int card = source == DMABUF_SOURCE_DUMB ? dmabuf_open_card(device) : -1;
	if (n <= 0 || !dmabuf_layout_init(&layout, format, w, h, 0, 0) ||
	    !dmabuf_alloc_create(&alloc, source, card, layout.size) ||
	    !dmabuf_write_pattern(&alloc, &layout, 1))
		return 1;
	struct bench_buffer src = { .layout = &layout, .fd = alloc.fd };
	buffer_init(&src.base, &bench_impl, NULL, w, h, format);
	/* The bytes a frame's planes span: what the CPU path reads. */
	size_t frame_bytes = layout.offset[layout.n_planes - 1] +
		(size_t)layout.stride[layout.n_planes - 1] *
		(size_t)(layout.n_planes > 1 ? (h + 1) / 2 : h);
	printf("%s %dx%d, %d frames, full damage, frame = %zu bytes\n",
		dmabuf_format_name(format), w, h, n, frame_bytes);
	double path = bench_renderer(&src.base, n, (double)frame_bytes);
	double copy = bench_memcpy("memcpy from the dma-buf (+sync)", alloc.map, alloc.fd,
		frame_bytes, n);
	/* Issue 14's yardstick: the CPU path against copying what it reads. */
	printf("ratio %s %dx%d: CPU path / memcpy of the bytes read = %.2fx\n",
		dmabuf_format_name(format), w, h, copy > 0 ? path / copy : 0.0);
	uint8_t *plain = malloc(frame_bytes);
	memcpy(plain, alloc.map, frame_bytes);
	bench_memcpy("memcpy malloc -> malloc", plain, -1, frame_bytes, n);
	free(plain);
	buffer_drop(&src.base);
	dmabuf_alloc_destroy(&alloc);
	if (card >= 0)
		close(card);
	return 0;
}
