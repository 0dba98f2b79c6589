/*
 * Issue 16: a libFuzzer target that drives zcomp (headless, pixman, in
 * process) through its real request handlers.
 *
 * Each input is one client: a socketpair whose server end goes to
 * wl_client_create (as tests/wlcs does) and whose other end this file
 * writes requests into, encoded by hand from the wl_interface tables of the
 * objects the client holds. The input bytes choose: which live object, which
 * of its requests (only those its version has), and every argument: int32 and
 * uint32 from a table of extremes or raw, strings, arrays, objects of the
 * interface the request names (or null where allowed), new ids (a bind names
 * one of the globals zcomp showed this client), fds (memfds of chosen sizes,
 * pipes). So every message is well-formed on the wire and the fuzzer's
 * effort goes into the handlers, not into libwayland's demarshaller.
 * Between requests zcomp's loop runs once and the client's events are read
 * and dropped (fds closed); objects zcomp destroyed are forgotten. Some
 * bytes inject input (pointer, keys, touch) through the seat paths the
 * libinput backend uses.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pixman.h>
#include <wayland-server-core.h>
#include <wayland-server-protocol.h>

#include "base/log.h"
#include "input/seat.h"
#include "input/touch.h"
#include "options.h"
#include "zcomp.h"

#define MAX_OBJECTS 256
#define MAX_GLOBALS 64
#define MAX_ARGS 20
#define MAX_OPS 400
#define MSG_MAX 4096 /* libwayland's limit for one message */
#define ECHO_VALUES 16
#define MAX_FRAMES 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* ---- pixman's "Invalid rectangle passed" as a finding ---- */

/* pixman only logs a rectangle with negative size or an overflowing edge
 * (ten times per process, then nothing) and computes the edge in int
 * itself. zcomp must never pass one: these wrappers make it a crash the
 * fuzzer records, then call pixman's own function. */
static void check_rect(const char *fn, int x, int y, int64_t width, int64_t height)
{
	if (width < 0 || height < 0 || x + width > INT32_MAX || y + height > INT32_MAX) {
		fprintf(stderr, "fuzz: %s(%d, %d, %lld, %lld): invalid rectangle\n", fn, x, y,
			(long long)width, (long long)height);
		abort();
	}
}

#define REAL(fn) ((__typeof__(&fn))dlsym(RTLD_NEXT, #fn))

void pixman_region32_init_rect(pixman_region32_t *region, int x, int y, unsigned int width,
	unsigned int height)
{
	check_rect(__func__, x, y, (int32_t)width, (int32_t)height);
	REAL(pixman_region32_init_rect)(region, x, y, width, height);
}

pixman_bool_t pixman_region32_union_rect(pixman_region32_t *dest, const pixman_region32_t *source,
	int x, int y, unsigned int width, unsigned int height)
{
	check_rect(__func__, x, y, (int32_t)width, (int32_t)height);
	return REAL(pixman_region32_union_rect)(dest, source, x, y, width, height);
}

pixman_bool_t pixman_region32_intersect_rect(pixman_region32_t *dest,
	const pixman_region32_t *source, int x, int y, unsigned int width, unsigned int height)
{
	check_rect(__func__, x, y, (int32_t)width, (int32_t)height);
	return REAL(pixman_region32_intersect_rect)(dest, source, x, y, width, height);
}

/* ---- the input as a stream of choices ---- */

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t take8(struct input *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t take32(struct input *in)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | take8(in);
	return v;
}

static const int32_t int_values[] = {
	0, 1, -1, 2, 3, 7, 16, 32, 64, 100, 255, 256, 1000, 4096, 65535, 65536,
	1 << 24, 1 << 28, -(1 << 28), INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1,
	INT32_MAX / 2, -100,
};

static const uint32_t uint_values[] = {
	0, 1, 2, 3, 4, 5, 6, 8, 15, 16, 0x110, 0x111, 30, 1000, 0x7fffffff, 0x80000000,
	0xffffffff, 0xfffffffe, 0x34325241 /* AR24 */, 0x34325258 /* XR24 */,
	0x3231564e /* NV12 */, 0x56595559 /* YUYV */,
};

