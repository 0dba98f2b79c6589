/* The repaint scheduler's margin (core/output_schedule.c): a repaint that
 * started at its deadline and still missed its refresh widens the repaint
 * window, repaints that make it narrow it back to the floor, and neither a
 * repaint started past its deadline (the client was late, not us) nor a
 * fixed --repaint-window moves it. Driven through output_schedule_presented
 * with the times a backend would report. */
#include <stdlib.h>

#include "check.h"
#include "core/output.h"
#include "harness.h"

#define PERIOD 16666666ull /* 60 Hz */

static struct th_server srv;
static struct zc_options options;
static struct zc_output output;

static void setup(int64_t fixed_window_us)
{
	options.repaint_window_us = fixed_window_us;
	srv.server.options = &options;
	output = (struct zc_output){ .server = &srv.server, .name = "test",
		.refresh_mhz = 60000 };
	CHECK(output_schedule_init(&output));
}

/* One frame aimed at a refresh and presented late or on time. */
static void present(bool timed, bool late)
{
	uint64_t target = 100 * PERIOD;
	output.repaint_target = target;
	output.repaint_timed = timed;
	struct timespec when = timespec_from_ns(late ? target + PERIOD : target + 1000);
	output_schedule_presented(&output, &when);
	CHECK_EQ(output.repaint_target, 0);
}

static void test_miss_widens_hit_narrows(void)
{
	setup(-1);
	uint64_t floor = output_repaint_window(&output);
	present(true, true);
	uint64_t once = output_repaint_window(&output);
	CHECK(once > floor);
	for (int i = 0; i < 10; i++)
		present(true, true);
	/* Half a period at most, however many misses. */
	CHECK(output_repaint_window(&output) - floor + 1000000 <= PERIOD / 2);
	CHECK(output_repaint_window(&output) > once);
	for (int i = 0; i < 1000; i++)
		present(true, false);
	CHECK_EQ(output_repaint_window(&output), floor);
	CHECK_EQ(output.frames_late, 11);
	output_schedule_finish(&output);
}

static void test_late_client_keeps_margin(void)
{
	setup(-1);
	uint64_t floor = output_repaint_window(&output);
	for (int i = 0; i < 5; i++)
		present(false, true);
	CHECK_EQ(output_repaint_window(&output), floor);
	CHECK_EQ(output.frames_late, 5);
	output_schedule_finish(&output);
}

static void test_fixed_window_stays(void)
{
	setup(3000);
	present(true, true);
	CHECK_EQ(output_repaint_window(&output), 3000000);
	output_schedule_finish(&output);
}

int main(void)
{
	if (!th_server_init(&srv))
		return 1;
	RUN(test_miss_widens_hit_narrows);
	RUN(test_late_client_keeps_margin);
	RUN(test_fixed_window_stays);
	th_server_finish(&srv);
	return check_exit_status();
}
