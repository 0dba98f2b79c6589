/*
 * Client buffers for the GL renderer. import_buffer decides once per buffer
 * how its pixels reach a texture, and caches the result on the buffer:
 *
 *   dma-buf EGL lists (format, modifier) for -> EGLImage -> texture, sampled
 *     in place (GL_TEXTURE_EXTERNAL_OES when EGL says external-only); on a
 *     software rasterizer only once it has shown it can map the image;
 *   any other readable dma-buf (linear, mappable) -> the CPU path: mmap +
 *     DMA_BUF_IOCTL_SYNC around each read, the damaged rows uploaded;
 *   shm -> the CPU path without the dma-buf part.
 *
 * The choice and its reason are logged once; a refusal is remembered too.
 * Formats GLES2 cannot upload as they are (10-bit, 1555, 4444, planar YUV...)
 * are converted to ARGB8888 on the CPU box by box, as pixman reads them, so
 * both renderers take the same buffers and show the same pixels.
 */
#include <drm_fourcc.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "dmabuf.h"
#include "gl.h"

struct gl_upload_format {
	uint32_t drm; /* 0: anything converted on the CPU to ARGB8888 */
	GLenum format, type;
	uint8_t bytes; /* per pixel */
	bool swap_rb;  /* GL's R channel holds the format's blue */
};

/* Little-endian DRM layouts GLES2 takes byte for byte. */
static const struct gl_upload_format upload_formats[] = {
	{ DRM_FORMAT_ARGB8888, GL_RGBA, GL_UNSIGNED_BYTE, 4, true },
	{ DRM_FORMAT_XRGB8888, GL_RGBA, GL_UNSIGNED_BYTE, 4, true },
	{ DRM_FORMAT_ABGR8888, GL_RGBA, GL_UNSIGNED_BYTE, 4, false },
	{ DRM_FORMAT_XBGR8888, GL_RGBA, GL_UNSIGNED_BYTE, 4, false },
	{ DRM_FORMAT_BGR888, GL_RGB, GL_UNSIGNED_BYTE, 3, false },
	{ DRM_FORMAT_RGB888, GL_RGB, GL_UNSIGNED_BYTE, 3, true },
	{ DRM_FORMAT_RGB565, GL_RGB, GL_UNSIGNED_SHORT_5_6_5, 2, false },
	{ DRM_FORMAT_BGR565, GL_RGB, GL_UNSIGNED_SHORT_5_6_5, 2, true },
};

static const struct gl_upload_format converted_format = {
	0, GL_RGBA, GL_UNSIGNED_BYTE, 4, true,
};

/* How the CPU path uploads `format`, or NULL if it cannot read it. */
static const struct gl_upload_format *gl_upload_format_for(uint32_t format)
{
	for (size_t i = 0; i < sizeof(upload_formats) / sizeof(upload_formats[0]); i++) {
		if (upload_formats[i].drm == format)
			return &upload_formats[i];
	}
	const struct zc_format_info *info = format_info(format);
	if (!info)
		return NULL;
	bool packed = info->pixman && info->n_planes == 1;
	return packed || info->yuv ? &converted_format : NULL;
}

/* ---- formats ---- */

static bool gl_add_egl_format(struct gl_renderer *gl, uint32_t format, const uint64_t *mods,
	const EGLBoolean *external, EGLint n)
{
	bool all_external = n > 0;
	for (EGLint i = 0; i < n; i++) {
		all_external = all_external && external[i];
		if (!format_set_add(&gl->egl_formats, format, mods[i]) ||
		    (external[i] && !format_set_add(&gl->external_only, format, mods[i])))
			return false;
	}
	/* The implicit modifier: the driver's own layout, for clients without
	 * modifiers. With no explicit list, YUV is external-only in practice. */
	const struct zc_format_info *info = format_info(format);
	bool implicit_external = n > 0 ? all_external : !info->pixman;
	return format_set_add(&gl->egl_formats, format, DRM_FORMAT_MOD_INVALID) &&
		(!implicit_external ||
			format_set_add(&gl->external_only, format, DRM_FORMAT_MOD_INVALID));
}

