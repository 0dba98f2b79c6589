/* (b) Frame callbacks fire once per presented frame. */
#include "zct.h"

#define W 64
#define H 48
#define FRAMES 60
#define N_BUFFERS 3

static struct zcc_buffer *free_buffer(struct zct_client *client, struct zcc_buffer **buffers)
{
	for (int tries = 0; tries < 300; tries++) {
		for (int i = 0; i < N_BUFFERS; i++) {
			if (!buffers[i]->busy)
				return buffers[i];
		}
		zcc_dispatch_timeout(client->display, 10);
	}
	ZCT_CHECK(false, "no buffer released in 3 s");
	return NULL;
}

static void test_callbacks_match_presentation(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, true) : NULL;
	struct zcc_buffer *buffers[N_BUFFERS] = { 0 };
	static struct zct_feedback feedbacks[FRAMES];
	int callbacks = 0, presented = 0, discarded = 0, submitted = 0;
	if (!window)
		goto cleanup;
	for (int i = 0; i < N_BUFFERS; i++)
		buffers[i] = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 0);

	for (int f = 0; f < FRAMES; f++) {
		struct zcc_buffer *buffer = free_buffer(client, buffers);
		if (!buffer)
			break;
		zcc_pattern_fill(buffer->data, buffer->stride, W, H, buffer->format, (uint32_t)f);
		struct zct_frame frame = { .count = &callbacks };
		zct_request_frame(window->surface, &frame);
		zct_request_feedback(client, window->surface, &feedbacks[f]);
		zct_show(window->surface, buffer);
		submitted++;
		if (!zct_wait(client, &frame.done, 2000)) {
			ZCT_CHECK(false, "frame %d: no frame callback within 2 s", f);
			break;
		}
	}
	/* Every feedback must resolve; a frame paced by its callback is shown. */
	for (int f = 0; f < submitted; f++) {
		bool resolved = zct_feedback_resolved(&feedbacks[f]);
		for (int t = 0; t < 100 && !resolved; t++) {
			zcc_dispatch_timeout(client->display, 10);
			resolved = zct_feedback_resolved(&feedbacks[f]);
		}
		ZCT_CHECK(resolved, "feedback of frame %d never resolved", f);
		presented += feedbacks[f].presented;
		discarded += feedbacks[f].discarded;
	}
	ZCT_CHECK(callbacks == submitted, "%d frame callbacks for %d frames", callbacks,
		submitted);
	ZCT_CHECK(presented == submitted, "%d presented of %d frames (%d discarded)",
		presented, submitted, discarded);
	for (int f = 1; f < submitted; f++) {
		ZCT_CHECK(feedbacks[f].seq > feedbacks[f - 1].seq,
			"frame %d: seq %llu after %llu", f, (unsigned long long)feedbacks[f].seq,
			(unsigned long long)feedbacks[f - 1].seq);
	}
	zct_expect_no_error(client, "60 frames");
cleanup:
	for (int i = 0; i < N_BUFFERS; i++)
		zcc_buffer_destroy(buffers[i]);
	for (int f = 0; f < FRAMES; f++) {
		if (feedbacks[f].resource)
			wp_presentation_feedback_destroy(feedbacks[f].resource);
	}
	zct_window_destroy(window);
	zct_client_destroy(client);
}

/* A frame request is double-buffered state: without a commit it never
 * fires; once committed with new content it fires exactly once. */
static void test_uncommitted_callback_waits(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, true) : NULL;
	struct zcc_buffer *a = NULL, *b = NULL;
	if (!window)
		goto cleanup;
	a = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 1);
	b = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, 2);
	struct zct_frame first = { 0 }, pending = { 0 };
	zct_request_frame(window->surface, &first);
	zct_show(window->surface, a);
	ZCT_CHECK(zct_wait(client, &first.done, 2000), "no frame callback for the first frame");

	int count = 0;
	pending.count = &count;
	zct_request_frame(window->surface, &pending);
	wl_display_flush(client->display);
	for (int i = 0; i < 10; i++)
		zcc_dispatch_timeout(client->display, 10);
	ZCT_CHECK(!pending.done, "a frame callback fired before its commit");
	zct_show(window->surface, b);
	ZCT_CHECK(zct_wait(client, &pending.done, 2000), "no frame callback after the commit");
	for (int i = 0; i < 5; i++)
		zcc_dispatch_timeout(client->display, 10);
	ZCT_CHECK(count == 1, "the frame callback fired %d times", count);
cleanup:
	zcc_buffer_destroy(a);
	zcc_buffer_destroy(b);
	zct_window_destroy(window);
	zct_client_destroy(client);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = W, .height = H };
	if (zct_compositor_start(&comp, &config)) {
		ZCT_RUN(test_callbacks_match_presentation, &comp);
		ZCT_RUN(test_uncommitted_callback_waits, &comp);
	}
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
