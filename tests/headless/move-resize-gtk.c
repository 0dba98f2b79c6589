/* Issue 15: interactive move and resize with a real toolkit. GTK 4
 * (python3-gi, tests/headless/gtk-drag.py) calls Gdk.Toplevel.begin_move /
 * begin_resize from a press, as its title bars and borders do; zcomp runs in
 * this process, the test presses and drags through seat_notify_* (the
 * libinput path) and reads the window's place and size: the move follows
 * the pointer exactly; GTK answers the resize configures, and a
 * bottom-right resize keeps the top-left corner, a top-left one the
 * bottom-right corner. The client's WAYLAND_DEBUG log must show no protocol
 * error. Fails (never skips) when GTK 4 is missing. */
#include <linux/input-event-codes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "zct.h"
#include "base/log.h"
#include "core/surface.h"
#include "input/seat.h"

#define SOCKET "zc-move-resize-gtk-test"
#define WAIT_STEPS 300 /* of 50 ms: 15 s, for GTK's start on a loaded machine */

struct probe {
	bool mapped, grabbed;
	int32_t x, y, w, h;
};

static void probe_fn(struct zc_server *server, void *arg)
{
	struct probe *p = arg;
	p->mapped = harness_top_shown_view(server, &p->x, &p->y, &p->w, &p->h);
	p->grabbed = seat_pointer_grabbed(server->seat);
}

static struct probe probe(struct harness *h)
{
	struct probe p;
	server_run(h, probe_fn, &p);
	return p;
}

struct input {
	bool button, pressed;
	uint32_t code;
	double x, y;
};

static void inject_fn(struct zc_server *server, void *arg)
{
	const struct input *in = arg;
	if (in->button)
		seat_notify_button(server->seat, 30, in->code, in->pressed);
	else
		seat_notify_motion_absolute(server->seat, 30, in->x, in->y);
	seat_notify_frame(server->seat);
}

static void motion(struct harness *h, double x, double y)
{
	struct input in = { .x = x, .y = y };
	server_run(h, inject_fn, &in);
}

static void button(struct harness *h, uint32_t code, bool pressed)
{
	struct input in = { .button = true, .pressed = pressed, .code = code };
	server_run(h, inject_fn, &in);
}

typedef bool (*probe_pred)(const struct probe *p, const void *arg);

static bool wait_probe(struct harness *h, struct probe *p, probe_pred pred, const void *arg)
{
	for (int i = 0; i < WAIT_STEPS; i++) {
		*p = probe(h);
		if (pred(p, arg))
			return true;
		usleep(50 * 1000);
	}
	return false;
}

static bool is_mapped(const struct probe *p, const void *arg)
{
	return p->mapped;
}

static bool is_grabbed(const struct probe *p, const void *arg)
{
	return p->grabbed == *(const bool *)arg;
}

static bool has_size(const struct probe *p, const void *arg)
{
	const int32_t *size = arg;
	return p->w == size[0] && p->h == size[1];
}

static pid_t start_gtk(const char *dir, const char *log, const char *mode)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	FILE *out = freopen(log, "w", stderr);
	if (!out)
		_exit(127);
	harness_gtk_env(dir, SOCKET);
	execl("/usr/bin/python3", "python3", GTK_DRAG_SCRIPT, mode, (char *)NULL);
	_exit(127);
}

/* Presses code at (x, y) and waits until GTK's request took the pointer. */
static bool press_and_grab(struct harness *h, uint32_t code, double x, double y)
{
	struct probe p;
	bool yes = true;
	motion(h, x, y);
	button(h, code, true);
	bool ok = wait_probe(h, &p, is_grabbed, &yes);
	ZCT_CHECK(ok, "button %#x: GTK started no grab", code);
	return ok;
}

static void release(struct harness *h, uint32_t code)
{
	struct probe p;
	bool no = false;
	button(h, code, false);
	ZCT_CHECK(wait_probe(h, &p, is_grabbed, &no), "grab still running after the release");
}

