/* (g) A client that vanishes mid-frame leaves zcomp healthy, and (under
 * ASan) without leaks: zct_compositor_stop fails on a non-zero exit. */
#include "zct.h"

#define W 64
#define H 48

/* Shows a frame, the next one committed with its callbacks and feedback
 * pending, a third attached but not committed, then drops the socket. */
static void vanish_mid_frame(struct zct_compositor *comp, bool wait_first)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, true) : NULL;
	if (!window) {
		zct_client_destroy(client);
		return;
	}
	struct zcc_buffer *buffers[3];
	for (int i = 0; i < 3; i++)
		buffers[i] = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, (uint32_t)i);
	static struct zct_frame frames[2];
	static struct zct_feedback feedbacks[2];
	zct_request_frame(window->surface, &frames[0]);
	zct_request_feedback(client, window->surface, &feedbacks[0]);
	zct_show(window->surface, buffers[0]);
	if (wait_first)
		zct_wait(client, &frames[0].done, 2000);
	zct_request_frame(window->surface, &frames[1]);
	zct_request_feedback(client, window->surface, &feedbacks[1]);
	zct_show(window->surface, buffers[1]);
	/* A pending attach, a pool still referenced and a viewport too. */
	wl_surface_attach(window->surface, buffers[2]->wl_buffer, 0, 0);
	if (client->globals.viewporter)
		wp_viewporter_get_viewport(client->globals.viewporter, window->surface);
	zct_client_kill(client);
	for (int i = 0; i < 3; i++)
		zcc_buffer_destroy(buffers[i]);
	for (int i = 0; i < 2; i++) {
		if (feedbacks[i].resource)
			wp_presentation_feedback_destroy(feedbacks[i].resource);
	}
	zct_window_destroy(window);
	zct_client_destroy(client);
}

static void check_healthy(struct zct_compositor *comp, uint32_t frame_no)
{
	if (!zct_compositor_alive(comp))
		return;
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, true) : NULL;
	struct zcc_buffer *buffer = NULL;
	struct zcc_image image;
	if (!window)
		goto cleanup;
	buffer = zct_pattern_buffer(client, W, H, WL_SHM_FORMAT_XRGB8888, frame_no);
	struct zct_frame frame = { 0 };
	zct_request_frame(window->surface, &frame);
	zct_show(window->surface, buffer);
	ZCT_CHECK(zct_wait(client, &frame.done, 2000), "second client: no frame callback");
	if (zct_capture(client, 0, &image)) {
		ZCT_CHECK(zct_compare_pattern(&image, 0, 0, W, H, buffer->format, frame_no) == 0,
			"second client's frame not shown");
		zcc_image_finish(&image);
	}
	zct_expect_no_error(client, "second client");
cleanup:
	zcc_buffer_destroy(buffer);
	zct_window_destroy(window);
	zct_client_destroy(client);
}

static void test_vanish_mid_frame(struct zct_compositor *comp)
{
	vanish_mid_frame(comp, true);
	check_healthy(comp, 100);
}

static void test_vanish_before_first_frame(struct zct_compositor *comp)
{
	vanish_mid_frame(comp, false);
	check_healthy(comp, 101);
}

/* Many in a row, while another client keeps the output busy. */
static void test_vanish_repeatedly(struct zct_compositor *comp)
{
	for (int i = 0; i < 10; i++)
		vanish_mid_frame(comp, i % 2 == 0);
	check_healthy(comp, 102);
}

/* A capture in flight when its client goes must not be written later. */
static void test_vanish_mid_capture(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zcc_globals *g = client ? &client->globals : NULL;
	if (!g || !g->capture_source_manager || !g->copy_capture_manager || !g->n_outputs) {
		ZCT_CHECK(false, "capture globals missing");
		zct_client_destroy(client);
		return;
	}
	struct zcc_buffer *buffer = zcc_buffer_create(g->shm, W, H, WL_SHM_FORMAT_XRGB8888);
	struct ext_image_capture_source_v1 *source =
		ext_output_image_capture_source_manager_v1_create_source(
			g->capture_source_manager, g->outputs[0].wl_output);
	struct ext_image_copy_capture_session_v1 *session =
		ext_image_copy_capture_manager_v1_create_session(g->copy_capture_manager, source, 0);
	struct ext_image_copy_capture_frame_v1 *frame =
		ext_image_copy_capture_session_v1_create_frame(session);
	ext_image_copy_capture_frame_v1_attach_buffer(frame, buffer->wl_buffer);
	ext_image_copy_capture_frame_v1_damage_buffer(frame, 0, 0, W, H);
	ext_image_copy_capture_frame_v1_capture(frame);
	zct_client_kill(client);
	ext_image_copy_capture_frame_v1_destroy(frame);
	ext_image_copy_capture_session_v1_destroy(session);
	ext_image_capture_source_v1_destroy(source);
	zcc_buffer_destroy(buffer);
	zct_client_destroy(client);
	check_healthy(comp, 103);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = W, .height = H };
	if (zct_compositor_start(&comp, &config)) {
		ZCT_RUN(test_vanish_mid_frame, &comp);
		ZCT_RUN(test_vanish_before_first_frame, &comp);
		ZCT_RUN(test_vanish_repeatedly, &comp);
		ZCT_RUN(test_vanish_mid_capture, &comp);
	}
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
