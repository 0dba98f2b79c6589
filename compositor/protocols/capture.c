/*
 * Screen capture: ext-image-capture-source-v1 (output sources) and
 * ext-image-copy-capture-v1 (copying a source into client buffers).
 *
 * A source names an output; a session on a source advertises the buffers it
 * can fill and hands out frames, one at a time; a frame copies the output's
 * last presented contents (output->front) into the client's buffer, or, where
 * the output can read back what its display shows (a KMS writeback
 * connector), what the display hardware itself scans out, planes included
 * (read back during the next refresh, output_readback() in core/output.h). The
 * first frame of a session copies at once; later ones wait until the output
 * shows something new, so a client that captures in a loop follows the screen
 * without spinning.
 *
 * Every object outlives what it points to: a source or session whose output is
 * gone is inert (sessions say "stopped"), a frame whose session is gone fails
 * with "stopped", and nothing here holds a pointer to struct zc_capture, so the
 * globals can go before the clients do.
 */
#include "capture.h"

#include <pixman.h>
#include <stdint.h>
#include <stdlib.h>
#include <wayland-server-core.h>
#include <wayland-server-protocol.h>

#include "base/formats.h"
#include "renderer/renderer.h"
#include "base/buffer.h"
#include "ext-image-capture-source-v1-server-protocol.h"
#include "ext-image-copy-capture-v1-server-protocol.h"
#include "core/output.h"
#include "core/server.h"

#define SOURCE_MANAGER_VERSION 1
#define COPY_MANAGER_VERSION 1

struct zc_capture {
	struct wl_global *source_manager; /* ext_output_image_capture_source_manager_v1 */
	struct wl_global *copy_manager;   /* ext_image_copy_capture_manager_v1 */
};

/* ext_image_capture_source_v1. Only outputs are sources so far; a toplevel
 * source would add its own pointer and listener here. */
struct zc_capture_source {
	struct wl_resource *resource;
	struct zc_output *output; /* NULL: inert */
	struct wl_listener output_destroy;
};

struct zc_capture_frame;

/* ext_image_copy_capture_cursor_session_v1 */
struct zc_cursor_session {
	bool has_session; /* get_capture_session may come once */
};

/* ext_image_copy_capture_session_v1 */
struct zc_capture_session {
	struct wl_resource *resource;
	struct zc_output *output; /* NULL once stopped */
	struct wl_listener output_destroy;
	struct wl_listener output_frame;

	int32_t width, height; /* the advertised buffer_size */
	struct zc_capture_frame *frame; /* the one frame object allowed, or NULL */
	bool had_ready; /* later frames wait for new content and report damage */
	/* The front buffer when we last looked, only compared: a new one means
	 * new contents. */
	const struct zc_buffer *last_front;
	/* Output buffer pixels that changed since the last ready event. */
	pixman_region32_t damage;
};

enum zc_frame_state {
	FRAME_OPEN,    /* taking attach_buffer and damage_buffer */
	FRAME_PENDING, /* capture requested, waiting for content */
	FRAME_DONE,    /* ready or failed sent */
};

/* ext_image_copy_capture_frame_v1 */
struct zc_capture_frame {
	struct wl_resource *resource;
	struct zc_capture_session *session; /* NULL once the session is gone */
	enum zc_frame_state state;
	struct wl_resource *buffer; /* attached wl_buffer, or NULL */
	struct wl_listener buffer_destroy;
	pixman_region32_t buffer_damage; /* what the client says is stale */
	struct zc_output_readback *readback; /* waited for, or NULL */
};

/* Formats */

/* A client may capture into an shm buffer of this format if wl_shm takes it
 * (the renderer reads it) and pixman can write it. */
static bool shm_format_capturable(struct zc_server *server, uint32_t format)
{
	struct zc_renderer *renderer = server->renderer;
	if (!renderer || !format_set_get(renderer_get_formats(renderer), format))
		return false;
	const struct zc_format_info *info = format_info(format);
	return info && info->n_planes == 1 && info->pixman != 0 &&
		pixman_format_supported_destination(info->pixman);
}

