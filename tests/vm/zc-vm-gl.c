/* Guest test (issue 6): the GL renderer's per-buffer choice between EGL import and the CPU
 * path, in process. For EGL on GBM over the virtio-gpu card and over the vkms card, and on
 * the surfaceless platform, the udmabuf, vgem and the device's own XRGB8888 dma-bufs
 * (linear, pattern-filled) are each imported as a zc_buffer, drawn 1:1 into a memory target
 * and read back: the pixels must be the pattern exactly, whichever path was taken, and the
 * path must be the expected one:
 *   - a device's own buffers are imported by EGL (zero copy);
 *   - virtio-gpu refuses foreign buffers at eglCreateImage: the CPU path;
 *   - on vkms and surfaceless, llvmpipe (Mesa 25.0, the guest's only GL) accepts foreign
 *     buffers but cannot map them (DRM_IOCTL_MODE_MAP_DUMB is refused for PRIME imports)
 *     and would crash drawing them: the renderer detects it and takes the CPU path. A
 *     hardware GL would import them. */
#include "vmutil.h"

#include <drm_fourcc.h>
#include <linux/dma-buf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buffer.h"
#include "base/log.h"
#include "renderer/dmabuf.h"
#include "renderer/gl.h"
#include "renderer/renderers.h"

#define W 160
#define H 120

/* A dma-buf zc_buffer as linux-dmabuf makes them: attribs, and CPU access by mmap + sync. */
struct test_buf {
	struct zc_buffer base;
	struct zc_dmabuf_attribs attribs;
	struct dmabuf_mapping map;
};

static struct test_buf *test_buf_from(struct zc_buffer *buffer)
{
	return (struct test_buf *)((char *)buffer - offsetof(struct test_buf, base));
}

static void test_buf_destroy(struct zc_buffer *buffer)
{
	free(test_buf_from(buffer));
}

