/* Issue 15: a real toolkit's menu under xdg_popup.grab. GTK 4 (python3-gi,
 * tests/headless/gtk-popover.py) pops up a Gtk.PopoverMenu on a right
 * click; zcomp runs in this process and the test clicks and types through
 * seat_notify_* (the libinput path). The menu must stay up (before popup
 * grabs, zcomp denied every grab and GTK's menus closed at once), hold the
 * keyboard (Down, Return activate an item), and close on a click
 * outside the window. The client's WAYLAND_DEBUG log must show no protocol
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

#define SOCKET "zc-popup-grab-gtk-test"
#define WAIT_STEPS 300 /* of 50 ms: 15 s, for GTK's start on a loaded machine */

struct probe {
	int mapped;          /* mapped views showing a buffer */
	int32_t x, y, w, h;  /* the bottom one's: the window */
	bool keyboard_on_top; /* the keyboard is on the topmost view's surface */
};

static void probe_fn(struct zc_server *server, void *arg)
{
	struct probe *p = arg;
	struct zc_view *view, *top = NULL;
	*p = (struct probe){ 0 };
	wl_list_for_each(view, &server->views, link) {
		if (!view->mapped || !view->surface->buffer)
			continue;
		if (p->mapped++ == 0) {
			p->x = view->x;
			p->y = view->y;
			p->w = view->surface->width;
			p->h = view->surface->height;
		}
		top = view;
	}
	p->keyboard_on_top = top && seat_get_keyboard_focus(server->seat) == top->surface;
}

static struct probe probe(struct harness *h)
{
	struct probe p;
	server_run(h, probe_fn, &p);
	return p;
}

enum input_kind { INPUT_MOTION, INPUT_BUTTON, INPUT_KEY };

struct input {
	enum input_kind kind;
	uint32_t code;
	bool pressed;
	double x, y;
};

static void inject_fn(struct zc_server *server, void *arg)
{
	const struct input *in = arg;
	switch (in->kind) {
	case INPUT_MOTION:
		seat_notify_motion_absolute(server->seat, 30, in->x, in->y);
		seat_notify_frame(server->seat);
		break;
	case INPUT_BUTTON:
		seat_notify_button(server->seat, 30, in->code, in->pressed);
		seat_notify_frame(server->seat);
		break;
	case INPUT_KEY:
		seat_notify_key(server->seat, 30, in->code, in->pressed);
		break;
	}
}

static void inject(struct harness *h, enum input_kind kind, uint32_t code, double x, double y)
{
	struct input in = { .kind = kind, .code = code, .x = x, .y = y, .pressed = true };
	server_run(h, inject_fn, &in);
	if (kind == INPUT_MOTION)
		return;
	usleep(30 * 1000);
	in.pressed = false;
	server_run(h, inject_fn, &in);
}

static void click(struct harness *h, uint32_t button, double x, double y)
{
	inject(h, INPUT_MOTION, 0, x, y);
	inject(h, INPUT_BUTTON, button, 0, 0);
}

/* Waits until the view count is n (and, with keyboard, the keyboard is on
 * the top one). */
static bool wait_views(struct harness *h, struct probe *p, int n, bool keyboard)
{
	for (int i = 0; i < WAIT_STEPS; i++) {
		*p = probe(h);
		if (p->mapped == n && (!keyboard || p->keyboard_on_top))
			return true;
		usleep(50 * 1000);
	}
	return false;
}

static bool wait_line(const char *path, const char *needle, int count)
{
	for (int i = 0; i < WAIT_STEPS; i++) {
		if (zct_count_lines(path, needle) >= count)
			return true;
		usleep(50 * 1000);
	}
	return false;
}

static pid_t start_gtk(const char *dir, const char *out, const char *log)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	if (!freopen(log, "w", stderr) || !freopen(out, "w", stdout))
		_exit(127);
	harness_gtk_env(dir, SOCKET);
	/* GTK's cairo renderer: with its GL one (llvmpipe), GTK 4.8 now and
	 * then never committed a re-shown popover's first frame when zcomp ran
	 * under ASan (idle in its main loop, its frame request uncommitted;
	 * 2 of 12 runs), which is not what this test is about. */
	setenv("GSK_RENDERER", "cairo", 1);
	execl("/usr/bin/python3", "python3", GTK_POPOVER_SCRIPT, (char *)NULL);
	_exit(127);
}

/* Right click in the window: the menu maps and takes the keyboard. */
static bool open_menu(struct harness *h, const struct probe *win, const char *out, int nth)
{
	struct probe p;
	click(h, BTN_RIGHT, win->x + 40, win->y + 40);
	bool ok = wait_views(h, &p, 2, true) && wait_line(out, "shown", nth);
	ZCT_CHECK(ok, "menu %d: %d views mapped, keyboard on the menu: %d", nth, p.mapped,
		p.keyboard_on_top);
	return ok;
}

static void test_gtk_menu(struct harness *h, const char *dir)
{
	char out[300], log[300];
	snprintf(out, sizeof(out), "%s/gtk-popover.out", dir);
	snprintf(log, sizeof(log), "%s/gtk-popover.log", dir);
	pid_t pid = start_gtk(dir, out, log);
	struct probe win, p;
	bool mapped = wait_views(h, &win, 1, false);
	ZCT_CHECK(mapped, "the GTK 4 window never mapped");
	if (!mapped || !open_menu(h, &win, out, 1))
		goto out;
	/* Still up a while later: the grab was granted, not denied. */
	usleep(500 * 1000);
	p = probe(h);
	ZCT_CHECK(p.mapped == 2 && zct_count_lines(out, "closed") == 0,
		"the menu closed by itself (%d views)", p.mapped);
	/* The keyboard is the menu's: Down moves the selection (GTK 4.8 starts
	 * on the first item, so it lands on the second), Return runs it. */
	inject(h, INPUT_KEY, KEY_DOWN, 0, 0);
	inject(h, INPUT_KEY, KEY_ENTER, 0, 0);
	ZCT_CHECK(wait_line(out, "activated ", 1), "Down, Return activated no item");
	ZCT_CHECK(wait_views(h, &p, 1, false), "the menu stayed up after its item ran");
	/* A click outside the window dismisses the menu (popup_done). */
	if (!open_menu(h, &win, out, 2))
		goto out;
	click(h, BTN_LEFT, win.x + win.w + 100, win.y + win.h + 100);
	ZCT_CHECK(wait_views(h, &p, 1, false), "a click outside left the menu up");
	ZCT_CHECK(wait_line(out, "closed", 2), "GTK saw no close of its menu");
	ZCT_CHECK(zct_count_lines(log, "popup_done") >= 1, "no xdg_popup.popup_done in the log");
out:
	harness_client_end(pid, log);
	if (zct_failures == 0) {
		unlink(out);
		unlink(log);
	} else {
		fprintf(stderr, "client output: %s, log: %s\n", out, log);
	}
}

int main(void)
{
	zc_log_init(ZC_LOG_WARN);
	struct harness h;
	struct zct_compositor comp = { 0 };
	if (harness_start_private(&h, SOCKET, comp.socket_path, sizeof(comp.socket_path)))
		ZCT_RUN(test_gtk_menu, &h, h.runtime_dir);
	else
		ZCT_CHECK(false, "set-up failed");
	harness_stop(&h);
	return zct_exit_status();
}
