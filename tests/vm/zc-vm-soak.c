/*
 * zc-vm-soak: one client of the soak test (guest test 97). For a given time it
 * does random things with a fixed seed: windows come and go, frames are committed
 * in wl_shm, udmabuf or vgem buffers (fresh or reused, paced by frame callbacks or
 * not), subsurfaces come and go (synchronized or not), buffers are destroyed while
 * still attached, the output is captured, and now and then a second connection
 * provokes a protocol error on purpose. Every commit with a buffer asks for
 * presentation feedback.
 *
 * Exits 0 only if its own connection never got a protocol error, every feedback was
 * answered (presented or discarded) once all surfaces were gone, some frames were
 * presented, each provoked error was the expected one and every capture was ready.
 */
#include <drm_fourcc.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmabuf-client.h"
#include "presentation-time-client-protocol.h"
#include "xdg-shell-client-protocol.h"

#define MAX_WINDOWS 4
#define MAX_FREE_BUFFERS 4
#define FEEDBACK_WAIT_MS 15000

enum source { SRC_SHM, SRC_UDMABUF, SRC_VGEM, SRC_COUNT };
static const char *const source_names[SRC_COUNT] = { "shm", "udmabuf", "vgem" };

struct soak_buffer {
	struct wl_list link; /* soak.buffers */
	enum source source;
	struct wl_buffer *wl_buffer;
	struct zcc_buffer *shm;    /* SRC_SHM */
	struct dmabuf_alloc alloc; /* dma-buf sources */
	int32_t width, height;
	bool busy;
	struct wl_surface *surface; /* the last one it was attached to */
};

struct soak_surface {
	struct wl_surface *surface;
	struct wl_callback *frame; /* pending frame callback */
};

struct soak_window {
	struct zcc_window win;
	struct soak_surface main;
	struct soak_surface child; /* subsurface; surface NULL when none */
	struct wl_subsurface *subsurface;
};

struct soak_stats {
	uint64_t actions, windows, subsurfaces, commits, buffers[SRC_COUNT];
	uint64_t reused, destroyed_busy, captures, capture_failures;
	uint64_t provoked, provoked_wrong;
	uint64_t feedback, presented, discarded;
};

struct soak {
	struct dmabuf_client dc;
	struct dmabuf_client_options opt;
	bool sources[SRC_COUNT];
	int vgem_fd;
	uint64_t rng;
	struct soak_window *windows[MAX_WINDOWS];
	struct wl_list buffers;
	struct soak_stats st;
	const char *name;
};

/* ---- seeded randomness (splitmix64) ---- */

