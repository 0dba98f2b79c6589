/*
 * The GL renderer: EGL + GLES2. Client dma-bufs are sampled in place through
 * EGLImages (zero copy); whatever EGL cannot import, and shm, takes the CPU
 * path: the damaged pixels are uploaded into a texture kept on the buffer.
 *
 * EGL runs on the GBM device of the KMS fd, or on Mesa's surfaceless
 * platform when there is no display (headless backend). No EGLSurface is
 * ever made: every target is an FBO (gl_target.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <gbm.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "base/log.h"
#include "gl.h"
#include "renderers.h"

bool gl_has_extension(const char *list, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = list; p && (p = strstr(p, name)); p += len) {
		if ((p == list || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0'))
			return true;
	}
	return false;
}

const char *gl_egl_error_string(EGLint error)
{
	switch (error) {
	case EGL_SUCCESS: return "EGL_SUCCESS";
	case EGL_BAD_ACCESS: return "EGL_BAD_ACCESS";
	case EGL_BAD_ALLOC: return "EGL_BAD_ALLOC";
	case EGL_BAD_ATTRIBUTE: return "EGL_BAD_ATTRIBUTE";
	case EGL_BAD_MATCH: return "EGL_BAD_MATCH";
	case EGL_BAD_PARAMETER: return "EGL_BAD_PARAMETER";
	case EGL_BAD_DISPLAY: return "EGL_BAD_DISPLAY";
	case EGL_NOT_INITIALIZED: return "EGL_NOT_INITIALIZED";
	default: return "EGL error";
	}
}

/* Buffers die in request handlers and at shutdown, where nothing else has
 * touched EGL; making the context current is cheap when it already is. */
bool gl_make_current(struct gl_renderer *gl)
{
	if (eglGetCurrentContext() == gl->context)
		return true;
	return eglMakeCurrent(gl->display, EGL_NO_SURFACE, EGL_NO_SURFACE, gl->context);
}

/* ---- start-up ---- */

static EGLDisplay gl_get_display(struct gl_renderer *gl)
{
	const char *client_exts = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
	PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display =
		(PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
	if (!get_platform_display) {
		zc_err("gl: EGL has no eglGetPlatformDisplayEXT");
		return EGL_NO_DISPLAY;
	}
	if (gl->drm_fd < 0) {
		if (!gl_has_extension(client_exts, "EGL_MESA_platform_surfaceless")) {
			zc_err("gl: EGL lacks EGL_MESA_platform_surfaceless (needed headless)");
			return EGL_NO_DISPLAY;
		}
		return get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY,
			NULL);
	}
	if (!gl_has_extension(client_exts, "EGL_KHR_platform_gbm") &&
	    !gl_has_extension(client_exts, "EGL_MESA_platform_gbm")) {
		zc_err("gl: EGL lacks the GBM platform");
		return EGL_NO_DISPLAY;
	}
	gl->gbm = gbm_create_device(gl->drm_fd);
	if (!gl->gbm) {
		zc_err("gl: gbm_create_device failed on the DRM device");
		return EGL_NO_DISPLAY;
	}
	return get_platform_display(EGL_PLATFORM_GBM_KHR, gl->gbm, NULL);
}

/*
 * The renderer's own open file of the backend's device (not a dup): GEM
 * handles are per open file and not reference counted, and the KMS side
 * closes the handle it gets when it imports a dma-buf for a framebuffer.
 * Sharing one file, that import of one of Mesa's buffers returned Mesa's
 * own handle, and closing it made Mesa's next map of the buffer fail
 * (ENOENT; llvmpipe then rendered through a NULL pointer). A second file on
 * a primary node is authenticated by the master, which we are.
 */
static int gl_open_device(int drm_fd)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", drm_fd);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		zc_err("gl: cannot open the DRM device again: %s", strerror(errno));
		return -1;
	}
	drm_magic_t magic;
	if (drmGetMagic(fd, &magic) == 0 && drmAuthMagic(drm_fd, magic) != 0)
		zc_debug("gl: cannot authenticate our DRM file: %s", strerror(errno));
	return fd;
}

