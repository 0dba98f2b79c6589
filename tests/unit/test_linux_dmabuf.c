/* zwp_linux_dmabuf_v1 on the host: every params error that needs no real
 * dma-buf, the refusal of fds that are not dma-bufs, fds closed on every
 * path, and version 4 feedback with a stand-in main device. */
#define _GNU_SOURCE /* memfd_create, F_GET_SEALS */

#include <drm_fourcc.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "protocols/linux_dmabuf.h"
#include "renderer/renderers.h"
#include "check.h"
#include "harness.h"
#include "linux-dmabuf-v1-client-protocol.h"

static struct th_server srv;

struct dm_client {
	struct th_client c;
	struct wl_registry *registry;
	struct zwp_linux_dmabuf_v1 *dmabuf;
	uint32_t want_version;
	int n_modifiers;
	bool xrgb_linear, nv12_linear, any_implicit;
	bool failed, created;
	/* feedback */
	int table_fd;
	uint32_t table_size;
	dev_t main_device, target_device;
	size_t n_indices;
	bool indices_in_table, done;
};

static void handle_format(void *data, struct zwp_linux_dmabuf_v1 *d, uint32_t format)
{
}

static void handle_modifier(void *data, struct zwp_linux_dmabuf_v1 *d, uint32_t format,
	uint32_t hi, uint32_t lo)
{
	struct dm_client *dc = data;
	uint64_t mod = (uint64_t)hi << 32 | lo;
	dc->n_modifiers++;
	dc->xrgb_linear |= format == DRM_FORMAT_XRGB8888 && mod == DRM_FORMAT_MOD_LINEAR;
	dc->nv12_linear |= format == DRM_FORMAT_NV12 && mod == DRM_FORMAT_MOD_LINEAR;
	dc->any_implicit |= mod == DRM_FORMAT_MOD_INVALID;
}

static const struct zwp_linux_dmabuf_v1_listener dmabuf_listener = {
	.format = handle_format,
	.modifier = handle_modifier,
};

static void handle_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct dm_client *dc = data;
	if (strcmp(interface, zwp_linux_dmabuf_v1_interface.name) != 0)
		return;
	dc->dmabuf = wl_registry_bind(registry, name, &zwp_linux_dmabuf_v1_interface,
		dc->want_version < version ? dc->want_version : version);
	zwp_linux_dmabuf_v1_add_listener(dc->dmabuf, &dmabuf_listener, dc);
}

static void handle_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = handle_global,
	.global_remove = handle_global_remove,
};

static bool dm_connect(struct dm_client *dc, uint32_t version)
{
	*dc = (struct dm_client){ .want_version = version, .table_fd = -1 };
	if (!th_client_connect(&dc->c, &srv))
		return false;
	dc->registry = wl_display_get_registry(dc->c.display);
	wl_registry_add_listener(dc->registry, &registry_listener, dc);
	return th_roundtrip(&dc->c) && dc->dmabuf && th_roundtrip(&dc->c);
}

static void dm_disconnect(struct dm_client *dc)
{
	if (dc->table_fd >= 0)
		close(dc->table_fd);
	/* Proxies die with the display; the harness destroys the server side. */
	th_client_disconnect(&dc->c);
}

static bool with_global(const dev_t *device)
{
	if (!th_server_init(&srv))
		return false;
	srv.server.renderer = pix_renderer_create();
	srv.server.linux_dmabuf = linux_dmabuf_create(&srv.server, device);
	return srv.server.renderer && srv.server.linux_dmabuf;
}

static void without_global(void)
{
	wl_display_destroy_clients(srv.display);
	linux_dmabuf_destroy(srv.server.linux_dmabuf);
	renderer_destroy(srv.server.renderer);
	th_server_finish(&srv);
}