static bool gl_query_format_modifiers(struct gl_renderer *gl, EGLint format)
{
	EGLint n = 0;
	if (!gl->procs.query_dmabuf_modifiers(gl->display, format, 0, NULL, NULL, &n) || n < 0)
		return true;
	uint64_t *mods = calloc((size_t)n + 1, sizeof(*mods));
	EGLBoolean *external = calloc((size_t)n + 1, sizeof(*external));
	bool ok = mods && external &&
		gl->procs.query_dmabuf_modifiers(gl->display, format, n, mods, external, &n);
	/* Only formats the rest of zcomp can describe are worth advertising;
	 * one- and two-channel ones are kept apart for per-plane YUV imports. */
	if (ok && format_info((uint32_t)format))
		ok = gl_add_egl_format(gl, (uint32_t)format, mods, external, n);
	else if (ok && (format == DRM_FORMAT_R8 || format == DRM_FORMAT_GR88)) {
		for (EGLint i = 0; ok && i < n; i++)
			ok = format_set_add(&gl->plane_formats, (uint32_t)format, mods[i]);
		ok = ok && format_set_add(&gl->plane_formats, (uint32_t)format,
			DRM_FORMAT_MOD_INVALID);
	}
	free(mods);
	free(external);
	return ok;
}

static bool gl_query_egl_formats(struct gl_renderer *gl)
{
	EGLint n = 0;
	if (!gl->procs.query_dmabuf_formats(gl->display, 0, NULL, &n) || n <= 0)
		return true;
	EGLint *formats = calloc((size_t)n, sizeof(*formats));
	if (!formats)
		return false;
	bool ok = gl->procs.query_dmabuf_formats(gl->display, n, formats, &n);
	for (EGLint i = 0; ok && i < n; i++)
		ok = gl_query_format_modifiers(gl, formats[i]);
	free(formats);
	return ok;
}

static bool gl_format_set_merge(struct zc_format_set *dst, const struct zc_format_set *src)
{
	for (size_t i = 0; i < src->n_formats; i++) {
		const struct zc_format *f = &src->formats[i];
		for (size_t j = 0; j < f->n_modifiers; j++) {
			if (!format_set_add(dst, f->format, f->modifiers[j]))
				return false;
		}
	}
	return true;
}

/* Advertised: what EGL imports, plus what the CPU path reads (a dma-buf EGL
 * refuses is still shown): linear layouts, and the implicit modifier, as the
 * pixman renderer takes it (devices without modifiers: vgem, virtio-gpu,
 * Mesa's software GBM; linear there). */
bool gl_formats_init(struct gl_renderer *gl)
{
	if (gl->has.dmabuf_modifiers && !gl_query_egl_formats(gl))
		return false;
	size_t n;
	const struct zc_format_info *table = format_table(&n);
	for (size_t i = 0; i < n; i++) {
		if (gl_upload_format_for(table[i].drm) &&
		    (!format_set_add(&gl->formats, table[i].drm, DRM_FORMAT_MOD_LINEAR) ||
		     !format_set_add(&gl->formats, table[i].drm, DRM_FORMAT_MOD_INVALID)))
			return false;
	}
	if (!gl_format_set_merge(&gl->formats, &gl->egl_formats))
		return false;
	zc_info("gl: %zu formats imported by EGL, %zu formats in all", gl->egl_formats.n_formats,
		gl->formats.n_formats);
	return true;
}

/* ---- per-buffer state ---- */

static void gl_buffer_destroy(struct zc_addon *addon)
{
	struct gl_buffer *gb = wl_container_of(addon, gb, base);
	struct gl_renderer *gl = gb->gl;
	wl_list_remove(&gb->link);
	if (gl_make_current(gl)) {
		if (gb->texture)
			glDeleteTextures(1, &gb->texture);
		if (gb->image != EGL_NO_IMAGE_KHR)
			gl->procs.destroy_image(gl->display, gb->image);
		gl_yuv_release(gl, gb);
	}
	free(gb);
}

struct gl_buffer *gl_buffer_get(struct gl_renderer *gl, struct zc_buffer *buffer)
{
	struct zc_addon *att = addon_find(&buffer->addons, gl);
	struct gl_buffer *gb;
	return att ? wl_container_of(att, gb, base) : NULL;
}

