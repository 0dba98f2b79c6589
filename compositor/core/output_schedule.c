/*
 * When an output repaints: late enough before the refresh it aims at to take
 * the newest commits along, early enough to make that refresh.
 *
 * A change (output_schedule_repaint) waits for the idle point, so requests
 * already read from clients land in the frame, and then for the deadline of
 * the next refresh: that refresh minus the repaint window (a change that
 * comes later repaints at once, for the same refresh if it is quick
 * enough). The window is what the last OUTPUT_REPAINT_HISTORY repaints took at
 * most (start to the backend's commit), plus what the backend still needs
 * after its commit (output->submit_ns), plus how late the repaint timer woke
 * up recently (the longest of 16), plus a margin (1 ms, more while
 * repaints started at their deadline miss it); or
 * --repaint-window. Refreshes are predicted from the last present on the
 * refresh period (real vblanks on vkms, zcomp's own grid on virtio-gpu and
 * headless, which both report presents on a grid of last_present + k
 * periods). Where no refresh is known yet (no present, no rate), or the
 * window is 0, the repaint starts at once.
 *
 * Frame callbacks: a client that draws when its frame callback arrives and
 * gets it at the present commits about a refresh before the deadline its
 * frame waits for. So the callbacks of a presented frame are held until the
 * clients' usual drawing time (the longest of the recent gaps between
 * callbacks sent and the next commit that reached the output, plus slack)
 * before the next deadline; their frame then makes that deadline fresh.
 * With --repaint-window=0 both go: callbacks at the present, repaints at once.
 *
 * Before this, a change repainted at once, and a change that arrived while a
 * frame was in flight waited for its present and then for a whole frame: up
 * to two refreshes. Now it waits at most one refresh plus the window.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "output.h"
#include "refresh_timer.h"

/* Beyond the measured repaint and wake-up times: the driver's latch and
 * what the history has not seen (Mutter budgets 0.8 ms, KWin 1 ms), at
 * least. A repaint that started at its deadline and still missed its
 * refresh doubles it (to half a period at most); each one that made it
 * takes 1/32 off again. Under emulation the driver's work between our
 * commit and the latch is a few milliseconds nothing here measures. */
#define OUTPUT_REPAINT_MARGIN_NS 1000000ull
/* What a client's drawing time varies by beyond the longest recently seen,
 * at least; doubled (to a quarter period at least) each time a held-back
 * client still missed its deadline, shrinking by 1/64 with each one that made
 * it: a miss costs a refresh, a few hundred microseconds of latency less do
 * not make up for it. */
#define OUTPUT_CLIENT_SLACK_NS 2000000ull
/* Samples of the clients' drawing time before callbacks are held back. */
#define OUTPUT_CLIENT_MIN_SAMPLES 4

/* The longest of a history of durations. */
static uint64_t history_max(const uint64_t *ns)
{
	uint64_t longest = 0;
	for (int i = 0; i < OUTPUT_REPAINT_HISTORY; i++)
		if (ns[i] > longest)
			longest = ns[i];
	return longest;
}

static void history_add(uint64_t *ns, unsigned int *next, uint64_t value)
{
	ns[*next] = value;
	*next = (*next + 1) % OUTPUT_REPAINT_HISTORY;
}

static void handle_repaint_timer(void *data)
{
	struct zc_output *output = data;
	output->repaint_timer_armed = false;
	output->repaint_timed = true;
	/* How late the timer woke us: a loaded or emulated machine's own
	 * share of the window. */
	uint64_t now = timespec_now_ns(), due = timespec_to_ns(&output->repaint_timer->target);
	history_add(output->wakeup_ns, &output->wakeup_ns_next, now > due ? now - due : 0);
	if (output->power_off)
		output->repaint_needed = true; /* blanked while the timer ran */
	else
		output_repaint(output);
}

static void send_callbacks(struct wl_list *callbacks, uint32_t msec)
{
	struct wl_resource *cb, *tmp;
	wl_resource_for_each_safe(cb, tmp, callbacks) {
		wl_callback_send_done(cb, msec);
		wl_resource_destroy(cb);
	}
}

static void release_held_callbacks(struct zc_output *output)
{
	if (wl_list_empty(&output->frame_callbacks_held))
		return;
	send_callbacks(&output->frame_callbacks_held, output->frame_done_msec);
	output->frame_done_sent = timespec_now_ns();
}

