/* The helpers both backends build their outputs on: the back-buffer chain
 * (which buffer, how old) and the refresh-grid timer (when, which count). */
#include <drm_fourcc.h>
#include <wayland-server-core.h>

#include "base/buffer.h"
#include "base/util.h"
#include "check.h"
#include "core/output.h"
#include "core/refresh_timer.h"
#include "core/swapchain.h"

static struct zc_buffer *new_buffer(void)
{
	return memory_buffer_create(4, 4, DRM_FORMAT_XRGB8888);
}

static void test_swapchain_ages(void)
{
	struct zc_swapchain chain = { 0 };
	struct zc_buffer *a = new_buffer(), *b = new_buffer();
	CHECK(swapchain_add(&chain, a) && swapchain_add(&chain, b));
	int age = -1;
	struct zc_buffer *none[] = { NULL };
	/* Never rendered: age 0, repaint everything. */
	CHECK(swapchain_acquire(&chain, none, 1, &age) == a);
	CHECK_EQ(age, 0);
	CHECK(swapchain_mark_rendered(&chain, a));
	/* a is on screen: b comes next, still unknown. */
	struct zc_buffer *busy_a[] = { a, NULL };
	CHECK(swapchain_acquire(&chain, busy_a, 2, &age) == b);
	CHECK_EQ(age, 0);
	CHECK(swapchain_mark_rendered(&chain, b));
	/* b on screen, a rendered two frames ago: age 2 (double buffering). */
	struct zc_buffer *busy_b[] = { b };
	CHECK(swapchain_acquire(&chain, busy_b, 1, &age) == a);
	CHECK_EQ(age, 2);
	struct zc_buffer *all[] = { a, b };
	CHECK(swapchain_acquire(&chain, all, 2, &age) == NULL);
	struct zc_buffer *stranger = new_buffer();
	CHECK(!swapchain_mark_rendered(&chain, stranger));
	buffer_drop(stranger);
	swapchain_finish(&chain);
	CHECK_EQ(chain.n_buffers, 0);
}

static void test_swapchain_full(void)
{
	struct zc_swapchain chain = { 0 };
	for (int i = 0; i < SWAPCHAIN_MAX_BUFFERS; i++)
		CHECK(swapchain_add(&chain, new_buffer()));
	struct zc_buffer *extra = new_buffer();
	CHECK(!swapchain_add(&chain, extra));
	buffer_drop(extra);
	swapchain_finish(&chain);
}

static void fired(void *data)
{
	++*(int *)data;
}

/* At 50 Hz (20 ms), from an epoch of 1 s. */
static void test_refresh_grid(void)
{
	struct wl_event_loop *loop = wl_event_loop_create();
	int n = 0;
	struct zc_refresh_timer timer;
	CHECK(refresh_timer_init(&timer, loop, fired, &n));
	timer.epoch = timespec_from_ns(ZC_NSEC_PER_SEC);
	struct zc_output output = { .refresh_mhz = 50000 };
	const uint64_t ms = 1000000;
	struct {
		uint64_t earliest, last_present, target;
	} cases[] = {
		{ 1000 * ms, 0, 1000 * ms },            /* on the epoch itself */
		{ 1001 * ms, 0, 1020 * ms },            /* rounds up to the next point */
		{ 1040 * ms, 0, 1040 * ms },            /* on a point */
		{ 500 * ms, 0, 1000 * ms },             /* before the epoch */
		{ 1021 * ms, 1020 * ms, 1040 * ms },    /* a refresh after the last */
		{ 1030 * ms, 1020 * ms, 1040 * ms },
		{ 1000 * ms, 1060 * ms, 1080 * ms },    /* never before last + period */
	};
	for (size_t i = 0; i < ZC_ARRAY_LEN(cases); i++) {
		output.last_present = timespec_from_ns(cases[i].last_present);
		struct timespec earliest = timespec_from_ns(cases[i].earliest);
		CHECK(refresh_timer_arm(&timer, &output, &earliest));
		CHECK_EQ(timespec_to_ns(&timer.target), cases[i].target);
		CHECK_EQ(refresh_timer_seq(&timer, &output), (cases[i].target - 1000 * ms) / (20 * ms));
	}
	refresh_timer_finish(&timer);
	CHECK_EQ(n, 0);
	wl_event_loop_destroy(loop);
}

/* Armed for a point in the past (the epoch is 'now'), it fires at once. */
static void test_refresh_fires(void)
{
	struct wl_event_loop *loop = wl_event_loop_create();
	int n = 0;
	struct zc_refresh_timer timer;
	CHECK(refresh_timer_init(&timer, loop, fired, &n));
	struct zc_output output = { .refresh_mhz = 60000 };
	CHECK(refresh_timer_arm(&timer, &output, &timer.epoch));
	CHECK(wl_event_loop_dispatch(loop, 1000) == 0);
	CHECK_EQ(n, 1);
	refresh_timer_finish(&timer);
	wl_event_loop_destroy(loop);
}

int main(void)
{
	RUN(test_swapchain_ages);
	RUN(test_swapchain_full);
	RUN(test_refresh_grid);
	RUN(test_refresh_fires);
	return check_exit_status();
}