/* A pixman view of a single-plane CPU mapping, or NULL if pixman cannot
 * address it (pixman rows are 32-bit aligned). */
static pixman_image_t *image_from_view(const struct zc_buffer *buffer,
	const struct zc_cpu_view *view)
{
	const struct zc_format_info *info = format_info(view->format);
	if (!info || info->pixman == 0 || view->n_planes != 1 || view->stride[0] % 4 != 0)
		return NULL;
	if (view->stride[0] < format_min_stride(info, 0, (uint32_t)buffer->width))
		return NULL;
	return pixman_image_create_bits_no_clear(info->pixman, buffer->width,
		buffer->height, view->data[0], (int)view->stride[0]);
}

/* The copy */

/* Copies src into dst, converting formats, touching only clip (dst pixels).
 * On failure *reason says whether the client's buffer was at fault. */
static bool copy_pixels(struct zc_buffer *src, struct zc_buffer *dst,
	const pixman_region32_t *clip, uint32_t *reason)
{
	struct zc_cpu_view src_view, dst_view;
	pixman_image_t *src_image = NULL, *dst_image = NULL;
	bool ok = false;

	*reason = EXT_IMAGE_COPY_CAPTURE_FRAME_V1_FAILURE_REASON_UNKNOWN;
	if (!buffer_begin_cpu_access(src, ZC_CPU_READ, &src_view))
		return false;
	/* Only shm buffers get here, and those refuse writes only when the
	 * client shared a read-only file: a buffer it must allocate anew. */
	if (!buffer_begin_cpu_access(dst, ZC_CPU_WRITE, &dst_view)) {
		*reason = EXT_IMAGE_COPY_CAPTURE_FRAME_V1_FAILURE_REASON_BUFFER_CONSTRAINTS;
		goto end_src;
	}
	src_image = image_from_view(src, &src_view);
	dst_image = image_from_view(dst, &dst_view);
	if (!dst_image)
		*reason = EXT_IMAGE_COPY_CAPTURE_FRAME_V1_FAILURE_REASON_BUFFER_CONSTRAINTS;
	if (!src_image || !dst_image)
		goto unref;

	pixman_image_set_clip_region32(dst_image, (pixman_region32_t *)clip);
	pixman_image_composite32(PIXMAN_OP_SRC, src_image, NULL, dst_image,
		0, 0, 0, 0, 0, 0, dst->width, dst->height);
	ok = true;

unref:
	if (dst_image)
		pixman_image_unref(dst_image);
	if (src_image)
		pixman_image_unref(src_image);
	buffer_end_cpu_access(dst);
end_src:
	buffer_end_cpu_access(src);
	return ok;
}

/* Frames */

static void frame_cancel_readback(struct zc_capture_frame *frame)
{
	output_readback_cancel(frame->readback);
	frame->readback = NULL;
}

static void frame_fail(struct zc_capture_frame *frame, uint32_t reason)
{
	frame_cancel_readback(frame);
	frame->state = FRAME_DONE;
	ext_image_copy_capture_frame_v1_send_failed(frame->resource, reason);
}

static void frame_detach_buffer(struct zc_capture_frame *frame)
{
	if (!frame->buffer)
		return;
	wl_list_remove(&frame->buffer_destroy.link);
	frame->buffer = NULL;
}

static void frame_send_ready(struct zc_capture_frame *frame, const struct timespec *when,
	const pixman_region32_t *damage)
{
	struct wl_resource *resource = frame->resource;
	ext_image_copy_capture_frame_v1_send_transform(resource, WL_OUTPUT_TRANSFORM_NORMAL);

	int n_rects;
	const pixman_box32_t *rects = pixman_region32_rectangles(
		(pixman_region32_t *)damage, &n_rects);
	for (int i = 0; i < n_rects; i++) {
		ext_image_copy_capture_frame_v1_send_damage(resource, rects[i].x1, rects[i].y1,
			rects[i].x2 - rects[i].x1, rects[i].y2 - rects[i].y1);
	}

	uint64_t sec = (uint64_t)when->tv_sec;
	ext_image_copy_capture_frame_v1_send_presentation_time(resource,
		(uint32_t)(sec >> 32), (uint32_t)sec, (uint32_t)when->tv_nsec);
	ext_image_copy_capture_frame_v1_send_ready(resource);
	frame->state = FRAME_DONE;
}

