/* Issue 15: the idle state. ext_idle_notification_v1 goes idle after its
 * timeout and resumes at input (injected through seat_notify_*, as libinput
 * would); an idle inhibitor on a mapped surface holds off the notifications
 * that honour inhibitors (not the input-only ones) and the blanking of the
 * outputs, whose frames stop while blanked and come back at input. And a
 * real client: swayidle (Debian package) runs its idle and resume commands. */
#include <linux/input-event-codes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "zct.h"
#include "base/log.h"
#include "core/output.h"
#include "ext-idle-notify-v1-client-protocol.h"
#include "idle-inhibit-unstable-v1-client-protocol.h"
#include "input/idle.h"
#include "input/seat.h"

#define SOCKET "zc-idle-test"
#define TIMEOUT_MS 100
/* Long enough for a 100 ms timer on a loaded 2-core machine. */
#define IDLE_WAIT_MS 2000
/* How long "did not go idle" is watched: five timeouts. */
#define QUIET_MS 500

/* ---- on zcomp's thread ---- */

static void key_fn(struct zc_server *server, void *arg)
{
	seat_notify_key(server->seat, 1, KEY_LEFTSHIFT, true);
	seat_notify_key(server->seat, 2, KEY_LEFTSHIFT, false);
}

static void blank_fn(struct zc_server *server, void *arg)
{
	idle_set_blank_timeout(server->idle, *(int32_t *)arg);
}

static void power_fn(struct zc_server *server, void *arg)
{
	struct zc_output *output = wl_container_of(server->outputs.next, output, link);
	*(bool *)arg = output->power_off;
}

/* ---- the client ---- */

struct watcher {
	struct ext_idle_notification_v1 *n;
	bool idled, resumed;
};

static void handle_idled(void *data, struct ext_idle_notification_v1 *n)
{
	((struct watcher *)data)->idled = true;
}

static void handle_resumed(void *data, struct ext_idle_notification_v1 *n)
{
	((struct watcher *)data)->resumed = true;
}

static const struct ext_idle_notification_v1_listener watcher_listener = {
	.idled = handle_idled,
	.resumed = handle_resumed,
};

struct ctx {
	struct zct_client *client;
	struct wl_seat *seat;
	struct ext_idle_notifier_v1 *notifier;
	struct zwp_idle_inhibit_manager_v1 *inhibit;
};

static void watch(struct ctx *c, struct watcher *w, bool input_only)
{
	*w = (struct watcher){ 0 };
	w->n = input_only ?
		ext_idle_notifier_v1_get_input_idle_notification(c->notifier, TIMEOUT_MS, c->seat) :
		ext_idle_notifier_v1_get_idle_notification(c->notifier, TIMEOUT_MS, c->seat);
	ext_idle_notification_v1_add_listener(w->n, &watcher_listener, w);
	zct_roundtrip(c->client);
}

static bool ctx_open(struct ctx *c, struct zct_compositor *comp)
{
	*c = (struct ctx){ 0 };
	c->client = zct_client_connect(comp);
	if (!c->client)
		return false;
	c->seat = zct_bind(c->client, &wl_seat_interface, 7);
	c->notifier = zct_bind(c->client, &ext_idle_notifier_v1_interface, 2);
	c->inhibit = zct_bind(c->client, &zwp_idle_inhibit_manager_v1_interface, 1);
	return c->seat && c->notifier && c->inhibit;
}

static void ctx_close(struct ctx *c)
{
	if (c->inhibit)
		zwp_idle_inhibit_manager_v1_destroy(c->inhibit);
	if (c->notifier)
		ext_idle_notifier_v1_destroy(c->notifier);
	if (c->seat)
		wl_seat_release(c->seat);
	zct_client_destroy(c->client);
}

static void test_notify(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	struct watcher w = { 0 };
	if (!ctx_open(&c, comp))
		goto out;
	watch(&c, &w, false);
	ZCT_CHECK(zct_wait(c.client, &w.idled, IDLE_WAIT_MS), "no idled after %d ms",
		IDLE_WAIT_MS);
	ZCT_CHECK(!w.resumed, "resumed without input");
	server_run(h, key_fn, NULL);
	ZCT_CHECK(zct_wait(c.client, &w.resumed, IDLE_WAIT_MS), "no resumed after a key");
	w.idled = false;
	ZCT_CHECK(zct_wait(c.client, &w.idled, IDLE_WAIT_MS), "not idle again after the key");
	ext_idle_notification_v1_destroy(w.n);
	zct_expect_no_error(c.client, "idle notification");
out:
	ctx_close(&c);
}

/* An inhibitor on a mapped window: the plain notification and the blanking
 * wait, the input-only notification does not; without it, both go idle. */