static bool gl_load_procs(struct gl_renderer *gl, const char *exts)
{
	struct gl_procs *p = &gl->procs;
	p->create_image = (PFNEGLCREATEIMAGEKHRPROC)eglGetProcAddress("eglCreateImageKHR");
	p->destroy_image = (PFNEGLDESTROYIMAGEKHRPROC)eglGetProcAddress("eglDestroyImageKHR");
	p->image_target_texture = (PFNGLEGLIMAGETARGETTEXTURE2DOESPROC)eglGetProcAddress(
		"glEGLImageTargetTexture2DOES");
	p->image_target_renderbuffer = (PFNGLEGLIMAGETARGETRENDERBUFFERSTORAGEOESPROC)
		eglGetProcAddress("glEGLImageTargetRenderbufferStorageOES");
	gl->has.dmabuf_import = gl_has_extension(exts, "EGL_EXT_image_dma_buf_import") &&
		gl_has_extension(exts, "EGL_KHR_image_base") && p->create_image &&
		p->destroy_image && p->image_target_texture;
	if (gl_has_extension(exts, "EGL_EXT_image_dma_buf_import_modifiers")) {
		p->query_dmabuf_formats = (PFNEGLQUERYDMABUFFORMATSEXTPROC)eglGetProcAddress(
			"eglQueryDmaBufFormatsEXT");
		p->query_dmabuf_modifiers = (PFNEGLQUERYDMABUFMODIFIERSEXTPROC)eglGetProcAddress(
			"eglQueryDmaBufModifiersEXT");
		gl->has.dmabuf_modifiers = p->query_dmabuf_formats && p->query_dmabuf_modifiers;
	}
	if (!gl_has_extension(exts, "EGL_KHR_surfaceless_context")) {
		zc_err("gl: EGL lacks EGL_KHR_surfaceless_context");
		return false;
	}
	return true;
}

static bool gl_create_context(struct gl_renderer *gl, const char *exts)
{
	if (!eglBindAPI(EGL_OPENGL_ES_API)) {
		zc_err("gl: EGL cannot bind OpenGL ES");
		return false;
	}
	EGLConfig config = EGL_NO_CONFIG_KHR;
	if (!gl_has_extension(exts, "EGL_KHR_no_config_context")) {
		static const EGLint config_attribs[] = {
			EGL_SURFACE_TYPE, 0, EGL_RENDERABLE_TYPE, EGL_OPENGL_ES2_BIT, EGL_NONE,
		};
		EGLint n = 0;
		if (!eglChooseConfig(gl->display, config_attribs, &config, 1, &n) || n < 1) {
			zc_err("gl: no EGL config for OpenGL ES 2");
			return false;
		}
	}
	static const EGLint context_attribs[] = { EGL_CONTEXT_CLIENT_VERSION, 2, EGL_NONE };
	gl->context = eglCreateContext(gl->display, config, EGL_NO_CONTEXT, context_attribs);
	if (gl->context == EGL_NO_CONTEXT) {
		zc_err("gl: cannot create an OpenGL ES 2 context: %s",
			gl_egl_error_string(eglGetError()));
		return false;
	}
	if (!gl_make_current(gl)) {
		zc_err("gl: cannot make the context current: %s",
			gl_egl_error_string(eglGetError()));
		return false;
	}
	return true;
}

static void gl_query_gl_extensions(struct gl_renderer *gl)
{
	const char *exts = (const char *)glGetString(GL_EXTENSIONS);
	gl->has.external_image = gl_has_extension(exts, "GL_OES_EGL_image_external");
	gl->has.unpack_subimage = gl_has_extension(exts, "GL_EXT_unpack_subimage");
	gl->has.read_bgra = gl_has_extension(exts, "GL_EXT_read_format_bgra");
	glGetIntegerv(GL_MAX_TEXTURE_SIZE, &gl->max_texture_size);
	if (!gl_has_extension(exts, "GL_OES_EGL_image"))
		gl->procs.image_target_renderbuffer = NULL;
	const char *renderer = (const char *)glGetString(GL_RENDERER);
	gl->software = renderer && (strncmp(renderer, "llvmpipe", 8) == 0 ||
		strncmp(renderer, "softpipe", 8) == 0);
	zc_info("gl: %s, %s; dma-buf import %s%s", renderer ? renderer : "?",
		(const char *)glGetString(GL_VERSION), gl->has.dmabuf_import ? "yes" : "no",
		gl->has.dmabuf_modifiers ? " (with modifiers)" : "");
}