static int32_t take_int(struct input *in)
{
	uint8_t how = take8(in);
	if (how < 200)
		return int_values[how % (sizeof(int_values) / sizeof(int_values[0]))];
	if (how < 240)
		return (int32_t)(take8(in) % 200) - 20;
	return (int32_t)take32(in);
}

static uint32_t echoed(uint8_t pick);

static uint32_t take_uint(struct input *in)
{
	uint8_t how = take8(in);
	if (how >= 120 && how < 180)
		return echoed(take8(in));
	if (how < 180)
		return uint_values[how % (sizeof(uint_values) / sizeof(uint_values[0]))];
	if (how < 240)
		return take8(in) % 64;
	return take32(in);
}

/* ---- the client's view of its objects ---- */

struct object {
	uint32_t id;
	const struct wl_interface *iface;
	uint32_t version;
};

struct global {
	uint32_t name, version;
	const struct wl_interface *iface;
};

static struct {
	struct zc_options options;
	struct zc_server server;
	bool ready;
	bool finishing;
	bool trace; /* ZC_FUZZ_LOG set: requests and zcomp's debug log on stderr */
	char runtime_dir[64];

	/* The current input's client. */
	struct wl_client *client;
	struct wl_listener client_destroy;
	int fd; /* our end */
	struct object objects[MAX_OBJECTS];
	int n_objects;
	uint32_t next_id;
	struct global globals[MAX_GLOBALS];
	int n_globals;
	/* Events not yet parsed, and the uint values recent events carried. */
	uint8_t in_buf[2 * MSG_MAX];
	size_t in_len;
	uint32_t echo[ECHO_VALUES];
	unsigned int n_echo;
	int n_frames; /* waited for in this input */
} fz;

/* Sees every global zcomp shows the fuzz client: what a bind may name. */
static bool global_filter(const struct wl_client *client, const struct wl_global *global,
	void *data)
{
	(void)data;
	static bool inside; /* wl_global_get_name asks this filter too */
	if (client != fz.client || inside)
		return true;
	inside = true;
	uint32_t name = wl_global_get_name(global, client);
	inside = false;
	for (int i = 0; i < fz.n_globals; i++) {
		if (fz.globals[i].name == name)
			return true;
	}
	if (fz.n_globals < MAX_GLOBALS)
		fz.globals[fz.n_globals++] = (struct global){
			name, wl_global_get_version(global), wl_global_get_interface(global) };
	return true;
}

static void handle_client_destroy(struct wl_listener *listener, void *data)
{
	(void)data;
	wl_list_remove(&listener->link);
	fz.client = NULL;
	if (fz.trace)
		fprintf(stderr, "fuzz: client %s\n", fz.finishing ? "closed" : "killed by zcomp");
}

static void add_object(uint32_t id, const struct wl_interface *iface, uint32_t version)
{
	if (fz.n_objects < MAX_OBJECTS)
		fz.objects[fz.n_objects++] = (struct object){ id, iface, version };
}

/* Objects zcomp destroyed (destructors, callbacks done, errors) are gone. */
static void prune_objects(void)
{
	int kept = 0;
	for (int i = 0; i < fz.n_objects; i++) {
		if (fz.client && wl_client_get_object(fz.client, fz.objects[i].id))
			fz.objects[kept++] = fz.objects[i];
	}
	fz.n_objects = kept;
}

static struct object *object_of(const struct wl_interface *iface, uint8_t pick)
{
	int matches = 0;
	for (int i = 0; i < fz.n_objects; i++)
		matches += strcmp(fz.objects[i].iface->name, iface->name) == 0;
	if (matches == 0)
		return NULL;
	int want = pick % matches;
	for (int i = 0; i < fz.n_objects; i++) {
		if (strcmp(fz.objects[i].iface->name, iface->name) == 0 && want-- == 0)
			return &fz.objects[i];
	}
	return NULL;
}

static uint32_t echoed(uint8_t pick)
{
	unsigned int n = fz.n_echo < ECHO_VALUES ? fz.n_echo : ECHO_VALUES;
	return n ? fz.echo[(fz.n_echo - 1 - pick % n) % ECHO_VALUES] : 0;
}

