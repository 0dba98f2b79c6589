/* Issue 15: a real game-style client on pointer-constraints,
 * relative-pointer and idle-inhibit. SDL2's testrelative (Debian: libsdl2-tests) turns on
 * relative mouse mode, which on Wayland locks the pointer on its window and
 * reads relative motion. zcomp runs in this process; once the window is
 * mapped the test moves the pointer onto it, waits for the lock, injects
 * relative motion through seat_notify_motion (the libinput path) and reads
 * the client's WAYLAND_DEBUG log: locked, then relative_motion events, with
 * the cursor held still. SDL also puts an idle inhibitor on its window (it
 * disables the screensaver): with a 100 ms blanking timeout the output stays
 * on while the window is up, and blanks once it is gone. Fails (never
 * skips) when testrelative is missing. */
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
#include "core/output.h"
#include "input/idle.h"
#include "input/seat.h"

#define SOCKET "zc-sdl-relative-test"
#define TESTRELATIVE "/usr/libexec/installed-tests/SDL2/testrelative"
#define WAIT_STEPS 200 /* of 50 ms: 10 s, for SDL's start on a loaded machine */

struct probe {
	bool mapped, blanked;
	int32_t x, y, w, h;
	double cursor_x, cursor_y;
	bool relative; /* inject: relative motion, else move onto the window */
};

static void probe_fn(struct zc_server *server, void *arg)
{
	struct probe *p = arg;
	p->mapped = harness_top_shown_view(server, &p->x, &p->y, &p->w, &p->h);
	seat_get_cursor(server->seat, &p->cursor_x, &p->cursor_y);
	struct zc_output *output = wl_container_of(server->outputs.next, output, link);
	p->blanked = output->power_off;
}

static void blank_fn(struct zc_server *server, void *arg)
{
	idle_set_blank_timeout(server->idle, *(int32_t *)arg);
}

static void inject_fn(struct zc_server *server, void *arg)
{
	struct probe *p = arg;
	if (p->relative) {
		struct zc_pointer_motion m = { .time_usec = 5000000, .dx = 7, .dy = 3,
			.dx_unaccel = 5, .dy_unaccel = 2 };
		seat_notify_motion(server->seat, &m);
	} else {
		seat_notify_motion_absolute(server->seat, 20, p->x + p->w / 2, p->y + p->h / 2);
	}
	seat_notify_frame(server->seat);
	seat_get_cursor(server->seat, &p->cursor_x, &p->cursor_y);
}

static pid_t start_testrelative(const char *dir, const char *log)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	FILE *out = freopen(log, "w", stderr);
	if (!out || chdir("/usr/libexec/installed-tests/SDL2") != 0)
		_exit(127);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	setenv("WAYLAND_DISPLAY", SOCKET, 1);
	setenv("SDL_VIDEODRIVER", "wayland", 1);
	setenv("WAYLAND_DEBUG", "1", 1);
	execl(TESTRELATIVE, "testrelative", (char *)NULL);
	_exit(127);
}

/* needle NULL: until a window is mapped; "": until the output blanked. */
static bool wait_for(struct harness *h, struct probe *p, const char *log, const char *needle)
{
	for (int i = 0; i < WAIT_STEPS; i++) {
		server_run(h, probe_fn, p);
		if (needle ? needle[0] ? zct_count_lines(log, needle) > 0 : p->blanked : p->mapped)
			return true;
		usleep(50 * 1000);
	}
	return false;
}

static void test_sdl_relative(struct harness *h, const char *dir)
{
	ZCT_CHECK(access(TESTRELATIVE, X_OK) == 0, "%s is missing (Debian: libsdl2-tests)",
		TESTRELATIVE);
	char log[300];
	snprintf(log, sizeof(log), "%s/testrelative.log", dir);
	pid_t pid = start_testrelative(dir, log);
	struct probe p = { 0 };
	bool mapped = wait_for(h, &p, log, NULL);
	ZCT_CHECK(mapped, "testrelative mapped no window");
	int32_t blank_ms = 100;
	server_run(h, blank_fn, &blank_ms);
	if (mapped) {
		usleep(500 * 1000); /* five blanking timeouts without input */
		server_run(h, probe_fn, &p);
		ZCT_CHECK(!p.blanked, "blanked despite SDL's idle inhibitor");
		server_run(h, inject_fn, &p);
		ZCT_CHECK(wait_for(h, &p, log, ".locked()"),
			"no zwp_locked_pointer_v1.locked in the client's log");
		double x = p.cursor_x, y = p.cursor_y;
		p.relative = true;
		for (int i = 0; i < 3; i++)
			server_run(h, inject_fn, &p);
		ZCT_CHECK(p.cursor_x == x && p.cursor_y == y, "locked cursor moved %g,%g -> %g,%g",
			x, y, p.cursor_x, p.cursor_y);
		ZCT_CHECK(wait_for(h, &p, log, ".relative_motion(0, 5000000, 7.0"),
			"no relative_motion in the client's log");
	}
	kill(pid, SIGTERM);
	int status = 0;
	waitpid(pid, &status, 0);
	ZCT_CHECK(wait_for(h, &p, log, ""), "no blanking once SDL's window went");
	blank_ms = 0;
	server_run(h, blank_fn, &blank_ms);
	int locks = zct_count_lines(log, "lock_pointer(");
	ZCT_CHECK(locks >= 1, "testrelative asked for no lock (%d)", locks);
	ZCT_CHECK(zct_count_lines(log, "wl_display#1.error(") == 0,
		"protocol error in the client's log");
	if (zct_failures == 0)
		unlink(log);
}

int main(void)
{
	zc_log_init(ZC_LOG_WARN);
	struct harness h;
	struct zct_compositor comp = { 0 };
	if (harness_start_private(&h, SOCKET, comp.socket_path, sizeof(comp.socket_path))) {
		ZCT_RUN(test_sdl_relative, &h, h.runtime_dir);
	} else {
		ZCT_CHECK(false, "set-up failed");
	}
	harness_stop(&h);
	return zct_exit_status();
}
