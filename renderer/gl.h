#ifndef ZC_GL_H
#define ZC_GL_H

/*
 * The GL renderer's internals, shared by its files:
 *   gl.c         EGL display and context, the frame operations, the vtable
 *   gl_import.c  per-buffer state: dma-buf -> EGLImage -> texture, or the
 *                CPU path (shm, and dma-bufs EGL cannot import); formats
 *   gl_target.c  render targets: FBO over an imported dma-buf, or over a
 *                texture read back into the target's CPU view
 *   gl_shaders.c the few programs a textured quad needs
 *
 * Coordinates: target pixel (x, y) is GL window position (x, y), so row 0
 * of a target's memory is GL's row 0 and nothing is ever flipped: textures
 * are uploaded, imported and rendered with the same row order.
 */

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES2/gl2.h>
#include <GLES2/gl2ext.h>
#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

#include "base/formats.h"
#include "renderer.h"

struct gbm_device;

struct gl_procs {
	PFNEGLCREATEIMAGEKHRPROC create_image;
	PFNEGLDESTROYIMAGEKHRPROC destroy_image;
	PFNEGLQUERYDMABUFFORMATSEXTPROC query_dmabuf_formats;     /* may be NULL */
	PFNEGLQUERYDMABUFMODIFIERSEXTPROC query_dmabuf_modifiers; /* may be NULL */
	PFNGLEGLIMAGETARGETTEXTURE2DOESPROC image_target_texture;
	PFNGLEGLIMAGETARGETRENDERBUFFERSTORAGEOESPROC image_target_renderbuffer;
};

/* Fragment shader variants, one bit each. */
enum gl_shader_flags {
	GL_SHADER_EXTERNAL = 1 << 0, /* samplerExternalOES */
	GL_SHADER_SWAP_RB = 1 << 1,  /* texel is BGRA in GL's RGBA */
	GL_SHADER_OPAQUE = 1 << 2,   /* the format's alpha is padding */
	GL_SHADER_SOLID = 1 << 3,    /* no texture: one colour (the uniform) */
	GL_SHADER_YUV = 1 << 4,      /* Y'CbCr planes converted (gl_yuv.c) */
	GL_SHADER_YUV_PACKED = 1 << 5, /* one texel per 4:2:2 macropixel */
	GL_SHADER_COUNT = 1 << 6,
};

struct gl_program {
	GLuint id; /* 0 until first use */
	GLint position, texcoord, sampler, color;
	/* YUV variants only (-1 elsewhere). */
	GLint tex_u, tex_v, size, plane_size, chroma_scale, y_sel0, y_sel1, u_sel, v_sel;
};

struct gl_target;

struct gl_renderer {
	struct zc_renderer base;
	int drm_fd; /* -1: surfaceless */
	struct gbm_device *gbm;
	EGLDisplay display;
	EGLContext context;
	struct gl_procs procs;
	struct {
		bool dmabuf_import, dmabuf_modifiers, external_image, unpack_subimage,
			read_bgra;
	} has;
	/* Mesa's llvmpipe or softpipe: imports are mapped by the CPU through
	 * the display's DRM device, which can fail (gl_import.c). */
	bool software;

	/* What EGL imports, per format and modifier, and which of those only
	 * as GL_TEXTURE_EXTERNAL_OES; `formats` adds what the CPU path takes. */
	struct zc_format_set egl_formats, external_only, formats;
	/* R8 and GR88 as EGL imports them: planes of YUV buffers (gl_yuv.c). */
	struct zc_format_set plane_formats;

	struct gl_program programs[GL_SHADER_COUNT];
	/* Every gl_buffer and gl_target on any zc_buffer, so destroy can take
	 * them back; &targets is also the targets' addon owner key. */
	struct wl_list buffers, targets;
	struct wl_list gbm_buffers; /* gl_gbm_buffer.link: their bos are ours */
	GLint max_texture_size;

	/* gl_sync.c: EGL native fences, probed on first use. */
	struct {
		bool probed, native;
		PFNEGLCREATESYNCKHRPROC create_sync;
		PFNEGLDESTROYSYNCKHRPROC destroy_sync;
		PFNEGLDUPNATIVEFENCEFDANDROIDPROC dup_fd;
	} fence;

	/* The frame in progress. */
	struct gl_target *target;
	struct zc_buffer *target_buffer;
	pixman_region32_t frame_damage;
	uint64_t frame; /* frames begun, for upload freshness */
};

/* How a buffer's pixels reach a texture, decided once at import. */
enum gl_path {
	GL_PATH_FAILED,  /* nothing can read it: refused, never retried */
	GL_PATH_IMPORT,  /* dma-buf -> EGLImage: zero copy */
	GL_PATH_UPLOAD,  /* CPU view -> glTexSubImage2D of the damage */
};

struct gl_upload_format;

/* One plane of a YUV buffer as a texture (gl_yuv.c). */
struct gl_yuv_plane {
	uint32_t drm;   /* format of a per-plane EGL import */
	GLenum format;  /* format of a per-plane upload */
	uint8_t bytes;  /* per texel */
	uint8_t hdiv, vdiv; /* buffer pixels per texel */
};

/* Where the shader finds Y, Cb and Cr: texel components (0..3, r..a) of
 * plane 0 (y0, y1: even and odd pixel of a macropixel) and of planes
 * u_plane and v_plane. n_planes == 0: not a YUV buffer. */
