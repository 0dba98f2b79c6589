/*
 * YUV buffers the GPU converts itself: each plane a texture of its own
 * (Y and separate chroma planes as one-byte texels, an NV12 CbCr pair as a
 * two-byte texel, a packed 4:2:2 macropixel as one RGBA texel), and the
 * conversion in the fragment shader (gl_shaders.c, YUV variants). Used when
 * the driver does not import the format as one EGLImage: dma-bufs are
 * imported plane by plane (R8, GR88, ABGR8888), shm and dma-bufs EGL
 * refuses are uploaded plane by plane, damaged rows only. Either way the
 * CPU never converts: the GPU reads 1.5-2 bytes a pixel, not 4.
 *
 * The encoding is zcomp's one default, BT.601 limited range, the matrix
 * the CPU path (libyuv's kYuvI601Constants, dmabuf_yuv_to_xrgb) uses.
 */
#include <drm_fourcc.h>
#include <stdlib.h>

#include "base/log.h"
#include "dmabuf.h"
#include "gl.h"

/* Byte order of the four packed 4:2:2 layouts: Y0, Y1, Cb, Cr. */
static const struct {
	uint32_t format;
	uint8_t y0, y1, u, v;
} packed_orders[] = {
	{ DRM_FORMAT_YUYV, 0, 2, 1, 3 },
	{ DRM_FORMAT_YVYU, 0, 2, 3, 1 },
	{ DRM_FORMAT_UYVY, 1, 3, 0, 2 },
	{ DRM_FORMAT_VYUY, 1, 3, 2, 0 },
};

static void gl_yuv_plane_set(struct gl_yuv_plane *p, uint32_t drm, GLenum format,
	uint8_t bytes, uint8_t hdiv, uint8_t vdiv)
{
	*p = (struct gl_yuv_plane){ drm, format, bytes, hdiv, vdiv };
}

static bool gl_yuv_layout_packed(uint32_t format, struct gl_yuv_layout *l)
{
	for (size_t i = 0; i < sizeof(packed_orders) / sizeof(packed_orders[0]); i++) {
		if (packed_orders[i].format != format)
			continue;
		/* One texel per macropixel: memory bytes 0..3 are r, g, b, a. */
		gl_yuv_plane_set(&l->plane[0], DRM_FORMAT_ABGR8888, GL_RGBA, 4, 2, 1);
		l->n_planes = 1;
		l->packed = true;
		l->y0 = packed_orders[i].y0;
		l->y1 = packed_orders[i].y1;
		l->u = packed_orders[i].u;
		l->v = packed_orders[i].v;
		return true;
	}
	return false;
}

/* egl: planes imported (GR88: second byte in g) rather than uploaded
 * (GL_LUMINANCE_ALPHA: second byte in a). */
bool gl_yuv_layout_for(uint32_t format, bool egl, struct gl_yuv_layout *l)
{
	const struct zc_format_info *info = format_info(format);
	*l = (struct gl_yuv_layout){ 0 };
	if (!info || !info->yuv)
		return false;
	if (info->n_planes == 1)
		return gl_yuv_layout_packed(format, l);
	l->n_planes = info->n_planes;
	gl_yuv_plane_set(&l->plane[0], DRM_FORMAT_R8, GL_LUMINANCE, 1, 1, 1);
	if (info->n_planes == 2) {
		bool vu = format == DRM_FORMAT_NV21 || format == DRM_FORMAT_NV61;
		uint8_t second = egl ? 1 : 3;
		gl_yuv_plane_set(&l->plane[1], DRM_FORMAT_GR88, GL_LUMINANCE_ALPHA, 2,
			info->hsub, info->vsub);
		l->u = vu ? second : 0;
		l->v = vu ? 0 : second;
		l->u_plane = l->v_plane = 1;
		return true;
	}
	for (int i = 1; i < 3; i++)
		gl_yuv_plane_set(&l->plane[i], DRM_FORMAT_R8, GL_LUMINANCE, 1, info->hsub,
			info->vsub);
	bool vu = format == DRM_FORMAT_YVU420 || format == DRM_FORMAT_YVU422 ||
		format == DRM_FORMAT_YVU444;
	l->u_plane = vu ? 2 : 1;
	l->v_plane = vu ? 1 : 2;
	return true;
}

static int32_t gl_yuv_plane_width(const struct gl_yuv_plane *p, int32_t width)
{
	return (width + p->hdiv - 1) / p->hdiv;
}

static int32_t gl_yuv_plane_height(const struct gl_yuv_plane *p, int32_t height)
{
	return (height + p->vdiv - 1) / p->vdiv;
}