static void drag_move(struct harness *h, struct probe start)
{
	double x = start.x + start.w / 2, y = start.y + start.h / 2;
	if (!press_and_grab(h, BTN_LEFT, x, y))
		return;
	const int32_t path[][2] = { { 15, 9 }, { 60, 35 }, { -20, 70 } };
	for (size_t i = 0; i < ZC_LEN(path); i++) {
		motion(h, x + path[i][0], y + path[i][1]);
		struct probe p = probe(h);
		ZCT_CHECK(p.x == start.x + path[i][0] && p.y == start.y + path[i][1],
			"move step %zu: window at %d,%d, not %d,%d", i, p.x, p.y,
			start.x + path[i][0], start.y + path[i][1]);
	}
	release(h, BTN_LEFT);
}

/* Drags a corner by (dx, dy): GTK commits the new size; the opposite
 * corner stays. */
static void drag_resize(struct harness *h, uint32_t code, bool top_left, int32_t dx,
	int32_t dy)
{
	struct probe start = probe(h), p;
	double x = start.x + start.w / 2, y = start.y + start.h / 2;
	if (!press_and_grab(h, code, x, y))
		return;
	motion(h, x + dx, y + dy);
	int32_t want[2] = { start.w + (top_left ? -dx : dx), start.h + (top_left ? -dy : dy) };
	bool sized = wait_probe(h, &p, has_size, want);
	ZCT_CHECK(sized, "GTK committed %dx%d, not %dx%d", p.w, p.h, want[0], want[1]);
	release(h, code);
	usleep(300 * 1000); /* GTK answers the last configure (resizing off) */
	p = probe(h);
	if (top_left)
		ZCT_CHECK(p.x + p.w == start.x + start.w && p.y + p.h == start.y + start.h,
			"top-left resize moved the bottom-right corner: %d,%d %dx%d from %d,%d %dx%d",
			p.x, p.y, p.w, p.h, start.x, start.y, start.w, start.h);
	else
		ZCT_CHECK(p.x == start.x && p.y == start.y,
			"bottom-right resize moved the top-left corner: %d,%d from %d,%d", p.x, p.y,
			start.x, start.y);
}

static void test_gtk_move_resize(struct harness *h, const char *dir)
{
	char log[300];
	snprintf(log, sizeof(log), "%s/gtk-drag.log", dir);
	pid_t pid = start_gtk(dir, log, "api");
	struct probe p;
	bool mapped = wait_probe(h, &p, is_mapped, NULL);
	ZCT_CHECK(mapped, "the GTK 4 window never mapped (python3-gi, gir1.2-gtk-4.0?)");
	if (mapped) {
		usleep(300 * 1000); /* GTK's first frames settle */
		drag_move(h, probe(h));
		drag_resize(h, BTN_RIGHT, false, 40, 25);
		drag_resize(h, BTN_MIDDLE, true, -30, -20);
	}
	harness_client_end(pid, log);
	ZCT_CHECK(zct_count_lines(log, ".move(") > 0 && zct_count_lines(log, ".resize(") >= 2,
		"the client's log shows no move and resizes");
	if (zct_failures == 0)
		unlink(log);
	else
		fprintf(stderr, "client log: %s\n", log);
}

/* The window geometry GTK set last (its WAYLAND_DEBUG log), surface-local. */
static bool last_geometry(const char *log, int32_t geo[4])
{
	FILE *f = fopen(log, "r");
	if (!f)
		return false;
	char line[2048];
	bool found = false;
	while (fgets(line, sizeof(line), f)) {
		const char *at = strstr(line, ".set_window_geometry(");
		if (at && sscanf(at, ".set_window_geometry(%d, %d, %d, %d)", &geo[0], &geo[1],
			      &geo[2], &geo[3]) == 4)
			found = true;
	}
	fclose(f);
	return found;
}

/* Moves the pointer from (x, y) by (dx, dy) in steps of a few pixels, as a
 * hand does (GTK starts a title bar move past its drag threshold). */
static void glide(struct harness *h, double x, double y, double dx, double dy)
{
	for (int i = 1; i <= 10; i++) {
		motion(h, x + dx * i / 10, y + dy * i / 10);
		usleep(20 * 1000);
	}
}

