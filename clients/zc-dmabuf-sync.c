/* zc-dmabuf --sync=explicit: a frame held behind an acquire point (and,
 * with --sync-hold-queue, a ready one queued behind it), the timelines
 * destroyed while it is held, and the checks of release points against
 * presentation. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "linux-drm-syncobj-v1-client-protocol.h"
#include "zc-dmabuf.h"

/* --sync-destroy: every timeline object and the syncobj surface go while a
 * commit is held; the syncobjs themselves stay the client's. */
static void sync_destroy_objects(struct app *app)
{
	dmabuf_sync_timeline_forget(&app->sync.acquire);
	for (int i = 0; i < MAX_BUFFERS; i++)
		dmabuf_sync_timeline_forget(&app->slots[i].rel.timeline);
	wp_linux_drm_syncobj_surface_v1_destroy(app->sync.surface);
	app->sync.surface = NULL;
	printf("sync-hold: timelines and syncobj surface destroyed while held\n");
}

/* Dispatches until deadline_ns; true if neither the frame callback nor the
 * feedback of frame came meanwhile. */
static bool sync_wait_quiet(struct app *app, long frame, int64_t deadline_ns)
{
	int64_t now, file_deadline = deadline_ns + (int64_t)HOLD_FILE_MAX_S * 1000000000;
	while ((now = zcc_now_nsec(CLOCK_MONOTONIC)) < deadline_ns && !stop_requested)
		app_dispatch(app, (int)((deadline_ns - now) / 1000000) + 1);
	while (app->opt.sync_hold_file && access(app->opt.sync_hold_file, F_OK) != 0 &&
	       zcc_now_nsec(CLOCK_MONOTONIC) < file_deadline && !stop_requested)
		app_dispatch(app, 20);
	struct frame_record *rec = record_of(app, frame);
	struct frame_record *queued = record_of(app, app->queued_frame);
	return !app->frame_done && !(rec && rec->present_ns) && !(queued && queued->present_ns);
}

/* A ready frame right behind the held one, which it must wait for. */
static bool sync_queue_next(struct app *app, long frame)
{
	struct slot *slot = slot_acquire(app);
	if (!slot || (!slot->wl_buffer && !slot_create(app, slot)) ||
	    !dmabuf_write_pattern(&slot->alloc, &app->client.layout, (uint32_t)frame) ||
	    !dmabuf_sync_timeline_create(&app->sync, &app->queue_timeline))
		return false;
	struct dmabuf_sync_timeline held = app->sync.acquire;
	uint64_t held_point = app->sync.acquire_point;
	app->sync.acquire = app->queue_timeline;
	app->sync.acquire_point = 0;
	bool ok = submit_frame(app, slot, frame, true);
	app->sync.acquire = held;
	app->sync.acquire_point = held_point;
	app->queued_frame = frame;
	return ok;
}

/* The frame goes out behind an acquire point nobody signalled: zcomp must
 * keep showing the frame before, keep answering (the capture), send neither
 * its frame callback nor its feedback, and show it once the point signals.
 * On vgem buffers the point carries vgem's fence, else the CPU signals it. */
bool sync_hold(struct app *app, struct slot *slot, long frame)
{
	struct vgem_fence_attach attach = { .handle = slot->alloc.handle,
		.flags = VGEM_FENCE_WRITE };
	bool vgem = app->opt.buf.source == DMABUF_SOURCE_DUMB &&
		ioctl(app->card_fd, VGEM_IOCTL_FENCE_ATTACH, &attach) == 0;
	if (!submit_frame(app, slot, frame, false) ||
	    (vgem && !dmabuf_sync_acquire_from_dmabuf(&app->sync, slot->alloc.fd)))
		return false;
	wl_display_flush(app->client.display);
	int64_t t0 = zcc_now_nsec(CLOCK_MONOTONIC);
	printf("sync-hold: frame %ld committed behind an unsignalled acquire point (%s)\n", frame,
		vgem ? "vgem fence" : "signalled from the CPU");
	fflush(stdout);
	if (app->opt.sync_hold_queue && !sync_queue_next(app, frame + 1))
		return false;
	int64_t shown = capture_frame_number(app);
	int64_t capture_ms = (zcc_now_nsec(CLOCK_MONOTONIC) - t0) / 1000000;
	if (app->opt.sync_destroy)
		sync_destroy_objects(app);
	bool quiet = sync_wait_quiet(app, frame, t0 + (int64_t)app->opt.sync_hold_ms * 1000000);
	app->hold_frame = frame;
	app->hold_signalled_ns = zcc_now_nsec(CLOCK_MONOTONIC);
	struct vgem_fence_signal sig = { .fence = attach.out_fence };
	bool signalled = vgem ? ioctl(app->card_fd, VGEM_IOCTL_FENCE_SIGNAL, &sig) == 0 :
		dmabuf_sync_signal_acquire(&app->sync);
	bool ok = shown == frame - 1 && capture_ms < app->opt.sync_hold_ms && quiet && signalled;
	printf("sync-hold: while held frame %lld shown (want %ld), capture answered in %lld ms, "
	       "no frame callback or feedback: %s (hold %d ms): %s\n", (long long)shown,
		frame - 1, (long long)capture_ms, quiet ? "yes" : "no", app->opt.sync_hold_ms,
		ok ? "ok" : "FAIL");
	return ok;
}