static int memfd_of(size_t size)
{
	int fd = memfd_create("zc-not-dmabuf", MFD_CLOEXEC);
	if (fd >= 0 && ftruncate(fd, (off_t)size) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- params ---- */

static void handle_created(void *data, struct zwp_linux_buffer_params_v1 *p,
	struct wl_buffer *buffer)
{
	((struct dm_client *)data)->created = true;
}

static void handle_failed(void *data, struct zwp_linux_buffer_params_v1 *p)
{
	((struct dm_client *)data)->failed = true;
}

static const struct zwp_linux_buffer_params_v1_listener params_listener = {
	.created = handle_created,
	.failed = handle_failed,
};

static struct zwp_linux_buffer_params_v1 *params_new(struct dm_client *dc)
{
	struct zwp_linux_buffer_params_v1 *p = zwp_linux_dmabuf_v1_create_params(dc->dmabuf);
	zwp_linux_buffer_params_v1_add_listener(p, &params_listener, dc);
	return p;
}

static void add(struct zwp_linux_buffer_params_v1 *p, int fd, uint32_t plane, uint32_t offset,
	uint32_t stride, uint64_t mod)
{
	zwp_linux_buffer_params_v1_add(p, fd, plane, offset, stride, (uint32_t)(mod >> 32),
		(uint32_t)mod);
}

typedef void (*mistake_fn)(struct zwp_linux_buffer_params_v1 *p, int fd);

static void m_already_used(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 0, 64, DRM_FORMAT_MOD_LINEAR);
	zwp_linux_buffer_params_v1_create(p, 16, 16, DRM_FORMAT_XRGB8888, 0);
	zwp_linux_buffer_params_v1_create(p, 16, 16, DRM_FORMAT_XRGB8888, 0);
}

static void m_plane_idx(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 4, 0, 64, DRM_FORMAT_MOD_LINEAR);
}

static void m_plane_set(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 1, 0, 64, DRM_FORMAT_MOD_LINEAR);
	add(p, fd, 1, 0, 64, DRM_FORMAT_MOD_LINEAR);
}

static void m_incomplete(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	zwp_linux_buffer_params_v1_create(p, 16, 16, DRM_FORMAT_XRGB8888, 0);
}

static void m_incomplete_yuv(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 0, 16, DRM_FORMAT_MOD_LINEAR);
	add(p, fd, 1, 256, 8, DRM_FORMAT_MOD_LINEAR);
	zwp_linux_buffer_params_v1_create(p, 16, 16, DRM_FORMAT_YUV420, 0);
}

static void m_missing_chroma(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 0, 16, DRM_FORMAT_MOD_LINEAR);
	zwp_linux_buffer_params_v1_create(p, 16, 16, DRM_FORMAT_NV12, 0);
}

static void m_extra_plane_packed(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 0, 32, DRM_FORMAT_MOD_LINEAR);
	add(p, fd, 1, 512, 32, DRM_FORMAT_MOD_LINEAR);
	zwp_linux_buffer_params_v1_create(p, 16, 16, DRM_FORMAT_YUYV, 0);
}

/* Layouts that split a sample: refused before the fd is even looked at,
 * so a memfd shows the alignment check (the error a dma-buf would get). */
static void m_odd_chroma_offset(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 0, 16, DRM_FORMAT_MOD_LINEAR);
	add(p, fd, 1, 257, 16, DRM_FORMAT_MOD_LINEAR);
	zwp_linux_buffer_params_v1_create_immed(p, 16, 16, DRM_FORMAT_NV12, 0);
}

static void m_odd_chroma_stride(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 0, 15, DRM_FORMAT_MOD_LINEAR);
	add(p, fd, 1, 256, 15, DRM_FORMAT_MOD_LINEAR);
	zwp_linux_buffer_params_v1_create_immed(p, 15, 16, DRM_FORMAT_NV21, 0);
}

static void m_split_macropixel(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 2, 32, DRM_FORMAT_MOD_LINEAR);
	zwp_linux_buffer_params_v1_create_immed(p, 16, 16, DRM_FORMAT_UYVY, 0);
}

static void m_invalid_format(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 0, 64, DRM_FORMAT_MOD_LINEAR);
	zwp_linux_buffer_params_v1_create(p, 16, 16, fourcc_code('Z', 'Z', 'Z', 'Z'), 0);
}

static void m_invalid_modifier(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 0, 64, I915_FORMAT_MOD_X_TILED);
	zwp_linux_buffer_params_v1_create(p, 16, 16, DRM_FORMAT_XRGB8888, 0);
}

/* Two planes of one buffer with different modifiers: version 5 refuses the
 * second add, version 4 the create. */
static void m_mixed_modifiers_add(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 0, 16, DRM_FORMAT_MOD_LINEAR);
	add(p, fd, 1, 256, 16, I915_FORMAT_MOD_X_TILED);
}

static void m_mixed_modifiers_create(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	m_mixed_modifiers_add(p, fd);
	zwp_linux_buffer_params_v1_create(p, 16, 16, DRM_FORMAT_NV12, 0);
}

static void m_invalid_dimensions(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 0, 64, DRM_FORMAT_MOD_LINEAR);
	zwp_linux_buffer_params_v1_create(p, 16, 0, DRM_FORMAT_XRGB8888, 0);
}

static void m_overflow(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 0xfffff000u, 0x2000, DRM_FORMAT_MOD_LINEAR);
	zwp_linux_buffer_params_v1_create(p, 16, 16, DRM_FORMAT_XRGB8888, 0);
}

