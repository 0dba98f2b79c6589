/* memfd_create */
#define _GNU_SOURCE

#include <drm_fourcc.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wayland-client-protocol.h>
#include <wayland-server-protocol.h>

#include "base/buffer.h"
#include "base/formats.h"
#include "check.h"
#include "harness.h"
#include "protocols/shm.h"

static struct th_server srv;

/* A client bound to wl_shm, remembering the formats it was told. */
struct shm_client {
	struct th_client c;
	struct wl_registry *registry;
	struct wl_shm *shm;
	uint32_t formats[64];
	size_t n_formats;
	/* Proxies to free at disconnect, which leaves them to us. */
	struct wl_proxy *proxies[8];
	size_t n_proxies;
};

static void handle_shm_format(void *data, struct wl_shm *shm, uint32_t format)
{
	struct shm_client *sc = data;
	if (sc->n_formats < ZC_ARRAY_LEN(sc->formats))
		sc->formats[sc->n_formats++] = format;
}

static const struct wl_shm_listener shm_listener = {
	.format = handle_shm_format,
};

static void handle_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct shm_client *sc = data;
	if (strcmp(interface, wl_shm_interface.name) != 0)
		return;
	sc->shm = wl_registry_bind(registry, name, &wl_shm_interface, 2);
	wl_shm_add_listener(sc->shm, &shm_listener, sc);
}

static void handle_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = handle_global,
	.global_remove = handle_global_remove,
};

static bool shm_client_connect(struct shm_client *sc)
{
	*sc = (struct shm_client){ 0 };
	if (!th_client_connect(&sc->c, &srv))
		return false;
	sc->registry = wl_display_get_registry(sc->c.display);
	wl_registry_add_listener(sc->registry, &registry_listener, sc);
	return th_roundtrip(&sc->c) && sc->shm && th_roundtrip(&sc->c);
}

static void shm_client_disconnect(struct shm_client *sc)
{
	for (size_t i = 0; i < sc->n_proxies; i++) {
		if (sc->proxies[i])
			wl_proxy_destroy(sc->proxies[i]);
	}
	if (sc->shm)
		wl_proxy_destroy((struct wl_proxy *)sc->shm);
	wl_proxy_destroy((struct wl_proxy *)sc->registry);
	th_client_disconnect(&sc->c);
}

static void *track(struct shm_client *sc, void *proxy)
{
	if (sc->n_proxies == ZC_ARRAY_LEN(sc->proxies))
		abort();
	sc->proxies[sc->n_proxies++] = proxy;
	return proxy;
}

/* For proxies the test destroys itself. */
static void untrack(struct shm_client *sc, void *proxy)
{
	for (size_t i = 0; i < sc->n_proxies; i++) {
		if (sc->proxies[i] == proxy)
			sc->proxies[i] = NULL;
	}
}

static struct wl_shm_pool *make_pool(struct shm_client *sc, int fd, int32_t size)
{
	return track(sc, wl_shm_create_pool(sc->shm, fd, size));
}

static struct wl_buffer *make_buffer(struct shm_client *sc, struct wl_shm_pool *pool,
	int32_t offset, int32_t width, int32_t height, int32_t stride, uint32_t format)
{
	return track(sc, wl_shm_pool_create_buffer(pool, offset, width, height, stride,
		format));
}

static bool shm_client_has_format(const struct shm_client *sc, uint32_t format)
{
	for (size_t i = 0; i < sc->n_formats; i++) {
		if (sc->formats[i] == format)
			return true;
	}
	return false;
}

