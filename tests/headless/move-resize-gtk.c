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
	struct zc_view *view;
	p->mapped = false;
	wl_list_for_each(view, &server->views, link) {
		if (!view->mapped || !view->surface->buffer)
			continue;
		p->mapped = true;
		p->x = view->x;
		p->y = view->y;
		p->w = view->surface->width;
		p->h = view->surface->height;
	}
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

static pid_t start_gtk(const char *dir, const char *log)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	FILE *out = freopen(log, "w", stderr);
	if (!out)
		_exit(127);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	setenv("WAYLAND_DISPLAY", SOCKET, 1);
	setenv("GDK_BACKEND", "wayland", 1);
	setenv("GTK_A11Y", "none", 1);
	setenv("NO_AT_BRIDGE", "1", 1);
	setenv("GSETTINGS_BACKEND", "memory", 1); /* no dconf/ left in the runtime dir */
	setenv("WAYLAND_DEBUG", "client", 1);
	execl("/usr/bin/python3", "python3", GTK_DRAG_SCRIPT, (char *)NULL);
	_exit(127);
}

static int count_in_file(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[2048];
	int n = 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
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
	pid_t pid = start_gtk(dir, log);
	struct probe p;
	bool mapped = wait_probe(h, &p, is_mapped, NULL);
	ZCT_CHECK(mapped, "the GTK 4 window never mapped (python3-gi, gir1.2-gtk-4.0?)");
	if (mapped) {
		usleep(300 * 1000); /* GTK's first frames settle */
		drag_move(h, probe(h));
		drag_resize(h, BTN_RIGHT, false, 40, 25);
		drag_resize(h, BTN_MIDDLE, true, -30, -20);
	}
	kill(pid, SIGTERM);
	int status = 0;
	waitpid(pid, &status, 0);
	ZCT_CHECK(count_in_file(log, ".move(") > 0 &&
		count_in_file(log, ".resize(") >= 2, "the client's log shows no move and resizes");
	ZCT_CHECK(count_in_file(log, "wl_display#1.error(") == 0 &&
		count_in_file(log, "Protocol error") == 0, "protocol error in the client's log");
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
	} else {
		ZCT_CHECK(false, "set-up failed");
	}
	harness_stop(&h);
	return zct_exit_status();
}