static void m_immed_memfd(struct zwp_linux_buffer_params_v1 *p, int fd)
{
	add(p, fd, 0, 0, 64, DRM_FORMAT_MOD_LINEAR);
	zwp_linux_buffer_params_v1_create_immed(p, 16, 16, DRM_FORMAT_XRGB8888, 0);
}

static void expect_error(mistake_fn mistake, uint32_t version, uint32_t code, const char *what)
{
	struct dm_client dc;
	int fd = memfd_of(64 * 16);
	CHECK_MSG(dm_connect(&dc, version), what);
	mistake(params_new(&dc), fd);
	CHECK_MSG(th_expect_error(&dc.c, &zwp_linux_buffer_params_v1_interface, code), what);
	dm_disconnect(&dc);
	close(fd);
}

static void test_params_errors(void)
{
	dev_t dev = makedev(226, 128);
	if (!with_global(&dev))
		return;
	int fds_before = th_count_fds();
	const uint32_t v4 = 4;
	expect_error(m_already_used, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_ALREADY_USED,
		"already_used");
	expect_error(m_plane_idx, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_PLANE_IDX, "plane_idx");
	expect_error(m_plane_set, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_PLANE_SET, "plane_set");
	expect_error(m_incomplete, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INCOMPLETE, "incomplete");
	expect_error(m_incomplete_yuv, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INCOMPLETE,
		"incomplete yuv420");
	expect_error(m_missing_chroma, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INCOMPLETE,
		"nv12 without chroma");
	expect_error(m_extra_plane_packed, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INCOMPLETE,
		"yuyv with two planes");
	expect_error(m_odd_chroma_offset, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_WL_BUFFER,
		"nv12 odd chroma offset");
	expect_error(m_odd_chroma_stride, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_WL_BUFFER,
		"nv21 odd chroma stride");
	expect_error(m_split_macropixel, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_WL_BUFFER,
		"uyvy offset inside a macropixel");
	expect_error(m_invalid_format, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_FORMAT,
		"invalid_format");
	expect_error(m_invalid_modifier, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_FORMAT,
		"invalid modifier (v4)");
	expect_error(m_mixed_modifiers_create, v4,
		ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_FORMAT, "mixed modifiers at create (v4)");
	expect_error(m_mixed_modifiers_add, 5, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_FORMAT,
		"mixed modifiers at add (v5)");
	expect_error(m_invalid_dimensions, v4,
		ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_DIMENSIONS, "invalid_dimensions");
	expect_error(m_overflow, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_OUT_OF_BOUNDS, "overflow");
	expect_error(m_immed_memfd, v4, ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_WL_BUFFER,
		"create_immed with a memfd");
	/* Every fd the server received was closed on the error paths. */
	CHECK_EQ(th_count_fds(), fds_before);
	without_global();
}

/* Not a dma-buf, or a v3 client's unadvertised modifier: `failed`, and the
 * client carries on. */
static void expect_failed(int fd, uint64_t mod, uint32_t version, const char *what)
{
	struct dm_client dc;
	CHECK_MSG(dm_connect(&dc, version), what);
	struct zwp_linux_buffer_params_v1 *p = params_new(&dc);
	add(p, fd, 0, 0, 64, mod);
	zwp_linux_buffer_params_v1_create(p, 16, 16, DRM_FORMAT_XRGB8888, 0);
	CHECK_MSG(th_roundtrip(&dc.c), what);
	CHECK_MSG(dc.failed && !dc.created, what);
	zwp_linux_buffer_params_v1_destroy(p);
	CHECK_MSG(th_roundtrip(&dc.c), what);
	dm_disconnect(&dc);
}

static void test_not_dmabuf_fails(void)
{
	if (!with_global(NULL))
		return;
	int fds_before = th_count_fds();
	int memfd = memfd_of(4096), pipes[2], null = open("/dev/null", O_RDWR | O_CLOEXEC);
	CHECK(pipe(pipes) == 0);
	expect_failed(memfd, DRM_FORMAT_MOD_LINEAR, 4, "memfd");
	expect_failed(pipes[0], DRM_FORMAT_MOD_LINEAR, 4, "pipe");
	expect_failed(null, DRM_FORMAT_MOD_LINEAR, 4, "/dev/null");
	expect_failed(memfd, I915_FORMAT_MOD_X_TILED, 3, "v3 unadvertised modifier");
	close(memfd);
	close(pipes[0]);
	close(pipes[1]);
	close(null);
	CHECK_EQ(th_count_fds(), fds_before);
	without_global();
}

