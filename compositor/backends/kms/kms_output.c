/*
 * KMS outputs: one per connected connector with a free CRTC.
 *
 *   commit(buffer)    an atomic, nonblocking flip of the primary plane with a
 *                     page-flip event (plus the modeset the first time, and
 *                     after a VT switch, tested with TEST_ONLY first)
 *   flip event        the frame is on screen: output_present() with the
 *                     event's timestamp, where flips wait for a real vblank
 *   commit(NULL)      nothing changed: a vblank event (or a timer where there
 *                     is no vblank) still paces the frame callbacks
 *
 * virtio-gpu completes flips as soon as the host took the frame, with no
 * vblank behind them. There the present is reported at the next point of a
 * grid at the mode's refresh rate (a timerfd), so clients are paced at the
 * refresh rate and timestamps come one refresh apart.
 */
#include <drm_fourcc.h>
#include <errno.h>
#include <libdisplay-info/info.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "renderer/renderer.h"
#include "base/buffer.h"
#include "kms.h"
#include "backends/session/session.h"

/* Flip events in a row with the same vblank count: there is no vblank. */
#define KMS_STUCK_SEQ_LIMIT 8

/* ---- modes and identity ---- */

/* Make and model from the EDID, when the connector has one. */
static void read_edid(int fd, uint32_t connector_id, char **make, char **model)
{
	drmModeObjectProperties *props =
		drmModeObjectGetProperties(fd, connector_id, DRM_MODE_OBJECT_CONNECTOR);
	for (uint32_t i = 0; props && i < props->count_props; i++) {
		drmModePropertyRes *prop = drmModeGetProperty(fd, props->props[i]);
		bool is_edid = prop && strcmp(prop->name, "EDID") == 0 && props->prop_values[i];
		drmModeFreeProperty(prop);
		if (!is_edid)
			continue;
		drmModePropertyBlobRes *blob =
			drmModeGetPropertyBlob(fd, (uint32_t)props->prop_values[i]);
		struct di_info *info = blob ? di_info_parse_edid(blob->data, blob->length) : NULL;
		if (info) {
			*make = di_info_get_make(info);
			*model = di_info_get_model(info);
			di_info_destroy(info);
		}
		drmModeFreePropertyBlob(blob);
	}
	drmModeFreeObjectProperties(props);
}

/* ---- atomic requests ---- */

static void add_modeset(struct kms_atomic *atom, const struct kms_output *out)
{
	const struct kms_crtc *crtc = out->crtc;
	kms_atomic_add(atom, out->connector_id, out->props.crtc_id, crtc->id);
	kms_atomic_add(atom, crtc->id, crtc->props.mode_id, out->mode_blob);
	kms_atomic_add(atom, crtc->id, crtc->props.active, 1);
}

/* The frame with buffer on the primary plane; false: out of memory. */
static bool build_request(struct kms_output *out, struct zc_buffer *buffer,
	struct kms_atomic *atom)
{
	if (!kms_atomic_init(atom))
		return false;
	kms_atomic_add_plane(atom, out->primary, out->crtc->id,
		kms_buffer_get_fb(out->dev, buffer), 0, 0, out->mode.hdisplay, out->mode.vdisplay);
	kms_atomic_add_plane_colour(atom, out->primary, buffer->format);
	kms_planes_add(out, atom);
	if (out->needs_modeset)
		add_modeset(atom, out);
	kms_cursor_add_props(out, atom);
	return true;
}

static void release_writeback(struct kms_output *out)
{
	if (!out->writeback)
		return;
	out->writeback->output = NULL;
	out->writeback = NULL;
}

/* A configuration change is tried with TEST_ONLY first. */
static bool build_tested_modeset(struct kms_output *out, struct zc_buffer *buffer,
	struct kms_atomic *atom)
{
	if (!build_request(out, buffer, atom))
		return false;
	if (kms_device_commit(out->dev, atom,
		    DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_ATOMIC_ALLOW_MODESET, NULL) == 0)
		return true;
	zc_err("kms: output %s: the driver refuses mode %s: %s", out->output->name,
		out->mode.name, strerror(errno));
	kms_atomic_finish(atom);
	return false;
}

