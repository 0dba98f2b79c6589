/*
 * Render targets of the GL renderer: an output's back buffer, a zc_buffer,
 * gets one FBO, made the first time it is rendered into and cached on it.
 *
 *   A dma-buf target (a GBM bo scanned out by KMS, made by
 *   gl_create_target below) is imported as an EGLImage behind a
 *   renderbuffer: GL renders into the scanout memory, nothing is copied.
 *   Any other target (headless memory buffers, KMS dumb buffers) gets a
 *   texture of its own, and end() reads the damaged rows back into the
 *   target's CPU view, so captures and the backend see the pixels.
 *
 * Each target keeps its own FBO, so what an FBO holds and what its buffer
 * holds only differ inside this frame's damage, which end() copies.
 */
#include <drm_fourcc.h>
#include <errno.h>
#include <gbm.h>
#include <linux/dma-buf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "dmabuf.h"
#include "gl.h"

struct gl_target {
	struct zc_addon base;
	struct gl_renderer *gl;
	struct wl_list link; /* gl_renderer.targets */
	bool failed;         /* cannot be rendered into: not retried */
	GLuint fbo, texture, renderbuffer;
	EGLImageKHR image;
	bool readback;
	GLenum read_format; /* GL_RGBA or GL_BGRA_EXT */
	bool read_swap;     /* swap R and B after reading GL_RGBA */
};