/* Whether the attached buffer is one the session advertised. Only shm
 * buffers are: a dma-buf target joins here with dmabuf_format. */
static bool frame_buffer_fits(struct zc_capture_frame *frame, struct zc_buffer *buffer)
{
	struct zc_capture_session *session = frame->session;
	if (!buffer || buffer_get_dmabuf(buffer))
		return false;
	return buffer->width == session->width && buffer->height == session->height &&
		shm_format_capturable(session->output->server, buffer->format);
}

/* Copies src, the output's contents at when, into the frame's buffer and
 * finishes the frame either way. */
static void frame_copy_from(struct zc_capture_frame *frame, struct zc_buffer *src,
	const struct timespec *when)
{
	struct zc_capture_session *session = frame->session;
	struct zc_output *output = session->output;
	struct zc_buffer *buffer = buffer_from_resource(frame->buffer);
	if (!frame_buffer_fits(frame, buffer)) {
		frame_fail(frame, EXT_IMAGE_COPY_CAPTURE_FRAME_V1_FAILURE_REASON_BUFFER_CONSTRAINTS);
		return;
	}

	/* The first frame carries full damage; later ones what changed. What
	 * the client says is stale in its buffer must be refreshed too. */
	pixman_region32_t damage, clip;
	pixman_region32_init_rect(&damage, 0, 0, (unsigned)buffer->width,
		(unsigned)buffer->height);
	if (session->had_ready)
		pixman_region32_intersect(&damage, &damage, &session->damage);
	pixman_region32_init(&clip);
	pixman_region32_union(&clip, &damage, &frame->buffer_damage);

	uint32_t reason;
	if (copy_pixels(src, buffer, &clip, &reason)) {
		frame_send_ready(frame, when, &damage);
		session->had_ready = true;
		pixman_region32_clear(&session->damage);
	} else {
		if (reason == EXT_IMAGE_COPY_CAPTURE_FRAME_V1_FAILURE_REASON_UNKNOWN)
			zc_warn("capture: cannot copy output %s", output->name);
		frame_fail(frame, reason);
	}
	pixman_region32_fini(&clip);
	pixman_region32_fini(&damage);
}

static void handle_frame_readback(void *data, struct zc_buffer *image,
	const struct timespec *when)
{
	struct zc_capture_frame *frame = data;
	frame->readback = NULL; /* it ends with this call */
	struct zc_output *output = frame->session->output;
	if (!image) {
		frame_copy_from(frame, output->front, &output->last_present);
		return;
	}
	/* The image may be of a frame whose present has not come yet: its
	 * damage, the newest repaint's, is not in the session's damage yet. */
	pixman_region32_union(&frame->session->damage, &frame->session->damage,
		&output->damage_history[0]);
	frame_copy_from(frame, image, when);
}

/* Fills the frame from what the display shows where the output can read it
 * back (handle_frame_readback finishes it), else copies the front buffer now. */
static void frame_copy(struct zc_capture_frame *frame)
{
	struct zc_output *output = frame->session->output;
	frame->readback = output_readback(output, handle_frame_readback, frame);
	if (!frame->readback)
		frame_copy_from(frame, output->front, &output->last_present);
}

static void handle_frame_buffer_destroy(struct wl_listener *listener, void *data)
{
	struct zc_capture_frame *frame = container_of(listener, struct zc_capture_frame,
		buffer_destroy);
	frame_detach_buffer(frame);
	/* A waiting capture has nothing left to write into. */
	if (frame->state == FRAME_PENDING)
		frame_fail(frame, EXT_IMAGE_COPY_CAPTURE_FRAME_V1_FAILURE_REASON_UNKNOWN);
}