/* ---- pacing ---- */

static void present(struct kms_output *out, const struct timespec *when, uint64_t seq,
	uint32_t flags)
{
	if (out->frame_dropped) {
		out->frame_dropped = false;
		output_frame_dropped(out->output);
	} else {
		output_present(out->output, when, seq, flags);
	}
	/* A capture waits for a commit even when nothing changes on screen. */
	if (!wl_list_empty(&out->writeback_jobs))
		output_schedule_repaint(out->output);
}

static void handle_kms_output_timer(void *data)
{
	struct kms_output *out = data;
	/* Without vblank the grid is the display's refresh: its count is the
	 * sequence clients derive skipped refreshes from. With vblank (an
	 * empty frame whose vblank event could not be queued) the hardware's
	 * counter stays the sequence: one more. */
	uint64_t seq = out->dev->has_vblank ? out->output->msc + 1 :
		refresh_timer_seq(&out->timer, out->output);
	present(out, &out->timer.target, seq, ZC_PRESENT_VSYNC | out->timer_flags);
}

/* An empty frame: the next vblank where there is one, else the grid. */
static bool pace_empty_frame(struct kms_output *out)
{
	struct kms_device *dev = out->dev;
	if (dev->has_vblank && out->scanout && out->backend->session->active) {
		uint64_t queued;
		if (drmCrtcQueueSequence(dev->fd, out->crtc->id, DRM_CRTC_SEQUENCE_RELATIVE, 1,
			    &queued, (uint64_t)(uintptr_t)out->crtc) == 0) {
			out->vblank_queued = true;
			return true;
		}
		zc_debug("kms: queueing a vblank event failed: %s", strerror(errno));
	}
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	out->timer_flags = 0;
	refresh_timer_arm(&out->timer, out->output, &now);
	return true;
}

/* ---- commits and events ---- */

static void log_failed_commit(struct kms_output *out, int err)
{
	uint64_t n = ++out->backend->failed_commits;
	if (n <= 5 || n % 100 == 0)
		zc_err("kms: output %s: commit failed: %s (%llu failures so far)",
			out->output->name, strerror(err), (unsigned long long)n);
}

/* Adds the writeback job; attaching the connector to the CRTC the first
 * time is a configuration change (a modeset in the kernel's eyes). */
static bool add_writeback_job(struct kms_output *out, struct kms_writeback_job *job,
	struct kms_atomic *atom, uint32_t *flags)
{
	if (!kms_writeback_add_job(job, out->writeback, atom))
		return false;
	if (out->writeback_attached)
		return true;
	kms_atomic_add(atom, out->writeback->id, out->writeback->props.crtc_id, out->crtc->id);
	*flags |= DRM_MODE_ATOMIC_ALLOW_MODESET;
	if (kms_device_commit(out->dev, atom,
		    DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_ATOMIC_ALLOW_MODESET, NULL) == 0)
		return true;
	zc_warn("kms: output %s: the driver refuses writeback: %s; captures read the "
		"rendered frames instead", out->output->name, strerror(errno));
	return false;
}

/* wp_tearing_control_v1: an async flip where the frame is a client's buffer
 * on the primary plane that asked for one, the driver has them and a
 * TEST_ONLY commit of this very request takes it; else a normal flip. */
static uint32_t async_flag(struct kms_output *out, const struct kms_atomic *atom)
{
	if (!out->output->frame_async)
		return 0;
	if (out->dev->async_atomic && kms_device_commit(out->dev, atom,
		    DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_PAGE_FLIP_ASYNC, NULL) == 0) {
		out->async_flips++;
		return DRM_MODE_PAGE_FLIP_ASYNC;
	}
	if (out->async_refused++ == 0)
		zc_info("kms: output %s: async flip asked for but %s: a normal flip",
			out->output->name, out->dev->async_atomic ? strerror(errno) :
			"the driver has no atomic async page flips");
	return 0;
}

