/* Guest test: QEMU monitor input commands asked for from inside the guest (zc-vm-monitor:
 * sendkey, mouse_move, mouse_button) arrive as evdev events on the virtio keyboard and
 * mouse. This is the channel later input tests use. */
#include "vmutil.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int open_input(const char *name)
{
	for (int i = 0; i < 32; i++) {
		char path[64], got[128] = "";
		snprintf(path, sizeof(path), "/dev/input/event%d", i);
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (ioctl(fd, EVIOCGNAME(sizeof(got) - 1), got) >= 0 && strcmp(got, name) == 0) {
			printf("%s: %s\n", name, path);
			return fd;
		}
		close(fd);
	}
	return -1;
}

static void drain(int fd)
{
	struct input_event ev;
	while (read(fd, &ev, sizeof(ev)) == (ssize_t)sizeof(ev))
		;
}

/* Reads events for up to timeout_ms until one with (type, code) and, if value_match,
 * value == value arrives. Returns true then; *value_out gets its value. */
static bool wait_event(int fd, uint16_t type, uint16_t code, bool value_match, int32_t value,
		       int32_t *value_out, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	for (int waited = 0; waited < timeout_ms; waited += 50) {
		struct input_event ev;
		while (read(fd, &ev, sizeof(ev)) == (ssize_t)sizeof(ev)) {
			if (ev.type == type && ev.code == code && (!value_match || ev.value == value)) {
				if (value_out)
					*value_out = ev.value;
				return true;
			}
		}
		poll(&pfd, 1, 50);
	}
	return false;
}

static bool monitor(const char *cmd, const char *arg1, const char *arg2)
{
	char *argv[] = { "zc-vm-monitor", (char *)cmd, (char *)arg1, (char *)arg2, NULL };
	int st = zc_run(argv);
	return zc_check(st == 0, "zc-vm-monitor %s %s %s (exit %d)", cmd, arg1 ? arg1 : "",
			arg2 ? arg2 : "", st);
}

int main(void)
{
	int kbd = open_input("QEMU Virtio Keyboard");
	int mouse = open_input("QEMU Virtio Mouse");
	if (!zc_check(kbd >= 0 && mouse >= 0, "virtio keyboard and mouse event devices"))
		return 1;
	drain(kbd);
	drain(mouse);

	if (monitor("sendkey", "a", NULL)) {
		zc_check(wait_event(kbd, EV_KEY, KEY_A, true, 1, NULL, 5000), "KEY_A press");
		zc_check(wait_event(kbd, EV_KEY, KEY_A, true, 0, NULL, 5000), "KEY_A release");
	}
	if (monitor("mouse_move", "20", "10")) {
		int32_t dx = 0, dy = 0;
		bool got_x = wait_event(mouse, EV_REL, REL_X, false, 0, &dx, 5000);
		bool got_y = wait_event(mouse, EV_REL, REL_Y, false, 0, &dy, 5000);
		zc_check(got_x && dx > 0, "REL_X motion (%d)", dx);
		zc_check(got_y && dy > 0, "REL_Y motion (%d)", dy);
	}
	if (monitor("mouse_button", "1", NULL))
		zc_check(wait_event(mouse, EV_KEY, BTN_LEFT, true, 1, NULL, 5000), "BTN_LEFT press");
	if (monitor("mouse_button", "0", NULL))
		zc_check(wait_event(mouse, EV_KEY, BTN_LEFT, true, 0, NULL, 5000), "BTN_LEFT release");
	close(kbd);
	close(mouse);
	printf("%d failure(s)\n", zc_failures);
	return zc_failures ? 1 : 0;
}