/* ---- encoding one request ---- */

struct message {
	uint32_t words[MSG_MAX / 4];
	size_t len; /* in words */
	int fds[MAX_ARGS];
	int n_fds;
	/* Objects the request creates, added once it is sent. */
	struct object created[MAX_ARGS];
	int n_created;
};

static bool put_word(struct message *m, uint32_t word)
{
	if (m->len >= MSG_MAX / 4)
		return false;
	m->words[m->len++] = word;
	return true;
}

static bool put_bytes(struct message *m, const void *bytes, uint32_t size)
{
	size_t words = (size + 3) / 4;
	if (!put_word(m, size) || m->len + words > MSG_MAX / 4)
		return false;
	memset(&m->words[m->len], 0, words * 4);
	memcpy(&m->words[m->len], bytes, size);
	m->len += words;
	return true;
}

static const char *const strings[] = {
	"", "a", "zcomp", "text/plain", "text/plain;charset=utf-8", "UTF8_STRING",
	"org.zcomp.fuzz", "seat0", "default", "left_ptr",
};

static bool put_string(struct message *m, struct input *in, bool nullable)
{
	uint8_t how = take8(in);
	if (nullable && how < 16)
		return put_word(m, 0);
	char text[160];
	size_t len;
	if (how < 200) {
		const char *s = strings[how % (sizeof(strings) / sizeof(strings[0]))];
		len = strlen(s);
		memcpy(text, s, len);
	} else {
		len = take8(in) % (sizeof(text) - 1);
		for (size_t i = 0; i < len; i++)
			text[i] = (char)(take8(in) % 95 + 32); /* no NUL inside */
	}
	text[len] = '\0';
	return put_bytes(m, text, (uint32_t)len + 1);
}

static bool put_array(struct message *m, struct input *in)
{
	uint8_t bytes[128];
	size_t len = take8(in) % sizeof(bytes);
	for (size_t i = 0; i < len; i++)
		bytes[i] = take8(in);
	return put_bytes(m, bytes, (uint32_t)len);
}

static int make_fd(struct input *in)
{
	static const off_t sizes[] = { 0, 1, 12, 4096, 64 * 64 * 4, 65536, 1 << 20 };
	uint8_t how = take8(in);
	if (how >= 224) {
		int p[2];
		if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
			return -1;
		close(how & 1 ? p[0] : p[1]);
		return how & 1 ? p[1] : p[0];
	}
	int fd = memfd_create("zcomp-fuzz", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	off_t size = how < 200 ? sizes[how % (sizeof(sizes) / sizeof(sizes[0]))] :
		(off_t)(take32(in) % (1 << 22));
	if (ftruncate(fd, size) != 0) {
		close(fd);
		return -1;
	}
	if (how % 7 == 0)
		fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL);
	return fd;
}

static bool put_new_id(struct message *m, const struct wl_interface *iface, uint32_t version)
{
	if (!iface)
		return false; /* only wl_registry.bind has one: encode_bind */
	m->created[m->n_created++] = (struct object){ fz.next_id, iface, version };
	return put_word(m, fz.next_id++);
}

/* wl_registry.bind ("usun": the scanner spells out the untyped new_id):
 * one of the globals zcomp showed, at a version it has. */
static bool encode_bind(struct message *m, struct input *in)
{
	if (fz.n_globals == 0)
		return false;
	uint8_t pick = take8(in);
	const struct global *g = &fz.globals[pick % fz.n_globals];
	uint32_t v = 1 + take8(in) % g->version;
	if (fz.trace) {
		for (int i = 0; i < fz.n_globals; i++)
			fprintf(stderr, "fuzz: global %d %s v%u%s\n", i, fz.globals[i].iface->name,
				fz.globals[i].version, fz.globals + i == g ? " <- bind" : "");
	}
	m->created[m->n_created++] = (struct object){ fz.next_id, g->iface, v };
	return put_word(m, g->name) &&
		put_bytes(m, g->iface->name, (uint32_t)strlen(g->iface->name) + 1) &&
		put_word(m, v) && put_word(m, fz.next_id++);
}