/* Without a DRM device: version 3, the linear pairs as modifier events. */
static void test_version3_offer(void)
{
	if (!with_global(NULL))
		return;
	struct dm_client dc;
	CHECK(dm_connect(&dc, 4));
	CHECK_EQ(wl_proxy_get_version((struct wl_proxy *)dc.dmabuf), 3);
	CHECK(dc.xrgb_linear && dc.nv12_linear && dc.any_implicit);
	dm_disconnect(&dc);
	without_global();
}

/* ---- feedback ---- */

static void fb_done(void *data, struct zwp_linux_dmabuf_feedback_v1 *f)
{
	((struct dm_client *)data)->done = true;
}

static void fb_format_table(void *data, struct zwp_linux_dmabuf_feedback_v1 *f, int32_t fd,
	uint32_t size)
{
	struct dm_client *dc = data;
	dc->table_fd = fd;
	dc->table_size = size;
}

static void fb_device(struct wl_array *array, dev_t *out)
{
	if (array->size == sizeof(dev_t))
		memcpy(out, array->data, sizeof(dev_t));
}

static void fb_main_device(void *data, struct zwp_linux_dmabuf_feedback_v1 *f,
	struct wl_array *device)
{
	fb_device(device, &((struct dm_client *)data)->main_device);
}

static void fb_tranche_done(void *data, struct zwp_linux_dmabuf_feedback_v1 *f)
{
}

static void fb_target_device(void *data, struct zwp_linux_dmabuf_feedback_v1 *f,
	struct wl_array *device)
{
	fb_device(device, &((struct dm_client *)data)->target_device);
}

static void fb_formats(void *data, struct zwp_linux_dmabuf_feedback_v1 *f,
	struct wl_array *indices)
{
	struct dm_client *dc = data;
	const uint16_t *i;
	dc->indices_in_table = true;
	wl_array_for_each(i, indices) {
		dc->n_indices++;
		dc->indices_in_table &= (uint32_t)*i * 16 < dc->table_size;
	}
}

static void fb_flags(void *data, struct zwp_linux_dmabuf_feedback_v1 *f, uint32_t flags)
{
}

static const struct zwp_linux_dmabuf_feedback_v1_listener fb_listener = {
	.done = fb_done,
	.format_table = fb_format_table,
	.main_device = fb_main_device,
	.tranche_done = fb_tranche_done,
	.tranche_target_device = fb_target_device,
	.tranche_formats = fb_formats,
	.tranche_flags = fb_flags,
};

static void test_feedback(void)
{
	dev_t dev = makedev(226, 129);
	if (!with_global(&dev))
		return;
	struct dm_client dc;
	CHECK(dm_connect(&dc, 4));
	CHECK_EQ(dc.n_modifiers, 0); /* version 4 learns formats from feedback only */
	struct zwp_linux_dmabuf_feedback_v1 *fb =
		zwp_linux_dmabuf_v1_get_default_feedback(dc.dmabuf);
	zwp_linux_dmabuf_feedback_v1_add_listener(fb, &fb_listener, &dc);
	th_pump(&dc.c, &dc.done);
	CHECK(dc.done);
	CHECK(dc.main_device == dev && dc.target_device == dev);
	CHECK(dc.table_fd >= 0 && dc.table_size > 0 && dc.table_size % 16 == 0);
	CHECK_EQ(dc.n_indices, dc.table_size / 16);
	CHECK(dc.indices_in_table);
	int seals = fcntl(dc.table_fd, F_GET_SEALS);
	int want = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
	CHECK((seals & want) == want);
	/* Sealed: even a writable fd cannot change what clients mapped. */
	CHECK(pwrite(dc.table_fd, "x", 1, 0) < 0);
	void *map = mmap(NULL, dc.table_size, PROT_READ, MAP_PRIVATE, dc.table_fd, 0);
	CHECK(map != MAP_FAILED);
	bool nv12 = false;
	for (uint32_t i = 0; map != MAP_FAILED && i < dc.table_size / 16; i++) {
		const uint32_t *e = (const uint32_t *)((const uint8_t *)map + i * 16);
		uint64_t mod;
		memcpy(&mod, e + 2, sizeof(mod));
		nv12 |= e[0] == DRM_FORMAT_NV12 && mod == DRM_FORMAT_MOD_LINEAR;
	}
	CHECK(nv12);
	if (map != MAP_FAILED)
		munmap(map, dc.table_size);
	dm_disconnect(&dc);
	without_global();
}

int main(void)
{
	RUN(test_params_errors);
	RUN(test_not_dmabuf_fails);
	RUN(test_version3_offer);
	RUN(test_feedback);
	return check_exit_status();
}
