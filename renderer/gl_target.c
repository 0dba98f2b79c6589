/*
 * Render targets of the GL renderer: an output's back buffer, a zc_buffer,
 * gets one FBO, made the first time it is rendered into and cached on it.
 *
 *   A dma-buf target (a GBM bo scanned out by KMS) is imported as an
 *   EGLImage behind a renderbuffer: GL renders into the scanout memory.
 *   Any other target (headless memory buffers, KMS dumb buffers) gets a
 *   texture of its own, and end() reads the damaged rows back into the
 *   target's CPU view, so captures and the backend see the pixels.
 *
 * Each target keeps its own FBO, so what an FBO holds and what its buffer
 * holds only differ inside this frame's damage, which end() copies.
 */
#include <drm_fourcc.h>
#include <stdlib.h>
#include <string.h>

#include "../compositor/log.h"
#include "gl.h"

struct gl_target {
	struct zc_buffer_attachment base;
	struct gl_renderer *gl;
	struct wl_list link; /* gl_renderer.targets */
	bool failed;         /* cannot be rendered into: not retried */
	GLuint fbo, texture, renderbuffer;
	EGLImageKHR image;
	bool readback;
	GLenum read_format; /* GL_RGBA or GL_BGRA_EXT */
	bool read_swap;     /* swap R and B after reading GL_RGBA */
};

static void gl_target_destroy(struct zc_buffer_attachment *attachment)
{
	struct gl_target *t = wl_container_of(attachment, t, base);
	struct gl_renderer *gl = t->gl;
	wl_list_remove(&t->link);
	if (gl_make_current(gl)) {
		if (t->fbo)
			glDeleteFramebuffers(1, &t->fbo);
		if (t->texture)
			glDeleteTextures(1, &t->texture);
		if (t->renderbuffer)
			glDeleteRenderbuffers(1, &t->renderbuffer);
		if (t->image != EGL_NO_IMAGE_KHR)
			gl->procs.destroy_image(gl->display, t->image);
	}
	free(t);
}

void gl_targets_destroy_all(struct gl_renderer *gl)
{
	struct gl_target *t, *tmp;
	wl_list_for_each_safe(t, tmp, &gl->targets, link)
		buffer_remove_attachment(&t->base);
}

static bool gl_fbo_complete(struct gl_target *t, GLenum attachment_type, GLuint object)
{
	glGenFramebuffers(1, &t->fbo);
	glBindFramebuffer(GL_FRAMEBUFFER, t->fbo);
	if (attachment_type == GL_RENDERBUFFER)
		glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
			object);
	else
		glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, object,
			0);
	GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
	glBindFramebuffer(GL_FRAMEBUFFER, 0);
	return status == GL_FRAMEBUFFER_COMPLETE;
}

/* Rendering straight into the dma-buf: no copy at all. */
static bool gl_target_init_dmabuf(struct gl_renderer *gl, struct gl_target *t,
	const struct zc_dmabuf_attribs *a, const char **why)
{
	if (!gl->procs.image_target_renderbuffer) {
		*why = "GL has no GL_OES_EGL_image";
		return false;
	}
	t->image = gl_image_from_dmabuf(gl, a, why);
	if (t->image == EGL_NO_IMAGE_KHR)
		return false;
	glGenRenderbuffers(1, &t->renderbuffer);
	glBindRenderbuffer(GL_RENDERBUFFER, t->renderbuffer);
	gl->procs.image_target_renderbuffer(GL_RENDERBUFFER, t->image);
	glBindRenderbuffer(GL_RENDERBUFFER, 0);
	if (!gl_fbo_complete(t, GL_RENDERBUFFER, t->renderbuffer)) {
		*why = "the imported framebuffer is incomplete";
		return false;
	}
	return true;
}

/* How glReadPixels output becomes the target's format. */
static bool gl_target_read_format(struct gl_renderer *gl, struct gl_target *t, uint32_t format)
{
	switch (format) {
	case DRM_FORMAT_XRGB8888:
	case DRM_FORMAT_ARGB8888:
		/* Memory order B, G, R, A. */
		t->read_format = gl->has.read_bgra ? GL_BGRA_EXT : GL_RGBA;
		t->read_swap = !gl->has.read_bgra;
		return true;
	case DRM_FORMAT_XBGR8888:
	case DRM_FORMAT_ABGR8888:
		t->read_format = GL_RGBA;
		t->read_swap = false;
		return true;
	default:
		return false;
	}
}

static bool gl_target_init_readback(struct gl_renderer *gl, struct gl_target *t,
	const struct zc_buffer *buffer, const char **why)
{
	if (!gl_target_read_format(gl, t, buffer->format)) {
		*why = "its format cannot be read back (8888 formats only)";
		return false;
	}
	if (buffer->width > gl->max_texture_size || buffer->height > gl->max_texture_size) {
		*why = "larger than GL_MAX_TEXTURE_SIZE";
		return false;
	}
	glGenTextures(1, &t->texture);
	glBindTexture(GL_TEXTURE_2D, t->texture);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
	glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, buffer->width, buffer->height, 0, GL_RGBA,
		GL_UNSIGNED_BYTE, NULL);
	glBindTexture(GL_TEXTURE_2D, 0);
	if (!gl_fbo_complete(t, GL_TEXTURE, t->texture)) {
		*why = "the framebuffer is incomplete";
		return false;
	}
	t->readback = true;
	return true;
}