/* A decorated GTK 4 window: a drag on its header bar moves it (GTK decides
 * when, past its threshold), a press on its right or left border resizes
 * it with the opposite border kept in place. */
static void test_gtk_csd(struct harness *h, const char *dir)
{
	char log[300];
	snprintf(log, sizeof(log), "%s/gtk-csd.log", dir);
	pid_t pid = start_gtk(dir, log, "csd");
	struct probe p;
	int32_t geo[4];
	bool mapped = wait_probe(h, &p, is_mapped, NULL);
	usleep(300 * 1000);
	mapped = mapped && last_geometry(log, geo);
	ZCT_CHECK(mapped, "the decorated GTK 4 window never mapped with a geometry");
	if (!mapped)
		goto out;
	p = probe(h);
	double x = p.x + geo[0] + geo[2] / 2, y = p.y + geo[1] + 12; /* the header bar */
	bool yes = true, no = false;
	motion(h, x, y);
	button(h, BTN_LEFT, true);
	glide(h, x, y, 20, 10);
	ZCT_CHECK(wait_probe(h, &p, is_grabbed, &yes), "dragging the header bar moved nothing");
	struct probe before = probe(h);
	motion(h, x + 20 + 50, y + 10 + 30);
	p = probe(h);
	ZCT_CHECK(p.x == before.x + 50 && p.y == before.y + 30,
		"header bar drag: window at %d,%d, not %d,%d", p.x, p.y, before.x + 50,
		before.y + 30);
	button(h, BTN_LEFT, false);
	ZCT_CHECK(wait_probe(h, &p, is_grabbed, &no), "grab still running after the release");
	/* The borders: just outside the geometry, in GTK's resize margin. */
	const struct { double off; int32_t dx; bool left; } borders[] = {
		{ 3, 40, false }, { -3, -30, true } };
	for (size_t i = 0; i < ZC_LEN(borders); i++) {
		struct probe start = probe(h);
		double bx = start.x + geo[0] + (borders[i].left ? 0 : geo[2]) + borders[i].off;
		double by = start.y + geo[1] + geo[3] / 2;
		motion(h, bx, by);
		button(h, BTN_LEFT, true);
		if (!wait_probe(h, &p, is_grabbed, &yes)) {
			ZCT_CHECK(false, "a press on the %s border started no resize",
				borders[i].left ? "left" : "right");
			button(h, BTN_LEFT, false);
			continue;
		}
		glide(h, bx, by, borders[i].dx, 0);
		int32_t want[2] = { start.w + (borders[i].left ? -borders[i].dx : borders[i].dx),
			start.h };
		ZCT_CHECK(wait_probe(h, &p, has_size, want), "%s border: GTK committed %dx%d, not %dx%d",
			borders[i].left ? "left" : "right", p.w, p.h, want[0], want[1]);
		button(h, BTN_LEFT, false);
		usleep(300 * 1000);
		p = probe(h);
		if (borders[i].left)
			ZCT_CHECK(p.x + p.w == start.x + start.w && p.y == start.y,
				"left border resize moved the right edge: %d,%d %dx%d from %d,%d %dx%d",
				p.x, p.y, p.w, p.h, start.x, start.y, start.w, start.h);
		else
			ZCT_CHECK(p.x == start.x && p.y == start.y,
				"right border resize moved the window to %d,%d from %d,%d", p.x, p.y,
				start.x, start.y);
	}
out:
	harness_client_end(pid, log);
	if (zct_failures == 0)
		unlink(log);
	else
		fprintf(stderr, "client log: %s\n", log);
}

int main(void)
{
	zc_log_init(ZC_LOG_WARN);
	struct harness h;
	struct zct_compositor comp = { 0 };
	if (harness_start_private(&h, SOCKET, comp.socket_path, sizeof(comp.socket_path))) {
		ZCT_RUN(test_gtk_move_resize, &h, h.runtime_dir);
		ZCT_RUN(test_gtk_csd, &h, h.runtime_dir);
	} else {
		ZCT_CHECK(false, "set-up failed");
	}
	harness_stop(&h);
	return zct_exit_status();
}
