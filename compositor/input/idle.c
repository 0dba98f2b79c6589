/* The compositor's idle state: how long since the user last touched an
 * input device. Watches on it, each with its own timeout: the blanking of
 * the outputs (--idle-timeout), and ext_idle_notification_v1 objects.
 * zwp_idle_inhibitor_v1 on a visible surface (a video player) keeps the
 * watches that honour inhibitors from going idle.
 *
 * Input events only stamp the time; a watch's timer, when it fires, looks
 * at the stamp and sleeps again for the rest, so a moving mouse costs no
 * timer updates. */
#include "idle.h"

#include <stdlib.h>
#include <time.h>

#include "core/output.h"
#include "core/surface.h"
#include "ext-idle-notify-v1-server-protocol.h"
#include "idle-inhibit-unstable-v1-server-protocol.h"
#include "seat.h"

#define IDLE_INHIBIT_VERSION 1
#define IDLE_NOTIFY_VERSION 2

struct idle_watch;
typedef void (*idle_watch_fn)(struct idle_watch *watch);

struct idle_watch {
	struct zc_idle *idle;
	uint32_t timeout_ms;
	bool obey_inhibitors;
	bool is_idle;
	struct wl_event_source *timer;
	idle_watch_fn idled, resumed;
	struct wl_list link; /* zc_idle.watches */
};

struct zc_idle {
	struct zc_server *server;
	struct wl_global *inhibit_global, *notify_global;
	struct wl_list watches;    /* idle_watch.link */
	struct wl_list inhibitors; /* idle_inhibitor.link */
	uint64_t last_activity_ms;
	struct idle_watch blank; /* the outputs; timeout 0: never */
	struct wl_listener activity;
};

struct idle_inhibitor {
	struct zc_surface *surface; /* NULL once it went: inert */
	struct wl_listener surface_destroy;
	struct wl_list link;
};

static uint64_t idle_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Visible: mapped, and on an output that is showing. */
static bool idle_inhibited(struct zc_idle *idle)
{
	struct idle_inhibitor *in;
	wl_list_for_each(in, &idle->inhibitors, link) {
		if (in->surface && surface_is_mapped(in->surface) && in->surface->output)
			return true;
	}
	return false;
}

static void watch_arm(struct idle_watch *watch, uint64_t ms)
{
	/* 0 would disarm the timer: a zero timeout fires at the next turn. */
	wl_event_source_timer_update(watch->timer, ms > 0 ? (int)ms : 1);
}

static int handle_watch_timer(void *data)
{
	struct idle_watch *watch = data;
	struct zc_idle *idle = watch->idle;
	uint64_t since = idle_now_ms() - idle->last_activity_ms;
	if (watch->is_idle)
		return 0;
	if (since < watch->timeout_ms) {
		watch_arm(watch, watch->timeout_ms - since);
	} else if (watch->obey_inhibitors && idle_inhibited(idle)) {
		watch_arm(watch, watch->timeout_ms);
	} else {
		watch->is_idle = true;
		watch->idled(watch);
	}
	return 0;
}

static bool watch_init(struct idle_watch *watch, struct zc_idle *idle, uint32_t timeout_ms,
	bool obey_inhibitors, idle_watch_fn idled, idle_watch_fn resumed)
{
	*watch = (struct idle_watch){ .idle = idle, .timeout_ms = timeout_ms,
		.obey_inhibitors = obey_inhibitors, .idled = idled, .resumed = resumed };
	watch->timer = wl_event_loop_add_timer(idle->server->loop, handle_watch_timer, watch);
	if (!watch->timer)
		return false;
	wl_list_insert(&idle->watches, &watch->link);
	watch_arm(watch, timeout_ms);
	return true;
}

static void watch_finish(struct idle_watch *watch)
{
	if (!watch->timer)
		return;
	wl_event_source_remove(watch->timer);
	watch->timer = NULL;
	wl_list_remove(&watch->link);
}