static bool gl_init_egl(struct gl_renderer *gl)
{
	gl->display = gl_get_display(gl);
	if (gl->display == EGL_NO_DISPLAY) {
		zc_err("gl: no EGL display");
		return false;
	}
	EGLint major, minor;
	if (!eglInitialize(gl->display, &major, &minor)) {
		zc_err("gl: eglInitialize failed: %s", gl_egl_error_string(eglGetError()));
		/* Not initialised: nothing to terminate. */
		gl->display = EGL_NO_DISPLAY;
		return false;
	}
	const char *exts = eglQueryString(gl->display, EGL_EXTENSIONS);
	if (!gl_load_procs(gl, exts) || !gl_create_context(gl, exts))
		return false;
	gl_query_gl_extensions(gl);
	return true;
}

/* ---- frame operations ---- */

static bool gl_begin(struct zc_renderer *renderer, struct zc_buffer *target,
	const pixman_region32_t *damage)
{
	struct gl_renderer *gl = gl_from_renderer(renderer);
	if (!gl_make_current(gl))
		return false;
	struct gl_target *t = gl_target_get(gl, target);
	if (!t)
		return false;
	gl_target_bind(t);
	glViewport(0, 0, target->width, target->height);
	glEnable(GL_SCISSOR_TEST);
	gl->target = t;
	gl->target_buffer = target;
	pixman_region32_copy(&gl->frame_damage, damage);
	gl->frame++;
	return true;
}

static void gl_scissor_box(const pixman_box32_t *box)
{
	glScissor(box->x1, box->y1, box->x2 - box->x1, box->y2 - box->y1);
}

/* The colour goes through 16 bits and then 8, as pixman fills it, so both
 * renderers paint the same background value. */
static float gl_quantize(float c)
{
	uint16_t c16 = (uint16_t)(c * 0xffff);
	return (float)(c16 >> 8) / 255.0f;
}

static void gl_clear(struct zc_renderer *renderer, const pixman_region32_t *region,
	const float rgba[4])
{
	glClearColor(gl_quantize(rgba[0]), gl_quantize(rgba[1]), gl_quantize(rgba[2]),
		gl_quantize(rgba[3]));
	int n;
	const pixman_box32_t *boxes = pixman_region32_rectangles(
		(pixman_region32_t *)region, &n);
	for (int i = 0; i < n; i++) {
		gl_scissor_box(&boxes[i]);
		glClear(GL_COLOR_BUFFER_BIT);
	}
}

/* Like pixman: 1:1 and whole magnifications (at whole offsets) stay sharp. */
static bool gl_draw_is_sharp(const struct zc_draw *draw)
{
	double sx = draw->src_width / draw->width, sy = draw->src_height / draw->height;
	/* 1:1 or magnified by a whole factor, as pix_set_transform decides. */
	return 1.0 / sx == floor(1.0 / sx) && 1.0 / sy == floor(1.0 / sy) &&
		draw->src_x == floor(draw->src_x) &&
		draw->src_y == floor(draw->src_y);
}

/* Four corners of the destination, in clip space, with the source box in
 * texture coordinates; a triangle strip. */