static uint64_t rnd(struct soak *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int rnd_below(struct soak *s, int n)
{
	return (int)(rnd(s) % (uint64_t)n);
}

static bool chance(struct soak *s, int percent)
{
	return rnd_below(s, 100) < percent;
}

/* ---- presentation feedback: counted, never tied to a surface's lifetime ---- */

static void feedback_done(struct soak *s, struct wp_presentation_feedback *fb, bool shown)
{
	if (shown)
		s->st.presented++;
	else
		s->st.discarded++;
	wp_presentation_feedback_destroy(fb);
}

static void handle_feedback_sync_output(void *data, struct wp_presentation_feedback *fb,
	struct wl_output *output)
{
}

static void handle_feedback_presented(void *data, struct wp_presentation_feedback *fb,
	uint32_t tv_sec_hi, uint32_t tv_sec_lo, uint32_t tv_nsec, uint32_t refresh,
	uint32_t seq_hi, uint32_t seq_lo, uint32_t flags)
{
	feedback_done(data, fb, true);
}

static void handle_feedback_discarded(void *data, struct wp_presentation_feedback *fb)
{
	feedback_done(data, fb, false);
}

static const struct wp_presentation_feedback_listener feedback_listener = {
	.sync_output = handle_feedback_sync_output,
	.presented = handle_feedback_presented,
	.discarded = handle_feedback_discarded,
};

/* ---- buffers ---- */

static void handle_dmabuf_release(void *data, struct wl_buffer *wl_buffer)
{
	((struct soak_buffer *)data)->busy = false;
}

static const struct wl_buffer_listener dmabuf_buffer_listener = {
	.release = handle_dmabuf_release,
};

static bool buffer_busy(const struct soak_buffer *b)
{
	return b->source == SRC_SHM ? b->shm->busy : b->busy;
}

static void buffer_set_busy(struct soak_buffer *b)
{
	if (b->source == SRC_SHM)
		b->shm->busy = true;
	else
		b->busy = true;
}

static void buffer_destroy(struct soak_buffer *b)
{
	wl_list_remove(&b->link);
	if (b->source == SRC_SHM) {
		zcc_buffer_destroy(b->shm);
	} else {
		wl_buffer_destroy(b->wl_buffer);
		dmabuf_alloc_destroy(&b->alloc);
	}
	free(b);
}

static bool buffer_fill_dmabuf(struct soak *s, struct soak_buffer *b, uint32_t format)
{
	struct dmabuf_layout *l = &s->dc.layout;
	int card = b->source == SRC_VGEM ? s->vgem_fd : -1;
	enum dmabuf_source src = b->source == SRC_VGEM ? DMABUF_SOURCE_DUMB : DMABUF_SOURCE_UDMABUF;
	if (!dmabuf_layout_init(l, format, b->width, b->height, 0, 0) ||
	    !dmabuf_alloc_create_image(&b->alloc, src, card, l))
		return false;
	s->opt.immed = chance(s, 50);
	if (!dmabuf_write_pattern(&b->alloc, l, (uint32_t)s->st.commits))
		return false;
	b->wl_buffer = dmabuf_client_create_buffer(&s->dc, &s->opt, &b->alloc);
	if (!b->wl_buffer)
		return false;
	wl_buffer_add_listener(b->wl_buffer, &dmabuf_buffer_listener, b);
	return true;
}

static bool buffer_fill_shm(struct soak *s, struct soak_buffer *b)
{
	uint32_t format = chance(s, 50) ? WL_SHM_FORMAT_XRGB8888 : WL_SHM_FORMAT_ARGB8888;
	b->shm = zcc_buffer_create(s->dc.globals.shm, b->width, b->height, format);
	if (!b->shm)
		return false;
	zcc_pattern_fill(b->shm->data, b->shm->stride, b->width, b->height, format,
		(uint32_t)s->st.commits);
	b->wl_buffer = b->shm->wl_buffer;
	return true;
}

static enum source pick_source(struct soak *s)
{
	for (;;) {
		enum source src = (enum source)rnd_below(s, SRC_COUNT);
		if (s->sources[src])
			return src;
	}
}

/* A new buffer of random source, format and (even) size; NULL on failure. */
static struct soak_buffer *buffer_create(struct soak *s)
{
	static const uint32_t dmabuf_formats[] = {
		DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888, DRM_FORMAT_NV12,
	};
	struct soak_buffer *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->alloc.fd = -1;
	b->source = pick_source(s);
	b->width = 16 + 2 * rnd_below(s, 120);
	b->height = 16 + 2 * rnd_below(s, 120);
	bool ok = b->source == SRC_SHM ? buffer_fill_shm(s, b) :
		buffer_fill_dmabuf(s, b, dmabuf_formats[rnd_below(s, 3)]);
	if (!ok) {
		fprintf(stderr, "%s: cannot make a %s buffer\n", s->name,
			source_names[b->source]);
		if (b->alloc.fd >= 0)
			dmabuf_alloc_destroy(&b->alloc);
		free(b);
		return NULL;
	}
	s->st.buffers[b->source]++;
	wl_list_insert(&s->buffers, &b->link);
	return b;
}

/* A released buffer again (zcomp's import caches see it twice), or a new one. */
static struct soak_buffer *buffer_get(struct soak *s)
{
	struct soak_buffer *b;
	if (chance(s, 40)) {
		wl_list_for_each(b, &s->buffers, link) {
			if (!buffer_busy(b)) {
				s->st.reused++;
				return b;
			}
		}
	}
	return buffer_create(s);
}

/* Keeps a few released buffers for reuse; destroys the others. */
static void buffers_trim(struct soak *s)
{
	struct soak_buffer *b, *tmp;
	int kept = 0;
	wl_list_for_each_safe(b, tmp, &s->buffers, link) {
		if (buffer_busy(b))
			continue;
		if (kept++ >= MAX_FREE_BUFFERS)
			buffer_destroy(b);
	}
}

/* A surface goes away: whatever it still holds is destroyed with it. */
static void buffers_forget_surface(struct soak *s, struct wl_surface *surface)
{
	struct soak_buffer *b, *tmp;
	wl_list_for_each_safe(b, tmp, &s->buffers, link) {
		if (b->surface == surface && buffer_busy(b))
			buffer_destroy(b);
	}
}

/* ---- surfaces ---- */

static void handle_frame_done(void *data, struct wl_callback *cb, uint32_t time)
{
	struct soak_surface *ss = data;
	wl_callback_destroy(cb);
	ss->frame = NULL;
}

static const struct wl_callback_listener frame_listener = {
	.done = handle_frame_done,
};

/* Attaches a buffer with feedback and a frame callback, and commits. */
static bool surface_frame(struct soak *s, struct soak_surface *ss)
{
	struct soak_buffer *b = buffer_get(s);
	if (!b)
		return false;
	wl_surface_attach(ss->surface, b->wl_buffer, 0, 0);
	wl_surface_damage_buffer(ss->surface, 0, 0, b->width, b->height);
	buffer_set_busy(b);
	b->surface = ss->surface;
	struct wp_presentation_feedback *fb =
		wp_presentation_feedback(s->dc.globals.presentation, ss->surface);
	wp_presentation_feedback_add_listener(fb, &feedback_listener, s);
	s->st.feedback++;
	if (!ss->frame) {
		ss->frame = wl_surface_frame(ss->surface);
		wl_callback_add_listener(ss->frame, &frame_listener, ss);
	}
	wl_surface_commit(ss->surface);
	s->st.commits++;
	return true;
}

static void surface_finish(struct soak *s, struct soak_surface *ss)
{
	if (ss->frame)
		wl_callback_destroy(ss->frame);
	buffers_forget_surface(s, ss->surface);
	*ss = (struct soak_surface){ 0 };
}

/* ---- windows and subsurfaces ---- */

static void child_remove(struct soak *s, struct soak_window *w)
{
	if (!w->child.surface)
		return;
	wl_subsurface_destroy(w->subsurface);
	wl_surface_destroy(w->child.surface);
	w->subsurface = NULL;
	surface_finish(s, &w->child);
}

static bool child_add(struct soak *s, struct soak_window *w)
{
	struct zcc_globals *g = &s->dc.globals;
	w->child.surface = wl_compositor_create_surface(g->compositor);
	w->subsurface = wl_subcompositor_get_subsurface(g->subcompositor, w->child.surface,
		w->main.surface);
	wl_subsurface_set_position(w->subsurface, rnd_below(s, 200) - 60, rnd_below(s, 200) - 60);
	if (chance(s, 50))
		wl_subsurface_set_desync(w->subsurface);
	s->st.subsurfaces++;
	/* The parent's commit applies the position (and a synchronized child's frame). */
	return surface_frame(s, &w->child) && surface_frame(s, &w->main);
}

static void window_destroy(struct soak *s, int i)
{
	struct soak_window *w = s->windows[i];
	child_remove(s, w);
	struct wl_surface *surface = w->main.surface;
	if (w->main.frame)
		wl_callback_destroy(w->main.frame);
	zcc_window_finish(&w->win);
	buffers_forget_surface(s, surface);
	free(w);
	s->windows[i] = NULL;
}

static bool window_create(struct soak *s, int i)
{
	struct soak_window *w = calloc(1, sizeof(*w));
	if (!w)
		return false;
	char title[64];
	snprintf(title, sizeof(title), "%s-%d", s->name, i);
	zcc_window_init(&w->win, &s->dc.globals, title, false, NULL);
	w->main.surface = w->win.surface;
	s->windows[i] = w;
	s->st.windows++;
	return true;
}

/* ---- the things a step may do ---- */

static int pick_window(struct soak *s, bool present)
{
	int start = rnd_below(s, MAX_WINDOWS);
	for (int k = 0; k < MAX_WINDOWS; k++) {
		int i = (start + k) % MAX_WINDOWS;
		if ((s->windows[i] != NULL) == present)
			return i;
	}
	return -1;
}

/* Paced by the frame callback mostly; sometimes a frame replaces a pending one. */
static bool frame_allowed(struct soak *s, const struct soak_surface *ss)
{
	return !ss->frame || chance(s, 20);
}

static bool step_frame(struct soak *s, bool child)
{
	int i = pick_window(s, true);
	if (i < 0 || !s->windows[i]->win.configured)
		return true;
	struct soak_window *w = s->windows[i];
	struct soak_surface *ss = child ? &w->child : &w->main;
	if (!ss->surface || !frame_allowed(s, ss))
		return true;
	return surface_frame(s, ss);
}

static bool step_subsurface(struct soak *s)
{
	int i = pick_window(s, true);
	if (i < 0 || !s->windows[i]->win.configured)
		return true;
	struct soak_window *w = s->windows[i];
	if (w->child.surface) {
		child_remove(s, w);
		return chance(s, 50) || surface_frame(s, &w->main);
	}
	return child_add(s, w);
}

static bool step_destroy_busy_buffer(struct soak *s)
{
	struct soak_buffer *b;
	wl_list_for_each(b, &s->buffers, link) {
		if (buffer_busy(b)) {
			s->st.destroyed_busy++;
			buffer_destroy(b);
			return true;
		}
	}
	return true;
}

static bool step_capture(struct soak *s)
{
	struct zcc_globals *g = &s->dc.globals;
	struct zcc_image image;
	char err[256];
	if (g->n_outputs == 0 || !g->outputs[0].wl_output)
		return true;
	s->st.captures++;
	if (zcc_capture_output(s->dc.display, g, g->outputs[0].wl_output, &image, err,
		    sizeof(err))) {
		zcc_image_finish(&image);
		return true;
	}
	s->st.capture_failures++;
	fprintf(stderr, "%s: capture failed: %s\n", s->name, err);
	return wl_display_get_error(s->dc.display) == 0;
}

/* ---- a protocol error on purpose, on a connection of its own ---- */

struct provoke {
	struct wl_compositor *compositor;
	struct wl_subcompositor *subcompositor;
};

static void handle_provoke_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct provoke *p = data;
	if (strcmp(interface, wl_compositor_interface.name) == 0)
		p->compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 1);
	else if (strcmp(interface, wl_subcompositor_interface.name) == 0)
		p->subcompositor = wl_registry_bind(registry, name, &wl_subcompositor_interface, 1);
}