struct gl_buffer *gl_buffer_create(struct gl_renderer *gl, struct zc_buffer *buffer)
{
	struct gl_buffer *gb = calloc(1, sizeof(*gb));
	if (!gb)
		return NULL;
	gb->gl = gl;
	gb->path = GL_PATH_FAILED;
	gb->image = EGL_NO_IMAGE_KHR;
	gb->yuv_images[0] = gb->yuv_images[1] = EGL_NO_IMAGE_KHR;
	gb->tex_target = GL_TEXTURE_2D;
	wl_list_insert(&gl->buffers, &gb->link);
	addon_init(&gb->base, &buffer->addons, gl, gl_buffer_destroy);
	return gb;
}

void gl_buffers_destroy_all(struct gl_renderer *gl)
{
	struct gl_buffer *gb, *tmp;
	wl_list_for_each_safe(gb, tmp, &gl->buffers, link)
		addon_destroy(&gb->base);
}

GLuint gl_texture_create(GLenum target)
{
	GLuint tex = 0;
	glGenTextures(1, &tex);
	glBindTexture(target, tex);
	/* NPOT textures in GLES2 must clamp. */
	glTexParameteri(target, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
	glTexParameteri(target, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
	glTexParameteri(target, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
	glTexParameteri(target, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
	return tex;
}

/* ---- the EGL path ---- */

static const EGLint plane_attrs[4][5] = {
	{ EGL_DMA_BUF_PLANE0_FD_EXT, EGL_DMA_BUF_PLANE0_OFFSET_EXT, EGL_DMA_BUF_PLANE0_PITCH_EXT,
	  EGL_DMA_BUF_PLANE0_MODIFIER_LO_EXT, EGL_DMA_BUF_PLANE0_MODIFIER_HI_EXT },
	{ EGL_DMA_BUF_PLANE1_FD_EXT, EGL_DMA_BUF_PLANE1_OFFSET_EXT, EGL_DMA_BUF_PLANE1_PITCH_EXT,
	  EGL_DMA_BUF_PLANE1_MODIFIER_LO_EXT, EGL_DMA_BUF_PLANE1_MODIFIER_HI_EXT },
	{ EGL_DMA_BUF_PLANE2_FD_EXT, EGL_DMA_BUF_PLANE2_OFFSET_EXT, EGL_DMA_BUF_PLANE2_PITCH_EXT,
	  EGL_DMA_BUF_PLANE2_MODIFIER_LO_EXT, EGL_DMA_BUF_PLANE2_MODIFIER_HI_EXT },
	{ EGL_DMA_BUF_PLANE3_FD_EXT, EGL_DMA_BUF_PLANE3_OFFSET_EXT, EGL_DMA_BUF_PLANE3_PITCH_EXT,
	  EGL_DMA_BUF_PLANE3_MODIFIER_LO_EXT, EGL_DMA_BUF_PLANE3_MODIFIER_HI_EXT },
};

/* Every plane, each with the modifier when there is an explicit one. */
/* zcomp's one YUV encoding (BT.601 limited range, see README), so the GPU
 * shows the colours the CPU path converts to; drivers default otherwise. */
static int gl_yuv_hints(uint32_t format, EGLint *attribs, int k)
{
	const struct zc_format_info *info = format_info(format);
	if (!info || !info->yuv)
		return k;
	attribs[k++] = EGL_YUV_COLOR_SPACE_HINT_EXT;
	attribs[k++] = EGL_ITU_REC601_EXT;
	attribs[k++] = EGL_SAMPLE_RANGE_HINT_EXT;
	attribs[k++] = EGL_YUV_NARROW_RANGE_EXT;
	return k;
}

static void gl_dmabuf_image_attribs(const struct zc_dmabuf_attribs *a, bool modifier,
	EGLint attribs[64])
{
	int k = 0;
	attribs[k++] = EGL_WIDTH;
	attribs[k++] = a->width;
	attribs[k++] = EGL_HEIGHT;
	attribs[k++] = a->height;
	attribs[k++] = EGL_LINUX_DRM_FOURCC_EXT;
	attribs[k++] = (EGLint)a->format;
	attribs[k++] = EGL_IMAGE_PRESERVED_KHR;
	attribs[k++] = EGL_TRUE;
	for (int i = 0; i < a->n_planes && i < 4; i++) {
		attribs[k++] = plane_attrs[i][0];
		attribs[k++] = a->fd[i];
		attribs[k++] = plane_attrs[i][1];
		attribs[k++] = (EGLint)a->offset[i];
		attribs[k++] = plane_attrs[i][2];
		attribs[k++] = (EGLint)a->stride[i];
		if (modifier) {
			attribs[k++] = plane_attrs[i][3];
			attribs[k++] = (EGLint)(a->modifier & 0xffffffff);
			attribs[k++] = plane_attrs[i][4];
			attribs[k++] = (EGLint)(a->modifier >> 32);
		}
	}
	k = gl_yuv_hints(a->format, attribs, k);
	attribs[k] = EGL_NONE;
}

EGLImageKHR gl_image_from_dmabuf(struct gl_renderer *gl, const struct zc_dmabuf_attribs *a,
	const char **why)
{
	bool modifier = a->modifier != DRM_FORMAT_MOD_INVALID;
	if (!gl->has.dmabuf_import) {
		*why = "EGL has no EGL_EXT_image_dma_buf_import";
		return EGL_NO_IMAGE_KHR;
	}
	if (modifier && !gl->has.dmabuf_modifiers) {
		*why = "EGL has no EGL_EXT_image_dma_buf_import_modifiers";
		return EGL_NO_IMAGE_KHR;
	}
	EGLint attribs[64];
	gl_dmabuf_image_attribs(a, modifier, attribs);
	EGLImageKHR image = gl->procs.create_image(gl->display, EGL_NO_CONTEXT,
		EGL_LINUX_DMA_BUF_EXT, NULL, attribs);
	if (image == EGL_NO_IMAGE_KHR)
		*why = gl_egl_error_string(eglGetError());
	return image;
}

/* Whether EGL says it imports this pair; true when EGL cannot tell. */
static bool gl_egl_lists(struct gl_renderer *gl, const struct zc_dmabuf_attribs *a)
{
	if (!gl->has.dmabuf_modifiers || gl->egl_formats.n_formats == 0)
		return true;
	return format_set_has(&gl->egl_formats, a->format, a->modifier);
}

/*
 * Mesa's software rasterizers (measured with Mesa 25.0.7, llvmpipe on the
 * kms_swrast winsys, GBM on vkms or the surfaceless platform) import a
 * dma-buf by PRIME into the display's DRM device and map it for the CPU with
 * DRM_IOCTL_MODE_MAP_DUMB when it is first read. The kernel refuses that
 * ioctl (EINVAL) for an object imported from another exporter (udmabuf, vgem
 * on vkms), yet eglCreateImage and glEGLImageTargetTexture2DOES succeed, and
 * the first draw sampling the texture crashes in llvmpipe's threads (it
 * samples from the NULL mapping). Reading one texel back through an FBO
 * takes the same mapping and fails cleanly with GL_INVALID_OPERATION: done
 * once here, it tells whether the image can be drawn at all.
 */
static bool gl_image_mappable(GLuint texture)
{
	GLint bound = 0;
	GLuint fbo = 0;
	uint8_t texel[4];
	/* Imports can happen inside a frame: keep its target bound. */
	glGetIntegerv(GL_FRAMEBUFFER_BINDING, &bound);
	glGenFramebuffers(1, &fbo);
	glBindFramebuffer(GL_FRAMEBUFFER, fbo);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture, 0);
	bool ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
	if (ok) {
		glReadPixels(0, 0, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, texel);
		ok = glGetError() == GL_NO_ERROR;
	}
	glBindFramebuffer(GL_FRAMEBUFFER, (GLuint)bound);
	glDeleteFramebuffers(1, &fbo);
	return ok;
}

/* Hardware drivers sample imports in place; only software ones are checked. */
bool gl_texture_usable(struct gl_renderer *gl, GLuint texture, const char **why)
{
	if (!gl->software)
		return true;
	if (!gl_image_mappable(texture)) {
		*why = "software rasterizer cannot map it (Mesa maps imports with "
			"DRM_IOCTL_MODE_MAP_DUMB on the display's device, refused for "
			"another exporter's buffer)";
		return false;
	}
	return true;
}

static bool gl_import_egl(struct gl_renderer *gl, struct gl_buffer *gb, struct zc_buffer *buffer,
	const struct zc_dmabuf_attribs *a, const char **why)
{
	if (!gl_egl_lists(gl, a)) {
		*why = "EGL does not list this format and modifier";
		return false;
	}
	bool external = format_set_has(&gl->external_only, a->format, a->modifier);
	if (external && !gl->has.external_image) {
		*why = "external-only, and GL has no GL_OES_EGL_image_external";
		return false;
	}
	gb->image = gl_image_from_dmabuf(gl, a, why);
	if (gb->image == EGL_NO_IMAGE_KHR)
		return false;
	gb->tex_target = external ? GL_TEXTURE_EXTERNAL_OES : GL_TEXTURE_2D;
	gb->texture = gl_texture_create(gb->tex_target);
	while (glGetError() != GL_NO_ERROR)
		;
	gl->procs.image_target_texture(gb->tex_target, gb->image);
	glBindTexture(gb->tex_target, 0);
	if (glGetError() != GL_NO_ERROR) {
		*why = "glEGLImageTargetTexture2DOES failed";
		return false;
	}
	/* An external image cannot be read back in GLES2, so a software
	 * rasterizer's cannot be checked: the per-plane import can. */
	if (external && gl->software) {
		*why = "software rasterizer: an external image cannot be checked";
		return false;
	}
	if (!gl_texture_usable(gl, gb->texture, why))
		return false;
	gb->shader_flags = (external ? GL_SHADER_EXTERNAL : 0) |
		(buffer->opaque ? GL_SHADER_OPAQUE : 0);
	gb->path = GL_PATH_IMPORT;
	return true;
}

/* Undoes a half-made EGL import before the CPU path is tried. */
static void gl_import_egl_undo(struct gl_renderer *gl, struct gl_buffer *gb)
{
	if (gb->texture)
		glDeleteTextures(1, &gb->texture);
	gb->texture = 0;
	if (gb->image != EGL_NO_IMAGE_KHR)
		gl->procs.destroy_image(gl->display, gb->image);
	gb->image = EGL_NO_IMAGE_KHR;
	gb->tex_target = GL_TEXTURE_2D;
	gl_yuv_release(gl, gb);
	gb->yuv = (struct gl_yuv_layout){ 0 };
}

/* ---- the CPU path ---- */

/* mmap works or not per exporter: try it once, now, rather than drawing
 * nothing later. No sync here: that would wait on the producer. */
static const char *gl_dmabuf_cpu_check(const struct zc_dmabuf_attribs *a)
{
	if (a->modifier != DRM_FORMAT_MOD_LINEAR && a->modifier != DRM_FORMAT_MOD_INVALID)
		return "the CPU path reads linear (or implicit) layouts only";
	if (!gl_upload_format_for(a->format))
		return "the CPU path cannot convert this format";
	struct dmabuf_mapping maps[ZC_MAX_PLANES];
	if (!dmabuf_map_planes(a, maps))
		return "mmap of the dma-buf failed";
	dmabuf_unmap_planes(maps);
	return NULL;
}

static bool gl_import_cpu(struct gl_renderer *gl, struct gl_buffer *gb, struct zc_buffer *buffer)
{
	if (format_info(buffer->format)->yuv)
		return gl_yuv_create_textures(gl, gb, buffer);
	const struct gl_upload_format *up = gl_upload_format_for(buffer->format);
	if (!up || buffer->width > gl->max_texture_size || buffer->height > gl->max_texture_size)
		return false;
	gb->texture = gl_texture_create(GL_TEXTURE_2D);
	glTexImage2D(GL_TEXTURE_2D, 0, (GLint)up->format, buffer->width, buffer->height, 0,
		up->format, up->type, NULL);
	glBindTexture(GL_TEXTURE_2D, 0);
	gb->upload = up;
	gb->shader_flags = (up->swap_rb ? GL_SHADER_SWAP_RB : 0) |
		(buffer->opaque ? GL_SHADER_OPAQUE : 0);
	gb->path = GL_PATH_UPLOAD;
	return true;
}

static void gl_import_dmabuf(struct gl_renderer *gl, struct gl_buffer *gb,
	struct zc_buffer *buffer, const struct zc_dmabuf_attribs *a)
{
	const char *egl_why = NULL;
	const struct zc_format_info *info = format_info(a->format);
	const char *name = info ? info->name : "?";
	gb->dmabuf = true;
	if (gl_import_egl(gl, gb, buffer, a, &egl_why)) {
		zc_info("gl: dma-buf %dx%d %s modifier 0x%" PRIx64 ": gpu-import (EGLImage%s)",
			a->width, a->height, name, a->modifier,
			gb->tex_target == GL_TEXTURE_EXTERNAL_OES ? ", external" : "");
		return;
	}
	gl_import_egl_undo(gl, gb);
	const char *planes_why = NULL;
	if (info && info->yuv) {
		if (gl_yuv_import_planes(gl, gb, a, &planes_why)) {
			zc_info("gl: dma-buf %dx%d %s modifier 0x%" PRIx64 ": gpu-import "
				"(EGLImage per plane, conversion shader; one image: %s)",
				a->width, a->height, name, a->modifier, egl_why);
			return;
		}
		gl_import_egl_undo(gl, gb);
		zc_info("gl: dma-buf %s: no per-plane import: %s", name, planes_why);
	}
	const char *cpu_why = gl_dmabuf_cpu_check(a);
	if (!cpu_why && gl_import_cpu(gl, gb, buffer)) {
		zc_info("gl: dma-buf %dx%d %s modifier 0x%" PRIx64 ": cpu-mmap fallback, "
			"no usable EGL import: %s", a->width, a->height, name, a->modifier, egl_why);
		return;
	}
	zc_info("gl: dma-buf %dx%d %s modifier 0x%" PRIx64 ": refused: EGL: %s; CPU: %s",
		a->width, a->height, name, a->modifier, egl_why,
		cpu_why ? cpu_why : "texture too large");
}

bool gl_import_buffer(struct zc_renderer *renderer, struct zc_buffer *buffer)
{
	struct gl_renderer *gl = gl_from_renderer(renderer);
	struct gl_buffer *gb = gl_buffer_get(gl, buffer);
	if (gb)
		return gb->path != GL_PATH_FAILED;
	if (!gl_make_current(gl))
		return false;
	gb = gl_buffer_create(gl, buffer);
	if (!gb)
		return false;
	const struct zc_dmabuf_attribs *a = buffer_get_dmabuf(buffer);
	if (a)
		gl_import_dmabuf(gl, gb, buffer, a);
	else
		gl_import_cpu(gl, gb, buffer);
	return gb->path != GL_PATH_FAILED;
}

/* ---- uploads ---- */

uint64_t gl_upload_rect(struct gl_renderer *gl, GLenum format, GLenum type, uint8_t bytes,
	const void *data, size_t stride, int32_t x, int32_t y, int32_t w, int32_t h)
{
	const uint8_t *src = (const uint8_t *)data + (size_t)y * stride + (size_t)x * bytes;
	glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
	if (gl->has.unpack_subimage && stride % bytes == 0) {
		glPixelStorei(GL_UNPACK_ROW_LENGTH_EXT, (GLint)(stride / bytes));
		glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, w, h, format, type, src);
		glPixelStorei(GL_UNPACK_ROW_LENGTH_EXT, 0);
	} else {
		for (int32_t row = 0; row < h; row++) {
			glTexSubImage2D(GL_TEXTURE_2D, 0, x, y + row, w, 1, format, type,
				src + (size_t)row * stride);
		}
	}
	return (uint64_t)w * (uint64_t)h * bytes;
}

static uint64_t gl_upload_box_direct(struct gl_renderer *gl, const struct gl_upload_format *up,
	const struct zc_cpu_view *view, const pixman_box32_t *box)
{
	return gl_upload_rect(gl, up->format, up->type, up->bytes, view->data[0],
		view->stride[0], box->x1, box->y1, box->x2 - box->x1, box->y2 - box->y1);
}

/* Packed formats pixman reads: the box's rows, copied to aligned memory
 * (pixman wants 32-bit rows), converted to a8r8g8b8 in dst. */
static bool gl_convert_packed(const struct zc_cpu_view *view, const pixman_box32_t *box,
	uint32_t *dst)
{
	const struct zc_format_info *info = format_info(view->format);
	int32_t w = box->x2 - box->x1, h = box->y2 - box->y1;
	size_t bytes = info->bpp[0] / 8, row = (size_t)w * bytes, stride = (row + 3) & ~(size_t)3;
	uint8_t *copy = malloc(stride * (size_t)h);
	if (!copy)
		return false;
	for (int32_t y = 0; y < h; y++) {
		memcpy(copy + (size_t)y * stride, (const uint8_t *)view->data[0] +
			(size_t)(box->y1 + y) * view->stride[0] + (size_t)box->x1 * bytes, row);
	}
	pixman_image_t *src = pixman_image_create_bits_no_clear(info->pixman, w, h,
		(uint32_t *)copy, (int)stride);
	pixman_image_t *out = pixman_image_create_bits_no_clear(PIXMAN_a8r8g8b8, w, h, dst,
		w * 4);
	if (src && out)
		pixman_image_composite32(PIXMAN_OP_SRC, src, NULL, out, 0, 0, 0, 0, 0, 0, w, h);
	if (src)
		pixman_image_unref(src);
	if (out)
		pixman_image_unref(out);
	free(copy);
	return src && out;
}

static uint64_t gl_upload_box_converted(const struct zc_cpu_view *view, pixman_box32_t box)
{
	const struct zc_format_info *info = format_info(view->format);
	int32_t w = box.x2 - box.x1, h = box.y2 - box.y1;
	uint32_t *staging = malloc((size_t)w * (size_t)h * 4);
	if (!staging)
		return 0;
	bool ok = gl_convert_packed(view, &box, staging);
	if (ok) {
		glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
		glTexSubImage2D(GL_TEXTURE_2D, 0, box.x1, box.y1, w, h, GL_RGBA,
			GL_UNSIGNED_BYTE, staging);
	}
	free(staging);
	if (!ok)
		return 0;
	return (uint64_t)w * (uint64_t)h * info->bpp[0] / 8;
}

static bool gl_upload_region(struct gl_renderer *gl, struct gl_buffer *gb,
	struct zc_buffer *buffer, const pixman_region32_t *region, uint64_t *bytes)
{
	struct zc_cpu_view view;
	if (!buffer_begin_cpu_access(buffer, ZC_CPU_READ, &view))
		return false;
	glBindTexture(GL_TEXTURE_2D, gb->texture);
	int n;
	const pixman_box32_t *boxes = pixman_region32_rectangles(
		(pixman_region32_t *)region, &n);
	for (int i = 0; i < n; i++) {
		if (gb->yuv.n_planes) {
			*bytes += gl_yuv_upload_box(gl, gb, &view, &boxes[i]);
			continue;
		}
		*bytes += gb->upload->drm ? gl_upload_box_direct(gl, gb->upload, &view, &boxes[i]) :
			gl_upload_box_converted(&view, boxes[i]);
	}
	glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
	glBindTexture(GL_TEXTURE_2D, 0);
	buffer_end_cpu_access(buffer);
	return true;
}

/*
 * The texture holds the buffer as it was when last drawn. The client's
 * damage is relative to the surface's previous content, which is this
 * buffer only if it was drawn in the previous frame (or this one); a buffer
 * coming back after a release may have changed anywhere: uploaded whole.
 */
bool gl_buffer_prepare(struct gl_renderer *gl, struct gl_buffer *gb, struct zc_buffer *buffer,
	const pixman_region32_t *damage, struct zc_draw_stats *stats)
{
	if (gb->path == GL_PATH_FAILED)
		return false;
	bool fresh = gb->uploaded && gb->frame + 1 >= gl->frame &&
		gb->releases == buffer->releases;
	gb->frame = gl->frame;
	if (gb->path == GL_PATH_IMPORT) {
		stats->path = ZC_DRAW_PATH_GPU_IMPORT;
		return true;
	}
	stats->path = gb->dmabuf ? ZC_DRAW_PATH_CPU_MMAP : ZC_DRAW_PATH_CPU_UPLOAD;
	pixman_region32_t stale;
	pixman_region32_init_rect(&stale, 0, 0, (uint32_t)buffer->width, (uint32_t)buffer->height);
	if (fresh && damage)
		pixman_region32_intersect(&stale, &stale, (pixman_region32_t *)damage);
	bool ok = true;
	if (pixman_region32_not_empty(&stale))
		ok = gl_upload_region(gl, gb, buffer, &stale, &stats->cpu_bytes);
	pixman_region32_fini(&stale);
	gb->uploaded = gb->uploaded || ok;
	gb->releases = buffer->releases;
	return ok;
}
