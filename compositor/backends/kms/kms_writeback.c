/*
 * Reading back what a KMS output's CRTC really scans out, through a writeback
 * connector (vkms has one; most real hardware does not): the output's
 * readback operation (output_readback() in core/output.h), which screen
 * capture uses where it exists.
 *
 * A job is queued on its output, joins the output's next flip
 * (WRITEBACK_FB_ID + WRITEBACK_OUT_FENCE_PTR; one is forced when nothing
 * changes) and completes when the out-fence signals: the kernel has written
 * the frame into a dumb buffer. Meanwhile the output commits nothing
 * (kms_writeback_busy): the frame being read back stays on the CRTC. A fence
 * that never signals ends writeback on the output rather than freezing it.
 *
 * For tests, ZC_KMS_WRITEBACK_DUMP=DIR makes SIGUSR1 write every KMS
 * output's next frame, read back through writeback, as DIR/NAME-N.ppm.
 */
#include <drm_fourcc.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buffer.h"
#include "kms.h"

/* Far beyond a refresh, even for vkms composing in software under emulation. */
#define KMS_WRITEBACK_TIMEOUT_MS 5000

struct kms_writeback_job {
	struct zc_output_readback base;
	struct kms_output *out;
	struct wl_list link; /* kms_output.writeback_jobs, until done */
	bool committed;
	bool cancelled; /* its capture is gone; still awaited, unheard */
	struct zc_buffer *buffer;
	int32_t out_fence; /* written by the kernel during the commit */
	struct wl_event_source *fence_source;
	struct wl_event_source *timeout;
	struct timespec committed_at;
};

static void job_free(struct kms_writeback_job *job)
{
	wl_list_remove(&job->link);
	if (job->fence_source)
		wl_event_source_remove(job->fence_source);
	if (job->timeout)
		wl_event_source_remove(job->timeout);
	if (job->out_fence >= 0)
		close(job->out_fence);
	if (job->buffer)
		buffer_drop(job->buffer);
	free(job);
}

static void job_finish(struct kms_writeback_job *job, bool ok)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	struct zc_buffer *frame = ok ? buffer_lock(job->buffer) : NULL;
	/* Off the list before the callback, which may queue the next capture. */
	wl_list_remove(&job->link);
	wl_list_init(&job->link);
	if (!job->cancelled)
		output_readback_done(&job->base, frame, &now);
	if (frame)
		buffer_unlock(frame);
	job_free(job);
}

struct zc_output_readback *kms_output_readback(struct zc_output *output,
	output_readback_done_fn done, void *data)
{
	struct kms_output *out = output->backend_data;
	if (!out->writeback || out->writeback_off)
		return NULL;
	struct kms_writeback_job *job = calloc(1, sizeof(*job));
	if (!job)
		return NULL;
	job->base = (struct zc_output_readback){ .output = output, .done = done, .data = data };
	job->out = out;
	job->out_fence = -1;
	job->buffer = kms_dumb_create(out->dev->fd, out->mode.hdisplay, out->mode.vdisplay,
		DRM_FORMAT_XRGB8888);
	wl_list_insert(out->writeback_jobs.prev, &job->link);
	if (!job->buffer) {
		job_free(job);
		return NULL;
	}
	/* Nothing may change on screen: ask for a commit anyway. */
	output_schedule_repaint(output);
	return &job->base;
}

void kms_output_cancel_readback(struct zc_output_readback *readback)
{
	struct kms_writeback_job *job = container_of(readback, struct kms_writeback_job, base);
	/* A job in flight holds the output's next frame back (kms_writeback_busy)
	 * until its fence or timeout: it must stay to release that frame. */
	if (job->committed) {
		job->cancelled = true;
		return;
	}
	job_free(job);
}

bool kms_writeback_busy(struct kms_output *out)
{
	struct kms_writeback_job *job;
	wl_list_for_each(job, &out->writeback_jobs, link) {
		if (job->committed)
			return true;
	}
	return false;
}

struct kms_writeback_job *kms_writeback_next_job(struct kms_output *out)
{
	struct kms_writeback_job *job;
	if (!out->writeback)
		return NULL;
	wl_list_for_each(job, &out->writeback_jobs, link) {
		if (!job->committed)
			return job;
	}
	return NULL;
}

bool kms_writeback_add_job(struct kms_writeback_job *job, struct kms_writeback_connector *wb,
	struct kms_atomic *atom)
{
	if (!wb)
		return false;
	job->out_fence = -1;
	kms_atomic_add(atom, wb->id, wb->props.writeback_fb_id, kms_dumb_get_fb(job->buffer));
	kms_atomic_add(atom, wb->id, wb->props.writeback_out_fence_ptr,
		(uint64_t)(uintptr_t)&job->out_fence);
	return !atom->error;
}

static int64_t ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static int handle_writeback_fence(int fd, uint32_t mask, void *data)
{
	struct kms_writeback_job *job = data;
	struct kms_output *out = job->out;
	bool ok = (mask & WL_EVENT_READABLE) != 0;
	/* Tests count these to know which path a capture took. */
	if (ok)
		zc_debug("kms: output %s: writeback frame read back %" PRId64 " ms after its "
			"commit", out->output->name, ms_since(&job->committed_at));
	job_finish(job, ok);
	kms_output_writeback_idle(out);
	return 0;
}