static bool test_buf_begin(struct zc_buffer *buffer, uint32_t access, struct zc_cpu_view *view)
{
	struct test_buf *b = test_buf_from(buffer);
	const struct zc_dmabuf_attribs *a = &b->attribs;
	if (!dmabuf_map(a->fd[0], 0, (uint64_t)a->stride[0] * (uint64_t)a->height, &b->map))
		return false;
	dmabuf_sync(a->fd[0], DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	*view = (struct zc_cpu_view){ .format = a->format, .n_planes = 1,
		.data = { b->map.data }, .stride = { a->stride[0] } };
	return true;
}

static void test_buf_end(struct zc_buffer *buffer)
{
	struct test_buf *b = test_buf_from(buffer);
	dmabuf_sync(b->attribs.fd[0], DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	dmabuf_unmap(&b->map);
}

static const struct zc_dmabuf_attribs *test_buf_get_dmabuf(struct zc_buffer *buffer)
{
	return &test_buf_from(buffer)->attribs;
}

static const struct zc_buffer_impl test_buf_impl = {
	.name = "dmabuf",
	.destroy = test_buf_destroy,
	.begin_cpu_access = test_buf_begin,
	.end_cpu_access = test_buf_end,
	.get_dmabuf = test_buf_get_dmabuf,
};

static struct zc_buffer *test_buf_create(const struct zc_buf *zb)
{
	struct test_buf *b = calloc(1, sizeof(*b));
	b->attribs = (struct zc_dmabuf_attribs){ .width = W, .height = H,
		.format = DRM_FORMAT_XRGB8888, .modifier = DRM_FORMAT_MOD_LINEAR, .n_planes = 1,
		.fd = { zb->dmabuf, -1, -1, -1 }, .stride = { zb->pitch } };
	buffer_init(&b->base, &test_buf_impl, NULL, W, H, DRM_FORMAT_XRGB8888);
	return &b->base;
}

/* Writes the pattern through the dma-buf's own mapping, as a client would. */
static bool fill_dmabuf(const struct zc_buf *zb, uint32_t seed)
{
	void *map = mmap(NULL, zb->size, PROT_READ | PROT_WRITE, MAP_SHARED, zb->dmabuf, 0);
	if (map == MAP_FAILED)
		return false;
	zc_dmabuf_sync(zb->dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	zc_fill(map, zb->pitch, W, H, seed);
	zc_dmabuf_sync(zb->dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	munmap(map, zb->size);
	return true;
}

/* One frame drawing src 1:1 over the whole target. */
static bool draw_once(struct zc_renderer *r, struct zc_buffer *target, struct zc_buffer *src,
	struct zc_draw_stats *stats)
{
	static const float black[4] = { 0, 0, 0, 1 };
	pixman_region32_t all;
	pixman_region32_init_rect(&all, 0, 0, W, H);
	struct zc_draw draw = { .width = W, .height = H, .src_width = W, .src_height = H,
		.clip = &all, .buffer_damage = &all, .stats = stats };
	bool ok = renderer_begin(r, target, &all);
	if (ok) {
		renderer_clear(r, &all, black);
		renderer_draw_buffer(r, src, &draw);
		ok = renderer_end(r);
	}
	pixman_region32_fini(&all);
	return ok;
}

/* The path expected (see the top), or NULL where it depends on what Mesa picks: the
 * surfaceless platform runs on a device of its choosing, vgem in this guest. */
static const char *expected_path(struct zc_renderer *gl, const char *device,
	const char *exporter)
{
	if (strcmp(exporter, device) == 0)
		return "gpu-import";
	if (strcmp(exporter, "udmabuf") != 0 && strcmp(device, "surfaceless") == 0)
		return NULL;
	if (strcmp(device, "virtio_gpu") == 0 || gl_from_renderer(gl)->software)
		return "cpu-mmap";
	return "gpu-import";
}

static void check_exporter(struct zc_renderer *gl, const char *device, const char *exporter)
{
	struct zc_buf zb;
	if (zc_buf_create(exporter, W, H, &zb) < 0 || !fill_dmabuf(&zb, 6)) {
		printf("  %-12s %-11s (no buffer)\n", device, exporter);
		zc_buf_destroy(&zb);
		return;
	}
	struct zc_buffer *src = test_buf_create(&zb);
	struct zc_buffer *target = memory_buffer_create(W, H, DRM_FORMAT_XRGB8888);
	bool imported = renderer_import_buffer(gl, src);
	struct zc_draw_stats stats = { 0 };
	uint64_t bad = W * H;
	uint32_t bx = 0, by = 0;
	struct zc_cpu_view v;
	if (imported && draw_once(gl, target, src, &stats) &&
	    buffer_begin_cpu_access(target, ZC_CPU_READ, &v)) {
		bad = zc_verify(v.data[0], v.stride[0], W, H, 6, &bx, &by);
		buffer_end_cpu_access(target);
	}
	const char *path = zc_draw_path_name(stats.path);
	printf("  %-12s %-11s %-10s %-10s cpu bytes %-7llu bad pixels %llu\n", device, exporter,
		imported ? "imported" : "refused", path, (unsigned long long)stats.cpu_bytes,
		(unsigned long long)bad);
	zc_check(imported && bad == 0, "%s/%s shown pixel-exact (first bad %u,%u)", device,
		exporter, bx, by);
	const char *want = expected_path(gl, device, exporter);
	if (want)
		zc_check(strcmp(path, want) == 0, "%s/%s takes %s (got %s)", device, exporter, want,
			path);
	buffer_drop(src);
	buffer_drop(target);
	zc_buf_destroy(&zb);
}

/* Each case in a child: a crash inside the driver (seen with llvmpipe sampling imported
 * dma-bufs) fails that case and not the ones after it. */
static void check_in_child(const char *device, int fd, const char *exporter)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		struct zc_renderer *gl = gl_renderer_create(fd);
		if (zc_check(gl != NULL, "GL renderer on %s", device)) {
			check_exporter(gl, device, exporter);
			renderer_destroy(gl);
		}
		fflush(NULL);
		_exit(zc_failures ? 1 : 0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		zc_check(false, "%s/%s: crashed with signal %d", device, exporter, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		zc_failures++;
}

static void check_device(const char *device)
{
	int fd = -1;
	if (strcmp(device, "surfaceless") != 0) {
		fd = zc_open_driver(device, false, NULL, 0);
		if (!zc_check(fd >= 0, "%s card node", device))
			return;
	}
	/* The exporters issue 6 names, and the device's own buffers. */
	const char *exporters[] = { "udmabuf", "vgem", device };
	int n = fd >= 0 ? 3 : 2;
	for (int i = 0; i < n; i++)
		check_in_child(device, fd, exporters[i]);
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	zc_log_init(ZC_LOG_INFO);
	printf("  %-12s %-11s %-10s %-10s\n", "EGL on", "exporter", "import", "path");
	check_device("virtio_gpu");
	check_device("vkms");
	check_device("surfaceless");
	return zc_failures ? 1 : 0;
}