struct gl_yuv_layout {
	uint8_t n_planes;
	bool packed;
	struct gl_yuv_plane plane[3];
	uint8_t y0, y1, u, v, u_plane, v_plane;
};

/* Everything the renderer derives from one zc_buffer (an addon). */
struct gl_buffer {
	struct zc_addon base;
	struct gl_renderer *gl;
	struct wl_list link; /* gl_renderer.buffers */
	enum gl_path path;
	bool dmabuf;    /* a dma-buf (CPU path: "cpu-mmap", else "cpu-upload") */
	GLuint texture;
	GLenum tex_target; /* GL_TEXTURE_2D or GL_TEXTURE_EXTERNAL_OES */
	EGLImageKHR image;
	uint32_t shader_flags;
	const struct gl_upload_format *upload; /* GL_PATH_UPLOAD only */
	/* YUV converted by the shader: planes 1 and 2 (plane 0 is texture,
	 * image above). */
	struct gl_yuv_layout yuv;
	GLuint yuv_textures[2];
	EGLImageKHR yuv_images[2];
	bool uploaded;   /* the texture holds the whole buffer once */
	uint64_t frame;  /* last frame it was drawn in */
	uint64_t releases; /* the buffer's release count at the last upload */
};

static inline struct gl_renderer *gl_from_renderer(struct zc_renderer *renderer)
{
	return (struct gl_renderer *)renderer;
}

/* gl.c */
bool gl_make_current(struct gl_renderer *gl);
bool gl_has_extension(const char *list, const char *name);
const char *gl_egl_error_string(EGLint error);

/* gl_import.c */
bool gl_formats_init(struct gl_renderer *gl);
bool gl_import_buffer(struct zc_renderer *renderer, struct zc_buffer *buffer);
struct gl_buffer *gl_buffer_get(struct gl_renderer *gl, struct zc_buffer *buffer);
/* An addon with no path decided yet; NULL on allocation failure. */
struct gl_buffer *gl_buffer_create(struct gl_renderer *gl, struct zc_buffer *buffer);
/* Brings the texture up to date with the buffer for one draw; fills stats. */
bool gl_buffer_prepare(struct gl_renderer *gl, struct gl_buffer *gb, struct zc_buffer *buffer,
	const pixman_region32_t *damage, struct zc_draw_stats *stats);
void gl_buffers_destroy_all(struct gl_renderer *gl);
/* An EGLImage over a dma-buf's planes, or EGL_NO_IMAGE_KHR with *why set. */
EGLImageKHR gl_image_from_dmabuf(struct gl_renderer *gl, const struct zc_dmabuf_attribs *a,
	const char **why);

/* A texture object bound to target, clamped, nearest filtering. */
GLuint gl_texture_create(GLenum target);
/* Whether a 2D texture over an import can be drawn (software rasterizers
 * may fail to map it); *why set when not. */
bool gl_texture_usable(struct gl_renderer *gl, GLuint texture, const char **why);
/* glTexSubImage2D of a w x h box at (x, y) from rows `stride` bytes apart
 * starting at data's texel (x, y); returns the bytes read. */
uint64_t gl_upload_rect(struct gl_renderer *gl, GLenum format, GLenum type, uint8_t bytes,
	const void *data, size_t stride, int32_t x, int32_t y, int32_t w, int32_t h);

/* gl_yuv.c */
bool gl_yuv_layout_for(uint32_t format, bool egl, struct gl_yuv_layout *layout);
/* Per-plane EGL imports of a YUV dma-buf; false (with *why) leaves what it
 * made for gl_yuv_release and the caller's undo. */
bool gl_yuv_import_planes(struct gl_renderer *gl, struct gl_buffer *gb,
	const struct zc_dmabuf_attribs *a, const char **why);
/* Plane textures the CPU path uploads into. */
bool gl_yuv_create_textures(struct gl_renderer *gl, struct gl_buffer *gb,
	const struct zc_buffer *buffer);
uint64_t gl_yuv_upload_box(struct gl_renderer *gl, struct gl_buffer *gb,
	const struct zc_cpu_view *view, const pixman_box32_t *box);
void gl_yuv_bind(struct gl_buffer *gb, const struct gl_program *prog,
	const struct zc_buffer *buffer, GLint filter);
void gl_yuv_unbind(const struct gl_buffer *gb);
void gl_yuv_release(struct gl_renderer *gl, struct gl_buffer *gb);

/* gl_sync.c: a sync_file of the GPU work submitted so far, or -1. */
int gl_export_fence(struct zc_renderer *renderer);

/* gl_target.c: the FBO of a target buffer, made once (NULL: unusable). */
struct gl_target *gl_target_get(struct gl_renderer *gl, struct zc_buffer *buffer);
void gl_target_bind(struct gl_target *target);
/* Completes a frame: reads the damaged rows back or waits for the GPU. */
bool gl_target_finish(struct gl_target *target, struct zc_buffer *buffer,
	const pixman_region32_t *damage);
void gl_targets_destroy_all(struct gl_renderer *gl);
/* Before the GBM device goes: the buffers keep only their dma-bufs. */
void gl_gbm_buffers_release_all(struct gl_renderer *gl);
/* The vtable's create_target: a GBM buffer object GL renders into in place. */
struct zc_buffer *gl_create_target(struct zc_renderer *renderer, int32_t width, int32_t height,
	uint32_t format);

/* gl_shaders.c */
const struct gl_program *gl_program_get(struct gl_renderer *gl, uint32_t flags);
void gl_programs_finish(struct gl_renderer *gl);

#endif