static void handle_provoke_global_remove(void *data, struct wl_registry *registry,
	uint32_t name)
{
}

static const struct wl_registry_listener provoke_registry_listener = {
	.global = handle_provoke_global,
	.global_remove = handle_provoke_global_remove,
};

/* A surface made its own subsurface's parent: wl_subcompositor.bad_parent. */
static bool step_provoke(struct soak *s)
{
	struct provoke p = { 0 };
	struct wl_display *d = wl_display_connect(NULL);
	if (!d) {
		fprintf(stderr, "%s: second connection refused\n", s->name);
		return false;
	}
	struct wl_registry *registry = wl_display_get_registry(d);
	wl_registry_add_listener(registry, &provoke_registry_listener, &p);
	bool ok = wl_display_roundtrip(d) >= 0 && p.compositor && p.subcompositor;
	if (ok) {
		struct wl_surface *surface = wl_compositor_create_surface(p.compositor);
		wl_subcompositor_get_subsurface(p.subcompositor, surface, surface);
		wl_display_roundtrip(d);
		const struct wl_interface *iface = NULL;
		uint32_t code = wl_display_get_protocol_error(d, &iface, NULL);
		ok = wl_display_get_error(d) == EPROTO && iface == &wl_subcompositor_interface &&
			code == WL_SUBCOMPOSITOR_ERROR_BAD_PARENT;
		if (!ok)
			fprintf(stderr, "%s: provoked bad_parent, got error %d (%s code %u)\n",
				s->name, wl_display_get_error(d), iface ? iface->name : "none", code);
	}
	s->st.provoked++;
	s->st.provoked_wrong += !ok;
	wl_display_disconnect(d);
	return true;
}