static bool commit_buffer(struct kms_output *out, struct zc_buffer *buffer,
	struct kms_writeback_job *job)
{
	bool modeset = out->needs_modeset;
	struct kms_atomic atom;
	if (!(modeset ? build_tested_modeset(out, buffer, &atom) :
		    build_request(out, buffer, &atom)))
		return false;
	uint32_t flags = DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT |
		(modeset ? DRM_MODE_ATOMIC_ALLOW_MODESET : 0);
	if (modeset) {
		job = NULL; /* the next flip takes it */
	} else if (job && !add_writeback_job(out, job, &atom, &flags)) {
		/* Without the job's properties: a fresh request. */
		kms_writeback_job_committed(job, false);
		kms_output_give_up_writeback(out);
		job = NULL;
		kms_atomic_finish(&atom);
		if (!build_request(out, buffer, &atom))
			return false;
	}
	/* Not with a modeset or a capture: those want the vblank. */
	if (!(flags & DRM_MODE_ATOMIC_ALLOW_MODESET) && !job)
		flags |= async_flag(out, &atom);
	clock_gettime(CLOCK_MONOTONIC, &out->commit_time);
	int ret = kms_device_commit(out->dev, &atom, flags, out->crtc);
	int err = errno;
	kms_atomic_finish(&atom);
	if (job) {
		out->writeback_attached = out->writeback_attached || ret == 0;
		kms_writeback_job_committed(job, ret == 0);
	}
	if (ret != 0) {
		log_failed_commit(out, err);
		/* Not presented: the frame's buffers must not replace what is
		 * still on screen. The loop goes on at the refresh pace. */
		out->frame_dropped = true;
		return pace_empty_frame(out);
	}
	if (modeset)
		zc_info("kms: output %s: mode %s set on CRTC %u", out->output->name,
			out->mode.name, out->crtc->id);
	out->needs_modeset = false;
	kms_planes_committed(out);
	out->cursor_state.dirty = false;
	out->pending = buffer;
	out->flip_pending = true;
	out->flip_async = flags & DRM_MODE_PAGE_FLIP_ASYNC;
	return true;
}

/* The frame is committed later, by commit_parked(). */
static bool park_frame(struct kms_output *out, struct zc_buffer *buffer)
{
	out->frame_parked = true;
	out->pending = buffer;
	return true;
}

static void commit_parked(struct kms_output *out)
{
	out->frame_parked = false;
	struct zc_buffer *parked = out->pending;
	out->pending = NULL;
	if (!parked || !commit_buffer(out, parked, NULL))
		pace_empty_frame(out);
}

static bool kms_output_commit(struct zc_output *output, struct zc_buffer *buffer)
{
	struct kms_output *out = output->backend_data;
	if (buffer) {
		if (!swapchain_mark_rendered(&out->chain, buffer) &&
		    !kms_buffer_get_fb(out->dev, buffer))
			return false; /* neither ours nor a client's imported one */
	} else if (out->layers_changed) {
		buffer = out->scanout; /* new overlays over the same primary */
	}
	if (!out->backend->session->active) {
		/* Shown, and presented, when the session comes back. */
		return park_frame(out, buffer);
	}
	if (kms_writeback_busy(out)) {
		/* Until a readback completes it reads the frame on screen: vkms
		 * composes whatever state the CRTC has at its next vblank, from
		 * buffers we would render into after one more flip. */
		return buffer ? park_frame(out, buffer) : pace_empty_frame(out);
	}
	struct kms_writeback_job *job = kms_writeback_next_job(out);
	struct zc_buffer *show = buffer;
	/* The same frame again, for a modeset, a readback or the cursor. */
	if (!show && (out->needs_modeset || job || out->cursor_state.dirty))
		show = out->scanout;
	if (!show)
		return pace_empty_frame(out);
	return commit_buffer(out, show, job);
}