static void handle_idle_activity(struct wl_listener *listener, void *data)
{
	struct zc_idle *idle = wl_container_of(listener, idle, activity);
	idle->last_activity_ms = idle_now_ms();
	struct idle_watch *watch, *tmp;
	wl_list_for_each_safe(watch, tmp, &idle->watches, link) {
		if (!watch->is_idle)
			continue;
		watch->is_idle = false;
		watch_arm(watch, watch->timeout_ms);
		watch->resumed(watch);
	}
}

/* ---- blanking ---- */

static void idle_set_outputs_power(struct zc_idle *idle, bool on)
{
	struct zc_output *output;
	wl_list_for_each(output, &idle->server->outputs, link)
		output_set_power(output, on);
}

static void handle_blank_idled(struct idle_watch *watch)
{
	idle_set_outputs_power(watch->idle, false);
}

static void handle_blank_resumed(struct idle_watch *watch)
{
	idle_set_outputs_power(watch->idle, true);
}

bool idle_set_blank_timeout(struct zc_idle *idle, int32_t timeout_ms)
{
	if (idle->blank.is_idle)
		idle_set_outputs_power(idle, true);
	watch_finish(&idle->blank);
	idle->blank = (struct idle_watch){ 0 };
	if (timeout_ms <= 0)
		return true;
	return watch_init(&idle->blank, idle, (uint32_t)timeout_ms, true, handle_blank_idled,
		handle_blank_resumed);
}

/* ---- zwp_idle_inhibit_manager_v1 ---- */

static void handle_resource_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void inhibitor_forget_surface(struct idle_inhibitor *in)
{
	if (!in->surface)
		return;
	wl_list_remove(&in->surface_destroy.link);
	in->surface = NULL;
}

static void handle_inhibitor_surface_destroy(struct wl_listener *listener, void *data)
{
	struct idle_inhibitor *in = wl_container_of(listener, in, surface_destroy);
	inhibitor_forget_surface(in);
}

static void inhibitor_resource_destroy(struct wl_resource *resource)
{
	struct idle_inhibitor *in = wl_resource_get_user_data(resource);
	inhibitor_forget_surface(in);
	wl_list_remove(&in->link);
	free(in);
}

static const struct zwp_idle_inhibitor_v1_interface inhibitor_impl = {
	.destroy = handle_resource_destroy,
};

static void handle_inhibit_create_inhibitor(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, struct wl_resource *surface)
{
	struct zc_idle *idle = wl_resource_get_user_data(resource);
	struct idle_inhibitor *in = calloc(1, sizeof(*in));
	struct wl_resource *res = in ? wl_resource_create(client, &zwp_idle_inhibitor_v1_interface,
		wl_resource_get_version(resource), id) : NULL;
	if (!res) {
		free(in);
		wl_resource_post_no_memory(resource);
		return;
	}
	in->surface = surface_from_resource(surface);
	in->surface_destroy.notify = handle_inhibitor_surface_destroy;
	wl_signal_add(&in->surface->destroy_signal, &in->surface_destroy);
	wl_list_insert(&idle->inhibitors, &in->link);
	wl_resource_set_implementation(res, &inhibitor_impl, in, inhibitor_resource_destroy);
}

static const struct zwp_idle_inhibit_manager_v1_interface inhibit_manager_impl = {
	.destroy = handle_resource_destroy,
	.create_inhibitor = handle_inhibit_create_inhibitor,
};

/* ---- ext_idle_notifier_v1 ---- */

struct idle_notification {
	struct idle_watch watch;
	struct wl_resource *resource;
};

static void handle_notification_idled(struct idle_watch *watch)
{
	struct idle_notification *n = wl_container_of(watch, n, watch);
	ext_idle_notification_v1_send_idled(n->resource);
}

static void handle_notification_resumed(struct idle_watch *watch)
{
	struct idle_notification *n = wl_container_of(watch, n, watch);
	ext_idle_notification_v1_send_resumed(n->resource);
}