static bool put_arg(struct message *m, struct input *in, char type, bool nullable,
	const struct wl_interface *iface, uint32_t version)
{
	switch (type) {
	case 'i':
		return put_word(m, (uint32_t)take_int(in));
	case 'u':
		return put_word(m, take_uint(in));
	case 'f':
		return put_word(m, take8(in) < 200 ? (uint32_t)take_int(in) * 256u : take32(in));
	case 's':
		return put_string(m, in, nullable);
	case 'a':
		return put_array(m, in);
	case 'o': {
		uint8_t pick = take8(in);
		if (nullable && pick < 32)
			return put_word(m, 0);
		const struct object *o = iface ? object_of(iface, pick) : NULL;
		if (!o)
			return nullable && put_word(m, 0);
		return put_word(m, o->id);
	}
	case 'n':
		return put_new_id(m, iface, version);
	case 'h': {
		int fd = make_fd(in);
		if (fd < 0)
			return false;
		m->fds[m->n_fds++] = fd;
		return true;
	}
	}
	return false;
}

static int since_of(const struct wl_message *msg)
{
	int since = atoi(msg->signature);
	return since > 0 ? since : 1;
}

/* Encodes request `opcode` of `o`; false if it cannot be made well-formed
 * (an object argument whose interface the client holds none of). */
static bool encode_request(struct message *m, struct input *in, const struct object *o,
	int opcode)
{
	const struct wl_message *msg = &o->iface->methods[opcode];
	m->len = 0;
	put_word(m, o->id);
	put_word(m, 0); /* size and opcode, below */
	if (strcmp(o->iface->name, "wl_registry") == 0) {
		if (!encode_bind(m, in))
			return false;
		m->words[1] = (uint32_t)(m->len * 4) << 16 | (uint32_t)opcode;
		return true;
	}
	int arg = 0;
	bool nullable = false;
	for (const char *c = msg->signature; *c; c++) {
		if (*c >= '0' && *c <= '9')
			continue;
		if (*c == '?') {
			nullable = true;
			continue;
		}
		if (!put_arg(m, in, *c, nullable, msg->types[arg], o->version))
			return false;
		nullable = false;
		arg++;
	}
	m->words[1] = (uint32_t)(m->len * 4) << 16 | (uint32_t)opcode;
	return true;
}

static void message_discard(struct message *m)
{
	for (int i = 0; i < m->n_fds; i++)
		close(m->fds[i]);
	m->n_fds = 0;
	fz.next_id -= (uint32_t)m->n_created; /* the ids were never sent */
	m->n_created = 0;
}

static bool send_message(struct message *m)
{
	struct iovec iov = { m->words, m->len * 4 };
	char control[CMSG_SPACE(sizeof(int) * MAX_ARGS)];
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (m->n_fds > 0) {
		memset(control, 0, sizeof(control));
		mh.msg_control = control;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)m->n_fds);
		struct cmsghdr *cmsg = CMSG_FIRSTHDR(&mh);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)m->n_fds);
		memcpy(CMSG_DATA(cmsg), m->fds, sizeof(int) * (size_t)m->n_fds);
	}
	ssize_t sent = sendmsg(fz.fd, &mh, MSG_NOSIGNAL);
	for (int i = 0; i < m->n_fds; i++)
		close(m->fds[i]);
	m->n_fds = 0;
	if (sent != (ssize_t)(m->len * 4))
		return false;
	for (int i = 0; i < m->n_created; i++)
		add_object(m->created[i].id, m->created[i].iface, m->created[i].version);
	m->n_created = 0;
	return true;
}

/* ---- running zcomp and reading its events ---- */

static const struct object *object_by_id(uint32_t id)
{
	for (int i = 0; i < fz.n_objects; i++) {
		if (fz.objects[i].id == id)
			return &fz.objects[i];
	}
	return NULL;
}

/* One event: its uint arguments become values requests may echo (configure
 * serials for ack_configure, input serials for grabs and selections), and
 * the objects it creates (wl_data_offer ...) become live objects. */
