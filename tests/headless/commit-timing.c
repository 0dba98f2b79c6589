/* Issue 17: wp_commit_timing_v1. An update with a target time is presented
 * at the first refresh at or after it (with fifo barriers too), a held
 * update blocks no other surface, a surface on no output applies at the
 * target, and the protocol errors. */
#include <string.h>
#include <time.h>

#include "commit-timing-v1-client-protocol.h"
#include "fifo-v1-client-protocol.h"
#include "zct.h"

#define REFRESH_MHZ 60000
#define PERIOD_NS (1000000000000ll / REFRESH_MHZ)
#define N 8

struct timing_client {
	struct zct_client *client;
	struct wp_commit_timing_manager_v1 *manager;
	struct wp_fifo_manager_v1 *fifo_manager;
};

static bool timing_client_connect(struct timing_client *tc, struct zct_compositor *comp)
{
	memset(tc, 0, sizeof(*tc));
	tc->client = zct_client_connect(comp);
	if (!tc->client)
		return false;
	tc->manager = zct_bind(tc->client, &wp_commit_timing_manager_v1_interface, 1);
	tc->fifo_manager = zct_bind(tc->client, &wp_fifo_manager_v1_interface, 1);
	ZCT_CHECK(tc->client->globals.presentation_clock == CLOCK_MONOTONIC,
		"presentation clock %d", (int)tc->client->globals.presentation_clock);
	return tc->manager && tc->fifo_manager;
}

static void timing_client_finish(struct timing_client *tc)
{
	if (tc->manager)
		wp_commit_timing_manager_v1_destroy(tc->manager);
	if (tc->fifo_manager)
		wp_fifo_manager_v1_destroy(tc->fifo_manager);
	if (tc->client)
		zct_client_destroy(tc->client);
}

static int64_t now_ns(void)
{
	return zcc_now_nsec(CLOCK_MONOTONIC);
}

static void set_timestamp(struct wp_commit_timer_v1 *timer, int64_t ns)
{
	uint64_t sec = (uint64_t)ns / 1000000000u;
	wp_commit_timer_v1_set_timestamp(timer, (uint32_t)(sec >> 32), (uint32_t)sec,
		(uint32_t)((uint64_t)ns % 1000000000u));
}

/* ---- errors ---- */

static struct wp_commit_timer_v1 *error_setup(struct timing_client *tc,
	struct zct_compositor *comp, struct wl_surface **surface)
{
	if (!timing_client_connect(tc, comp))
		return NULL;
	*surface = wl_compositor_create_surface(tc->client->globals.compositor);
	return wp_commit_timing_manager_v1_get_timer(tc->manager, *surface);
}

static void test_timer_exists(struct zct_compositor *comp)
{
	struct timing_client tc;
	struct wl_surface *surface;
	struct wp_commit_timer_v1 *timer = error_setup(&tc, comp, &surface);
	if (timer) {
		wp_commit_timer_v1_destroy(timer);
		wp_commit_timing_manager_v1_get_timer(tc.manager, surface);
		zct_expect_no_error(tc.client, "get_timer after destroy");
		wp_commit_timing_manager_v1_get_timer(tc.manager, surface);
		zct_expect_error(tc.client, &wp_commit_timing_manager_v1_interface,
			WP_COMMIT_TIMING_MANAGER_V1_ERROR_COMMIT_TIMER_EXISTS, "second timer");
	}
	timing_client_finish(&tc);
}

static void test_invalid_timestamp(struct zct_compositor *comp)
{
	struct timing_client tc;
	struct wl_surface *surface;
	struct wp_commit_timer_v1 *timer = error_setup(&tc, comp, &surface);
	if (timer) {
		wp_commit_timer_v1_set_timestamp(timer, 0, 5, 1000000000u);
		zct_expect_error(tc.client, &wp_commit_timer_v1_interface,
			WP_COMMIT_TIMER_V1_ERROR_INVALID_TIMESTAMP, "tv_nsec 1e9");
	}
	timing_client_finish(&tc);
}