static GLuint *gl_yuv_texture_slot(struct gl_buffer *gb, int plane)
{
	return plane == 0 ? &gb->texture : &gb->yuv_textures[plane - 1];
}

static EGLImageKHR *gl_yuv_image_slot(struct gl_buffer *gb, int plane)
{
	return plane == 0 ? &gb->image : &gb->yuv_images[plane - 1];
}

void gl_yuv_release(struct gl_renderer *gl, struct gl_buffer *gb)
{
	for (int i = 0; i < 2; i++) {
		if (gb->yuv_textures[i])
			glDeleteTextures(1, &gb->yuv_textures[i]);
		gb->yuv_textures[i] = 0;
		if (gb->yuv_images[i] != EGL_NO_IMAGE_KHR)
			gl->procs.destroy_image(gl->display, gb->yuv_images[i]);
		gb->yuv_images[i] = EGL_NO_IMAGE_KHR;
	}
}

/* Whether EGL says it imports `format` with `modifier`; true when it
 * cannot tell. */
static bool gl_yuv_egl_lists(struct gl_renderer *gl, uint32_t format, uint64_t modifier)
{
	if (!gl->has.dmabuf_modifiers || gl->egl_formats.n_formats == 0)
		return true;
	return format_set_has(&gl->egl_formats, format, modifier) ||
		format_set_has(&gl->plane_formats, format, modifier);
}

static bool gl_yuv_import_plane(struct gl_renderer *gl, struct gl_buffer *gb,
	const struct zc_dmabuf_attribs *a, int i, const char **why)
{
	const struct gl_yuv_plane *p = &gb->yuv.plane[i];
	if (!gl_yuv_egl_lists(gl, p->drm, a->modifier)) {
		*why = "EGL does not list the plane formats (R8, GR88, ABGR8888)";
		return false;
	}
	struct zc_dmabuf_attribs plane = {
		.width = gl_yuv_plane_width(p, a->width),
		.height = gl_yuv_plane_height(p, a->height),
		.format = p->drm,
		.modifier = a->modifier,
		.n_planes = 1,
		.fd = { a->fd[i] },
		.offset = { a->offset[i] },
		.stride = { a->stride[i] },
	};
	EGLImageKHR *image = gl_yuv_image_slot(gb, i);
	*image = gl_image_from_dmabuf(gl, &plane, why);
	if (*image == EGL_NO_IMAGE_KHR)
		return false;
	GLuint *tex = gl_yuv_texture_slot(gb, i);
	*tex = gl_texture_create(GL_TEXTURE_2D);
	while (glGetError() != GL_NO_ERROR)
		;
	gl->procs.image_target_texture(GL_TEXTURE_2D, *image);
	glBindTexture(GL_TEXTURE_2D, 0);
	if (glGetError() != GL_NO_ERROR) {
		*why = "glEGLImageTargetTexture2DOES failed on a plane";
		return false;
	}
	return gl_texture_usable(gl, *tex, why);
}

/* Each plane its own EGLImage. Linear layouts only: how a tiled modifier
 * lays out a multi-planar format's planes is the driver's business. */
bool gl_yuv_import_planes(struct gl_renderer *gl, struct gl_buffer *gb,
	const struct zc_dmabuf_attribs *a, const char **why)
{
	if (a->modifier != DRM_FORMAT_MOD_LINEAR && a->modifier != DRM_FORMAT_MOD_INVALID) {
		*why = "per-plane import takes linear layouts only";
		return false;
	}
	if (!gl_yuv_layout_for(a->format, true, &gb->yuv) || a->n_planes != gb->yuv.n_planes) {
		*why = "not a YUV layout the conversion shader reads";
		return false;
	}
	for (int i = 0; i < gb->yuv.n_planes; i++) {
		if (!gl_yuv_import_plane(gl, gb, a, i, why))
			return false;
	}
	gb->shader_flags = GL_SHADER_YUV | (gb->yuv.packed ? GL_SHADER_YUV_PACKED : 0);
	gb->path = GL_PATH_IMPORT;
	return true;
}