static void notification_resource_destroy(struct wl_resource *resource)
{
	struct idle_notification *n = wl_resource_get_user_data(resource);
	watch_finish(&n->watch);
	free(n);
}

static const struct ext_idle_notification_v1_interface notification_impl = {
	.destroy = handle_resource_destroy,
};

/* The seat argument names our one seat. */
static void notifier_create(struct wl_resource *notifier, uint32_t id, uint32_t timeout,
	bool obey_inhibitors)
{
	struct zc_idle *idle = wl_resource_get_user_data(notifier);
	struct idle_notification *n = calloc(1, sizeof(*n));
	if (!n)
		goto no_memory;
	n->resource = wl_resource_create(wl_resource_get_client(notifier),
		&ext_idle_notification_v1_interface, wl_resource_get_version(notifier), id);
	if (!n->resource)
		goto no_resource;
	if (!watch_init(&n->watch, idle, timeout, obey_inhibitors, handle_notification_idled,
		    handle_notification_resumed))
		goto no_watch;
	wl_resource_set_implementation(n->resource, &notification_impl, n,
		notification_resource_destroy);
	return;
no_watch:
	wl_resource_destroy(n->resource);
no_resource:
	free(n);
no_memory:
	wl_resource_post_no_memory(notifier);
}

static void handle_notifier_get_idle_notification(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, uint32_t timeout, struct wl_resource *seat)
{
	notifier_create(resource, id, timeout, true);
}

static void handle_notifier_get_input_idle_notification(struct wl_client *client,
	struct wl_resource *resource, uint32_t id, uint32_t timeout, struct wl_resource *seat)
{
	notifier_create(resource, id, timeout, false);
}

static const struct ext_idle_notifier_v1_interface notifier_impl = {
	.destroy = handle_resource_destroy,
	.get_idle_notification = handle_notifier_get_idle_notification,
	.get_input_idle_notification = handle_notifier_get_input_idle_notification,
};

/* ---- globals ---- */

static void bind_inhibit_manager(struct wl_client *client, void *data, uint32_t version,
	uint32_t id)
{
	struct wl_resource *resource = wl_resource_create(client,
		&zwp_idle_inhibit_manager_v1_interface, (int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &inhibit_manager_impl, data, NULL);
}

static void bind_notifier(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *resource = wl_resource_create(client, &ext_idle_notifier_v1_interface,
		(int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &notifier_impl, data, NULL);
}

bool idle_global_create(struct zc_server *server)
{
	struct zc_idle *idle = calloc(1, sizeof(*idle));
	if (!idle)
		return false;
	idle->server = server;
	wl_list_init(&idle->watches);
	wl_list_init(&idle->inhibitors);
	idle->last_activity_ms = idle_now_ms();
	idle->activity.notify = handle_idle_activity;
	wl_signal_add(&seat_get_signals(server->seat)->activity, &idle->activity);
	server->idle = idle;
	idle->inhibit_global = wl_global_create(server->display,
		&zwp_idle_inhibit_manager_v1_interface, IDLE_INHIBIT_VERSION, idle,
		bind_inhibit_manager);
	idle->notify_global = wl_global_create(server->display, &ext_idle_notifier_v1_interface,
		IDLE_NOTIFY_VERSION, idle, bind_notifier);
	return idle->inhibit_global && idle->notify_global &&
		idle_set_blank_timeout(idle, server->options->idle_timeout_ms);
}

/* After the clients: only the blanking watch is left. */
void idle_global_destroy(struct zc_server *server)
{
	struct zc_idle *idle = server->idle;
	if (!idle)
		return;
	watch_finish(&idle->blank);
	wl_list_remove(&idle->activity.link);
	if (idle->notify_global)
		wl_global_destroy(idle->notify_global);
	if (idle->inhibit_global)
		wl_global_destroy(idle->inhibit_global);
	free(idle);
	server->idle = NULL;
}