static void test_timestamp_exists(struct zct_compositor *comp)
{
	struct timing_client tc;
	struct wl_surface *surface;
	struct wp_commit_timer_v1 *timer = error_setup(&tc, comp, &surface);
	if (timer) {
		/* One per commit: a commit in between makes the second fine. */
		set_timestamp(timer, now_ns());
		wl_surface_commit(surface);
		set_timestamp(timer, now_ns());
		zct_expect_no_error(tc.client, "one timestamp per commit");
		set_timestamp(timer, now_ns());
		zct_expect_error(tc.client, &wp_commit_timer_v1_interface,
			WP_COMMIT_TIMER_V1_ERROR_TIMESTAMP_EXISTS, "two timestamps");
	}
	timing_client_finish(&tc);
}

static void test_surface_destroyed(struct zct_compositor *comp)
{
	struct timing_client tc;
	struct wl_surface *surface;
	struct wp_commit_timer_v1 *timer = error_setup(&tc, comp, &surface);
	if (timer) {
		wl_surface_destroy(surface);
		zct_expect_no_error(tc.client, "surface destroyed");
		set_timestamp(timer, now_ns());
		zct_expect_error(tc.client, &wp_commit_timer_v1_interface,
			WP_COMMIT_TIMER_V1_ERROR_SURFACE_DESTROYED, "after surface destroyed");
	}
	timing_client_finish(&tc);
}

/* ---- timing ---- */

/* N updates sent at once, targets off the refresh grid, with fifo barriers:
 * each lands on the first refresh at or after its target. */
static void test_presented_at_target(struct zct_compositor *comp)
{
	struct timing_client tc;
	struct zct_window *window = NULL;
	struct zcc_buffer *buffers[N] = { 0 };
	static struct zct_feedback feedbacks[N];
	int64_t targets[N];
	memset(feedbacks, 0, sizeof(feedbacks));
	if (!timing_client_connect(&tc, comp))
		goto out;
	window = zct_window_create(tc.client, true);
	if (!window || !zct_window_map(window))
		goto out;
	struct wp_commit_timer_v1 *timer =
		wp_commit_timing_manager_v1_get_timer(tc.manager, window->surface);
	struct wp_fifo_v1 *fifo = wp_fifo_manager_v1_get_fifo(tc.fifo_manager, window->surface);
	int64_t start = now_ns();
	for (int i = 0; i < N; i++) {
		buffers[i] = zct_pattern_buffer(tc.client, 64, 48, WL_SHM_FORMAT_XRGB8888,
			(uint32_t)i);
		if (!buffers[i])
			goto out;
		targets[i] = start + 60000000 + i * 37300000ll;
		set_timestamp(timer, targets[i]);
		wp_fifo_v1_set_barrier(fifo);
		wp_fifo_v1_wait_barrier(fifo);
		zct_request_feedback(tc.client, window->surface, &feedbacks[i]);
		zct_show(window->surface, buffers[i]);
	}
	wl_display_flush(tc.client->display);
	for (int t = 0; t < 300 && !zct_feedback_resolved(&feedbacks[N - 1]); t++)
		zcc_dispatch_timeout(tc.client->display, 10);
	int missed = 0;
	for (int i = 0; i < N; i++) {
		int64_t late = feedbacks[i].when_ns - targets[i];
		fprintf(stderr, "update %d: presented %.2f ms after its target (refresh %u ns)\n",
			i, (double)late / 1e6, feedbacks[i].refresh_ns);
		ZCT_CHECK(feedbacks[i].presented, "update %d not presented", i);
		/* The headless grid: a vsynced refresh, no hardware clock or
		 * completion event, composited (shm). */
		ZCT_CHECK(!feedbacks[i].presented ||
				feedbacks[i].flags == WP_PRESENTATION_FEEDBACK_KIND_VSYNC,
			"update %d: flags 0x%x, not VSYNC alone", i, feedbacks[i].flags);
		ZCT_CHECK(late >= 0, "update %d presented %.2f ms before its target", i,
			(double)-late / 1e6);
		missed += late >= PERIOD_NS + 500000;
	}
	/* Early is a bug; late can also be a slow repaint (the GL renderer
	 * under ASan on a loaded host misses a refresh now and then). */
	ZCT_CHECK(missed <= 2, "%d of %d updates missed their refresh", missed, N);
	wp_fifo_v1_destroy(fifo);
	wp_commit_timer_v1_destroy(timer);
out:
	for (int i = 0; i < N; i++)
		if (buffers[i])
			zcc_buffer_destroy(buffers[i]);
	if (window)
		zct_window_destroy(window);
	timing_client_finish(&tc);
}

