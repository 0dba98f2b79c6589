/*
 * The GL renderer's fences as sync_files (EGL_ANDROID_native_fence_sync),
 * for explicit sync: a release point is signalled through the fence of the
 * GPU work that read the buffer. While end() waits for the GPU (glFinish,
 * read-back) the fence has signalled by the time anyone asks; it keeps the
 * release points right should a frame ever end before the GPU is done.
 */
#include <unistd.h>

#include "base/log.h"
#include "gl.h"

static void gl_fence_probe(struct gl_renderer *gl)
{
	gl->fence.probed = true;
	const char *exts = eglQueryString(gl->display, EGL_EXTENSIONS);
	if (!exts || !gl_has_extension(exts, "EGL_ANDROID_native_fence_sync") ||
	    !gl_has_extension(exts, "EGL_KHR_fence_sync")) {
		zc_info("gl: no EGL_ANDROID_native_fence_sync: the GPU's reads are known complete "
			"when a frame ends, release points are signalled from the CPU");
		return;
	}
	gl->fence.create_sync = (PFNEGLCREATESYNCKHRPROC)eglGetProcAddress("eglCreateSyncKHR");
	gl->fence.destroy_sync = (PFNEGLDESTROYSYNCKHRPROC)eglGetProcAddress("eglDestroySyncKHR");
	gl->fence.dup_fd = (PFNEGLDUPNATIVEFENCEFDANDROIDPROC)eglGetProcAddress(
		"eglDupNativeFenceFDANDROID");
	gl->fence.native = gl->fence.create_sync && gl->fence.destroy_sync && gl->fence.dup_fd;
	zc_info("gl: release points signalled through EGL native fences%s",
		gl->fence.native ? "" : " (unavailable: entry points missing)");
}

int gl_export_fence(struct zc_renderer *renderer)
{
	struct gl_renderer *gl = gl_from_renderer(renderer);
	if (!gl->fence.probed)
		gl_fence_probe(gl);
	if (!gl->fence.native || !gl_make_current(gl))
		return -1;
	EGLSyncKHR sync = gl->fence.create_sync(gl->display, EGL_SYNC_NATIVE_FENCE_ANDROID, NULL);
	if (sync == EGL_NO_SYNC_KHR) {
		zc_debug("gl: eglCreateSyncKHR: %s", gl_egl_error_string(eglGetError()));
		return -1;
	}
	/* The fence gets its fd once it is flushed to the GPU. */
	glFlush();
	int fd = gl->fence.dup_fd(gl->display, sync);
	gl->fence.destroy_sync(gl->display, sync);
	return fd == EGL_NO_NATIVE_FENCE_FD_ANDROID ? -1 : fd;
}
