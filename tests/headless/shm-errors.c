/* (e) Every wl_shm protocol error is raised with the right code, and a
 * client that shrinks its pool file under zcomp gets a clean error while
 * zcomp goes on serving others. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zct.h"

#define W 64
#define H 48

/* Pool requests may report on the pool or on wl_shm (the enum's owner). */
static const char *const shm_or_pool[] = { "wl_shm_pool", "wl_shm", NULL };
static const char *const shm_only[] = { "wl_shm", NULL };

struct pool_case {
	const char *what;
	int32_t pool_size;  /* what create_pool announces */
	off_t file_size;    /* the real file */
	int32_t offset, width, height, stride;
	uint32_t format;
	uint32_t code;
	bool on_create_pool; /* the error belongs to create_pool itself */
};

static const struct pool_case cases[] = {
	{ "pool size 0", 0, 4096, 0, 0, 0, 0, 0, WL_SHM_ERROR_INVALID_STRIDE, true },
	{ "pool size -4096", -4096, 4096, 0, 0, 0, 0, 0, WL_SHM_ERROR_INVALID_STRIDE, true },
	{ "unknown format", 65536, 65536, 0, 16, 16, 64, 0x20202020,
	  WL_SHM_ERROR_INVALID_FORMAT, false },
	{ "stride < width * bpp", 65536, 65536, 0, 16, 16, 60, WL_SHM_FORMAT_XRGB8888,
	  WL_SHM_ERROR_INVALID_STRIDE, false },
	{ "rgb565 stride < width * 2", 65536, 65536, 0, 16, 16, 30, WL_SHM_FORMAT_RGB565,
	  WL_SHM_ERROR_INVALID_STRIDE, false },
	{ "negative stride", 65536, 65536, 0, 16, 16, -64, WL_SHM_FORMAT_XRGB8888,
	  WL_SHM_ERROR_INVALID_STRIDE, false },
	{ "negative offset", 65536, 65536, -64, 16, 16, 64, WL_SHM_FORMAT_XRGB8888,
	  WL_SHM_ERROR_INVALID_STRIDE, false },
	{ "buffer past the pool end", 4096, 4096, 0, 16, 17, 256, WL_SHM_FORMAT_XRGB8888,
	  WL_SHM_ERROR_INVALID_STRIDE, false },
	{ "offset pushes the buffer out", 65536, 65536, 65536 - 4096 + 4, 16, 16, 256,
	  WL_SHM_FORMAT_XRGB8888, WL_SHM_ERROR_INVALID_STRIDE, false },
	{ "huge height overflows", 65536, 65536, 0, 16, 0x7fffffff, 64,
	  WL_SHM_FORMAT_XRGB8888, WL_SHM_ERROR_INVALID_STRIDE, false },
	{ "width 0", 65536, 65536, 0, 0, 16, 64, WL_SHM_FORMAT_XRGB8888,
	  WL_SHM_ERROR_INVALID_STRIDE, false },
	{ "height -1", 65536, 65536, 0, 16, -1, 64, WL_SHM_FORMAT_XRGB8888,
	  WL_SHM_ERROR_INVALID_STRIDE, false },
};

static void run_case(struct zct_compositor *comp, const struct pool_case *c)
{
	struct zct_client *client = zct_client_connect(comp);
	if (!client)
		return;
	int fd = zcc_create_shm_file((size_t)c->file_size);
	ZCT_CHECK(fd >= 0, "cannot create a shm file");
	struct wl_shm_pool *pool = wl_shm_create_pool(client->globals.shm, fd, c->pool_size);
	close(fd);
	struct wl_buffer *buffer = NULL;
	if (c->on_create_pool) {
		zct_expect_error_on(client, shm_only, c->code, c->what);
	} else {
		zct_expect_no_error(client, "a valid pool");
		buffer = wl_shm_pool_create_buffer(pool, c->offset, c->width, c->height,
			c->stride, c->format);
		zct_expect_error_on(client, shm_or_pool, c->code, c->what);
	}
	if (buffer)
		wl_buffer_destroy(buffer);
	wl_shm_pool_destroy(pool);
	zct_client_destroy(client);
}

static void test_pool_and_buffer_errors(struct zct_compositor *comp)
{
	for (size_t i = 0; i < ZC_LEN(cases); i++) {
		run_case(comp, &cases[i]);
		if (!zct_compositor_alive(comp))
			return;
	}
}

/* A pool may announce more than its file holds (the file may be cut after
 * the request left the client: wlcs's truncated-file test); a buffer the
 * file does not hold is invalid_fd on that wl_buffer when it is created,
 * one inside the file is fine. */