static void test_inhibit(struct harness *h, struct zct_compositor *comp)
{
	struct ctx c;
	struct watcher plain = { 0 }, input = { 0 };
	struct zct_window *window = NULL;
	if (!ctx_open(&c, comp))
		goto out;
	window = zct_window_create(c.client, false);
	if (!window || !zct_window_map(window))
		goto out;
	struct zwp_idle_inhibitor_v1 *inhibitor =
		zwp_idle_inhibit_manager_v1_create_inhibitor(c.inhibit, window->surface);
	int32_t blank_ms = TIMEOUT_MS;
	server_run(h, blank_fn, &blank_ms);
	watch(&c, &plain, false);
	watch(&c, &input, true);
	ZCT_CHECK(zct_wait(c.client, &input.idled, IDLE_WAIT_MS),
		"the input-only notification did not go idle");
	bool never = false;
	zct_wait(c.client, &never, QUIET_MS);
	ZCT_CHECK(!plain.idled, "idled despite the inhibitor on a visible surface");
	bool off = true;
	server_run(h, power_fn, &off);
	ZCT_CHECK(!off, "output blanked despite the inhibitor");
	zwp_idle_inhibitor_v1_destroy(inhibitor);
	ZCT_CHECK(zct_wait(c.client, &plain.idled, IDLE_WAIT_MS),
		"no idled once the inhibitor went");
	ext_idle_notification_v1_destroy(plain.n);
	ext_idle_notification_v1_destroy(input.n);
	zct_expect_no_error(c.client, "inhibitor");
out:
	blank_ms = 0;
	server_run(h, blank_fn, &blank_ms);
	zct_window_destroy(window);
	ctx_close(&c);
}

/* Blanked: a frame callback waits (nothing is drawn); a key lights the
 * output and the frame comes. */
static void test_blank(struct harness *h, struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *window = client ? zct_window_create(client, false) : NULL;
	if (!window || !zct_window_map(window))
		goto out;
	int32_t blank_ms = TIMEOUT_MS;
	server_run(h, blank_fn, &blank_ms);
	bool off = false;
	for (int i = 0; i < IDLE_WAIT_MS / 50 && !off; i++) {
		usleep(50 * 1000);
		server_run(h, power_fn, &off);
	}
	ZCT_CHECK(off, "output not blanked after %d ms", IDLE_WAIT_MS);
	struct zct_frame frame = { 0 };
	zct_request_frame(window->surface, &frame);
	zct_show(window->surface, window->buffer);
	zct_wait(client, &frame.done, QUIET_MS);
	ZCT_CHECK(!frame.done, "a frame was drawn on a blanked output");
	server_run(h, key_fn, NULL);
	server_run(h, power_fn, &off);
	ZCT_CHECK(!off, "a key did not light the output");
	ZCT_CHECK(zct_wait(client, &frame.done, IDLE_WAIT_MS), "no frame after the key");
	zct_expect_no_error(client, "blanking");
out:
	blank_ms = 0;
	server_run(h, blank_fn, &blank_ms);
	zct_window_destroy(window);
	zct_client_destroy(client);
}

static bool file_has(const char *path, const char *word)
{
	char text[256] = "";
	FILE *f = fopen(path, "r");
	if (f) {
		size_t n = fread(text, 1, sizeof(text) - 1, f);
		text[n] = '\0';
		fclose(f);
	}
	return strstr(text, word) != NULL;
}

static bool wait_file(const char *path, const char *word)
{
	for (int i = 0; i < 100 && !file_has(path, word); i++)
		usleep(50 * 1000);
	return file_has(path, word);
}

/* swayidle with a 1 s timeout: "idle" after it, "resumed" after a key. */
static void test_swayidle(struct harness *h, const char *dir)
{
	char out[300], idle_cmd[400], resume_cmd[400];
	snprintf(out, sizeof(out), "%s/swayidle.out", dir);
	snprintf(idle_cmd, sizeof(idle_cmd), "echo idle >> %s", out);
	snprintf(resume_cmd, sizeof(resume_cmd), "echo resumed >> %s", out);
	pid_t pid = fork();
	if (pid == 0) {
		setenv("WAYLAND_DISPLAY", SOCKET, 1);
		execlp("swayidle", "swayidle", "-w", "timeout", "1", idle_cmd, "resume",
			resume_cmd, (char *)NULL);
		_exit(127);
	}
	ZCT_CHECK(wait_file(out, "idle"), "swayidle ran no idle command (is it installed?)");
	ZCT_CHECK(!file_has(out, "resumed"), "swayidle resumed without input");
	server_run(h, key_fn, NULL);
	ZCT_CHECK(wait_file(out, "resumed"), "swayidle ran no resume command after a key");
	kill(pid, SIGTERM);
	int status = 0;
	waitpid(pid, &status, 0);
	unlink(out);
}

int main(void)
{
	zc_log_init(ZC_LOG_WARN);
	struct harness h;
	struct zct_compositor comp = { 0 };
	if (harness_start_private(&h, SOCKET, comp.socket_path, sizeof(comp.socket_path))) {
		ZCT_RUN(test_notify, &h, &comp);
		ZCT_RUN(test_inhibit, &h, &comp);
		ZCT_RUN(test_blank, &h, &comp);
		ZCT_RUN(test_swayidle, &h, h.runtime_dir);
	} else {
		ZCT_CHECK(false, "set-up failed");
	}
	harness_stop(&h);
	return zct_exit_status();
}