static void handle_frame_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static bool frame_check_open(struct zc_capture_frame *frame)
{
	if (frame->state == FRAME_OPEN)
		return true;
	wl_resource_post_error(frame->resource,
		EXT_IMAGE_COPY_CAPTURE_FRAME_V1_ERROR_ALREADY_CAPTURED,
		"the frame was already captured");
	return false;
}

static void handle_frame_attach_buffer(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *buffer_resource)
{
	struct zc_capture_frame *frame = wl_resource_get_user_data(resource);
	if (!frame_check_open(frame))
		return;
	frame_detach_buffer(frame);
	frame->buffer = buffer_resource;
	frame->buffer_destroy.notify = handle_frame_buffer_destroy;
	wl_resource_add_destroy_listener(buffer_resource, &frame->buffer_destroy);
}

static void handle_frame_damage_buffer(struct wl_client *client, struct wl_resource *resource,
	int32_t x, int32_t y, int32_t width, int32_t height)
{
	struct zc_capture_frame *frame = wl_resource_get_user_data(resource);
	if (!frame_check_open(frame))
		return;
	if (x < 0 || y < 0 || width <= 0 || height <= 0) {
		wl_resource_post_error(resource,
			EXT_IMAGE_COPY_CAPTURE_FRAME_V1_ERROR_INVALID_BUFFER_DAMAGE,
			"invalid damage %d,%d %dx%d", x, y, width, height);
		return;
	}
	/* Clamped so that x + width cannot overflow; pixman clips the rest. */
	if (width > INT32_MAX - x)
		width = INT32_MAX - x;
	if (height > INT32_MAX - y)
		height = INT32_MAX - y;
	pixman_region32_union_rect(&frame->buffer_damage, &frame->buffer_damage,
		x, y, (unsigned)width, (unsigned)height);
}

static void session_try_copy(struct zc_capture_session *session);

static void handle_frame_capture(struct wl_client *client, struct wl_resource *resource)
{
	struct zc_capture_frame *frame = wl_resource_get_user_data(resource);
	if (!frame_check_open(frame))
		return;
	if (!frame->buffer) {
		wl_resource_post_error(resource, EXT_IMAGE_COPY_CAPTURE_FRAME_V1_ERROR_NO_BUFFER,
			"capture requested without a buffer attached");
		return;
	}
	frame->state = FRAME_PENDING;
	struct zc_capture_session *session = frame->session;
	if (!session || !session->output) {
		frame_fail(frame, EXT_IMAGE_COPY_CAPTURE_FRAME_V1_FAILURE_REASON_STOPPED);
		return;
	}
	/* Refused at once rather than after waiting for new content. */
	if (!frame_buffer_fits(frame, buffer_from_resource(frame->buffer))) {
		frame_fail(frame, EXT_IMAGE_COPY_CAPTURE_FRAME_V1_FAILURE_REASON_BUFFER_CONSTRAINTS);
		return;
	}
	session_try_copy(session);
	/* Nothing presented yet: the first frame must come from somewhere,
	 * even if the output's first render failed and left no damage. */
	if (frame->state == FRAME_PENDING && !session->output->front)
		output_damage_whole(session->output);
}

static const struct ext_image_copy_capture_frame_v1_interface frame_impl = {
	.destroy = handle_frame_destroy,
	.attach_buffer = handle_frame_attach_buffer,
	.damage_buffer = handle_frame_damage_buffer,
	.capture = handle_frame_capture,
};

static void frame_resource_destroy(struct wl_resource *resource)
{
	struct zc_capture_frame *frame = wl_resource_get_user_data(resource);
	if (frame->session)
		frame->session->frame = NULL;
	frame_cancel_readback(frame);
	frame_detach_buffer(frame);
	pixman_region32_fini(&frame->buffer_damage);
	free(frame);
}

/* Sessions */

/* Copies into the waiting frame if the output shows something the client
 * has not seen: anything at all for the first frame, new damage after. */
static void session_try_copy(struct zc_capture_session *session)
{
	struct zc_capture_frame *frame = session->frame;
	/* A readback under way finishes the frame by itself. */
	if (!frame || frame->state != FRAME_PENDING || frame->readback ||
	    !session->output->front)
		return;
	if (session->had_ready && !pixman_region32_not_empty(&session->damage))
		return;
	frame_copy(frame);
}

