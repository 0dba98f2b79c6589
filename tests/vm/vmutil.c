#define _GNU_SOURCE
#include "vmutil.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>

int zc_failures;

bool zc_check(bool cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(cond ? "ok: " : "FAIL: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	va_end(ap);
	if (!cond)
		zc_failures++;
	return cond;
}

int zc_open_driver(const char *driver, bool render, char *path_out, size_t path_len)
{
	for (int i = 0; i < 16; i++) {
		char path[64];
		snprintf(path, sizeof(path), render ? "/dev/dri/renderD%d" : "/dev/dri/card%d",
			 render ? 128 + i : i);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		drmVersionPtr v = drmGetVersion(fd);
		bool match = v && v->name && strcmp(v->name, driver) == 0;
		drmFreeVersion(v);
		if (match) {
			if (path_out)
				snprintf(path_out, path_len, "%s", path);
			return fd;
		}
		close(fd);
	}
	return -1;
}

int zc_dumb_create(int card_fd, uint32_t width, uint32_t height, struct zc_dumb *out)
{
	struct drm_mode_create_dumb c = { .width = width, .height = height, .bpp = 32 };
	memset(out, 0, sizeof(*out));
	out->fd = -1;
	if (drmIoctl(card_fd, DRM_IOCTL_MODE_CREATE_DUMB, &c) < 0)
		return -errno;
	out->fd = card_fd;
	out->handle = c.handle;
	out->pitch = c.pitch;
	out->size = c.size;
	out->width = width;
	out->height = height;
	return 0;
}

int zc_dumb_map(struct zc_dumb *d)
{
	struct drm_mode_map_dumb m = { .handle = d->handle };
	if (drmIoctl(d->fd, DRM_IOCTL_MODE_MAP_DUMB, &m) < 0)
		return -errno;
	void *p = mmap(NULL, d->size, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd, (off_t)m.offset);
	if (p == MAP_FAILED)
		return -errno;
	d->map = p;
	return 0;
}

void zc_dumb_destroy(struct zc_dumb *d)
{
	if (d->map)
		munmap(d->map, d->size);
	if (d->fd >= 0) {
		struct drm_mode_destroy_dumb x = { .handle = d->handle };
		drmIoctl(d->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &x);
	}
	d->map = NULL;
	d->fd = -1;
}

int zc_dmabuf_sync(int dmabuf_fd, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };
	int r;
	do {
		r = ioctl(dmabuf_fd, DMA_BUF_IOCTL_SYNC, &s);
	} while (r < 0 && (errno == EINTR || errno == EAGAIN));
	return r < 0 ? -errno : 0;
}

int zc_udmabuf_create(size_t size, int *memfd_out)
{
	*memfd_out = -1;
	int memfd = memfd_create("zc-vm-udmabuf", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (memfd < 0)
		return -errno;
	if (ftruncate(memfd, (off_t)size) < 0 || fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK) < 0) {
		int e = errno;
		close(memfd);
		return -e;
	}
	int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		int e = errno;
		close(memfd);
		return -e;
	}
	struct udmabuf_create c = {
		.memfd = (uint32_t)memfd, .flags = UDMABUF_FLAGS_CLOEXEC, .offset = 0, .size = size,
	};
	int fd = ioctl(dev, UDMABUF_CREATE, &c);
	int e = errno;
	close(dev);
	if (fd < 0) {
		close(memfd);
		return -e;
	}
	*memfd_out = memfd;
	return fd;
}

int zc_heap_create(size_t size)
{
	int heap = open("/dev/dma_heap/system", O_RDWR | O_CLOEXEC);
	if (heap < 0)
		return -errno;
	struct dma_heap_allocation_data a = { .len = size, .fd_flags = O_RDWR | O_CLOEXEC };
	int r = ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &a);
	int e = errno;
	close(heap);
	return r < 0 ? -e : (int)a.fd;
}

uint32_t zc_pattern(uint32_t x, uint32_t y, uint32_t seed)
{
	uint32_t r = (x + seed * 37u) & 0xff;
	uint32_t g = (y + seed * 101u) & 0xff;
	uint32_t b = ((x >> 8) * 16u + (y >> 8) * 64u + (((x ^ y) >> 4) & 0xf) + seed * 13u) & 0xff;
	return 0xff000000u | r << 16 | g << 8 | b;
}

void zc_fill(void *map, uint32_t pitch, uint32_t width, uint32_t height, uint32_t seed)
{
	for (uint32_t y = 0; y < height; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)map + (size_t)y * pitch);
		for (uint32_t x = 0; x < width; x++)
			row[x] = zc_pattern(x, y, seed);
	}
}

