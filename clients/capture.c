#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "ext-image-capture-source-v1-client-protocol.h"
#include "ext-image-copy-capture-v1-client-protocol.h"

/* Beyond zcomp's own 5 s limit for a KMS writeback readback, after which it
 * answers from the rendered frame instead. */
#define CAPTURE_TIMEOUT_MS 10000

/* One capture: the session's constraints, then one frame's outcome. */
struct capture {
	uint32_t width, height;
	bool have_size;
	uint32_t formats[ZCC_MAX_SHM_FORMATS];
	int n_formats;
	bool constraints_done, stopped;
	bool frame_done, frame_ready;
	uint32_t failure_reason;
};

static void handle_session_buffer_size(void *data,
	struct ext_image_copy_capture_session_v1 *session, uint32_t width, uint32_t height)
{
	struct capture *cap = data;
	cap->width = width;
	cap->height = height;
	cap->have_size = true;
}

static void handle_session_shm_format(void *data,
	struct ext_image_copy_capture_session_v1 *session, uint32_t format)
{
	struct capture *cap = data;
	if (cap->n_formats < ZCC_MAX_SHM_FORMATS)
		cap->formats[cap->n_formats++] = format;
}

static void handle_session_dmabuf_device(void *data,
	struct ext_image_copy_capture_session_v1 *session, struct wl_array *device)
{
}

static void handle_session_dmabuf_format(void *data,
	struct ext_image_copy_capture_session_v1 *session, uint32_t format,
	struct wl_array *modifiers)
{
}

static void handle_session_done(void *data, struct ext_image_copy_capture_session_v1 *session)
{
	struct capture *cap = data;
	cap->constraints_done = true;
}

static void handle_session_stopped(void *data,
	struct ext_image_copy_capture_session_v1 *session)
{
	struct capture *cap = data;
	cap->stopped = true;
	/* Unblocks both waits below. */
	cap->constraints_done = true;
	cap->frame_done = true;
}

static const struct ext_image_copy_capture_session_v1_listener session_listener = {
	.buffer_size = handle_session_buffer_size,
	.shm_format = handle_session_shm_format,
	.dmabuf_device = handle_session_dmabuf_device,
	.dmabuf_format = handle_session_dmabuf_format,
	.done = handle_session_done,
	.stopped = handle_session_stopped,
};

static void handle_frame_transform(void *data, struct ext_image_copy_capture_frame_v1 *frame,
	uint32_t transform)
{
}

static void handle_frame_damage(void *data, struct ext_image_copy_capture_frame_v1 *frame,
	int32_t x, int32_t y, int32_t width, int32_t height)
{
}

static void handle_frame_presentation_time(void *data,
	struct ext_image_copy_capture_frame_v1 *frame, uint32_t sec_hi, uint32_t sec_lo,
	uint32_t nsec)
{
}

static void handle_frame_ready(void *data, struct ext_image_copy_capture_frame_v1 *frame)
{
	struct capture *cap = data;
	cap->frame_ready = true;
	cap->frame_done = true;
}

static void handle_frame_failed(void *data, struct ext_image_copy_capture_frame_v1 *frame,
	uint32_t reason)
{
	struct capture *cap = data;
	cap->failure_reason = reason;
	cap->frame_done = true;
}

static const struct ext_image_copy_capture_frame_v1_listener frame_listener = {
	.transform = handle_frame_transform,
	.damage = handle_frame_damage,
	.presentation_time = handle_frame_presentation_time,
	.ready = handle_frame_ready,
	.failed = handle_frame_failed,
};

/* Prefers the formats a PNG holds without loss, then any we can read. */
static uint32_t pick_format(const struct capture *cap)
{
	static const uint32_t preferred[] = {
		WL_SHM_FORMAT_XRGB8888, WL_SHM_FORMAT_ARGB8888,
		WL_SHM_FORMAT_XBGR8888, WL_SHM_FORMAT_ABGR8888,
	};
	for (size_t p = 0; p < sizeof(preferred) / sizeof(preferred[0]); p++) {
		for (int i = 0; i < cap->n_formats; i++) {
			if (cap->formats[i] == preferred[p])
				return preferred[p];
		}
	}
	for (int i = 0; i < cap->n_formats; i++) {
		if (zcc_format_get(cap->formats[i]))
			return cap->formats[i];
	}
	return UINT32_MAX;
}

static const char *failure_name(uint32_t reason)
{
	switch (reason) {
	case EXT_IMAGE_COPY_CAPTURE_FRAME_V1_FAILURE_REASON_BUFFER_CONSTRAINTS:
		return "buffer_constraints";
	case EXT_IMAGE_COPY_CAPTURE_FRAME_V1_FAILURE_REASON_STOPPED:
		return "stopped";
	default:
		return "unknown";
	}
}