/* Flip turnaround for the logs; and a driver that claimed vblank support but
 * whose flip events carry no advancing vblank count has none after all. */
static void measure_flip(struct kms_output *out, unsigned int seq, const struct timespec *when)
{
	uint64_t t0 = timespec_to_ns(&out->commit_time), t1 = timespec_to_ns(when);
	uint64_t turnaround = t1 > t0 ? t1 - t0 : 0;
	out->flips++;
	out->flip_ns_sum += turnaround;
	/* Without vblank, a frame is presented at the first grid point after
	 * its flip completed: the repaint deadline must leave room for the
	 * flip. A slowly fading maximum follows the device's recent worst. */
	struct zc_output *output = out->output;
	if (!out->dev->has_vblank)
		output->submit_ns = turnaround > output->submit_ns ? turnaround :
			output->submit_ns - output->submit_ns / 16;
	out->stuck_seqs = out->flips > 1 && seq == out->last_flip_seq ? out->stuck_seqs + 1 : 0;
	out->last_flip_seq = seq;
	if (out->dev->has_vblank && out->stuck_seqs >= KMS_STUCK_SEQ_LIMIT) {
		zc_warn("kms: %s flip events carry no vblank count: pacing repaints with a timer",
			out->dev->driver);
		out->dev->has_vblank = false;
	}
}

void kms_output_handle_flip(struct kms_output *out, unsigned int seq,
	const struct timespec *when)
{
	if (!out->flip_pending)
		return;
	out->flip_pending = false;
	out->scanout = out->pending;
	out->pending = NULL;
	measure_flip(out, seq, when);
	if (out->flip_async) {
		/* On screen at once, wherever the scan-out was: no VSYNC. */
		out->flip_async = false;
		present(out, when, out->output->msc + 1,
			ZC_PRESENT_HW_COMPLETION | (out->dev->has_vblank ? ZC_PRESENT_HW_CLOCK : 0));
		return;
	}
	if (out->dev->has_vblank) {
		present(out, when, seq, ZC_PRESENT_VSYNC | ZC_PRESENT_HW_CLOCK |
			ZC_PRESENT_HW_COMPLETION);
		return;
	}
	/* The device said the flip is done; the timestamp is our grid's. */
	out->timer_flags = ZC_PRESENT_HW_COMPLETION;
	refresh_timer_arm(&out->timer, out->output, when);
}

void kms_output_handle_vblank(struct kms_output *out, uint64_t seq,
	const struct timespec *when)
{
	if (!out->vblank_queued)
		return;
	out->vblank_queued = false;
	present(out, when, seq, ZC_PRESENT_VSYNC | ZC_PRESENT_HW_CLOCK);
}

void kms_output_session_enabled(struct kms_output *out)
{
	out->needs_modeset = true;
	/* Another master may have rerouted connectors meanwhile. */
	out->writeback_attached = false;
	out->flip_pending = false;
	out->vblank_queued = false;
	if (out->frame_parked)
		commit_parked(out);
	output_damage_whole(out->output);
}

void kms_output_writeback_idle(struct kms_output *out)
{
	if (out->frame_parked && out->backend->session->active && !kms_writeback_busy(out))
		commit_parked(out);
}

void kms_output_give_up_writeback(struct kms_output *out)
{
	/* Retrying would fail the same way; kms_output_readback() now sends
	 * captures to the rendered frames. Queued jobs fail: no commit takes
	 * them any more. The connector stays claimed: disable_crtc() may have
	 * to detach it. */
	out->writeback_off = true;
	kms_writeback_output_finish(out);
	kms_output_writeback_idle(out);
}

/* ---- back buffers ---- */

/* A buffer the renderer draws into in place (GL: a GBM buffer object), so
 * no pixel is copied; else a dumb buffer, which the pixman renderer writes
 * and GL reads its frames back into. */