bool gl_yuv_create_textures(struct gl_renderer *gl, struct gl_buffer *gb,
	const struct zc_buffer *buffer)
{
	if (!gl_yuv_layout_for(buffer->format, false, &gb->yuv))
		return false;
	for (int i = 0; i < gb->yuv.n_planes; i++) {
		const struct gl_yuv_plane *p = &gb->yuv.plane[i];
		GLsizei w = gl_yuv_plane_width(p, buffer->width);
		GLsizei h = gl_yuv_plane_height(p, buffer->height);
		if (w > gl->max_texture_size || h > gl->max_texture_size)
			return false;
		GLuint *tex = gl_yuv_texture_slot(gb, i);
		*tex = gl_texture_create(GL_TEXTURE_2D);
		glTexImage2D(GL_TEXTURE_2D, 0, (GLint)p->format, w, h, 0, p->format,
			GL_UNSIGNED_BYTE, NULL);
	}
	glBindTexture(GL_TEXTURE_2D, 0);
	gb->shader_flags = GL_SHADER_YUV | (gb->yuv.packed ? GL_SHADER_YUV_PACKED : 0);
	gb->path = GL_PATH_UPLOAD;
	return true;
}

/* The damaged box of each plane (widened to whole chroma samples), as it
 * is: no conversion, no staging copy. Returns the bytes read. */
uint64_t gl_yuv_upload_box(struct gl_renderer *gl, struct gl_buffer *gb,
	const struct zc_cpu_view *view, const pixman_box32_t *box)
{
	uint64_t bytes = 0;
	for (int i = 0; i < gb->yuv.n_planes && i < view->n_planes; i++) {
		const struct gl_yuv_plane *p = &gb->yuv.plane[i];
		int32_t x1 = box->x1 / p->hdiv, y1 = box->y1 / p->vdiv;
		int32_t x2 = (box->x2 + p->hdiv - 1) / p->hdiv;
		int32_t y2 = (box->y2 + p->vdiv - 1) / p->vdiv;
		glBindTexture(GL_TEXTURE_2D, *gl_yuv_texture_slot(gb, i));
		bytes += gl_upload_rect(gl, p->format, GL_UNSIGNED_BYTE, p->bytes, view->data[i],
			view->stride[i], x1, y1, x2 - x1, y2 - y1);
	}
	glBindTexture(GL_TEXTURE_2D, 0);
	return bytes;
}

static void gl_yuv_select(GLint location, uint8_t component)
{
	GLfloat v[4] = { 0, 0, 0, 0 };
	v[component & 3] = 1.0f;
	glUniform4fv(location, 1, v);
}

/* Planes 1 and 2 on texture units 1 and 2 (plane 0 is on unit 0, bound by
 * the caller), and the uniforms that say where Y, Cb and Cr are. */
void gl_yuv_bind(struct gl_buffer *gb, const struct gl_program *prog,
	const struct zc_buffer *buffer, GLint filter)
{
	const struct gl_yuv_layout *l = &gb->yuv;
	GLfloat w = (GLfloat)buffer->width, h = (GLfloat)buffer->height;
	glUniform1i(prog->tex_u, 1);
	glUniform1i(prog->tex_v, 2);
	glUniform2f(prog->size, w, h);
	if (l->packed) {
		glUniform2f(prog->plane_size, (GLfloat)gl_yuv_plane_width(&l->plane[0],
			buffer->width), h);
		gl_yuv_select(prog->y_sel0, l->y0);
		gl_yuv_select(prog->y_sel1, l->y1);
	} else {
		const struct gl_yuv_plane *c = &l->plane[1];
		/* Chroma planes round up odd sizes: scale the coordinates so
		 * pixel x reads chroma sample x / hsub. */
		glUniform2f(prog->chroma_scale, w / (GLfloat)(c->hdiv *
			gl_yuv_plane_width(c, buffer->width)), h / (GLfloat)(c->vdiv *
			gl_yuv_plane_height(c, buffer->height)));
		gl_yuv_select(prog->y_sel0, 0);
		gl_yuv_select(prog->y_sel1, 0);
		for (int unit = 1; unit <= 2; unit++) {
			glActiveTexture(GL_TEXTURE0 + (GLenum)unit);
			uint8_t plane = unit == 1 ? l->u_plane : l->v_plane;
			glBindTexture(GL_TEXTURE_2D, *gl_yuv_texture_slot(gb, plane));
			glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
			glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
		}
		glActiveTexture(GL_TEXTURE0);
	}
	gl_yuv_select(prog->u_sel, l->u);
	gl_yuv_select(prog->v_sel, l->v);
}

void gl_yuv_unbind(const struct gl_buffer *gb)
{
	if (gb->yuv.packed)
		return;
	for (int unit = 2; unit >= 1; unit--) {
		glActiveTexture(GL_TEXTURE0 + (GLenum)unit);
		glBindTexture(GL_TEXTURE_2D, 0);
	}
	glActiveTexture(GL_TEXTURE0);
}
