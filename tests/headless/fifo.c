/* Issue 17: wp_fifo_v1. Updates with set_barrier + wait_barrier sent in one
 * burst are shown one per refresh, none skipped; a surface that is on no
 * output progresses at the refresh rate, never faster, never stalled; the
 * protocol errors. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fifo-v1-client-protocol.h"
#include "zct.h"

#define N 30
#define REFRESH_MHZ 60000
#define PERIOD_NS (1000000000000ll / REFRESH_MHZ)

struct fifo_client {
	struct zct_client *client;
	struct wp_fifo_manager_v1 *manager;
};

static bool fifo_client_connect(struct fifo_client *fc, struct zct_compositor *comp)
{
	memset(fc, 0, sizeof(*fc));
	fc->client = zct_client_connect(comp);
	if (!fc->client)
		return false;
	fc->manager = zct_bind(fc->client, &wp_fifo_manager_v1_interface, 1);
	return fc->manager != NULL;
}

static void fifo_client_finish(struct fifo_client *fc)
{
	if (fc->manager)
		wp_fifo_manager_v1_destroy(fc->manager);
	if (fc->client)
		zct_client_destroy(fc->client);
}

static int compare_ns(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int64_t now_ns(void)
{
	return zcc_now_nsec(CLOCK_MONOTONIC);
}

static void test_already_exists(struct zct_compositor *comp)
{
	struct fifo_client fc;
	if (!fifo_client_connect(&fc, comp))
		goto out;
	struct wl_surface *surface = wl_compositor_create_surface(fc.client->globals.compositor);
	struct wp_fifo_v1 *fifo = wp_fifo_manager_v1_get_fifo(fc.manager, surface);
	zct_expect_no_error(fc.client, "first get_fifo");
	/* Destroying the object lets a new one be made. */
	wp_fifo_v1_destroy(fifo);
	fifo = wp_fifo_manager_v1_get_fifo(fc.manager, surface);
	zct_expect_no_error(fc.client, "get_fifo after destroy");
	wp_fifo_manager_v1_get_fifo(fc.manager, surface);
	zct_expect_error(fc.client, &wp_fifo_manager_v1_interface,
		WP_FIFO_MANAGER_V1_ERROR_ALREADY_EXISTS, "second get_fifo");
out:
	fifo_client_finish(&fc);
}

static void test_surface_destroyed(struct zct_compositor *comp, bool wait)
{
	struct fifo_client fc;
	if (!fifo_client_connect(&fc, comp))
		goto out;
	struct wl_surface *surface = wl_compositor_create_surface(fc.client->globals.compositor);
	struct wp_fifo_v1 *fifo = wp_fifo_manager_v1_get_fifo(fc.manager, surface);
	wl_surface_destroy(surface);
	zct_expect_no_error(fc.client, "surface destroyed");
	if (wait)
		wp_fifo_v1_wait_barrier(fifo);
	else
		wp_fifo_v1_set_barrier(fifo);
	zct_expect_error(fc.client, &wp_fifo_v1_interface, WP_FIFO_V1_ERROR_SURFACE_DESTROYED,
		wait ? "wait_barrier" : "set_barrier");
out:
	fifo_client_finish(&fc);
}

static void test_surface_destroyed_set(struct zct_compositor *comp)
{
	test_surface_destroyed(comp, false);
}

static void test_surface_destroyed_wait(struct zct_compositor *comp)
{
	test_surface_destroyed(comp, true);
}

