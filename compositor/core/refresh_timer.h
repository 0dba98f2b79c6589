#ifndef ZC_REFRESH_TIMER_H
#define ZC_REFRESH_TIMER_H

/*
 * A timer on an output's refresh grid (epoch + k * refresh period), for
 * presenting where the display gives no vblank event: every frame of the
 * headless backend, and on KMS empty frames and devices whose flips do not
 * wait for a vblank (virtio-gpu). Timestamps it yields step by whole
 * refreshes, so clients see a display's timing.
 */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <wayland-server-core.h>

struct zc_output;

struct zc_refresh_timer {
	int fd; /* a CLOCK_MONOTONIC timerfd */
	struct wl_event_source *source;
	struct timespec epoch;  /* the grid's origin */
	struct timespec target; /* the grid point armed for, or last fired */
	void (*fire)(void *data);
	void *data;
};

/* The grid starts now; fire(data) runs from loop at each armed point. */
bool refresh_timer_init(struct zc_refresh_timer *timer, struct wl_event_loop *loop,
	void (*fire)(void *data), void *data);
/* Safe on a zeroed or half-initialized timer with fd -1. */
void refresh_timer_finish(struct zc_refresh_timer *timer);
/* Arms for the first grid point of output's refresh at or after earliest
 * and at least one refresh after the output's last present. */
bool refresh_timer_arm(struct zc_refresh_timer *timer, const struct zc_output *output,
	const struct timespec *earliest);
/* Arms for when (CLOCK_MONOTONIC), on the grid or not: a deadline. */
bool refresh_timer_arm_at(struct zc_refresh_timer *timer, const struct timespec *when);
/* The armed point's count of refreshes since the epoch: the grid's vblank
 * counter. */
uint64_t refresh_timer_seq(const struct zc_refresh_timer *timer,
	const struct zc_output *output);

/* For pacing without a timer of one's own (fifo barriers, commit timing):
 * output's refresh period, 60 Hz where output is NULL or its rate unknown. */
uint64_t refresh_grid_period(const struct zc_output *output);
/* The first point of output's grid (its last present + k periods) at or
 * after t, in ns of the server clock; t itself without a grid. */
uint64_t refresh_grid_at_or_after(const struct zc_output *output, uint64_t t);

#endif