static void session_send_constraints(struct zc_capture_session *session)
{
	struct zc_output *output = session->output;
	struct zc_server *server = output->server;
	struct wl_resource *resource = session->resource;

	session->width = output->width;
	session->height = output->height;
	ext_image_copy_capture_session_v1_send_buffer_size(resource, (uint32_t)output->width,
		(uint32_t)output->height);

	/* The output's own format first: copying into it converts nothing. */
	if (shm_format_capturable(server, output->render_format)) {
		ext_image_copy_capture_session_v1_send_shm_format(resource,
			format_to_shm(output->render_format));
	}
	const struct zc_format_set *set = renderer_get_formats(server->renderer);
	for (size_t i = 0; i < set->n_formats; i++) {
		uint32_t format = set->formats[i].format;
		if (format != output->render_format && shm_format_capturable(server, format))
			ext_image_copy_capture_session_v1_send_shm_format(resource,
				format_to_shm(format));
	}
	/* dma-buf targets (dmabuf_device, dmabuf_format) are advertised here
	 * once the copy can write them. */
	ext_image_copy_capture_session_v1_send_done(resource);
}

static void session_stop_listening(struct zc_capture_session *session)
{
	if (!session->output)
		return;
	wl_list_remove(&session->output_destroy.link);
	wl_list_remove(&session->output_frame.link);
	session->output = NULL;
}

static void handle_session_output_destroy(struct wl_listener *listener, void *data)
{
	struct zc_capture_session *session = container_of(listener,
		struct zc_capture_session, output_destroy);
	session_stop_listening(session);
	struct zc_capture_frame *frame = session->frame;
	if (frame && frame->state == FRAME_PENDING)
		frame_fail(frame, EXT_IMAGE_COPY_CAPTURE_FRAME_V1_FAILURE_REASON_STOPPED);
	ext_image_copy_capture_session_v1_send_stopped(session->resource);
}

static void handle_session_output_frame(struct wl_listener *listener, void *data)
{
	struct zc_capture_session *session = container_of(listener,
		struct zc_capture_session, output_frame);
	struct zc_output *output = session->output;

	/* No mode changes exist yet; when one comes, the client learns the new
	 * size here and frames in the old size fail buffer_constraints. */
	if (output->width != session->width || output->height != session->height)
		session_send_constraints(session);

	/* A present without new contents keeps the front buffer: backends never
	 * render into the buffer on screen. One with new contents was the last
	 * repaint, whose damage heads the history. */
	if (output->front == session->last_front)
		return;
	session->last_front = output->front;
	pixman_region32_union(&session->damage, &session->damage, &output->damage_history[0]);
	session_try_copy(session);
}

static void handle_session_create_frame(struct wl_client *client, struct wl_resource *resource,
	uint32_t id)
{
	struct zc_capture_session *session = wl_resource_get_user_data(resource);
	if (session->frame) {
		wl_resource_post_error(resource,
			EXT_IMAGE_COPY_CAPTURE_SESSION_V1_ERROR_DUPLICATE_FRAME,
			"the session already has a frame");
		return;
	}
	struct zc_capture_frame *frame = calloc(1, sizeof(*frame));
	if (!frame)
		goto err_no_memory;
	frame->resource = wl_resource_create(client, &ext_image_copy_capture_frame_v1_interface,
		wl_resource_get_version(resource), id);
	if (!frame->resource)
		goto err_frame;
	pixman_region32_init(&frame->buffer_damage);
	frame->session = session;
	wl_resource_set_implementation(frame->resource, &frame_impl, frame,
		frame_resource_destroy);
	session->frame = frame;
	return;

err_frame:
	free(frame);
err_no_memory:
	wl_resource_post_no_memory(resource);
}

static void handle_session_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct ext_image_copy_capture_session_v1_interface session_impl = {
	.create_frame = handle_session_create_frame,
	.destroy = handle_session_destroy,
};