/* A memfd of size bytes whose 32-bit words hold their own index. */
static int make_memfd(size_t size)
{
	int fd = memfd_create("zc-test-shm", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
		perror("memfd");
		exit(2);
	}
	uint32_t *words = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (words == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	for (size_t i = 0; i < size / 4; i++)
		words[i] = (uint32_t)i;
	munmap(words, size);
	return fd;
}

/* The server-side zc_buffer behind a client's wl_buffer. */
static struct zc_buffer *server_buffer(struct shm_client *sc, struct wl_buffer *proxy)
{
	struct wl_resource *resource = th_resource(&sc->c, proxy);
	return resource ? buffer_from_resource(resource) : NULL;
}

static void test_formats_advertised(void)
{
	struct shm_client sc;
	CHECK(shm_client_connect(&sc));
	CHECK(shm_client_has_format(&sc, WL_SHM_FORMAT_ARGB8888));
	CHECK(shm_client_has_format(&sc, WL_SHM_FORMAT_XRGB8888));
	CHECK(shm_client_has_format(&sc, WL_SHM_FORMAT_ARGB2101010));
	CHECK(shm_client_has_format(&sc, WL_SHM_FORMAT_XRGB2101010));
	CHECK(shm_client_has_format(&sc, WL_SHM_FORMAT_ABGR2101010));
	CHECK(shm_client_has_format(&sc, WL_SHM_FORMAT_XBGR2101010));
	CHECK(shm_client_has_format(&sc, WL_SHM_FORMAT_RGB565));
	/* Never the DRM spelling of the two original codes. */
	CHECK(!shm_client_has_format(&sc, DRM_FORMAT_ARGB8888));
	/* YUV for GStreamer's system-memory caps (issue 14). */
	CHECK(shm_client_has_format(&sc, WL_SHM_FORMAT_NV12));
	CHECK(shm_client_has_format(&sc, WL_SHM_FORMAT_YUYV));
	CHECK(shm_client_has_format(&sc, WL_SHM_FORMAT_YUV420));

	size_t n, with_pixman = 0;
	const struct zc_format_info *table = format_table(&n);
	for (size_t i = 0; i < n; i++)
		with_pixman += table[i].pixman != 0 || table[i].yuv;
	CHECK_EQ(sc.n_formats, with_pixman);
	shm_client_disconnect(&sc);
}

/* Pool creation, expecting the given wl_shm error (or none for -1). */
static void check_create_pool(int fd, int32_t size, int64_t code, const char *what)
{
	struct shm_client sc;
	CHECK(shm_client_connect(&sc));
	struct wl_shm_pool *pool = make_pool(&sc, fd, size);
	if (code < 0)
		CHECK_MSG(th_roundtrip(&sc.c), what);
	else
		CHECK_MSG(th_expect_error(&sc.c, &wl_shm_interface, (uint32_t)code), what);
	(void)pool;
	shm_client_disconnect(&sc);
}

static void test_create_pool_errors(void)
{
	int fd = make_memfd(4096);
	check_create_pool(fd, 0, WL_SHM_ERROR_INVALID_STRIDE, "size 0");
	check_create_pool(fd, -4096, WL_SHM_ERROR_INVALID_STRIDE, "negative size");
	/* A file shorter than its pool is refused per buffer, on the wl_buffer
	 * whose bytes it lacks (tests/headless/shm-errors.c). */
	check_create_pool(fd, 8192, -1, "file smaller than pool");
	check_create_pool(fd, 4096, -1, "file as big as the pool");
	check_create_pool(fd, 100, -1, "file bigger than the pool");
	close(fd);

	int pipe_fds[2];
	CHECK(pipe(pipe_fds) == 0);
	check_create_pool(pipe_fds[0], 4096, WL_SHM_ERROR_INVALID_FD, "unmappable fd");
	close(pipe_fds[0]);
	close(pipe_fds[1]);
}

struct buffer_case {
	const char *what;
	int32_t offset, width, height, stride;
	uint32_t format;
	int64_t code; /* wl_shm error, -1 for a valid buffer */
};

#define POOL_SIZE 4096

static const struct buffer_case buffer_cases[] = {
	{ "valid", 0, 16, 16, 64, WL_SHM_FORMAT_ARGB8888, -1 },
	{ "exactly the pool", 0, 16, 64, 64, WL_SHM_FORMAT_XRGB8888, -1 },
	{ "padded stride", 64, 8, 8, 100, WL_SHM_FORMAT_XRGB8888, -1 },
	{ "odd width rgb565", 2, 3, 4, 6, WL_SHM_FORMAT_RGB565, -1 },
	{ "rgb888", 0, 3, 4, 9, WL_SHM_FORMAT_RGB888, -1 },
	{ "2101010", 0, 4, 4, 16, WL_SHM_FORMAT_XBGR2101010, -1 },
	{ "unknown format", 0, 4, 4, 16, 0xdeadbeef, WL_SHM_ERROR_INVALID_FORMAT },
	/* Issue 14: YUV, planes back to back after the offset. */
	{ "nv12", 0, 16, 16, 16, WL_SHM_FORMAT_NV12, -1 },
	{ "nv12 odd size", 4, 7, 5, 8, WL_SHM_FORMAT_NV12, -1 },
	{ "i420 exactly the pool", 0, 64, 42, 64, WL_SHM_FORMAT_YUV420, -1 },
	{ "yuyv odd width", 0, 3, 4, 8, WL_SHM_FORMAT_YUYV, -1 },
	{ "yuv444", 0, 4, 4, 4, WL_SHM_FORMAT_YUV444, -1 },
	{ "nv16", 0, 6, 3, 6, WL_SHM_FORMAT_NV61, -1 },
	{ "i420 chroma beyond the pool", 0, 64, 64, 64, WL_SHM_FORMAT_YUV420,
	  WL_SHM_ERROR_INVALID_STRIDE },
	{ "i420 last chroma row beyond", 0, 64, 43, 64, WL_SHM_FORMAT_YUV420,
	  WL_SHM_ERROR_INVALID_STRIDE },
	{ "nv12 stride odd", 0, 5, 4, 5, WL_SHM_FORMAT_NV12, WL_SHM_ERROR_INVALID_STRIDE },
	{ "yuyv stride splits a macropixel", 0, 4, 4, 10, WL_SHM_FORMAT_YUYV,
	  WL_SHM_ERROR_INVALID_STRIDE },
	{ "yuyv odd width short stride", 0, 3, 4, 6, WL_SHM_FORMAT_YUYV,
	  WL_SHM_ERROR_INVALID_STRIDE },
	{ "yuv420 size overflows", 0, 1, INT32_MAX, 2, WL_SHM_FORMAT_YUV420,
	  WL_SHM_ERROR_INVALID_STRIDE },
	{ "unadvertised format", 0, 4, 4, 4, WL_SHM_FORMAT_C8, WL_SHM_ERROR_INVALID_FORMAT },
	{ "zero width", 0, 0, 4, 16, WL_SHM_FORMAT_ARGB8888, WL_SHM_ERROR_INVALID_STRIDE },
	{ "zero height", 0, 4, 0, 16, WL_SHM_FORMAT_ARGB8888, WL_SHM_ERROR_INVALID_STRIDE },
	{ "negative width", 0, -4, 4, 16, WL_SHM_FORMAT_ARGB8888, WL_SHM_ERROR_INVALID_STRIDE },
	{ "stride too small", 0, 4, 4, 12, WL_SHM_FORMAT_ARGB8888, WL_SHM_ERROR_INVALID_STRIDE },
	{ "negative stride", 0, 4, 4, -16, WL_SHM_FORMAT_ARGB8888, WL_SHM_ERROR_INVALID_STRIDE },
	{ "stride splits pixels", 0, 4, 4, 18, WL_SHM_FORMAT_ARGB8888,
	  WL_SHM_ERROR_INVALID_STRIDE },
	{ "odd rgb565 stride", 0, 3, 4, 7, WL_SHM_FORMAT_RGB565, WL_SHM_ERROR_INVALID_STRIDE },
	{ "negative offset", -4, 4, 4, 16, WL_SHM_FORMAT_ARGB8888, WL_SHM_ERROR_INVALID_STRIDE },
	{ "beyond the pool", 0, 16, 65, 64, WL_SHM_FORMAT_ARGB8888, WL_SHM_ERROR_INVALID_STRIDE },
	{ "offset past the end", 4, 16, 64, 64, WL_SHM_FORMAT_ARGB8888,
	  WL_SHM_ERROR_INVALID_STRIDE },
	{ "offset beyond the pool", POOL_SIZE, 1, 1, 4, WL_SHM_FORMAT_ARGB8888,
	  WL_SHM_ERROR_INVALID_STRIDE },
	{ "size overflows", INT32_MAX, 1, INT32_MAX, INT32_MAX - 3, WL_SHM_FORMAT_ARGB8888,
	  WL_SHM_ERROR_INVALID_STRIDE },
	{ "width overflows stride", 0, INT32_MAX, 1, INT32_MAX - 3, WL_SHM_FORMAT_ARGB8888,
	  WL_SHM_ERROR_INVALID_STRIDE },
};

static void check_buffer_case(const struct buffer_case *bc)
{
	struct shm_client sc;
	CHECK(shm_client_connect(&sc));
	int fd = make_memfd(POOL_SIZE);
	struct wl_shm_pool *pool = make_pool(&sc, fd, POOL_SIZE);
	struct wl_buffer *buffer = make_buffer(&sc, pool, bc->offset, bc->width,
		bc->height, bc->stride, bc->format);
	if (bc->code >= 0) {
		CHECK_MSG(th_expect_error(&sc.c, &wl_shm_pool_interface, (uint32_t)bc->code),
			bc->what);
	} else if (th_roundtrip(&sc.c)) {
		struct zc_buffer *b = server_buffer(&sc, buffer);
		CHECK_MSG(b && b->width == bc->width && b->height == bc->height, bc->what);
		CHECK_MSG(b && b->format == format_from_shm(bc->format), bc->what);
	} else {
		CHECK_MSG(false, bc->what);
	}
	close(fd);
	shm_client_disconnect(&sc);
}

static void test_create_buffer_validation(void)
{
	for (size_t i = 0; i < ZC_ARRAY_LEN(buffer_cases); i++)
		check_buffer_case(&buffer_cases[i]);
}

static void test_cpu_access(void)
{
	struct shm_client sc;
	CHECK(shm_client_connect(&sc));
	int fd = make_memfd(8192);
	struct wl_shm_pool *pool = make_pool(&sc, fd, 8192);
	struct wl_buffer *proxy = make_buffer(&sc, pool, 1024, 8, 4, 64,
		WL_SHM_FORMAT_XRGB8888);
	/* Buffers keep their pool alive. */
	untrack(&sc, pool);
	wl_shm_pool_destroy(pool);
	CHECK(th_roundtrip(&sc.c));
	struct zc_buffer *b = server_buffer(&sc, proxy);
	CHECK(b != NULL);
	if (!b)
		goto out;
	CHECK(strcmp(b->impl->name, "shm") == 0);
	CHECK(b->opaque);
	CHECK(buffer_get_dmabuf(b) == NULL);

	struct zc_cpu_view view;
	CHECK(buffer_begin_cpu_access(b, ZC_CPU_READ | ZC_CPU_WRITE, &view));
	CHECK_EQ(view.format, DRM_FORMAT_XRGB8888);
	CHECK_EQ(view.n_planes, 1);
	CHECK_EQ(view.stride[0], 64);
	const uint32_t *words = view.data[0];
	CHECK_EQ(words[0], 1024 / 4);
	CHECK_EQ(words[3 * 16 + 7], (1024 + 3 * 64 + 7 * 4) / 4);
	((uint32_t *)view.data[0])[1] = 0xcafe; /* lands in the client's file */
	buffer_end_cpu_access(b);

	uint32_t word;
	CHECK(pread(fd, &word, sizeof(word), 1028) == sizeof(word) && word == 0xcafe);
out:
	close(fd);
	shm_client_disconnect(&sc);
}

/* A read-only fd gives a read-only pool: readable, refused for writing. */
/* I420's chroma planes where the implicit wl_shm layout puts them. */
static void test_yuv_planes(void)
{
	struct shm_client sc;
	CHECK(shm_client_connect(&sc));
	int fd = make_memfd(POOL_SIZE);
	struct wl_shm_pool *pool = make_pool(&sc, fd, POOL_SIZE);
	struct wl_buffer *proxy = make_buffer(&sc, pool, 100, 10, 5, 12,
		WL_SHM_FORMAT_YUV420);
	CHECK(th_roundtrip(&sc.c));
	struct zc_buffer *b = server_buffer(&sc, proxy);
	struct zc_cpu_view view;
	CHECK(b && buffer_begin_cpu_access(b, ZC_CPU_READ, &view));
	if (!b)
		goto out;
	CHECK_EQ(view.n_planes, 3);
	CHECK_EQ(view.stride[1], 6);
	CHECK_EQ(view.stride[2], 6);
	const uint8_t *y = view.data[0];
	CHECK((const uint8_t *)view.data[1] - y == 12 * 5);
	CHECK((const uint8_t *)view.data[2] - y == 12 * 5 + 6 * 3);
	buffer_end_cpu_access(b);
out:
	close(fd);
	shm_client_disconnect(&sc);
}

static void test_read_only_fd(void)
{
	struct shm_client sc;
	CHECK(shm_client_connect(&sc));
	int fd = make_memfd(4096);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int ro = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(ro >= 0);
	struct wl_shm_pool *pool = make_pool(&sc, ro, 4096);
	struct wl_buffer *proxy = make_buffer(&sc, pool, 0, 4, 4, 16,
		WL_SHM_FORMAT_ARGB8888);
	CHECK(th_roundtrip(&sc.c));
	struct zc_buffer *b = server_buffer(&sc, proxy);
	struct zc_cpu_view view;
	CHECK(b && !buffer_begin_cpu_access(b, ZC_CPU_WRITE, &view));
	CHECK(b && buffer_begin_cpu_access(b, ZC_CPU_READ, &view));
	if (b) {
		CHECK_EQ(((const uint32_t *)view.data[0])[5], 5);
		buffer_end_cpu_access(b);
	}
	close(ro);
	close(fd);
	shm_client_disconnect(&sc);
}

static void test_pool_resize(void)
{
	struct shm_client sc;
	CHECK(shm_client_connect(&sc));
	int fd = make_memfd(8192);
	struct wl_shm_pool *pool = make_pool(&sc, fd, 4096);
	struct wl_buffer *before = make_buffer(&sc, pool, 0, 4, 4, 16,
		WL_SHM_FORMAT_ARGB8888);
	wl_shm_pool_resize(pool, 4096); /* same size is no shrink */
	wl_shm_pool_resize(pool, 8192);
	struct wl_buffer *after = make_buffer(&sc, pool, 4096, 16, 64, 64,
		WL_SHM_FORMAT_ARGB8888);
	CHECK(th_roundtrip(&sc.c));

	/* Both buffers see the new mapping. */
	struct zc_buffer *b = server_buffer(&sc, after);
	struct zc_buffer *a = server_buffer(&sc, before);
	struct zc_cpu_view view;
	CHECK(b && buffer_begin_cpu_access(b, ZC_CPU_READ, &view));
	if (b) {
		CHECK_EQ(((const uint32_t *)view.data[0])[16 * 64 - 1], 8192 / 4 - 1);
		buffer_end_cpu_access(b);
	}
	CHECK(a && buffer_begin_cpu_access(a, ZC_CPU_READ, &view));
	if (a) {
		CHECK_EQ(((const uint32_t *)view.data[0])[7], 7);
		buffer_end_cpu_access(a);
	}

	wl_shm_pool_resize(pool, 16384);
	CHECK(th_expect_error(&sc.c, &wl_shm_pool_interface, WL_SHM_ERROR_INVALID_FD));
	shm_client_disconnect(&sc);

	CHECK(shm_client_connect(&sc));
	pool = make_pool(&sc, fd, 8192);
	wl_shm_pool_resize(pool, 4096);
	CHECK(th_expect_error(&sc.c, &wl_shm_pool_interface, WL_SHM_ERROR_INVALID_STRIDE));
	shm_client_disconnect(&sc);
	close(fd);
}

static void test_shm_release(void)
{
	struct shm_client sc;
	CHECK(shm_client_connect(&sc));
	int fd = make_memfd(4096);
	struct wl_shm_pool *pool = make_pool(&sc, fd, 4096);
	CHECK_EQ(wl_shm_get_version(sc.shm), 2);
	wl_shm_release(sc.shm);
	sc.shm = NULL;
	CHECK(th_roundtrip(&sc.c));
	/* Objects made through it are unaffected. */
	struct wl_buffer *proxy = make_buffer(&sc, pool, 0, 4, 4, 16,
		WL_SHM_FORMAT_ARGB8888);
	CHECK(th_roundtrip(&sc.c));
	CHECK(server_buffer(&sc, proxy) != NULL);
	close(fd);
	shm_client_disconnect(&sc);
}

static uint32_t read_all(const struct zc_cpu_view *view, int32_t height)
{
	uint32_t sum = 0;
	const volatile uint8_t *bytes = view->data[0];
	for (size_t i = 0; i < (size_t)view->stride[0] * (size_t)height; i++)
		sum += bytes[i];
	return sum;
}

/* The client shrinks its file after handing it over; the compositor reads
 * zeroes and the client gets an error instead of the compositor dying. */
static void test_pool_shrunk_under_us(void)
{
	struct shm_client sc;
	CHECK(shm_client_connect(&sc));
	int fd = make_memfd(65536);
	struct wl_shm_pool *pool = make_pool(&sc, fd, 65536);
	struct wl_buffer *proxy = make_buffer(&sc, pool, 0, 64, 64, 256,
		WL_SHM_FORMAT_ARGB8888);
	CHECK(th_roundtrip(&sc.c));
	struct zc_buffer *b = server_buffer(&sc, proxy);
	CHECK(b != NULL);
	if (!b)
		goto out;
	buffer_lock(b);
	struct zc_cpu_view view;
	CHECK(buffer_begin_cpu_access(b, ZC_CPU_READ, &view));
	CHECK(read_all(&view, 64) != 0);
	buffer_end_cpu_access(b);

	CHECK(ftruncate(fd, 0) == 0);
	CHECK(buffer_begin_cpu_access(b, ZC_CPU_READ, &view));
	CHECK_EQ(read_all(&view, 64), 0);
	buffer_end_cpu_access(b);
	CHECK(th_expect_error(&sc.c, &wl_buffer_interface, WL_SHM_ERROR_INVALID_FD));

	/* Still safe to read after the error, and after the client is gone. */
	CHECK(buffer_begin_cpu_access(b, ZC_CPU_READ, &view));
	CHECK_EQ(read_all(&view, 64), 0);
	buffer_end_cpu_access(b);
	shm_client_disconnect(&sc);
	CHECK(buffer_begin_cpu_access(b, ZC_CPU_READ, &view));
	CHECK_EQ(read_all(&view, 64), 0);
	buffer_end_cpu_access(b);
	buffer_unlock(b);
	close(fd);
	return;
out:
	close(fd);
	shm_client_disconnect(&sc);
}

/* Capture writes frames into client buffers: a shrunk file must not kill
 * the compositor there either. */
static void test_pool_shrunk_during_write(void)
{
	struct shm_client sc;
	CHECK(shm_client_connect(&sc));
	int fd = make_memfd(16384);
	struct wl_shm_pool *pool = make_pool(&sc, fd, 16384);
	struct wl_buffer *proxy = make_buffer(&sc, pool, 0, 64, 64, 256,
		WL_SHM_FORMAT_XRGB8888);
	CHECK(th_roundtrip(&sc.c));
	struct zc_buffer *b = server_buffer(&sc, proxy);
	CHECK(b != NULL);
	CHECK(ftruncate(fd, 4096) == 0);
	struct zc_cpu_view view;
	if (b && buffer_begin_cpu_access(b, ZC_CPU_WRITE, &view)) {
		memset(view.data[0], 0x5a, (size_t)view.stride[0] * 64);
		buffer_end_cpu_access(b);
		CHECK(th_expect_error(&sc.c, &wl_buffer_interface, WL_SHM_ERROR_INVALID_FD));
	} else {
		CHECK(!"write access refused");
	}
	close(fd);
	shm_client_disconnect(&sc);
}

/* As above, but the client already destroyed the wl_buffer: the error goes
 * to the pool. */
static void test_pool_shrunk_buffer_destroyed(void)
{
	struct shm_client sc;
	CHECK(shm_client_connect(&sc));
	int fd = make_memfd(4096);
	struct wl_shm_pool *pool = make_pool(&sc, fd, 4096);
	struct wl_buffer *proxy = make_buffer(&sc, pool, 0, 32, 32, 128,
		WL_SHM_FORMAT_ARGB8888);
	CHECK(th_roundtrip(&sc.c));
	struct zc_buffer *b = server_buffer(&sc, proxy);
	CHECK(b != NULL);
	if (b) {
		buffer_lock(b);
		untrack(&sc, proxy);
		wl_buffer_destroy(proxy);
		CHECK(th_roundtrip(&sc.c));
		CHECK(ftruncate(fd, 0) == 0);
		struct zc_cpu_view view;
		CHECK(buffer_begin_cpu_access(b, ZC_CPU_READ, &view));
		CHECK_EQ(read_all(&view, 32), 0);
		buffer_end_cpu_access(b);
		CHECK(th_expect_error(&sc.c, &wl_shm_pool_interface,
			WL_SHM_ERROR_INVALID_FD));
		buffer_unlock(b);
	}
	close(fd);
	shm_client_disconnect(&sc);
}

/* Runs fn in a child and says whether the fault killed it: by SIGBUS, or
 * by whatever handler was there before ours (a sanitizer's exits 1). */
static bool dies_of_sigbus(void (*fn)(struct zc_buffer *), struct zc_buffer *buffer)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };
		setrlimit(RLIMIT_CORE, &no_core);
		/* A handler that swallows the fault would spin on it forever. */
		alarm(5);
		/* What a sanitizer's handler prints here is expected. */
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		fn(buffer);
		_exit(0);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	/* A sanitizer chained behind our handler reports the fault and then
	 * aborts (abort_on_error=1, as meson sets it) or exits 1. */
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGBUS || WTERMSIG(status) == SIGABRT;
	return WEXITSTATUS(status) == 1;
}