static void test_file_shorter_than_pool(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	if (!client)
		return;
	int fd = zcc_create_shm_file(4096);
	ZCT_CHECK(fd >= 0, "cannot create a shm file");
	struct wl_shm_pool *pool = wl_shm_create_pool(client->globals.shm, fd, 65536);
	close(fd);
	struct wl_buffer *inside = wl_shm_pool_create_buffer(pool, 0, 16, 16, 64,
		WL_SHM_FORMAT_XRGB8888);
	zct_expect_no_error(client, "a buffer inside the file of a larger pool");
	struct wl_buffer *past = wl_shm_pool_create_buffer(pool, 4096 - 512, 16, 16, 64,
		WL_SHM_FORMAT_XRGB8888);
	const char *const buffer_only[] = { "wl_buffer", NULL };
	zct_expect_error_on(client, buffer_only, WL_SHM_ERROR_INVALID_FD,
		"a buffer past the file's end");
	wl_buffer_destroy(past);
	wl_buffer_destroy(inside);
	wl_shm_pool_destroy(pool);
	zct_client_destroy(client);
}

/* An fd that cannot be mapped at all (a pipe) is invalid_fd too. */
static void test_unmappable_fd(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	int fds[2];
	if (!client || pipe(fds) < 0)
		goto cleanup;
	struct wl_shm_pool *pool = wl_shm_create_pool(client->globals.shm, fds[0], 4096);
	close(fds[0]);
	close(fds[1]);
	zct_expect_error_on(client, shm_only, WL_SHM_ERROR_INVALID_FD, "pipe as pool fd");
	wl_shm_pool_destroy(pool);
cleanup:
	zct_client_destroy(client);
}

/* wl_shm_pool.resize can only grow the pool. */
static void test_pool_shrink_request(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	if (!client)
		return;
	int fd = zcc_create_shm_file(8192);
	struct wl_shm_pool *pool = wl_shm_create_pool(client->globals.shm, fd, 8192);
	close(fd);
	wl_shm_pool_resize(pool, 4096);
	zct_expect_error_on(client, shm_or_pool, WL_SHM_ERROR_INVALID_STRIDE,
		"wl_shm_pool.resize to a smaller size");
	wl_shm_pool_destroy(pool);
	zct_client_destroy(client);
}

/* Shrinks the file behind a buffer it is about to show: zcomp must not
 * die of SIGBUS, but fail the client. */
static void test_file_shrunk_under_commit(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, true) : NULL;
	if (!window)
		goto cleanup;
	size_t size = (size_t)W * 4 * H;
	int fd = zcc_create_shm_file(size);
	struct wl_shm_pool *pool = wl_shm_create_pool(client->globals.shm, fd, (int32_t)size);
	struct wl_buffer *buffer = wl_shm_pool_create_buffer(pool, 0, W, H, W * 4,
		WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	zct_expect_no_error(client, "valid pool and buffer");
	ZCT_CHECK(ftruncate(fd, 0) == 0, "ftruncate");
	close(fd);
	wl_surface_attach(window->surface, buffer, 0, 0);
	wl_surface_damage_buffer(window->surface, 0, 0, W, H);
	wl_surface_commit(window->surface);
	const char *const ifaces[] = { "wl_shm", "wl_shm_pool", "wl_buffer", NULL };
	zct_expect_error_on(client, ifaces, WL_SHM_ERROR_INVALID_FD, "file shrunk under a commit");
	wl_buffer_destroy(buffer);
cleanup:
	zct_window_destroy(window);
	zct_client_destroy(client);
}

/* After all that, a well-behaved client still gets its frame on screen. */
static void test_next_client_served(struct zct_compositor *comp)
{
	if (!zct_compositor_alive(comp))
		return;
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, true) : NULL;
	struct zcc_buffer *buffer = NULL;
	struct zcc_image image;
	if (!window)
		goto cleanup;
	buffer = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 42);
	struct zct_frame frame = { 0 };
	zct_request_frame(window->surface, &frame);
	zct_show(window->surface, buffer);
	ZCT_CHECK(zct_wait(client, &frame.done, 2000), "no frame callback");
	if (zct_capture(client, 0, &image)) {
		ZCT_CHECK(zct_compare_pattern(&image, 0, 0, W, H, buffer->format, 42) == 0,
			"the healthy client's frame is not on screen");
		zcc_image_finish(&image);
	}
cleanup:
	zcc_buffer_destroy(buffer);
	zct_window_destroy(window);
	zct_client_destroy(client);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = W, .height = H };
	if (zct_compositor_start(&comp, &config)) {
		ZCT_RUN(test_pool_and_buffer_errors, &comp);
		ZCT_RUN(test_file_shorter_than_pool, &comp);
		ZCT_RUN(test_unmappable_fd, &comp);
		ZCT_RUN(test_pool_shrink_request, &comp);
		ZCT_RUN(test_file_shrunk_under_commit, &comp);
		ZCT_RUN(test_next_client_served, &comp);
	}
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