/* One random step; false on a failure that ends the run. */
static bool step(struct soak *s)
{
	int r = rnd_below(s, 100);
	s->st.actions++;
	if (r < 35)
		return step_frame(s, false);
	if (r < 50)
		return step_frame(s, true);
	if (r < 58) {
		int i = pick_window(s, false);
		return i < 0 || window_create(s, i);
	}
	if (r < 64) {
		int i = pick_window(s, true);
		if (i >= 0)
			window_destroy(s, i);
		return true;
	}
	if (r < 75)
		return step_subsurface(s);
	if (r < 79)
		return step_destroy_busy_buffer(s);
	if (r < 81)
		return step_capture(s);
	if (r < 82)
		return step_provoke(s);
	return true; /* idle: only dispatch */
}

/* ---- the run ---- */

static bool connection_ok(struct soak *s)
{
	int err = wl_display_get_error(s->dc.display);
	if (err == 0)
		return true;
	const struct wl_interface *iface = NULL;
	uint32_t id = 0;
	uint32_t code = wl_display_get_protocol_error(s->dc.display, &iface, &id);
	if (err == EPROTO)
		fprintf(stderr, "%s: UNPROVOKED protocol error: %s@%u code %u\n", s->name,
			iface ? iface->name : "?", id, code);
	else
		fprintf(stderr, "%s: connection error: %s\n", s->name, strerror(err));
	return false;
}