static void parse_event(const uint32_t *words, size_t n_words)
{
	const struct object *o = object_by_id(words[0]);
	uint32_t opcode = words[1] & 0xffff;
	if (!o || opcode >= (uint32_t)o->iface->event_count)
		return;
	const struct wl_message *msg = &o->iface->events[opcode];
	size_t at = 2;
	int arg = 0;
	for (const char *c = msg->signature; *c && at <= n_words; c++) {
		if ((*c >= '0' && *c <= '9') || *c == '?')
			continue;
		const struct wl_interface *type = msg->types[arg++];
		if (*c == 'h')
			continue;
		if (at >= n_words)
			return;
		uint32_t word = words[at++];
		if (*c == 's' || *c == 'a')
			at += (word + 3) / 4;
		else if (*c == 'u')
			fz.echo[fz.n_echo++ % ECHO_VALUES] = word;
		else if (*c == 'n' && type)
			add_object(word, type, o->version);
	}
}

static void parse_events(void)
{
	size_t at = 0;
	while (fz.in_len - at >= 8) {
		uint32_t header[2];
		memcpy(header, fz.in_buf + at, 8);
		size_t size = header[1] >> 16;
		if (size < 8 || size % 4 != 0) {
			at = fz.in_len; /* cannot happen on libwayland's wire; resync */
			break;
		}
		if (fz.in_len - at < size)
			break;
		uint32_t words[MSG_MAX / 4];
		memcpy(words, fz.in_buf + at, size);
		parse_event(words, size / 4);
		at += size;
	}
	memmove(fz.in_buf, fz.in_buf + at, fz.in_len - at);
	fz.in_len -= at;
}

static void drain_events(void)
{
	char control[CMSG_SPACE(sizeof(int) * 28)];
	for (;;) {
		if (fz.in_len == sizeof(fz.in_buf))
			fz.in_len = 0; /* a message longer than libwayland's limit: drop */
		struct iovec iov = { fz.in_buf + fz.in_len, sizeof(fz.in_buf) - fz.in_len };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = control, .msg_controllen = sizeof(control) };
		ssize_t n = recvmsg(fz.fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n <= 0)
			return;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			size_t n_fds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			int fds[28];
			memcpy(fds, CMSG_DATA(c), n_fds * sizeof(int));
			for (size_t i = 0; i < n_fds; i++)
				close(fds[i]);
		}
		fz.in_len += (size_t)n;
		parse_events();
	}
}

static void run_server(void)
{
	wl_event_loop_dispatch(fz.server.loop, 0);
	wl_display_flush_clients(fz.server.display);
	drain_events();
	prune_objects();
}

static void inject_input(struct input *in)
{
	struct zc_seat *seat = fz.server.seat;
	uint32_t now = server_time_msec(&fz.server);
	/* Each choice in its own statement: argument order is unspecified. */
	uint8_t what = take8(in) % 7;
	double x = (double)(take8(in) * 3) - 40;
	double y = (double)(take8(in) * 2) - 20;
	uint8_t which = take8(in), how = take8(in);
	struct zc_touch *touch = seat_get_touch(seat);
	switch (what) {
	case 0:
		seat_notify_motion_absolute(seat, now, x, y);
		break;
	case 1:
		seat_notify_button(seat, now, 0x110 + which % 3, how & 1);
		break;
	case 2:
		seat_notify_axis(seat, now, which & 1, x / 8, (int32_t)(y * 4));
		break;
	case 3:
		seat_notify_key(seat, now, which % 120, how & 1);
		return;
	case 4:
		if (touch) {
			touch_notify_down(touch, now, which % 3, x, y);
			touch_notify_frame(touch);
		}
		return;
	case 5:
		if (touch) {
			touch_notify_up(touch, now, which % 3);
			touch_notify_frame(touch);
		}
		return;
	case 6:
		if (touch) {
			touch_notify_motion(touch, now, which % 3, x, y);
			touch_notify_frame(touch);
		}
		return;
	}
	seat_notify_frame(seat);
}

/* One step: mostly a request on a live object, sometimes a bind, input, or
 * letting zcomp's timers run. */