static void gl_target_destroy(struct zc_addon *addon)
{
	struct gl_target *t = wl_container_of(addon, t, base);
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
		addon_destroy(&t->base);
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

static struct gbm_bo *gl_gbm_buffer_bo(struct zc_buffer *buffer);

/* Our own GBM buffers by their bo: nothing to import. */
static EGLImageKHR gl_target_image(struct gl_renderer *gl, struct zc_buffer *buffer,
	const struct zc_dmabuf_attribs *a, const char **why)
{
	struct gbm_bo *bo = gl_gbm_buffer_bo(buffer);
	if (!bo)
		return gl_image_from_dmabuf(gl, a, why);
	EGLImageKHR image = gl->procs.create_image(gl->display, EGL_NO_CONTEXT,
		EGL_NATIVE_PIXMAP_KHR, (EGLClientBuffer)bo, NULL);
	if (image == EGL_NO_IMAGE_KHR)
		*why = gl_egl_error_string(eglGetError());
	return image;
}

/* Rendering straight into the dma-buf: no copy at all. */
static bool gl_target_init_dmabuf(struct gl_renderer *gl, struct gl_target *t,
	struct zc_buffer *buffer, const struct zc_dmabuf_attribs *a, const char **why)
{
	if (!gl->procs.image_target_renderbuffer) {
		*why = "GL has no GL_OES_EGL_image";
		return false;
	}
	t->image = gl_target_image(gl, buffer, a, why);
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
	if (a && gl_target_init_dmabuf(gl, t, buffer, a, &why)) {
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
	struct zc_addon *att = addon_find(&buffer->addons, &gl->targets);
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
	addon_init(&t->base, &buffer->addons, &gl->targets, gl_target_destroy);
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
	t->gl->base.stats.readback_bytes += (uint64_t)width * 4 * (uint64_t)(y2 - y1);
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
	target->gl->base.stats.frames++;
	if (target->readback) {
		target->gl->base.stats.readback_frames++;
		ok = gl_target_read_back(target, buffer, damage);
	} else
		glFinish(); /* the contract: pixels complete when end() returns */
	glBindFramebuffer(GL_FRAMEBUFFER, 0);
	return ok;
}

/* ---- GBM back buffers ---- */

/* A buffer object of the display's device and its dma-buf. The bo, behind
 * the target's EGLImage, lives as long as the renderer; past it, the
 * dma-buf alone keeps the memory for whoever still holds the buffer. */
struct gl_gbm_buffer {
	struct zc_buffer base;
	struct gbm_bo *bo;                /* NULL once the renderer is gone */
	void *bo_map_data;                /* gbm_bo_map's, while the bo lives */
	struct wl_list link;              /* gl_renderer.gbm_buffers */
	struct zc_dmabuf_attribs attribs; /* owns fd[0] */
	struct dmabuf_mapping map;        /* made on the first CPU read */
};

static void gl_gbm_buffer_release_bo(struct gl_gbm_buffer *b)
{
	if (!b->bo)
		return;
	if (b->bo_map_data)
		gbm_bo_unmap(b->bo, b->bo_map_data);
	gbm_bo_destroy(b->bo);
	b->bo = NULL;
	wl_list_remove(&b->link);
}

void gl_gbm_buffers_release_all(struct gl_renderer *gl)
{
	struct gl_gbm_buffer *b, *tmp;
	wl_list_for_each_safe(b, tmp, &gl->gbm_buffers, link)
		gl_gbm_buffer_release_bo(b);
}

static void gl_gbm_buffer_destroy(struct zc_buffer *buffer)
{
	struct gl_gbm_buffer *b = wl_container_of(buffer, b, base);
	gl_gbm_buffer_release_bo(b);
	dmabuf_unmap(&b->map);
	if (b->attribs.fd[0] >= 0)
		close(b->attribs.fd[0]);
	free(b);
}

/* Only read (captures of the front buffer); GL is the only writer. */
static bool gl_gbm_buffer_begin(struct zc_buffer *buffer, uint32_t access,
	struct zc_cpu_view *view)
{
	struct gl_gbm_buffer *b = wl_container_of(buffer, b, base);
	const struct zc_dmabuf_attribs *a = &b->attribs;
	if (access & ZC_CPU_WRITE)
		return false;
	if (!b->map.base && !dmabuf_map(a->fd[0], a->offset[0],
		    (uint64_t)a->stride[0] * (uint64_t)a->height, &b->map)) {
		zc_warn("gl: cannot map a GBM buffer: %s", strerror(errno));
		return false;
	}
	dmabuf_sync(a->fd[0], DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	*view = (struct zc_cpu_view){ .format = buffer->format, .n_planes = 1,
		.data = { b->map.data }, .stride = { a->stride[0] } };
	return true;
}

static void gl_gbm_buffer_end(struct zc_buffer *buffer)
{
	struct gl_gbm_buffer *b = wl_container_of(buffer, b, base);
	dmabuf_sync(b->attribs.fd[0], DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
}

static const struct zc_dmabuf_attribs *gl_gbm_buffer_get_dmabuf(struct zc_buffer *buffer)
{
	struct gl_gbm_buffer *b = wl_container_of(buffer, b, base);
	return &b->attribs;
}

static const struct zc_buffer_impl gl_gbm_buffer_impl = {
	.name = "gbm",
	.destroy = gl_gbm_buffer_destroy,
	.begin_cpu_access = gl_gbm_buffer_begin,
	.end_cpu_access = gl_gbm_buffer_end,
	.get_dmabuf = gl_gbm_buffer_get_dmabuf,
};

static struct gbm_bo *gl_gbm_buffer_bo(struct zc_buffer *buffer)
{
	if (buffer->impl != &gl_gbm_buffer_impl)
		return NULL;
	struct gl_gbm_buffer *b = wl_container_of(buffer, b, base);
	return b->bo;
}

/* The bo's one plane as dma-buf attributes; false if it has more. */
static bool gl_gbm_bo_attribs(struct gbm_bo *bo, struct zc_dmabuf_attribs *a)
{
	a->fd[0] = -1;
	if (gbm_bo_get_plane_count(bo) != 1)
		return false;
	*a = (struct zc_dmabuf_attribs){
		.width = (int32_t)gbm_bo_get_width(bo),
		.height = (int32_t)gbm_bo_get_height(bo),
		.format = gbm_bo_get_format(bo),
		.modifier = gbm_bo_get_modifier(bo),
		.n_planes = 1,
		.fd = { gbm_bo_get_fd(bo), -1, -1, -1 },
		.offset = { gbm_bo_get_offset(bo, 0) },
		.stride = { gbm_bo_get_stride_for_plane(bo, 0) },
	};
	return a->fd[0] >= 0;
}

/*
 * Mesa's software winsys (kms_swrast) maps a buffer for each frame GL draws
 * into it and unmaps it when the last mapping goes: every frame then pays a
 * fresh mmap and a page fault per page it touches. One mapping held for the
 * bo's life makes the others reuse it. Hardware drivers do not map to
 * render, so only software rasterizers get it.
 */
static void gl_gbm_buffer_keep_mapped(struct gl_renderer *gl, struct gl_gbm_buffer *b)
{
	if (!gl->software)
		return;
	uint32_t stride;
	void *map = gbm_bo_map(b->bo, 0, 0, gbm_bo_get_width(b->bo), gbm_bo_get_height(b->bo),
		GBM_BO_TRANSFER_READ_WRITE, &stride, &b->bo_map_data);
	if (!map) {
		zc_debug("gl: cannot keep a GBM buffer mapped: %s", strerror(errno));
		b->bo_map_data = NULL;
	}
}

static struct zc_buffer *gl_gbm_buffer_create(struct gl_renderer *gl, int32_t width,
	int32_t height, uint32_t format)
{
	struct gl_gbm_buffer *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	struct gbm_bo *bo = gbm_bo_create(gl->gbm, (uint32_t)width, (uint32_t)height, format,
		GBM_BO_USE_SCANOUT | GBM_BO_USE_RENDERING);
	if (!bo) {
		zc_warn("gl: cannot allocate a %dx%d %.4s GBM buffer: %s", width, height,
			(const char *)&format, strerror(errno));
		free(b);
		return NULL;
	}
	if (!gl_gbm_bo_attribs(bo, &b->attribs)) {
		zc_warn("gl: a %dx%d %.4s GBM buffer has no single-plane dma-buf", width, height,
			(const char *)&format);
		if (b->attribs.fd[0] >= 0)
			close(b->attribs.fd[0]);
		gbm_bo_destroy(bo);
		free(b);
		return NULL;
	}
	b->bo = bo;
	wl_list_insert(&gl->gbm_buffers, &b->link);
	gl_gbm_buffer_keep_mapped(gl, b);
	buffer_init(&b->base, &gl_gbm_buffer_impl, NULL, width, height, format);
	return &b->base;
}

/* A GBM buffer, and its FBO made at once: a buffer GL cannot render into
 * is refused here, so the backend falls back before showing anything. */
struct zc_buffer *gl_create_target(struct zc_renderer *renderer, int32_t width, int32_t height,
	uint32_t format)
{
	struct gl_renderer *gl = gl_from_renderer(renderer);
	if (!gl->gbm || !gl_make_current(gl))
		return NULL;
	struct zc_buffer *buffer = gl_gbm_buffer_create(gl, width, height, format);
	if (!buffer)
		return NULL;
	struct gl_target *t = gl_target_get(gl, buffer);
	if (!t || t->readback) {
		zc_warn("gl: a %dx%d GBM buffer cannot be rendered into in place", width, height);
		buffer_drop(buffer);
		return NULL;
	}
	return buffer;
}