long sync_hold_frame(const struct app *app)
{
	if (!app->opt.sync_hold_ms)
		return -1;
	return app->opt.sync_destroy ? app->opt.frames - 1 : 1;
}

/* A frame held (or queued behind the held one) is presented only after the
 * point signalled; the held one may instead be discarded, replaced at once
 * by the queued one. */
static bool verify_hold(struct app *app, long frame, int64_t present_ns, const char *what)
{
	bool discarded_ok = present_ns == 0 && frame == app->hold_frame && app->queued_frame >= 0;
	bool ok = discarded_ok || (present_ns && present_ns >= app->hold_signalled_ns);
	if (discarded_ok)
		printf("sync-hold: frame %ld not presented (replaced by the one queued behind it): ok\n",
			frame);
	else
		printf("sync-hold: frame %ld%s presented %.1f ms after the acquire point signalled: %s\n",
			frame, what, (double)(present_ns - app->hold_signalled_ns) / 1e6,
			ok ? "ok" : "FAIL");
	return ok;
}

/* Release points against presentation: in the order the shown buffers were
 * replaced, none before its own frame was presented, a scanned-out buffer
 * not before the frame that replaced it was
 * presented (the flip completed), the held frame not presented before its
 * acquire point signalled. */
bool verify_sync(struct app *app)
{
	long released = 0, disorder = 0, early = 0, scanned = 0, unshown = 0;
	int64_t last = 0;
	long n = app->n_records < (long)app->submitted ? app->n_records : (long)app->submitted;
	for (long k = 0; k < n; k++) {
		const struct frame_record *r = &app->records[k];
		if (!r->release_ns)
			continue;
		released++;
		/* A frame replaced before it was shown may be released before the
		 * one still on screen (the protocol allows any order). */
		/* Presented together with the next frame: replaced in the same
		 * repaint (a subsurface's frames report the window's feedback). */
		bool shown = r->present_ns &&
			!(k + 1 < n && app->records[k + 1].present_ns == r->present_ns);
		if (shown) {
			disorder += r->release_ns < last;
			last = r->release_ns;
			/* This client commits a frame only after the previous one's
			 * frame callback, sent when it was presented: a buffer
			 * released earlier was released before zcomp showed it. */
			unshown += r->release_ns < r->present_ns;
		}
		for (long j = k + 1; r->zero_copy && j < n; j++) {
			if (!app->records[j].present_ns)
				continue;
			scanned++;
			early += r->release_ns < app->records[j].present_ns;
			break;
		}
	}
	bool ok = disorder == 0 && early == 0 && unshown == 0;
	printf("sync: %ld release points signalled for %u frames, %ld shown ones out of order, "
	       "%ld before they were presented; %ld of %ld scanned-out buffers released before the "
	       "next frame was presented: %s\n", released, app->submitted, disorder, unshown, early,
		scanned, ok ? "ok" : "FAIL");
	const struct frame_record *h = record_of(app, app->hold_frame);
	if (h)
		ok = verify_hold(app, app->hold_frame, h->present_ns, "") && ok;
	const struct frame_record *q = record_of(app, app->queued_frame);
	if (q)
		ok = verify_hold(app, app->queued_frame, q->present_ns, " (queued behind it)") && ok;
	return ok;
}

/* After the surface went: zcomp signals every release point, also that
 * of the buffer it was showing. */
bool verify_all_released(struct app *app)
{
	wl_display_roundtrip(app->client.display);
	int pending = 0, late = 0;
	for (int i = 0; i < MAX_BUFFERS; i++) {
		struct dmabuf_sync_release *rel = &app->slots[i].rel;
		if (!rel->timeline.handle || !rel->point)
			continue;
		pending++;
		late += !dmabuf_sync_wait(&app->sync, rel->timeline.handle, rel->point, TIMEOUT_MS);
	}
	printf("sync: %d of %d buffers' last release points unsignalled %d ms after the surface "
	       "went: %s\n", late, pending, TIMEOUT_MS, late ? "FAIL" : "ok");
	return late == 0;
}

bool sync_start(struct app *app)
{
	if (!dmabuf_sync_init(&app->sync, app->client.display, app->opt.sync_device))
		return false;
	app->sync.surface = wp_linux_drm_syncobj_manager_v1_get_surface(app->sync.manager,
		content_surface(app));
	app->n_records = app->opt.frames;
	app->records = calloc((size_t)app->n_records + 1, sizeof(*app->records));
	return app->records != NULL;
}