static void handle_frame_done_timer(void *data)
{
	release_held_callbacks(data);
}

static struct zc_refresh_timer *schedule_timer_create(struct zc_output *output,
	void (*fire)(void *data))
{
	struct zc_refresh_timer *timer = calloc(1, sizeof(*timer));
	if (timer && !refresh_timer_init(timer, output->server->loop, fire, output)) {
		refresh_timer_finish(timer);
		free(timer);
		timer = NULL;
	}
	return timer;
}

static void schedule_timer_destroy(struct zc_refresh_timer *timer)
{
	if (timer)
		refresh_timer_finish(timer);
	free(timer);
}

bool output_schedule_init(struct zc_output *output)
{
	output->client_slack_ns = OUTPUT_CLIENT_SLACK_NS;
	output->repaint_margin_ns = OUTPUT_REPAINT_MARGIN_NS;
	output->repaint_timer = schedule_timer_create(output, handle_repaint_timer);
	output->frame_done_timer = schedule_timer_create(output, handle_frame_done_timer);
	return output->repaint_timer && output->frame_done_timer;
}

void output_schedule_finish(struct zc_output *output)
{
	if (output->frames_scheduled)
		zc_info("output %s: %llu of %llu repaints aimed at a refresh came late; "
			"repaint window %.2f ms (margin %.2f ms)", output->name,
			(unsigned long long)output->frames_late,
			(unsigned long long)output->frames_scheduled,
			(double)output_repaint_window(output) / 1e6,
			(double)output->repaint_margin_ns / 1e6);
	schedule_timer_destroy(output->frame_done_timer);
	schedule_timer_destroy(output->repaint_timer);
	output->frame_done_timer = output->repaint_timer = NULL;
}

void output_schedule_record(struct zc_output *output, uint64_t start, uint64_t end)
{
	history_add(output->repaint_ns, &output->repaint_ns_next, end > start ? end - start : 0);
}

uint64_t output_repaint_window(const struct zc_output *output)
{
	int64_t fixed = output->server->options->repaint_window_us;
	if (fixed >= 0)
		return (uint64_t)fixed * 1000;
	return history_max(output->repaint_ns) + history_max(output->wakeup_ns) +
		output->submit_ns + output->repaint_margin_ns;
}

/* The first refresh after now (ns), or 0 where none is known (no present
 * yet, no rate) or the window leaves no deadline (0, or a whole period). */
static uint64_t next_refresh(const struct zc_output *output, uint64_t now, uint64_t window)
{
	uint64_t period = output_refresh_nsec(output);
	uint64_t last = timespec_to_ns(&output->last_present);
	if (!period || !last || window == 0 || window >= period)
		return 0;
	uint64_t next = last + period;
	if (now >= next)
		next += (now - next) / period * period + period;
	return next;
}

/* A repaint started at its deadline: the margin learns from the result. */
static void adapt_margin(struct zc_output *output, bool late)
{
	uint64_t half = output_refresh_nsec(output) / 2;
	uint64_t margin = output->repaint_margin_ns;
	if (late)
		margin = margin * 2 < half ? margin * 2 : half;
	else
		margin -= margin / 32;
	output->repaint_margin_ns = margin > OUTPUT_REPAINT_MARGIN_NS ?
		margin : OUTPUT_REPAINT_MARGIN_NS;
}

void output_schedule_presented(struct zc_output *output, const struct timespec *when)
{
	if (!output->repaint_target)
		return;
	/* Half a period of slack: vblank timestamps jitter. */
	bool late = timespec_to_ns(when) >
		output->repaint_target + output_refresh_nsec(output) / 2;
	if (late) {
		output->frames_late++;
		zc_debug("output %s: frame late by %.2f ms (%llu of %llu)%s", output->name,
			(double)(timespec_to_ns(when) - output->repaint_target) / 1e6,
			(unsigned long long)output->frames_late,
			(unsigned long long)output->frames_scheduled,
			output->repaint_timed ? ", started at its deadline" : "");
	}
	if (output->repaint_timed && output->server->options->repaint_window_us < 0)
		adapt_margin(output, late);
	output->repaint_target = 0;
}