static void session_resource_destroy(struct wl_resource *resource)
{
	struct zc_capture_session *session = wl_resource_get_user_data(resource);
	session_stop_listening(session);
	/* The frame object lives on, but can never be filled. */
	struct zc_capture_frame *frame = session->frame;
	if (frame) {
		frame->session = NULL;
		if (frame->state == FRAME_PENDING)
			frame_fail(frame, EXT_IMAGE_COPY_CAPTURE_FRAME_V1_FAILURE_REASON_STOPPED);
	}
	pixman_region32_fini(&session->damage);
	free(session);
}

/* Creates a session on output, or a stopped one if output is NULL. Returns
 * false on allocation failure, for the caller to report. */
static bool session_create(struct wl_client *client, int version, uint32_t id,
	struct zc_output *output)
{
	struct zc_capture_session *session = calloc(1, sizeof(*session));
	if (!session)
		return false;
	session->resource = wl_resource_create(client,
		&ext_image_copy_capture_session_v1_interface, version, id);
	if (!session->resource) {
		free(session);
		return false;
	}
	pixman_region32_init(&session->damage);
	wl_resource_set_implementation(session->resource, &session_impl, session,
		session_resource_destroy);

	if (!output) {
		ext_image_copy_capture_session_v1_send_stopped(session->resource);
		return true;
	}
	session->output = output;
	session->last_front = output->front;
	session->output_destroy.notify = handle_session_output_destroy;
	wl_signal_add(&output->destroy, &session->output_destroy);
	session->output_frame.notify = handle_session_output_frame;
	wl_signal_add(&output->frame, &session->output_frame);
	session_send_constraints(session);
	return true;
}

/* Cursor sessions. There is no cursor yet: a cursor session never sees one
 * enter, and its capture session is stopped from the start. */

static void cursor_session_resource_destroy(struct wl_resource *resource)
{
	free(wl_resource_get_user_data(resource));
}