static void fault_elsewhere(struct zc_buffer *buffer)
{
	int fd = make_memfd(4096);
	volatile uint8_t *other = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (other == MAP_FAILED || ftruncate(fd, 0) < 0)
		_exit(3);
	struct zc_cpu_view view;
	if (buffer && !buffer_begin_cpu_access(buffer, ZC_CPU_READ, &view))
		_exit(4);
	(void)other[0];
}

/* Our handler must not swallow faults that are not in a pool being read. */
static void test_foreign_sigbus_still_kills(void)
{
	struct shm_client sc;
	CHECK(shm_client_connect(&sc));
	int fd = make_memfd(4096);
	struct wl_shm_pool *pool = make_pool(&sc, fd, 4096);
	struct wl_buffer *proxy = make_buffer(&sc, pool, 0, 4, 4, 16,
		WL_SHM_FORMAT_ARGB8888);
	CHECK(th_roundtrip(&sc.c));
	struct zc_buffer *b = server_buffer(&sc, proxy);
	CHECK(b != NULL);
	fflush(stderr);
	CHECK(dies_of_sigbus(fault_elsewhere, NULL));
	CHECK(b && dies_of_sigbus(fault_elsewhere, b));
	close(fd);
	shm_client_disconnect(&sc);
}

/* Every error test would make libwayland print the error on both sides;
 * th_expect_error says what was wrong instead. */
static void quiet_log(const char *fmt, va_list args)
{
}

int main(void)
{
	zc_log_init(ZC_LOG_ERROR);
	wl_log_set_handler_client(quiet_log);
	wl_log_set_handler_server(quiet_log);
	if (!th_server_init(&srv) || !shm_global_create(&srv.server)) {
		fprintf(stderr, "cannot set up the server\n");
		return 1;
	}
	int fds = th_count_fds();

	RUN(test_formats_advertised);
	RUN(test_create_pool_errors);
	RUN(test_create_buffer_validation);
	RUN(test_cpu_access);
	RUN(test_yuv_planes);
	RUN(test_read_only_fd);
	RUN(test_pool_resize);
	RUN(test_shm_release);
	RUN(test_pool_shrunk_under_us);
	RUN(test_pool_shrunk_during_write);
	RUN(test_pool_shrunk_buffer_destroyed);
	RUN(test_foreign_sigbus_still_kills);

	/* Every pool closed its fd, whatever path it died by. */
	CHECK_EQ(th_count_fds(), fds);
	shm_global_destroy(&srv.server);
	CHECK(srv.server.shm == NULL);
	th_server_finish(&srv);
	return check_exit_status();
}