static struct zc_buffer *create_back_buffer(struct kms_output *out, int32_t width,
	int32_t height, uint32_t format)
{
	struct zc_renderer *renderer = out->backend->base.server->renderer;
	struct zc_buffer *buf = out->dumb_only ? NULL :
		renderer_create_target(renderer, width, height, format);
	if (buf && kms_buffer_import_fb(out->dev, buf))
		return buf;
	if (buf) {
		zc_warn("kms: %s cannot scan out the renderer's buffers: using dumb buffers",
			out->dev->driver);
		buffer_drop(buf);
	}
	out->dumb_only = true;
	return kms_dumb_create(out->dev->fd, width, height, format);
}

static struct zc_buffer *kms_output_acquire_buffer(struct zc_output *output, int *age)
{
	struct kms_output *out = output->backend_data;
	struct zc_buffer *busy[] = { out->scanout, out->pending, output->front };
	struct zc_buffer *buf = swapchain_acquire(&out->chain, busy, ZC_ARRAY_LEN(busy), age);
	if (buf || out->chain.n_buffers == SWAPCHAIN_MAX_BUFFERS)
		return buf;
	/* Every buffer is busy (a flip still pending): triple buffering. */
	buf = create_back_buffer(out, output->width, output->height, output->render_format);
	if (!buf)
		return NULL;
	swapchain_add(&out->chain, buf);
	zc_debug("kms: output %s: buffer %d added", output->name, out->chain.n_buffers);
	*age = 0;
	return buf;
}

/* ---- life cycle ---- */

/* Turns the CRTC off, so that a new output can have it. */
static void disable_crtc(struct kms_output *out)
{
	struct kms_atomic atom;
	if (!kms_atomic_init(&atom))
		return;
	kms_atomic_add(&atom, out->connector_id, out->props.crtc_id, 0);
	kms_atomic_add(&atom, out->crtc->id, out->crtc->props.mode_id, 0);
	kms_atomic_add(&atom, out->crtc->id, out->crtc->props.active, 0);
	kms_atomic_add_plane_off(&atom, out->primary);
	kms_planes_add_off(out, &atom);
	kms_cursor_disable(out, &atom);
	if (out->writeback_attached)
		kms_atomic_add(&atom, out->writeback->id, out->writeback->props.crtc_id, 0);
	/* Blocking: the kernel waits for a flip still in flight first. */
	zc_debug("kms: switching CRTC %u off%s", out->crtc->id,
		out->flip_pending ? " (a flip is in flight)" : "");
	if (kms_device_commit(out->dev, &atom, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL) != 0)
		zc_debug("kms: disabling CRTC %u: %s", out->crtc->id, strerror(errno));
	else
		zc_debug("kms: CRTC %u off", out->crtc->id);
	kms_atomic_finish(&atom);
}

static void log_flip_stats(const struct kms_output *out)
{
	if (!out->flips || !out->output)
		return;
	zc_info("kms: output %s: %llu flips (%llu async, %llu async refused), mean flip "
		"completion %.3f ms after commit (%s), %d framebuffers alive, %llu failed commits",
		out->output->name, (unsigned long long)out->flips,
		(unsigned long long)out->async_flips, (unsigned long long)out->async_refused,
		(double)out->flip_ns_sum / (double)out->flips / 1e6,
		out->dev->has_vblank ? "vblank" : "no vblank, timer-paced",
		kms_dumb_fb_count() + kms_scanout_fb_count(),
		(unsigned long long)out->backend->failed_commits);
}

static void kms_output_free(struct kms_output *out)
{
	log_flip_stats(out);
	kms_writeback_output_finish(out);
	refresh_timer_finish(&out->timer);
	if (out->crtc && out->backend->session->active && out->scanout)
		disable_crtc(out);
	swapchain_finish(&out->chain);
	kms_cursor_finish(out);
	if (out->mode_blob)
		drmModeDestroyPropertyBlob(out->dev->fd, out->mode_blob);
	release_writeback(out);
	if (out->crtc)
		out->crtc->output = NULL;
	if (out->primary)
		out->primary->output = NULL;
	if (out->cursor)
		out->cursor->output = NULL;
	kms_planes_release(out);
	wl_list_remove(&out->link);
	free(out);
}