static bool run(struct soak *s, double seconds)
{
	int64_t end = zcc_now_nsec(CLOCK_MONOTONIC) + (int64_t)(seconds * 1e9);
	while (zcc_now_nsec(CLOCK_MONOTONIC) < end) {
		if (zcc_dispatch_timeout(s->dc.display, rnd_below(s, 20)) < 0 || !connection_ok(s))
			return false;
		buffers_trim(s);
		if (!step(s))
			return false;
		if (wl_display_flush(s->dc.display) < 0 && errno != EAGAIN)
			return connection_ok(s);
	}
	return connection_ok(s);
}

static uint64_t feedback_pending(const struct soak *s)
{
	return s->st.feedback - s->st.presented - s->st.discarded;
}

/* Waits until every feedback is answered or the time is up. */
static void wait_feedback(struct soak *s, int timeout_ms)
{
	int64_t end = zcc_now_nsec(CLOCK_MONOTONIC) + (int64_t)timeout_ms * 1000000;
	while (feedback_pending(s) && zcc_now_nsec(CLOCK_MONOTONIC) < end) {
		if (zcc_dispatch_timeout(s->dc.display, 100) < 0)
			return;
	}
}

static void teardown(struct soak *s)
{
	for (int i = 0; i < MAX_WINDOWS; i++) {
		if (s->windows[i])
			window_destroy(s, i);
	}
	wl_display_roundtrip(s->dc.display);
	struct soak_buffer *b, *tmp;
	wl_list_for_each_safe(b, tmp, &s->buffers, link)
		buffer_destroy(b);
}