/* A fullscreen window: N updates in one burst, each shown for a refresh. */
static void test_visible_one_per_refresh(struct zct_compositor *comp)
{
	struct fifo_client fc;
	struct zct_window *window = NULL;
	struct zcc_buffer *buffers[N] = { 0 };
	static struct zct_feedback feedbacks[N];
	memset(feedbacks, 0, sizeof(feedbacks));
	if (!fifo_client_connect(&fc, comp))
		goto out;
	window = zct_window_create(fc.client, true);
	if (!window || !zct_window_map(window))
		goto out;
	struct wp_fifo_v1 *fifo = wp_fifo_manager_v1_get_fifo(fc.manager, window->surface);
	for (int i = 0; i < N; i++)
		buffers[i] = zct_pattern_buffer(fc.client, 64, 48, WL_SHM_FORMAT_XRGB8888,
			(uint32_t)i);
	int64_t start = now_ns();
	for (int i = 0; i < N; i++) {
		if (!buffers[i])
			goto out;
		wp_fifo_v1_set_barrier(fifo);
		wp_fifo_v1_wait_barrier(fifo);
		zct_request_feedback(fc.client, window->surface, &feedbacks[i]);
		zct_show(window->surface, buffers[i]);
	}
	wl_display_flush(fc.client->display);
	for (int t = 0; t < 300 && !zct_feedback_resolved(&feedbacks[N - 1]); t++)
		zcc_dispatch_timeout(fc.client->display, 10);
	int64_t elapsed = now_ns() - start;
	int presented = 0;
	for (int i = 0; i < N; i++) {
		ZCT_CHECK(feedbacks[i].presented, "update %d not presented (discarded: %d)", i,
			feedbacks[i].discarded);
		presented += feedbacks[i].presented;
		if (i > 0 && feedbacks[i].presented && feedbacks[i - 1].presented)
			ZCT_CHECK(feedbacks[i].seq > feedbacks[i - 1].seq,
				"updates %d and %d shared refresh %llu", i - 1, i,
				(unsigned long long)feedbacks[i].seq);
	}
	fprintf(stderr, "visible: %d/%d presented in %.1f ms (%.1f refreshes)\n", presented, N,
		(double)elapsed / 1e6, (double)elapsed / PERIOD_NS);
	ZCT_CHECK(elapsed >= (N - 2) * PERIOD_NS, "%d updates in %.1f ms: faster than the output",
		N, (double)elapsed / 1e6);
	wp_fifo_v1_destroy(fifo);
out:
	for (int i = 0; i < N; i++)
		if (buffers[i])
			zcc_buffer_destroy(buffers[i]);
	if (window)
		zct_window_destroy(window);
	fifo_client_finish(&fc);
}

/* A surface with no role is on no output: its updates still go through,
 * one per refresh. Each update's buffer is released when the next one is
 * applied, so the release times are the application times. */
static void test_hidden_steady(struct zct_compositor *comp)
{
	struct fifo_client fc;
	struct zcc_buffer *buffers[N + 1] = { 0 };
	int64_t released[N + 1] = { 0 };
	if (!fifo_client_connect(&fc, comp))
		goto out;
	struct wl_surface *surface = wl_compositor_create_surface(fc.client->globals.compositor);
	struct wp_fifo_v1 *fifo = wp_fifo_manager_v1_get_fifo(fc.manager, surface);
	for (int i = 0; i <= N; i++) {
		buffers[i] = zct_pattern_buffer(fc.client, 16, 16, WL_SHM_FORMAT_XRGB8888, 0);
		if (!buffers[i])
			goto out;
	}
	int64_t start = now_ns();
	for (int i = 0; i <= N; i++) {
		wp_fifo_v1_set_barrier(fifo);
		wp_fifo_v1_wait_barrier(fifo);
		zct_show(surface, buffers[i]);
	}
	wl_display_flush(fc.client->display);
	int64_t deadline = start + 3 * (N + 2) * PERIOD_NS;
	while (buffers[N - 1]->busy && now_ns() < deadline) {
		zcc_dispatch_timeout(fc.client->display, 1);
		for (int i = 0; i < N; i++)
			if (!buffers[i]->busy && !released[i])
				released[i] = now_ns();
	}
	ZCT_CHECK(!buffers[N - 1]->busy, "update %d never applied: stalled", N);
	int64_t gaps[N];
	int n_gaps = 0;
	for (int i = 1; i < N; i++) {
		if (released[i] && released[i - 1])
			gaps[n_gaps++] = released[i] - released[i - 1];
	}
	qsort(gaps, (size_t)n_gaps, sizeof(gaps[0]), compare_ns);
	int64_t elapsed = released[N - 1] - released[0];
	int64_t median = n_gaps ? gaps[n_gaps / 2] : 0;
	fprintf(stderr, "hidden: %d updates in %.1f ms (%.2f refreshes each), gaps %.1f..%.1f ms, "
		"median %.1f ms\n", N - 1, (double)elapsed / 1e6,
		(double)elapsed / PERIOD_NS / (N - 1), n_gaps ? (double)gaps[0] / 1e6 : 0.0,
		n_gaps ? (double)gaps[n_gaps - 1] / 1e6 : 0.0, (double)median / 1e6);
	/* Never faster than the output holds on any machine. The pace itself is
	 * judged by the median gap, not the largest or the sum: on a loaded
	 * 2-core CI machine a few timer wake-ups come late, which says nothing
	 * about zcomp's pacing, while a stalled or throttled surface shifts
	 * most gaps. */
	ZCT_CHECK(elapsed >= (N - 2) * PERIOD_NS, "hidden surface faster than the refresh");
	ZCT_CHECK(n_gaps == N - 1, "only %d of %d updates seen applied", n_gaps + 1, N);
	ZCT_CHECK(median >= PERIOD_NS / 2 && median <= 2 * PERIOD_NS,
		"hidden surface not paced by the refresh: median gap %.1f ms",
		(double)median / 1e6);
	wp_fifo_v1_destroy(fifo);
	wl_surface_destroy(surface);
out:
	for (int i = 0; i <= N; i++)
		if (buffers[i])
			zcc_buffer_destroy(buffers[i]);
	fifo_client_finish(&fc);
}