static void handle_cursor_session_destroy(struct wl_client *client,
	struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void handle_cursor_session_get_capture_session(struct wl_client *client,
	struct wl_resource *resource, uint32_t id)
{
	struct zc_cursor_session *cursor = wl_resource_get_user_data(resource);
	if (cursor->has_session) {
		wl_resource_post_error(resource,
			EXT_IMAGE_COPY_CAPTURE_CURSOR_SESSION_V1_ERROR_DUPLICATE_SESSION,
			"get_capture_session was already sent");
		return;
	}
	if (!session_create(client, wl_resource_get_version(resource), id, NULL)) {
		wl_resource_post_no_memory(resource);
		return;
	}
	cursor->has_session = true;
}

static const struct ext_image_copy_capture_cursor_session_v1_interface cursor_session_impl = {
	.destroy = handle_cursor_session_destroy,
	.get_capture_session = handle_cursor_session_get_capture_session,
};

/* ext_image_copy_capture_manager_v1 */

static void handle_copy_manager_create_session(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *source_resource,
	uint32_t options)
{
	if (options & ~(uint32_t)EXT_IMAGE_COPY_CAPTURE_MANAGER_V1_OPTIONS_PAINT_CURSORS) {
		wl_resource_post_error(resource,
			EXT_IMAGE_COPY_CAPTURE_MANAGER_V1_ERROR_INVALID_OPTION,
			"unknown options 0x%x", options);
		return;
	}
	/* paint_cursors is honoured trivially: there are no cursors to paint. */
	struct zc_capture_source *source = wl_resource_get_user_data(source_resource);
	if (!session_create(client, wl_resource_get_version(resource), id, source->output))
		wl_resource_post_no_memory(resource);
}

static void handle_copy_manager_create_pointer_cursor_session(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *source_resource,
	struct wl_resource *pointer)
{
	struct zc_cursor_session *cursor = calloc(1, sizeof(*cursor));
	if (!cursor)
		goto err_no_memory;
	struct wl_resource *cursor_resource = wl_resource_create(client,
		&ext_image_copy_capture_cursor_session_v1_interface,
		wl_resource_get_version(resource), id);
	if (!cursor_resource)
		goto err_cursor;
	wl_resource_set_implementation(cursor_resource, &cursor_session_impl, cursor,
		cursor_session_resource_destroy);
	return;

err_cursor:
	free(cursor);
err_no_memory:
	wl_resource_post_no_memory(resource);
}

static void handle_copy_manager_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct ext_image_copy_capture_manager_v1_interface copy_manager_impl = {
	.create_session = handle_copy_manager_create_session,
	.create_pointer_cursor_session = handle_copy_manager_create_pointer_cursor_session,
	.destroy = handle_copy_manager_destroy,
};

static void copy_manager_bind(struct wl_client *client, void *data, uint32_t version,
	uint32_t id)
{
	struct wl_resource *resource = wl_resource_create(client,
		&ext_image_copy_capture_manager_v1_interface, (int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &copy_manager_impl, NULL, NULL);
}

/* Sources */

static void source_forget_output(struct zc_capture_source *source)
{
	if (!source->output)
		return;
	wl_list_remove(&source->output_destroy.link);
	source->output = NULL;
}

static void handle_source_output_destroy(struct wl_listener *listener, void *data)
{
	struct zc_capture_source *source = container_of(listener, struct zc_capture_source,
		output_destroy);
	source_forget_output(source);
}

static void handle_source_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct ext_image_capture_source_v1_interface source_impl = {
	.destroy = handle_source_destroy,
};

static void source_resource_destroy(struct wl_resource *resource)
{
	struct zc_capture_source *source = wl_resource_get_user_data(resource);
	source_forget_output(source);
	free(source);
}

static void handle_source_manager_create_source(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *output_resource)
{
	struct zc_capture_source *source = calloc(1, sizeof(*source));
	if (!source)
		goto err_no_memory;
	source->resource = wl_resource_create(client, &ext_image_capture_source_v1_interface,
		wl_resource_get_version(resource), id);
	if (!source->resource)
		goto err_source;
	wl_resource_set_implementation(source->resource, &source_impl, source,
		source_resource_destroy);

	/* A wl_output whose output is gone still makes a source: an inert one,
	 * whose sessions stop at once. */
	source->output = output_from_resource(output_resource);
	if (source->output) {
		source->output_destroy.notify = handle_source_output_destroy;
		wl_signal_add(&source->output->destroy, &source->output_destroy);
	}
	return;

err_source:
	free(source);
err_no_memory:
	wl_resource_post_no_memory(resource);
}

static void handle_source_manager_destroy(struct wl_client *client,
	struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct ext_output_image_capture_source_manager_v1_interface
source_manager_impl = {
	.create_source = handle_source_manager_create_source,
	.destroy = handle_source_manager_destroy,
};

static void source_manager_bind(struct wl_client *client, void *data, uint32_t version,
	uint32_t id)
{
	struct wl_resource *resource = wl_resource_create(client,
		&ext_output_image_capture_source_manager_v1_interface, (int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &source_manager_impl, NULL, NULL);
}

bool capture_global_create(struct zc_server *server)
{
	struct zc_capture *capture = calloc(1, sizeof(*capture));
	if (!capture)
		return false;
	capture->source_manager = wl_global_create(server->display,
		&ext_output_image_capture_source_manager_v1_interface, SOURCE_MANAGER_VERSION,
		NULL, source_manager_bind);
	if (!capture->source_manager)
		goto err_capture;
	capture->copy_manager = wl_global_create(server->display,
		&ext_image_copy_capture_manager_v1_interface, COPY_MANAGER_VERSION, NULL,
		copy_manager_bind);
	if (!capture->copy_manager)
		goto err_source_manager;
	server->capture = capture;
	return true;

err_source_manager:
	wl_global_destroy(capture->source_manager);
err_capture:
	free(capture);
	return false;
}

void capture_global_destroy(struct zc_server *server)
{
	struct zc_capture *capture = server->capture;
	if (!capture)
		return;
	wl_global_destroy(capture->copy_manager);
	wl_global_destroy(capture->source_manager);
	free(capture);
	server->capture = NULL;
}