uint64_t zc_verify(const void *map, uint32_t pitch, uint32_t width, uint32_t height,
		   uint32_t seed, uint32_t *bad_x, uint32_t *bad_y)
{
	uint64_t bad = 0;
	for (uint32_t y = 0; y < height; y++) {
		const uint32_t *row = (const uint32_t *)((const uint8_t *)map + (size_t)y * pitch);
		for (uint32_t x = 0; x < width; x++) {
			if ((row[x] & 0xffffff) != (zc_pattern(x, y, seed) & 0xffffff)) {
				if (bad++ == 0 && bad_x && bad_y) {
					*bad_x = x;
					*bad_y = y;
				}
			}
		}
	}
	return bad;
}

static int ppm_token(FILE *f, uint32_t *out)
{
	int c;
	for (;;) {
		c = fgetc(f);
		if (c == '#') {
			while (c != '\n' && c != EOF)
				c = fgetc(f);
		} else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
			break;
		}
	}
	if (c < '0' || c > '9')
		return -1;
	uint64_t v = 0;
	while (c >= '0' && c <= '9') {
		v = v * 10 + (uint64_t)(c - '0');
		if (v > 1u << 20)
			return -1;
		c = fgetc(f);
	}
	*out = (uint32_t)v; /* the single whitespace after the token is consumed */
	return 0;
}

int zc_ppm_read(const char *path, struct zc_ppm *out)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	uint32_t maxval = 0;
	int ret = -EINVAL;
	if (fgetc(f) != 'P' || fgetc(f) != '6' || ppm_token(f, &out->width) < 0 ||
	    ppm_token(f, &out->height) < 0 || ppm_token(f, &maxval) < 0 || maxval != 255 ||
	    out->width == 0 || out->height == 0)
		goto done;
	size_t n = (size_t)out->width * out->height * 3;
	out->rgb = malloc(n);
	if (!out->rgb) {
		ret = -ENOMEM;
		goto done;
	}
	if (fread(out->rgb, 1, n, f) != n) {
		free(out->rgb);
		out->rgb = NULL;
		goto done;
	}
	ret = 0;
done:
	fclose(f);
	return ret;
}

int zc_ppm_write(const char *path, const struct zc_ppm *ppm)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -errno;
	size_t n = (size_t)ppm->width * ppm->height * 3;
	fprintf(f, "P6\n%u %u\n255\n", ppm->width, ppm->height);
	bool ok = fwrite(ppm->rgb, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -EIO;
}

void zc_ppm_free(struct zc_ppm *ppm)
{
	free(ppm->rgb);
	ppm->rgb = NULL;
}

int zc_run(char *const argv[])
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char *const zc_exporters[] = { "udmabuf", "dma-heap", "vgem", "virtio_gpu", "vkms" };
const int zc_exporter_count = (int)(sizeof(zc_exporters) / sizeof(zc_exporters[0]));

int zc_buf_create(const char *exporter, uint32_t width, uint32_t height, struct zc_buf *out)
{
	memset(out, 0, sizeof(*out));
	out->exporter = exporter;
	out->dmabuf = out->memfd = out->card = -1;
	out->dumb.fd = -1;
	out->width = width;
	out->height = height;
	if (strcmp(exporter, "udmabuf") == 0 || strcmp(exporter, "dma-heap") == 0) {
		long page = sysconf(_SC_PAGESIZE);
		out->pitch = width * 4;
		out->size = ((uint64_t)out->pitch * height + (uint64_t)page - 1) & ~((uint64_t)page - 1);
		int fd = exporter[0] == 'u' ? zc_udmabuf_create(out->size, &out->memfd)
					    : zc_heap_create(out->size);
		if (fd < 0)
			return fd;
		out->dmabuf = fd;
		return 0;
	}
	out->card = zc_open_driver(exporter, false, NULL, 0);
	if (out->card < 0)
		return -ENODEV;
	int r = zc_dumb_create(out->card, width, height, &out->dumb);
	if (r < 0)
		return r;
	out->pitch = out->dumb.pitch;
	out->size = out->dumb.size;
	int fd;
	if (drmPrimeHandleToFD(out->card, out->dumb.handle, DRM_CLOEXEC | DRM_RDWR, &fd) < 0)
		return -errno;
	out->dmabuf = fd;
	return 0;
}

void zc_buf_destroy(struct zc_buf *b)
{
	if (b->dmabuf >= 0)
		close(b->dmabuf);
	if (b->memfd >= 0)
		close(b->memfd);
	zc_dumb_destroy(&b->dumb);
	if (b->card >= 0)
		close(b->card);
	b->dmabuf = b->memfd = b->card = -1;
}