/* Runs one frame into buffer; true once `ready` arrived. */
static bool capture_frame(struct wl_display *display,
	struct ext_image_copy_capture_session_v1 *session, struct capture *cap,
	struct zcc_buffer *buffer, char *err, size_t err_size)
{
	struct ext_image_copy_capture_frame_v1 *frame =
		ext_image_copy_capture_session_v1_create_frame(session);
	ext_image_copy_capture_frame_v1_add_listener(frame, &frame_listener, cap);
	ext_image_copy_capture_frame_v1_attach_buffer(frame, buffer->wl_buffer);
	ext_image_copy_capture_frame_v1_damage_buffer(frame, 0, 0, buffer->width, buffer->height);
	ext_image_copy_capture_frame_v1_capture(frame);

	bool done = zcc_dispatch_until(display, &cap->frame_done, CAPTURE_TIMEOUT_MS);
	ext_image_copy_capture_frame_v1_destroy(frame);
	if (!done)
		snprintf(err, err_size, "no ready/failed event for the capture frame");
	else if (cap->stopped)
		snprintf(err, err_size, "capture session stopped");
	else if (!cap->frame_ready)
		snprintf(err, err_size, "capture failed: %s", failure_name(cap->failure_reason));
	return done && cap->frame_ready;
}

static bool copy_into_image(const struct zcc_buffer *buffer, struct zcc_image *image)
{
	image->data = malloc(buffer->size);
	if (!image->data)
		return false;
	memcpy(image->data, buffer->data, buffer->size);
	image->width = buffer->width;
	image->height = buffer->height;
	image->stride = buffer->stride;
	image->format = buffer->format;
	return true;
}

bool zcc_capture_output(struct wl_display *display, struct zcc_globals *globals,
	struct wl_output *output, struct zcc_image *image, char *err, size_t err_size)
{
	struct capture cap = { 0 };
	struct zcc_buffer *buffer = NULL;
	bool ok = false;

	memset(image, 0, sizeof(*image));
	if (!globals->capture_source_manager || !globals->copy_capture_manager || !globals->shm) {
		snprintf(err, err_size, "compositor lacks ext-image-copy-capture-v1 or wl_shm");
		return false;
	}
	struct ext_image_capture_source_v1 *source =
		ext_output_image_capture_source_manager_v1_create_source(
			globals->capture_source_manager, output);
	struct ext_image_copy_capture_session_v1 *session =
		ext_image_copy_capture_manager_v1_create_session(
			globals->copy_capture_manager, source, 0);
	ext_image_copy_capture_session_v1_add_listener(session, &session_listener, &cap);

	if (!zcc_dispatch_until(display, &cap.constraints_done, CAPTURE_TIMEOUT_MS)) {
		snprintf(err, err_size, "no buffer constraints (done event) from the session");
		goto cleanup;
	}
	if (cap.stopped || !cap.have_size || cap.width == 0 || cap.height == 0) {
		snprintf(err, err_size, "session %s", cap.stopped ? "stopped" : "gave no buffer size");
		goto cleanup;
	}
	uint32_t format = pick_format(&cap);
	if (format == UINT32_MAX) {
		snprintf(err, err_size, "no usable shm format among %d offered", cap.n_formats);
		goto cleanup;
	}
	buffer = zcc_buffer_create(globals->shm, (int32_t)cap.width, (int32_t)cap.height, format);
	if (!buffer) {
		snprintf(err, err_size, "cannot allocate a %ux%u buffer", cap.width, cap.height);
		goto cleanup;
	}
	if (!capture_frame(display, session, &cap, buffer, err, err_size))
		goto cleanup;
	ok = copy_into_image(buffer, image);
	if (!ok)
		snprintf(err, err_size, "out of memory");

cleanup:
	zcc_buffer_destroy(buffer);
	ext_image_copy_capture_session_v1_destroy(session);
	ext_image_capture_source_v1_destroy(source);
	if (wl_display_roundtrip(display) < 0 && ok) {
		snprintf(err, err_size, "connection failed after the capture");
		zcc_image_finish(image);
		ok = false;
	}
	return ok;
}

bool zcc_image_write_png(const struct zcc_image *image, const char *path,
	char *err, size_t err_size)
{
	size_t row = (size_t)image->width * 3;
	uint8_t *rgb = malloc(row * (size_t)image->height);
	if (!rgb) {
		snprintf(err, err_size, "out of memory");
		return false;
	}
	for (int32_t y = 0; y < image->height; y++) {
		for (int32_t x = 0; x < image->width; x++) {
			struct zcc_rgb px = zcc_image_get(image, x, y);
			uint8_t *dst = rgb + (size_t)y * row + (size_t)x * 3;
			for (int i = 0; i < 3; i++)
				dst[i] = zcc_channel_to8(px.c[i], px.bits[i]);
		}
	}
	png_image png;
	memset(&png, 0, sizeof(png));
	png.version = PNG_IMAGE_VERSION;
	png.width = (png_uint_32)image->width;
	png.height = (png_uint_32)image->height;
	png.format = PNG_FORMAT_RGB;
	bool ok = png_image_write_to_file(&png, path, 0, rgb, (png_int_32)row, NULL) != 0;
	if (!ok)
		snprintf(err, err_size, "%s: %s", path, png.message);
	png_image_free(&png);
	free(rgb);
	return ok;
}