static void gl_quad(const struct gl_renderer *gl, const struct zc_buffer *buffer,
	const struct zc_draw *draw, GLfloat pos[8], GLfloat tex[8])
{
	const struct zc_buffer *t = gl->target_buffer;
	GLfloat x1 = 2.0f * (GLfloat)draw->x / (GLfloat)t->width - 1.0f;
	GLfloat y1 = 2.0f * (GLfloat)draw->y / (GLfloat)t->height - 1.0f;
	GLfloat x2 = 2.0f * (GLfloat)(draw->x + draw->width) / (GLfloat)t->width - 1.0f;
	GLfloat y2 = 2.0f * (GLfloat)(draw->y + draw->height) / (GLfloat)t->height - 1.0f;
	GLfloat u1 = (GLfloat)(draw->src_x / buffer->width);
	GLfloat v1 = (GLfloat)(draw->src_y / buffer->height);
	GLfloat u2 = (GLfloat)((draw->src_x + draw->src_width) / buffer->width);
	GLfloat v2 = (GLfloat)((draw->src_y + draw->src_height) / buffer->height);
	const GLfloat p[8] = { x1, y1, x2, y1, x1, y2, x2, y2 };
	const GLfloat q[8] = { u1, v1, u2, v1, u1, v2, u2, v2 };
	memcpy(pos, p, sizeof(p));
	memcpy(tex, q, sizeof(q));
}

static void gl_use_program(const struct gl_program *prog, const GLfloat pos[8],
	const GLfloat tex[8])
{
	glUseProgram(prog->id);
	glVertexAttribPointer((GLuint)prog->position, 2, GL_FLOAT, GL_FALSE, 0, pos);
	glEnableVertexAttribArray((GLuint)prog->position);
	/* The solid-colour program samples nothing: the linker drops both. */
	if (prog->sampler >= 0)
		glUniform1i(prog->sampler, 0);
	if (prog->texcoord < 0)
		return;
	glVertexAttribPointer((GLuint)prog->texcoord, 2, GL_FLOAT, GL_FALSE, 0, tex);
	glEnableVertexAttribArray((GLuint)prog->texcoord);
}

static void gl_draw_quad_clipped(const pixman_region32_t *clip)
{
	int n;
	const pixman_box32_t *boxes = pixman_region32_rectangles((pixman_region32_t *)clip, &n);
	for (int i = 0; i < n; i++) {
		gl_scissor_box(&boxes[i]);
		glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
	}
}

static void gl_set_blend(bool opaque)
{
	if (opaque) {
		glDisable(GL_BLEND);
	} else {
		/* Wayland buffers carry premultiplied alpha. */
		glEnable(GL_BLEND);
		glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
	}
}

/* A one-colour buffer: its destination quad drawn in the colour, with no
 * texture and nothing uploaded. */
static void gl_fill(struct gl_renderer *gl, const struct zc_buffer *buffer,
	const struct zc_draw *draw, const float rgba[4], struct zc_draw_stats *stats)
{
	const struct gl_program *prog = gl_program_get(gl, GL_SHADER_SOLID);
	if (!prog)
		return;
	GLfloat pos[8], tex[8];
	gl_quad(gl, buffer, draw, pos, tex);
	gl_use_program(prog, pos, tex);
	glUniform4f(prog->color, gl_quantize(rgba[0]), gl_quantize(rgba[1]),
		gl_quantize(rgba[2]), gl_quantize(rgba[3]));
	gl_set_blend(buffer->opaque);
	gl_draw_quad_clipped(draw->clip);
	stats->path = ZC_DRAW_PATH_SOLID_FILL;
}

