/* zc-vm-uinput touch WIDTH HEIGHT | zc-vm-uinput keyboard
 * Creates a real kernel input device through /dev/uinput: a multitouch
 * screen (type B slots, INPUT_PROP_DIRECT, axes 0..WIDTH-1 x 0..HEIGHT-1) or
 * a keyboard. Prints "device eventN" once it exists, then plays commands
 * from stdin, one a line, each ending with a SYN_REPORT (one frame):
 *   down SLOT X Y | move SLOT X Y | up SLOT   touch points
 *   key CODE 1|0                                a key press or release
 *   destroy                                     the device goes away now
 * Prints "done LINE" after each command. End of input destroys it too. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/uinput.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MAX_SLOTS 10

static int ufd = -1;
static int next_tracking_id = 1;
static bool slot_down[MAX_SLOTS];

static void emit(int type, int code, int value)
{
	struct input_event ev = { .type = (unsigned short)type, .code = (unsigned short)code,
		.value = value };
	if (write(ufd, &ev, sizeof(ev)) != (ssize_t)sizeof(ev))
		fprintf(stderr, "zc-vm-uinput: write: %s\n", strerror(errno));
}

static int abs_setup(int code, int max)
{
	struct uinput_abs_setup abs = { .code = (unsigned short)code,
		.absinfo = { .minimum = 0, .maximum = max, .resolution = 10 } };
	return ioctl(ufd, UI_ABS_SETUP, &abs);
}

static int setup_touch(int width, int height)
{
	static const int axes[][2] = {
		{ ABS_X, 0 }, { ABS_Y, 1 }, { ABS_MT_POSITION_X, 0 }, { ABS_MT_POSITION_Y, 1 },
	};
	int ret = ioctl(ufd, UI_SET_EVBIT, EV_KEY) | ioctl(ufd, UI_SET_KEYBIT, BTN_TOUCH) |
		ioctl(ufd, UI_SET_EVBIT, EV_ABS) |
		ioctl(ufd, UI_SET_PROPBIT, INPUT_PROP_DIRECT);
	for (size_t i = 0; i < sizeof(axes) / sizeof(axes[0]); i++) {
		ret |= ioctl(ufd, UI_SET_ABSBIT, axes[i][0]);
		ret |= abs_setup(axes[i][0], (axes[i][1] ? height : width) - 1);
	}
	ret |= ioctl(ufd, UI_SET_ABSBIT, ABS_MT_SLOT) | abs_setup(ABS_MT_SLOT, MAX_SLOTS - 1);
	ret |= ioctl(ufd, UI_SET_ABSBIT, ABS_MT_TRACKING_ID) |
		abs_setup(ABS_MT_TRACKING_ID, 65535);
	return ret;
}

static int setup_keyboard(void)
{
	int ret = ioctl(ufd, UI_SET_EVBIT, EV_KEY) | ioctl(ufd, UI_SET_EVBIT, EV_REP);
	for (int key = KEY_ESC; key <= KEY_KPDOT; key++)
		ret |= ioctl(ufd, UI_SET_KEYBIT, key);
	return ret;
}

/* The eventN node of the device just created (its sysfs directory). */
static bool print_event_node(void)
{
	char sysname[64], path[128];
	if (ioctl(ufd, UI_GET_SYSNAME(sizeof(sysname)), sysname) < 0)
		return false;
	snprintf(path, sizeof(path), "/sys/devices/virtual/input/%s", sysname);
	DIR *dir = opendir(path);
	struct dirent *de;
	bool found = false;
	while (dir && !found && (de = readdir(dir))) {
		if (strncmp(de->d_name, "event", 5) == 0) {
			printf("device %s\n", de->d_name);
			found = true;
		}
	}
	if (dir)
		closedir(dir);
	return found;
}

static int touch_count(void)
{
	int n = 0;
	for (int i = 0; i < MAX_SLOTS; i++)
		n += slot_down[i];
	return n;
}

static bool play_touch(const char *cmd, int slot, int x, int y)
{
	if (slot < 0 || slot >= MAX_SLOTS)
		return false;
	emit(EV_ABS, ABS_MT_SLOT, slot);
	if (strcmp(cmd, "up") == 0) {
		emit(EV_ABS, ABS_MT_TRACKING_ID, -1);
		slot_down[slot] = false;
		if (touch_count() == 0)
			emit(EV_KEY, BTN_TOUCH, 0);
		return true;
	}
	bool down = strcmp(cmd, "down") == 0;
	if (down) {
		emit(EV_ABS, ABS_MT_TRACKING_ID, next_tracking_id++);
		if (touch_count() == 0)
			emit(EV_KEY, BTN_TOUCH, 1);
		slot_down[slot] = true;
	}
	emit(EV_ABS, ABS_MT_POSITION_X, x);
	emit(EV_ABS, ABS_MT_POSITION_Y, y);
	emit(EV_ABS, ABS_X, x);
	emit(EV_ABS, ABS_Y, y);
	return true;
}

/* One command line; false on a line it does not understand. */
static bool play(const char *line)
{
	char cmd[16];
	int a = 0, b = 0, c = 0;
	int n = sscanf(line, "%15s %d %d %d", cmd, &a, &b, &c);
	bool ok;
	if (n == 4 && (strcmp(cmd, "down") == 0 || strcmp(cmd, "move") == 0))
		ok = play_touch(cmd, a, b, c);
	else if (n == 2 && strcmp(cmd, "up") == 0)
		ok = play_touch(cmd, a, 0, 0);
	else if (n == 3 && strcmp(cmd, "key") == 0)
		ok = (emit(EV_KEY, a, b), true);
	else
		return false;
	emit(EV_SYN, SYN_REPORT, 0);
	return ok;
}

int main(int argc, char **argv)
{
	bool touch = argc == 4 && strcmp(argv[1], "touch") == 0;
	if (!touch && !(argc == 2 && strcmp(argv[1], "keyboard") == 0)) {
		fprintf(stderr, "usage: zc-vm-uinput touch WIDTH HEIGHT | zc-vm-uinput keyboard\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ufd = open("/dev/uinput", O_WRONLY | O_CLOEXEC);
	if (ufd < 0) {
		fprintf(stderr, "zc-vm-uinput: /dev/uinput: %s\n", strerror(errno));
		return 77;
	}
	struct uinput_setup setup = { .id = { .bustype = BUS_VIRTUAL, .vendor = 0x7a63,
		.product = touch ? 1 : 2, .version = 1 } };
	snprintf(setup.name, sizeof(setup.name), "zc-vm %s", touch ? "touchscreen" : "keyboard");
	int ret = touch ? setup_touch(atoi(argv[2]), atoi(argv[3])) : setup_keyboard();
	if (ret < 0 || ioctl(ufd, UI_DEV_SETUP, &setup) < 0 || ioctl(ufd, UI_DEV_CREATE) < 0 ||
	    !print_event_node()) {
		fprintf(stderr, "zc-vm-uinput: cannot create the device: %s\n", strerror(errno));
		return 1;
	}
	char line[128];
	int status = 0;
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "destroy") == 0)
			break;
		if (!play(line)) {
			fprintf(stderr, "zc-vm-uinput: bad command '%s'\n", line);
			status = 2;
		}
		printf("done %s\n", line);
	}
	ioctl(ufd, UI_DEV_DESTROY);
	close(ufd);
	printf("destroyed\n");
	return status;
}