static void output_start_repaint(struct zc_output *output)
{
	uint64_t now = timespec_now_ns();
	uint64_t window = output_repaint_window(output);
	uint64_t refresh = next_refresh(output, now, window);
	output->repaint_target = refresh;
	output->repaint_timed = false;
	if (refresh)
		output->frames_scheduled++;
	/* Past the deadline: at once, since waiting for the next refresh's
	 * deadline would lose this refresh for sure; a repaint often takes less
	 * than the window, which is the longest of several. */
	struct timespec at = timespec_from_ns(refresh - window);
	if (!refresh || refresh - now <= window ||
	    !refresh_timer_arm_at(output->repaint_timer, &at)) {
		output_repaint(output);
		return;
	}
	output->repaint_timer_armed = true;
}

void output_send_frame_callbacks(struct zc_output *output, uint32_t msec)
{
	release_held_callbacks(output);
	send_callbacks(&output->frame_callbacks, msec);
}

/* Whether the clients whose callbacks were held made the deadline they
 * aimed at, judged at their first change (or the next present without
 * one): the slack adapts. */
static void client_deadline_result(struct zc_output *output, uint64_t now)
{
	if (!output->frame_done_deadline)
		return;
	uint64_t period = output_refresh_nsec(output);
	uint64_t more = output->client_slack_ns * 2 > period / 4 ?
		output->client_slack_ns * 2 : period / 4;
	if (now > output->frame_done_deadline)
		output->client_slack_ns = more < period ? more : period;
	else if (output->client_slack_ns > OUTPUT_CLIENT_SLACK_NS)
		output->client_slack_ns -= output->client_slack_ns / 64;
	output->frame_done_deadline = 0;
}

/* How long before a deadline the clients want their callbacks; 0: at once. */
static uint64_t client_lead(const struct zc_output *output)
{
	if (output->server->options->repaint_window_us == 0 ||
	    output->client_samples < OUTPUT_CLIENT_MIN_SAMPLES)
		return 0;
	uint64_t longest = history_max(output->client_ns);
	return longest + longest / 4 + output->client_slack_ns;
}

void output_schedule_frame_done(struct zc_output *output, uint32_t msec)
{
	client_deadline_result(output, timespec_now_ns());
	release_held_callbacks(output);
	if (wl_list_empty(&output->frame_callbacks))
		return;
	wl_list_insert_list(output->frame_callbacks_held.prev, &output->frame_callbacks);
	wl_list_init(&output->frame_callbacks);
	output->frame_done_msec = msec;
	uint64_t now = timespec_now_ns();
	uint64_t window = output_repaint_window(output);
	uint64_t refresh = next_refresh(output, now, window);
	uint64_t lead = client_lead(output);
	if (!refresh || !lead || refresh - window <= now + lead) {
		release_held_callbacks(output);
		return;
	}
	struct timespec at = timespec_from_ns(refresh - window - lead);
	if (!refresh_timer_arm_at(output->frame_done_timer, &at)) {
		release_held_callbacks(output);
		return;
	}
	output->frame_done_deadline = refresh - window;
}

/* The first change after callbacks went out: how long clients draw. */
static void sample_client(struct zc_output *output)
{
	if (!output->frame_done_sent)
		return;
	uint64_t now = timespec_now_ns();
	history_add(output->client_ns, &output->client_ns_next, now - output->frame_done_sent);
	output->client_samples++;
	output->frame_done_sent = 0;
	client_deadline_result(output, now);
}

static void handle_output_idle_repaint(void *data)
{
	struct zc_output *output = data;
	output->idle_repaint = NULL;
	if (output->power_off)
		output->repaint_needed = true; /* blanked since it was scheduled */
	else
		output_start_repaint(output);
}

void output_schedule_repaint(struct zc_output *output)
{
	sample_client(output);
	output->repaint_needed = true;
	if (output->repaint_state != OUTPUT_IDLE || output->idle_repaint ||
	    output->repaint_timer_armed || output->power_off)
		return;
	/* Deferred to the idle point so that all requests already received
	 * from clients count in the choice of the refresh. */
	output->idle_repaint = wl_event_loop_add_idle(output->server->loop,
		handle_output_idle_repaint, output);
}

void output_schedule_repaint_all(struct zc_server *server)
{
	struct zc_output *output;
	wl_list_for_each(output, &server->outputs, link)
		output_schedule_repaint(output);
}