static void gl_draw_buffer(struct zc_renderer *renderer, struct zc_buffer *buffer,
	const struct zc_draw *draw)
{
	struct gl_renderer *gl = gl_from_renderer(renderer);
	struct zc_draw_stats ignored, *stats = draw->stats ? draw->stats : &ignored;
	*stats = (struct zc_draw_stats){ .path = ZC_DRAW_PATH_NONE };
	float rgba[4];
	if (buffer_get_solid_colour(buffer, rgba)) {
		gl_fill(gl, buffer, draw, rgba, stats);
		return;
	}
	struct gl_buffer *gb = gl_buffer_get(gl, buffer);
	if (!gb && gl_import_buffer(renderer, buffer))
		gb = gl_buffer_get(gl, buffer);
	if (!gb || !gl_buffer_prepare(gl, gb, buffer, draw->buffer_damage, stats))
		return;
	const struct gl_program *prog = gl_program_get(gl, gb->shader_flags);
	if (!prog)
		return;
	GLfloat pos[8], tex[8];
	gl_quad(gl, buffer, draw, pos, tex);
	glActiveTexture(GL_TEXTURE0);
	glBindTexture(gb->tex_target, gb->texture);
	GLint filter = gl_draw_is_sharp(draw) ? GL_NEAREST : GL_LINEAR;
	glTexParameteri(gb->tex_target, GL_TEXTURE_MIN_FILTER, filter);
	glTexParameteri(gb->tex_target, GL_TEXTURE_MAG_FILTER, filter);
	gl_use_program(prog, pos, tex);
	if (gb->yuv.n_planes)
		gl_yuv_bind(gb, prog, buffer, filter);
	gl_set_blend(buffer->opaque);
	gl_draw_quad_clipped(draw->clip);
	if (gb->yuv.n_planes)
		gl_yuv_unbind(gb);
	glBindTexture(gb->tex_target, 0);
}

static bool gl_end(struct zc_renderer *renderer)
{
	struct gl_renderer *gl = gl_from_renderer(renderer);
	glDisable(GL_SCISSOR_TEST);
	glDisable(GL_BLEND);
	bool ok = gl_target_finish(gl->target, gl->target_buffer, &gl->frame_damage);
	gl->target = NULL;
	gl->target_buffer = NULL;
	pixman_region32_clear(&gl->frame_damage);
	return ok;
}

static void gl_destroy(struct zc_renderer *renderer)
{
	struct gl_renderer *gl = gl_from_renderer(renderer);
	/* Buffers may outlive us: take our addons back from them. */
	gl_buffers_destroy_all(gl);
	gl_targets_destroy_all(gl);
	gl_gbm_buffers_release_all(gl);
	if (gl->context != EGL_NO_CONTEXT && gl_make_current(gl))
		gl_programs_finish(gl);
	if (gl->display != EGL_NO_DISPLAY) {
		eglMakeCurrent(gl->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
		if (gl->context != EGL_NO_CONTEXT)
			eglDestroyContext(gl->display, gl->context);
		eglTerminate(gl->display);
	}
	eglReleaseThread();
	if (gl->gbm)
		gbm_device_destroy(gl->gbm);
	if (gl->drm_fd >= 0)
		close(gl->drm_fd);
	format_set_finish(&gl->formats);
	format_set_finish(&gl->external_only);
	format_set_finish(&gl->egl_formats);
	format_set_finish(&gl->plane_formats);
	pixman_region32_fini(&gl->frame_damage);
	free(gl);
}

static const struct zc_renderer_impl gl_renderer_impl = {
	.name = "gl",
	.destroy = gl_destroy,
	.import_buffer = gl_import_buffer,
	.begin = gl_begin,
	.clear = gl_clear,
	.draw_buffer = gl_draw_buffer,
	.end = gl_end,
	.create_target = gl_create_target,
	.export_fence = gl_export_fence,
};

struct zc_renderer *gl_renderer_create(int drm_fd)
{
	struct gl_renderer *gl = calloc(1, sizeof(*gl));
	if (!gl) {
		zc_err("gl: out of memory");
		return NULL;
	}
	gl->base.impl = &gl_renderer_impl;
	gl->base.formats = &gl->formats;
	gl->drm_fd = -1;
	if (drm_fd >= 0 && (gl->drm_fd = gl_open_device(drm_fd)) < 0) {
		free(gl);
		return NULL;
	}
	gl->display = EGL_NO_DISPLAY;
	gl->context = EGL_NO_CONTEXT;
	wl_list_init(&gl->buffers);
	wl_list_init(&gl->targets);
	wl_list_init(&gl->gbm_buffers);
	pixman_region32_init(&gl->frame_damage);
	if (!gl_init_egl(gl) || !gl_formats_init(gl) || !gl_program_get(gl, 0)) {
		zc_err("gl: the GL renderer could not start");
		gl_destroy(&gl->base);
		return NULL;
	}
	return &gl->base;
}