static void kms_output_impl_destroy(struct zc_output *output)
{
	kms_output_free(output->backend_data);
}

/* DPMS through the CRTC's ACTIVE property: off keeps the mode and the
 * planes, so lighting the display again is a modeset with the same state
 * (and a fresh frame). Blocking: a flip still in flight completes first. */
static void kms_output_set_power(struct zc_output *output, bool on)
{
	struct kms_output *out = output->backend_data;
	if (on) {
		out->needs_modeset = true;
		return;
	}
	struct kms_atomic atom;
	if (!out->backend->session->active || !kms_atomic_init(&atom))
		return;
	kms_atomic_add(&atom, out->crtc->id, out->crtc->props.active, 0);
	if (kms_device_commit(out->dev, &atom, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL) != 0)
		zc_warn("kms: output %s: cannot switch the display off: %s", output->name,
			strerror(errno));
	else
		zc_info("kms: output %s: CRTC %u ACTIVE=0 (display off)", output->name,
			out->crtc->id);
	kms_atomic_finish(&atom);
}

static const struct zc_output_impl kms_output_impl = {
	.set_power = kms_output_set_power,
	.acquire_buffer = kms_output_acquire_buffer,
	.commit = kms_output_commit,
	.test_frame = kms_output_test_frame,
	.set_layers = kms_output_set_layers,
	.plane_formats = kms_output_plane_formats,
	.set_cursor = kms_output_set_cursor,
	.readback = kms_output_readback,
	.cancel_readback = kms_output_cancel_readback,
	.destroy = kms_output_impl_destroy,
};

static struct kms_writeback_connector *pick_writeback(struct kms_device *dev,
	const struct kms_crtc *crtc)
{
	for (int i = 0; i < dev->n_writebacks; i++) {
		struct kms_writeback_connector *wb = &dev->writebacks[i];
		if (!wb->output && (wb->possible_crtcs & (1u << crtc->index)))
			return wb;
	}
	return NULL;
}

/* Claims CRTC and planes; they go back in kms_output_free. */
static bool claim_resources(struct kms_output *out, const drmModeConnector *conn)
{
	struct kms_device *dev = out->dev;
	out->crtc = kms_pick_crtc(dev, conn);
	if (!out->crtc) {
		zc_warn("kms: connector %u: no free CRTC", conn->connector_id);
		return false;
	}
	out->crtc->output = out;
	out->primary = kms_pick_plane(dev, out->crtc, DRM_PLANE_TYPE_PRIMARY);
	if (!out->primary) {
		zc_err("kms: CRTC %u has no primary plane", out->crtc->id);
		return false;
	}
	out->primary->output = out;
	out->cursor = kms_pick_plane(dev, out->crtc, DRM_PLANE_TYPE_CURSOR);
	if (out->cursor)
		out->cursor->output = out;
	kms_planes_claim(out);
	out->writeback = pick_writeback(dev, out->crtc);
	if (out->writeback)
		out->writeback->output = out;
	return true;
}

static bool kms_output_init(struct kms_output *out, const drmModeConnector *conn)
{
	int fd = out->dev->fd;
	out->props.crtc_id = kms_prop_id(fd, conn->connector_id, DRM_MODE_OBJECT_CONNECTOR,
		"CRTC_ID");
	if (!out->props.crtc_id || !claim_resources(out, conn))
		return false;
	if (drmModeCreatePropertyBlob(fd, &out->mode, sizeof(out->mode), &out->mode_blob) != 0)
		return false;
	for (int i = 0; i < 2; i++) {
		struct zc_buffer *buf = create_back_buffer(out, out->mode.hdisplay,
			out->mode.vdisplay, DRM_FORMAT_XRGB8888);
		if (!buf)
			return false;
		swapchain_add(&out->chain, buf);
	}
	return refresh_timer_init(&out->timer, out->backend->base.server->loop,
		handle_kms_output_timer, out);
}