static void print_stats(const struct soak *s, uint64_t seed)
{
	const struct soak_stats *t = &s->st;
	printf("%s: seed %llu: %llu steps, %llu windows, %llu subsurfaces, %llu commits; "
		"buffers: %llu shm, %llu udmabuf, %llu vgem, %llu reused, %llu destroyed busy; "
		"%llu captures (%llu failed); %llu provoked errors (%llu wrong); feedback %llu: "
		"%llu presented, %llu discarded, %llu unanswered\n", s->name,
		(unsigned long long)seed, (unsigned long long)t->actions,
		(unsigned long long)t->windows, (unsigned long long)t->subsurfaces,
		(unsigned long long)t->commits, (unsigned long long)t->buffers[SRC_SHM],
		(unsigned long long)t->buffers[SRC_UDMABUF], (unsigned long long)t->buffers[SRC_VGEM],
		(unsigned long long)t->reused, (unsigned long long)t->destroyed_busy,
		(unsigned long long)t->captures, (unsigned long long)t->capture_failures,
		(unsigned long long)t->provoked, (unsigned long long)t->provoked_wrong,
		(unsigned long long)t->feedback, (unsigned long long)t->presented,
		(unsigned long long)t->discarded, (unsigned long long)feedback_pending(s));
}

static bool parse_sources(struct soak *s, const char *list)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		int k = 0;
		while (k < SRC_COUNT && strcmp(tok, source_names[k]) != 0)
			k++;
		if (k == SRC_COUNT)
			return false;
		s->sources[k] = true;
	}
	return s->sources[SRC_SHM] || s->sources[SRC_UDMABUF] || s->sources[SRC_VGEM];
}

static void usage(void)
{
	fprintf(stderr, "usage: zc-vm-soak [--seed=N] [--seconds=S] [--name=NAME] "
		"[--sources=shm,udmabuf,vgem]\n");
}

static bool connect_soak(struct soak *s)
{
	s->opt = (struct dmabuf_client_options){ .source = DMABUF_SOURCE_UDMABUF,
		.format = DRM_FORMAT_XRGB8888, .width = 64, .height = 64 };
	s->vgem_fd = -1;
	if (s->sources[SRC_VGEM] && (s->vgem_fd = dmabuf_open_card("vgem")) < 0)
		return false;
	if (!dmabuf_client_connect(&s->dc, &s->opt))
		return false;
	if (!s->dc.globals.presentation || !s->dc.globals.subcompositor) {
		fprintf(stderr, "%s: no wp_presentation or wl_subcompositor\n", s->name);
		return false;
	}
	return true;
}

static bool verdict(const struct soak *s, bool ran)
{
	const struct soak_stats *t = &s->st;
	bool ok = ran;
	if (feedback_pending(s)) {
		fprintf(stderr, "%s: FAIL: %llu feedbacks neither presented nor discarded\n",
			s->name, (unsigned long long)feedback_pending(s));
		ok = false;
	}
	if (t->presented == 0) {
		fprintf(stderr, "%s: FAIL: no frame was presented\n", s->name);
		ok = false;
	}
	if (t->capture_failures || t->provoked_wrong) {
		fprintf(stderr, "%s: FAIL: captures or provoked errors went wrong\n", s->name);
		ok = false;
	}
	return ok;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 'S' },
		{ "seconds", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "sources", required_argument, NULL, 's' },
		{ 0 },
	};
	struct soak s = { .name = "soak" };
	uint64_t seed = 16;
	double seconds = 10;
	bool sources_ok = parse_sources(&s, "shm");
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'S': seed = strtoull(optarg, NULL, 0); break;
		case 't': seconds = atof(optarg); break;
		case 'n': s.name = optarg; break;
		case 's':
			memset(s.sources, 0, sizeof(s.sources));
			sources_ok = parse_sources(&s, optarg);
			break;
		default: usage(); return 2;
		}
	}
	if (!sources_ok) {
		usage();
		return 2;
	}
	s.rng = seed;
	wl_list_init(&s.buffers);
	if (!connect_soak(&s))
		return 1;
	bool ran = run(&s, seconds);
	if (ran) {
		/* Live windows' last frames may still be presented; then the rest goes. */
		wait_feedback(&s, 2000);
		teardown(&s);
		wait_feedback(&s, FEEDBACK_WAIT_MS);
		ran = connection_ok(&s);
	}
	print_stats(&s, seed);
	bool ok = verdict(&s, ran);
	dmabuf_client_disconnect(&s.dc);
	if (s.vgem_fd >= 0)
		close(s.vgem_fd);
	return ok ? 0 : 1;
}
