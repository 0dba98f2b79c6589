/* (d) Presentation timestamps advance by about one refresh period and the
 * reported refresh matches the mode. */
#include <stdlib.h>
#include <time.h>

#include "zct.h"

#define W 64
#define H 48
#define FRAMES 24

struct sample {
	struct zct_feedback feedback;
	int64_t commit_ns;
};

static int compare_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Shows FRAMES frames, each after the previous one's callback. */
static void sleep_ns(int64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000 };
	nanosleep(&ts, NULL);
}

static int run_frames(struct zct_client *client, struct zct_window *window,
	struct zcc_buffer **buffers, struct sample *samples, int64_t period)
{
	clockid_t clock = client->globals.presentation_clock;
	int n = 0;
	for (; n < FRAMES; n++) {
		struct zcc_buffer *buffer = buffers[n % 2];
		for (int t = 0; t < 200 && buffer->busy; t++)
			zcc_dispatch_timeout(client->display, 10);
		ZCT_CHECK(!buffer->busy, "frame %d: buffer never released", n);
		/* Now and then let the output idle for a few refreshes: the
		 * timestamps and seq must still agree on how many went by. */
		if (n % 8 == 7)
			sleep_ns(period * 5 / 2);
		struct zct_frame frame = { 0 };
		zct_request_frame(window->surface, &frame);
		zct_request_feedback(client, window->surface, &samples[n].feedback);
		samples[n].commit_ns = zcc_now_nsec(clock);
		zct_show(window->surface, buffer);
		if (!zct_wait(client, &frame.done, 2000)) {
			ZCT_CHECK(false, "frame %d: no frame callback", n);
			break;
		}
	}
	for (int i = 0; i < n; i++) {
		for (int t = 0; t < 100 && !zct_feedback_resolved(&samples[i].feedback); t++)
			zcc_dispatch_timeout(client->display, 10);
	}
	return n;
}

static void check_samples(struct sample *s, int n, int64_t period, clockid_t clock)
{
	int64_t deltas[FRAMES];
	int n_deltas = 0;
	for (int i = 0; i < n; i++) {
		struct zct_feedback *fb = &s[i].feedback;
		ZCT_CHECK(fb->presented, "frame %d was not presented", i);
		if (!fb->presented)
			return;
		ZCT_CHECK(llabs((int64_t)fb->refresh_ns - period) <= 1000,
			"frame %d: refresh %u ns, the mode's period is %lld ns", i, fb->refresh_ns,
			(long long)period);
		ZCT_CHECK(fb->when_ns >= s[i].commit_ns - period / 10,
			"frame %d presented %lld ns before its commit", i,
			(long long)(s[i].commit_ns - fb->when_ns));
		ZCT_CHECK(fb->when_ns <= zcc_now_nsec(clock), "frame %d presented in the future", i);
		/* The headless output's refresh is a timer: synchronized to it, but
		 * no hardware clock or completion event, and wl_shm is copied. */
		ZCT_CHECK(fb->flags == WP_PRESENTATION_FEEDBACK_KIND_VSYNC,
			"frame %d: flags 0x%x, want exactly VSYNC", i, fb->flags);
		if (i == 0)
			continue;
		int64_t dt = fb->when_ns - s[i - 1].feedback.when_ns;
		uint64_t dseq = fb->seq - s[i - 1].feedback.seq;
		ZCT_CHECK(dt > 0 && fb->seq > s[i - 1].feedback.seq,
			"frame %d: time or seq did not increase (dt %lld ns, seq %llu)", i,
			(long long)dt, (unsigned long long)fb->seq);
		/* Timestamps sit on the vblank grid: dseq periods apart. */
		ZCT_CHECK(llabs(dt - (int64_t)dseq * period) <= period / 4,
			"frame %d: %lld ns after the previous one for %llu refreshes of %lld ns",
			i, (long long)dt, (unsigned long long)dseq, (long long)period);
		ZCT_CHECK(dt >= period * 3 / 4, "frame %d: only %lld ns after the previous", i,
			(long long)dt);
		deltas[n_deltas++] = dt;
	}
	if (n_deltas == 0)
		return;
	qsort(deltas, (size_t)n_deltas, sizeof(deltas[0]), compare_i64);
	int64_t median = deltas[n_deltas / 2];
	/* Paced by frame callbacks, nearly every frame makes the next vblank. */
	ZCT_CHECK(llabs(median - period) <= period / 10,
		"median interval %lld ns, refresh period %lld ns", (long long)median,
		(long long)period);
}

static void run_mode(int32_t refresh_mhz)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = W, .height = H, .refresh_mhz = refresh_mhz };
	static struct sample samples[FRAMES];
	struct zcc_buffer *buffers[2] = { 0 };
	struct zct_client *client = NULL;
	struct zct_window *window = NULL;
	if (!zct_compositor_start(&comp, &config))
		goto cleanup;
	client = zct_client_connect(&comp);
	window = client ? zct_window_create(client, true) : NULL;
	if (!window)
		goto cleanup;
	ZCT_CHECK(client->globals.has_presentation_clock, "no wp_presentation.clock_id");
	ZCT_CHECK(client->globals.outputs[0].refresh_mhz == refresh_mhz,
		"wl_output mode refresh %d mHz, asked for %d", client->globals.outputs[0].refresh_mhz,
		refresh_mhz);
	buffers[0] = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 1);
	buffers[1] = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 2);
	int64_t period = (int64_t)(1000000000000LL / refresh_mhz);
	int n = run_frames(client, window, buffers, samples, period);
	check_samples(samples, n, period, client->globals.presentation_clock);
	zct_expect_no_error(client, "presentation");
cleanup:
	for (int i = 0; i < FRAMES; i++) {
		if (samples[i].feedback.resource)
			wp_presentation_feedback_destroy(samples[i].feedback.resource);
	}
	zcc_buffer_destroy(buffers[0]);
	zcc_buffer_destroy(buffers[1]);
	zct_window_destroy(window);
	zct_client_destroy(client);
	zct_compositor_stop(&comp);
}

static void test_60hz(void *unused)
{
	run_mode(60000);
}

/* A second rate proves the period follows the mode, not a constant. */
static void test_75hz(void *unused)
{
	run_mode(75000);
}

int main(void)
{
	ZCT_RUN(test_60hz, NULL);
	ZCT_RUN(test_75hz, NULL);
	return zct_exit_status();
}
