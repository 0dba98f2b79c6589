#include "refresh_timer.h"

#include <errno.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "output.h"

static int handle_refresh_timer(int fd, uint32_t mask, void *data)
{
	struct zc_refresh_timer *timer = data;
	uint64_t expirations;
	if (read(fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		zc_warn("refresh timer: read: %s", strerror(errno));
	timer->fire(timer->data);
	return 0;
}

bool refresh_timer_init(struct zc_refresh_timer *timer, struct wl_event_loop *loop,
	void (*fire)(void *data), void *data)
{
	*timer = (struct zc_refresh_timer){ .fd = -1, .fire = fire, .data = data };
	clock_gettime(CLOCK_MONOTONIC, &timer->epoch);
	timer->fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (timer->fd < 0)
		return false;
	timer->source = wl_event_loop_add_fd(loop, timer->fd, WL_EVENT_READABLE,
		handle_refresh_timer, timer);
	return timer->source != NULL;
}

void refresh_timer_finish(struct zc_refresh_timer *timer)
{
	if (timer->source)
		wl_event_source_remove(timer->source);
	if (timer->fd >= 0)
		close(timer->fd);
	timer->source = NULL;
	timer->fd = -1;
}

/* A mode without a refresh rate is paced at 60 Hz. */
static uint64_t grid_period(const struct zc_output *output)
{
	uint64_t period = output_refresh_nsec(output);
	return period ? period : ZC_NSEC_PER_SEC / 60;
}

bool refresh_timer_arm_at(struct zc_refresh_timer *timer, const struct timespec *when)
{
	timer->target = *when;
	struct itimerspec its = { .it_value = *when };
	if (timespec_to_ns(when) == 0)
		its.it_value.tv_nsec = 1; /* 0 would disarm it */
	if (timerfd_settime(timer->fd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		zc_err("refresh timer: timerfd_settime: %s", strerror(errno));
		return false;
	}
	return true;
}

bool refresh_timer_arm(struct zc_refresh_timer *timer, const struct zc_output *output,
	const struct timespec *earliest)
{
	uint64_t period = grid_period(output);
	uint64_t epoch = timespec_to_ns(&timer->epoch);
	uint64_t t = timespec_to_ns(earliest);
	uint64_t last = timespec_to_ns(&output->last_present);
	if (last && t < last + period)
		t = last + period;
	if (t < epoch)
		t = epoch;
	uint64_t k = (t - epoch + period - 1) / period;
	struct timespec target = timespec_from_ns(epoch + k * period);
	return refresh_timer_arm_at(timer, &target);
}

uint64_t refresh_timer_seq(const struct zc_refresh_timer *timer,
	const struct zc_output *output)
{
	return (timespec_to_ns(&timer->target) - timespec_to_ns(&timer->epoch)) /
		grid_period(output);
}

#define REFRESH_GRID_DEFAULT_NS 16666667ull

uint64_t refresh_grid_period(const struct zc_output *output)
{
	uint64_t period = output ? output_refresh_nsec(output) : 0;
	return period ? period : REFRESH_GRID_DEFAULT_NS;
}

uint64_t refresh_grid_at_or_after(const struct zc_output *output, uint64_t t)
{
	uint64_t base = output ? timespec_to_ns(&output->last_present) : 0;
	if (!base || t <= base)
		return t;
	uint64_t period = refresh_grid_period(output);
	return base + (t - base + period - 1) / period * period;
}