/* Updates still queued when the surface goes are dropped cleanly. */
static void test_destroy_with_queue(struct zct_compositor *comp)
{
	struct fifo_client fc;
	struct zcc_buffer *buffers[4] = { 0 };
	if (!fifo_client_connect(&fc, comp))
		goto out;
	struct wl_surface *surface = wl_compositor_create_surface(fc.client->globals.compositor);
	struct wp_fifo_v1 *fifo = wp_fifo_manager_v1_get_fifo(fc.manager, surface);
	for (int i = 0; i < 4; i++) {
		buffers[i] = zct_pattern_buffer(fc.client, 16, 16, WL_SHM_FORMAT_XRGB8888, 0);
		if (!buffers[i])
			goto out;
		wp_fifo_v1_set_barrier(fifo);
		wp_fifo_v1_wait_barrier(fifo);
		zct_show(surface, buffers[i]);
	}
	wl_surface_destroy(surface);
	wp_fifo_v1_destroy(fifo);
	zct_expect_no_error(fc.client, "surface destroyed with held updates");
out:
	for (int i = 0; i < 4; i++)
		if (buffers[i])
			zcc_buffer_destroy(buffers[i]);
	fifo_client_finish(&fc);
}

/* A client may destroy a wl_buffer right after committing it, before the
 * update is applied (Mesa's WSI does, recreating a swapchain): the held
 * update still shows that buffer, it does not unmap the window. */
static void test_buffer_destroyed_while_held(struct zct_compositor *comp)
{
	struct fifo_client fc;
	struct zct_window *window = NULL;
	struct zcc_buffer *first = NULL, *second = NULL;
	struct zct_feedback feedback = { 0 };
	if (!fifo_client_connect(&fc, comp))
		goto out;
	window = zct_window_create(fc.client, true);
	if (!window || !zct_window_map(window))
		goto out;
	int32_t w = window->width, h = window->height;
	struct wp_fifo_v1 *fifo = wp_fifo_manager_v1_get_fifo(fc.manager, window->surface);
	first = zct_pattern_buffer(fc.client, w, h, WL_SHM_FORMAT_XRGB8888, 1);
	second = zct_pattern_buffer(fc.client, w, h, WL_SHM_FORMAT_XRGB8888, 2);
	if (!first || !second)
		goto out;
	wp_fifo_v1_set_barrier(fifo);
	zct_show(window->surface, first);
	wp_fifo_v1_set_barrier(fifo);
	wp_fifo_v1_wait_barrier(fifo);
	zct_request_feedback(fc.client, window->surface, &feedback);
	zct_show(window->surface, second);
	zcc_buffer_destroy(second);
	second = NULL;
	for (int t = 0; t < 100 && !zct_feedback_resolved(&feedback); t++)
		zcc_dispatch_timeout(fc.client->display, 10);
	ZCT_CHECK(feedback.presented, "the held update was not presented");
	struct zcc_image image = { 0 };
	if (zct_capture(fc.client, 0, &image)) {
		int bad = zct_compare_pattern(&image, 0, 0, w, h, WL_SHM_FORMAT_XRGB8888, 2);
		ZCT_CHECK(bad == 0, "%d pixels differ from the destroyed buffer's", bad);
		zcc_image_finish(&image);
	}
	zct_expect_no_error(fc.client, "wl_buffer destroyed while its update was held");
	wp_fifo_v1_destroy(fifo);
out:
	if (first)
		zcc_buffer_destroy(first);
	if (second)
		zcc_buffer_destroy(second);
	if (window)
		zct_window_destroy(window);
	fifo_client_finish(&fc);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .refresh_mhz = REFRESH_MHZ };
	if (!zct_compositor_start(&comp, &config))
		return zct_exit_status();
	ZCT_RUN(test_already_exists, &comp);
	ZCT_RUN(test_surface_destroyed_set, &comp);
	ZCT_RUN(test_surface_destroyed_wait, &comp);
	ZCT_RUN(test_visible_one_per_refresh, &comp);
	ZCT_RUN(test_hidden_steady, &comp);
	ZCT_RUN(test_destroy_with_queue, &comp);
	ZCT_RUN(test_buffer_destroyed_while_held, &comp);
	zct_compositor_alive(&comp);
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