static struct zc_output *register_output(struct kms_output *out, const drmModeConnector *conn)
{
	char name[64], description[256];
	char *make = NULL, *model = NULL;
	const char *type = drmModeGetConnectorTypeName(conn->connector_type);
	snprintf(name, sizeof(name), "%s-%u", type ? type : "Unknown", conn->connector_type_id);
	read_edid(out->dev->fd, conn->connector_id, &make, &model);
	snprintf(description, sizeof(description), "%s %s (%s on %s)", make ? make : "Unknown",
		model ? model : "display", name, out->dev->driver);
	struct zc_output_config config = {
		.name = name,
		.description = description,
		.make = make ? make : "Unknown",
		.model = model ? model : name,
		.width = out->mode.hdisplay,
		.height = out->mode.vdisplay,
		.refresh_mhz = kms_mode_refresh_mhz(&out->mode),
		.phys_width_mm = (int32_t)conn->mmWidth,
		.phys_height_mm = (int32_t)conn->mmHeight,
		.render_format = DRM_FORMAT_XRGB8888,
	};
	struct zc_output *output =
		output_create(out->backend->base.server, &kms_output_impl, &config, out);
	free(make);
	free(model);
	return output;
}

bool kms_output_create(struct kms_backend *backend, const drmModeConnector *conn)
{
	struct kms_output *out = calloc(1, sizeof(*out));
	if (!out)
		return false;
	out->backend = backend;
	out->dev = backend->device;
	out->connector_id = conn->connector_id;
	out->timer.fd = -1;
	out->needs_modeset = true;
	/* The path before GL rendered into scanout buffers, kept for
	 * comparisons (tests/vm/guest/76-gl-bench.sh): GL reads its frames back. */
	out->dumb_only = getenv("ZC_KMS_DUMB_BUFFERS") != NULL;
	bool generated = false;
	wl_list_init(&out->writeback_jobs);
	wl_list_insert(backend->outputs.prev, &out->link);
	bool ok = kms_pick_mode(conn, backend->base.server->options, &out->mode, &generated) &&
		kms_output_init(out, conn);
	/* A mode the connector does not list is only as good as the driver's word. */
	if (ok && generated && !kms_output_test_buffer(out, out->chain.buffers[0])) {
		zc_err("kms: TEST_ONLY: %s", strerror(errno));
		ok = false;
	}
	if (!ok) {
		if (generated) {
			zc_err("kms: connector %u: the driver refuses the CVT mode %s",
				conn->connector_id, out->mode.name);
			kms_log_modes(conn);
		}
		zc_err("kms: cannot set up connector %u", conn->connector_id);
		kms_output_free(out);
		return false;
	}
	/* From here on the output's destroy hook frees out. */
	out->output = register_output(out, conn);
	return out->output != NULL;
}

void kms_output_destroy(struct kms_output *out)
{
	output_destroy(out->output);
}

struct kms_output *kms_output_by_connector(struct kms_backend *backend, uint32_t id)
{
	struct kms_output *out;
	wl_list_for_each(out, &backend->outputs, link) {
		if (out->connector_id == id)
			return out;
	}
	return NULL;
}

bool kms_output_test_buffer(struct kms_output *out, struct zc_buffer *buffer)
{
	struct kms_atomic atom;
	if (!build_request(out, buffer, &atom))
		return false;
	uint32_t flags = DRM_MODE_ATOMIC_TEST_ONLY |
		(out->needs_modeset ? DRM_MODE_ATOMIC_ALLOW_MODESET : 0);
	int ret = kms_device_commit(out->dev, &atom, flags, NULL);
	kms_atomic_finish(&atom);
	return ret == 0;
}