/* A dma-buf target that EGL refuses can still be read back into. */
static void gl_target_init(struct gl_renderer *gl, struct gl_target *t, struct zc_buffer *buffer)
{
	const struct zc_dmabuf_attribs *a = buffer_get_dmabuf(buffer);
	const char *why = NULL;
	if (a && gl_target_init_dmabuf(gl, t, a, &why)) {
		zc_debug("gl: %dx%d target: rendering into its dma-buf", buffer->width,
			buffer->height);
		return;
	}
	if (a)
		zc_info("gl: %dx%d target: dma-buf not renderable (%s), reading back instead",
			buffer->width, buffer->height, why);
	if (gl_target_init_readback(gl, t, buffer, &why))
		return;
	zc_err("gl: cannot render into a %dx%d %s buffer: %s", buffer->width, buffer->height,
		buffer->impl->name, why);
	t->failed = true;
}

struct gl_target *gl_target_get(struct gl_renderer *gl, struct zc_buffer *buffer)
{
	struct zc_buffer_attachment *att = buffer_get_attachment(buffer, &gl->targets);
	struct gl_target *t;
	if (att) {
		t = wl_container_of(att, t, base);
		return t->failed ? NULL : t;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->gl = gl;
	t->image = EGL_NO_IMAGE_KHR;
	wl_list_insert(&gl->targets, &t->link);
	buffer_add_attachment(buffer, &t->base, &gl->targets, gl_target_destroy);
	gl_target_init(gl, t, buffer);
	return t->failed ? NULL : t;
}

void gl_target_bind(struct gl_target *target)
{
	glBindFramebuffer(GL_FRAMEBUFFER, target->fbo);
}

static void gl_swap_rb_rows(uint8_t *rows, size_t stride, int32_t width, int32_t n)
{
	for (int32_t y = 0; y < n; y++) {
		uint8_t *p = rows + (size_t)y * stride;
		for (int32_t x = 0; x < width; x++, p += 4) {
			uint8_t r = p[0];
			p[0] = p[2];
			p[2] = r;
		}
	}
}

/* Rows [y1, y2) into the view; one call when the rows are packed. */
static void gl_read_rows(const struct gl_target *t, const struct zc_cpu_view *view,
	int32_t width, int32_t y1, int32_t y2)
{
	uint8_t *dst = (uint8_t *)view->data[0] + (size_t)y1 * view->stride[0];
	glPixelStorei(GL_PACK_ALIGNMENT, 4);
	if (view->stride[0] == (uint32_t)width * 4) {
		glReadPixels(0, y1, width, y2 - y1, t->read_format, GL_UNSIGNED_BYTE, dst);
	} else {
		for (int32_t y = y1; y < y2; y++) {
			glReadPixels(0, y, width, 1, t->read_format, GL_UNSIGNED_BYTE,
				dst + (size_t)(y - y1) * view->stride[0]);
		}
	}
	if (t->read_swap)
		gl_swap_rb_rows(dst, view->stride[0], width, y2 - y1);
}

/* Only the damaged rows travel: GLES2 cannot pack a sub-rectangle into a
 * wider row, so each band of the damage is read full width. */
static bool gl_target_read_back(struct gl_target *t, struct zc_buffer *buffer,
	const pixman_region32_t *damage)
{
	struct zc_cpu_view view;
	if (!buffer_begin_cpu_access(buffer, ZC_CPU_WRITE, &view))
		return false;
	int n;
	const pixman_box32_t *boxes = pixman_region32_rectangles((pixman_region32_t *)damage, &n);
	int32_t done_y2 = 0;
	for (int i = 0; i < n; i++) {
		int32_t y1 = boxes[i].y1 > done_y2 ? boxes[i].y1 : done_y2;
		int32_t y2 = boxes[i].y2 < buffer->height ? boxes[i].y2 : buffer->height;
		if (y1 < 0)
			y1 = 0;
		if (y1 >= y2)
			continue;
		gl_read_rows(t, &view, buffer->width, y1, y2);
		done_y2 = y2;
	}
	buffer_end_cpu_access(buffer);
	return true;
}

bool gl_target_finish(struct gl_target *target, struct zc_buffer *buffer,
	const pixman_region32_t *damage)
{
	bool ok = true;
	if (target->readback)
		ok = gl_target_read_back(target, buffer, damage);
	else
		glFinish(); /* the contract: pixels complete when end() returns */
	glBindFramebuffer(GL_FRAMEBUFFER, 0);
	return ok;
}