static void step(struct input *in, struct message *m)
{
	uint8_t what = take8(in);
	if (what >= 248) {
		inject_input(in);
		return;
	}
	if (what >= 244) {
		/* Time passes: the output's next frame (60 Hz) repaints, sends
		 * frame callbacks and presentation feedback, releases fifo
		 * barriers and timed commits, fills captures. It costs up to
		 * 17 ms: a few per input, or the fuzzer slows to a crawl. */
		if (fz.n_frames++ < MAX_FRAMES)
			wl_event_loop_dispatch(fz.server.loop, 17);
		return;
	}
	const struct object *o = NULL;
	if (what >= 216) {
		o = object_of(&wl_registry_interface, 0);
	}
	if (!o)
		o = &fz.objects[take8(in) % fz.n_objects];
	int usable = 0;
	for (int i = 0; i < o->iface->method_count; i++)
		usable += since_of(&o->iface->methods[i]) <= (int)o->version;
	if (usable == 0)
		return;
	int pick = take8(in) % usable, opcode = 0;
	for (; opcode < o->iface->method_count; opcode++) {
		if (since_of(&o->iface->methods[opcode]) <= (int)o->version && pick-- == 0)
			break;
	}
	if (!encode_request(m, in, o, opcode)) {
		message_discard(m);
		return;
	}
	if (fz.trace)
		fprintf(stderr, "fuzz: %s@%u.%s (%zu bytes, %d fds)\n", o->iface->name, o->id,
			o->iface->methods[opcode].name, m->len * 4, m->n_fds);
	send_message(m);
}

static bool client_start(void)
{
	int fds[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
		return false;
	fz.n_objects = 0;
	fz.n_globals = 0;
	fz.in_len = 0;
	fz.n_echo = 0;
	fz.n_frames = 0;
	fz.next_id = 2;
	fz.fd = fds[1];
	fz.client = wl_client_create(fz.server.display, fds[0]);
	if (!fz.client) {
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	fz.client_destroy.notify = handle_client_destroy;
	wl_client_add_destroy_listener(fz.client, &fz.client_destroy);
	add_object(1, &wl_display_interface, 1);
	/* Every session starts with the registry: the globals are the way in. */
	static struct message m;
	struct input none = { NULL, 0 };
	encode_request(&m, &none, &fz.objects[0], 1); /* wl_display.get_registry */
	return send_message(&m);
}

static void client_finish(void)
{
	fz.finishing = true;
	if (fz.client)
		wl_client_destroy(fz.client);
	fz.finishing = false;
	close(fz.fd);
	/* Idle sources and deferred frees of the gone client. */
	for (int i = 0; i < 3; i++)
		wl_event_loop_dispatch(fz.server.loop, 0);
}

/* libwayland's line per protocol error the fuzzer provokes, thousands a
 * second, says nothing a crash report would not. */
static void quiet_wl_log(const char *fmt, va_list args)
{
	(void)fmt;
	(void)args;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!getenv("XDG_RUNTIME_DIR")) {
		strcpy(fz.runtime_dir, "/tmp/zcomp-fuzz-XXXXXX");
		if (!mkdtemp(fz.runtime_dir) || setenv("XDG_RUNTIME_DIR", fz.runtime_dir, 1) != 0)
			abort();
	}
	const char *verbose = getenv("ZC_FUZZ_LOG");
	fz.trace = verbose != NULL;
	fz.options = (struct zc_options){
		.backend = "headless", .renderer = "pixman", .n_outputs = 1,
		.width = 320, .height = 240, .refresh_mhz = 60000,
		.log_level = verbose ? ZC_LOG_DEBUG : ZC_LOG_ERROR,
	};
	zc_log_init(fz.options.log_level);
	if (!fz.trace)
		wl_log_set_handler_server(quiet_wl_log);
	if (!zcomp_init(&fz.server, &fz.options) || !zcomp_start(&fz.server))
		abort();
	wl_display_set_global_filter(fz.server.display, global_filter, NULL);
	fz.ready = true;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	static struct message m;
	if (!fz.ready || !client_start())
		return 0;
	run_server();
	for (int op = 0; op < MAX_OPS && in.n > 0 && fz.client; op++) {
		step(&in, &m);
		if (fz.client)
			run_server();
	}
	client_finish();
	return 0;
}