static int handle_writeback_timeout(void *data)
{
	struct kms_writeback_job *job = data;
	/* The kernel's job keeps its framebuffer after we remove ours: named so
	 * that leak checks can tell it from one of zcomp's. */
	zc_warn("kms: output %s: no writeback frame %d ms after its commit: writeback "
		"capture off (the kernel's job holds framebuffer %u)", job->out->output->name,
		KMS_WRITEBACK_TIMEOUT_MS, kms_dumb_get_fb(job->buffer));
	kms_output_give_up_writeback(job->out);
	return 0;
}

/* Waits for the fence, with a timeout. */
static bool job_watch_fence(struct kms_writeback_job *job)
{
	struct wl_event_loop *loop = job->out->backend->base.server->loop;
	clock_gettime(CLOCK_MONOTONIC, &job->committed_at);
	/* A sync_file polls readable once it has signalled. */
	job->fence_source = wl_event_loop_add_fd(loop, job->out_fence, WL_EVENT_READABLE,
		handle_writeback_fence, job);
	job->timeout = wl_event_loop_add_timer(loop, handle_writeback_timeout, job);
	return job->fence_source && job->timeout &&
		wl_event_source_timer_update(job->timeout, KMS_WRITEBACK_TIMEOUT_MS) == 0;
}

void kms_writeback_job_committed(struct kms_writeback_job *job, bool ok)
{
	job->committed = true;
	if (ok && job->out_fence >= 0 && job_watch_fence(job))
		return;
	zc_warn("kms: output %s: writeback commit failed", job->out->output->name);
	job_finish(job, false);
}

void kms_writeback_output_finish(struct kms_output *out)
{
	struct kms_writeback_job *job, *tmp;
	wl_list_for_each_safe(job, tmp, &out->writeback_jobs, link)
		job_finish(job, false);
}

/* ---- the test hook: frames as PPM files on SIGUSR1 ---- */

struct dump_request {
	struct kms_backend *backend;
	char path[512];
};

/* One row of XRGB8888 as RGB bytes. */
static void row_to_rgb(const uint32_t *row, int32_t width, uint8_t *rgb)
{
	for (int32_t x = 0; x < width; x++) {
		rgb[3 * x] = (uint8_t)(row[x] >> 16);
		rgb[3 * x + 1] = (uint8_t)(row[x] >> 8);
		rgb[3 * x + 2] = (uint8_t)row[x];
	}
}

/* Whole rows per write: this runs on the event loop, in emulated guests too. */
static bool write_ppm_rows(FILE *f, struct zc_buffer *frame, const struct zc_cpu_view *view)
{
	size_t row_size = (size_t)frame->width * 3;
	uint8_t *rgb = malloc(row_size);
	bool ok = rgb && fprintf(f, "P6\n%d %d\n255\n", frame->width, frame->height) > 0;
	for (int32_t y = 0; ok && y < frame->height; y++) {
		row_to_rgb((const uint32_t *)((const uint8_t *)view->data[0] +
			(size_t)y * view->stride[0]), frame->width, rgb);
		ok = fwrite(rgb, 1, row_size, f) == row_size;
	}
	free(rgb);
	return ok;
}

static bool write_ppm(const char *path, struct zc_buffer *frame)
{
	struct zc_cpu_view view;
	if (!buffer_begin_cpu_access(frame, ZC_CPU_READ, &view))
		return false;
	char tmp[600];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	bool ok = f && write_ppm_rows(f, frame, &view);
	buffer_end_cpu_access(frame);
	if (f && fclose(f) != 0)
		ok = false;
	/* Renamed into place: whoever waits for the file sees it complete. */
	return ok && rename(tmp, path) == 0;
}

static void handle_dump_done(void *data, struct zc_buffer *frame, const struct timespec *when)
{
	struct dump_request *req = data;
	if (!frame)
		zc_err("kms: writeback capture for %s failed", req->path);
	else if (!write_ppm(req->path, frame))
		zc_err("kms: cannot write %s: %s", req->path, strerror(errno));
	else
		zc_info("kms: writeback frame written to %s", req->path);
	free(req);
}

static int handle_dump_signal(int signal_number, void *data)
{
	struct kms_backend *backend = data;
	struct kms_output *out;
	wl_list_for_each(out, &backend->outputs, link) {
		struct dump_request *req = calloc(1, sizeof(*req));
		if (!req)
			break;
		req->backend = backend;
		snprintf(req->path, sizeof(req->path), "%s/%s-%d.ppm", backend->dump_dir,
			out->output->name, backend->n_dumps++);
		if (!kms_output_readback(out->output, handle_dump_done, req)) {
			zc_err("kms: output %s has no writeback connector", out->output->name);
			free(req);
		}
	}
	return 0;
}

bool kms_writeback_setup_dump(struct kms_backend *backend)
{
	const char *dir = getenv("ZC_KMS_WRITEBACK_DUMP");
	if (!dir || !*dir)
		return true;
	backend->dump_dir = dir;
	backend->dump_signal = wl_event_loop_add_signal(backend->base.server->loop, SIGUSR1,
		handle_dump_signal, backend);
	if (!backend->dump_signal)
		return false;
	zc_info("kms: SIGUSR1 writes writeback frames to %s", dir);
	return true;
}