/* Surface a waits for a target 300 ms away; surface b goes on meanwhile.
 * Neither is shown, but both are paced by the first output: a is applied
 * for the refresh at or after its target, i.e. at most one refresh before
 * it (the repaint it would start lands at that refresh). */
static void test_blocks_nothing_else(struct zct_compositor *comp)
{
	struct timing_client tc;
	struct zcc_buffer *a[2] = { 0 }, *b[2] = { 0 };
	if (!timing_client_connect(&tc, comp))
		goto out;
	struct wl_compositor *compositor = tc.client->globals.compositor;
	struct wl_surface *sa = wl_compositor_create_surface(compositor);
	struct wl_surface *sb = wl_compositor_create_surface(compositor);
	struct wp_commit_timer_v1 *timer = wp_commit_timing_manager_v1_get_timer(tc.manager, sa);
	for (int i = 0; i < 2; i++) {
		a[i] = zct_pattern_buffer(tc.client, 16, 16, WL_SHM_FORMAT_XRGB8888, 0);
		b[i] = zct_pattern_buffer(tc.client, 16, 16, WL_SHM_FORMAT_XRGB8888, 0);
		if (!a[i] || !b[i])
			goto out;
	}
	zct_show(sa, a[0]);
	int64_t target = now_ns() + 300000000;
	set_timestamp(timer, target);
	zct_show(sa, a[1]);
	zct_show(sb, b[0]);
	zct_show(sb, b[1]);
	int64_t deadline = now_ns() + 2000000000;
	int64_t b_done = 0, a_done = 0;
	while ((!b_done || !a_done) && now_ns() < deadline) {
		zcc_dispatch_timeout(tc.client->display, 1);
		if (!b_done && !b[0]->busy)
			b_done = now_ns();
		if (!a_done && !a[0]->busy)
			a_done = now_ns();
	}
	ZCT_CHECK(b_done && b_done < target, "surface b waited for surface a's target");
	ZCT_CHECK(a_done >= target - PERIOD_NS, "surface a applied %.1f ms before its target",
		(double)(target - a_done) / 1e6);
	ZCT_CHECK(a_done && a_done < target + 20000000, "surface a applied %.1f ms late",
		(double)(a_done - target) / 1e6);
	fprintf(stderr, "off-output: applied %.2f ms after the target\n",
		(double)(a_done - target) / 1e6);
	wp_commit_timer_v1_destroy(timer);
	wl_surface_destroy(sa);
	wl_surface_destroy(sb);
out:
	for (int i = 0; i < 2; i++) {
		if (a[i])
			zcc_buffer_destroy(a[i]);
		if (b[i])
			zcc_buffer_destroy(b[i]);
	}
	timing_client_finish(&tc);
}

/* A surface destroyed with an update waiting for its time. */
static void test_destroy_while_held(struct zct_compositor *comp)
{
	struct timing_client tc;
	struct wl_surface *surface;
	struct wp_commit_timer_v1 *timer = error_setup(&tc, comp, &surface);
	if (timer) {
		set_timestamp(timer, now_ns() + 500000000);
		wl_surface_commit(surface);
		zct_roundtrip(tc.client);
		wl_surface_destroy(surface);
		wp_commit_timer_v1_destroy(timer);
		zct_expect_no_error(tc.client, "surface destroyed with a held update");
	}
	timing_client_finish(&tc);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .refresh_mhz = REFRESH_MHZ };
	if (!zct_compositor_start(&comp, &config))
		return zct_exit_status();
	ZCT_RUN(test_timer_exists, &comp);
	ZCT_RUN(test_invalid_timestamp, &comp);
	ZCT_RUN(test_timestamp_exists, &comp);
	ZCT_RUN(test_surface_destroyed, &comp);
	ZCT_RUN(test_presented_at_target, &comp);
	ZCT_RUN(test_blocks_nothing_else, &comp);
	ZCT_RUN(test_destroy_while_held, &comp);
	zct_compositor_alive(&comp);
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
