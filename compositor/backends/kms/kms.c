/*
 * The KMS backend: a DRM device found through udev (or --drm-device), opened
 * through the seat session, driven with atomic commits. Its outputs follow
 * the connectors: one per connected connector with a free CRTC, created and
 * destroyed as the udev monitor reports hotplugs.
 */
#include <errno.h>
#include <fcntl.h>
#include <libudev.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kms.h"
#include "backends/backends.h"
#include "backends/session/session.h"

/* ---- connectors and outputs ---- */

static bool resources_have_connector(const drmModeRes *res, uint32_t id)
{
	for (int i = 0; i < res->count_connectors; i++) {
		if (res->connectors[i] == id)
			return true;
	}
	return false;
}

/* Outputs for connected connectors, none for the others (start-up and every
 * hotplug event). */
static void kms_backend_scan(struct kms_backend *backend)
{
	struct kms_device *dev = backend->device;
	drmModeRes *res = drmModeGetResources(dev->fd);
	if (!res) {
		zc_err("kms: cannot read the connectors of %s: %s", dev->path, strerror(errno));
		return;
	}
	struct kms_output *out, *tmp;
	wl_list_for_each_safe(out, tmp, &backend->outputs, link) {
		if (!resources_have_connector(res, out->connector_id))
			kms_output_destroy(out);
	}
	for (int i = 0; i < res->count_connectors; i++) {
		drmModeConnector *conn = drmModeGetConnector(dev->fd, res->connectors[i]);
		if (!conn || conn->connector_type == DRM_MODE_CONNECTOR_WRITEBACK) {
			drmModeFreeConnector(conn);
			continue;
		}
		out = kms_output_by_connector(backend, conn->connector_id);
		if (out && !kms_connector_is_usable(conn)) {
			zc_info("kms: connector %u unplugged", conn->connector_id);
			kms_output_destroy(out);
		} else if (!out && kms_connector_is_usable(conn)) {
			kms_output_create(backend, conn);
		}
		drmModeFreeConnector(conn);
	}
	drmModeFreeResources(res);
}

/* ---- DRM events ---- */

/* Both kinds of event carry the kms_crtc they were asked for; its output may
 * have been unplugged since (then crtc->output is NULL or another output
 * that is not waiting, which ignores it). */
static void handle_drm_page_flip(int fd, unsigned int seq, unsigned int tv_sec,
	unsigned int tv_usec, unsigned int crtc_id, void *data)
{
	struct kms_crtc *crtc = data;
	if (!crtc || !crtc->output)
		return;
	struct timespec when = { .tv_sec = tv_sec, .tv_nsec = (long)tv_usec * 1000 };
	kms_output_handle_flip(crtc->output, seq, &when);
}

static void handle_drm_sequence(int fd, uint64_t seq, uint64_t ns, uint64_t user_data)
{
	struct kms_crtc *crtc = (struct kms_crtc *)(uintptr_t)user_data;
	if (!crtc || !crtc->output)
		return;
	struct timespec when = timespec_from_ns(ns);
	kms_output_handle_vblank(crtc->output, seq, &when);
}

static int handle_drm_readable(int fd, uint32_t mask, void *data)
{
	drmEventContext ctx = {
		.version = 4,
		.page_flip_handler2 = handle_drm_page_flip,
		.sequence_handler = handle_drm_sequence,
	};
	if (drmHandleEvent(fd, &ctx) != 0)
		zc_err("kms: reading DRM events failed: %s", strerror(errno));
	return 0;
}

/* ---- the device ---- */

/* Without DRM master the kernel refuses it anyway; refusing it here makes a
 * commit path that forgot the session visible in the log. */
int kms_device_commit(struct kms_device *dev, const struct kms_atomic *atom, uint32_t flags,
	void *user_data)
{
	struct kms_backend *backend = dev->backend;
	if (atom->error) {
		zc_err("kms: request not committed: a property of object %u could not be added: %s",
			atom->object_id, strerror(atom->error));
		errno = atom->error;
		return -1;
	}
	if (!backend->session->active) {
		uint64_t n = ++backend->inactive_commits;
		if (n <= 5 || n % 100 == 0)
			zc_warn("kms: commit while the session is inactive refused (%llu so far)",
				(unsigned long long)n);
		errno = EACCES;
		return -1;
	}
	return drmModeAtomicCommit(dev->fd, atom->req, flags, user_data);
}

static bool has_connected_connector(int fd)
{
	drmModeRes *res = drmModeGetResources(fd);
	bool found = false;
	for (int i = 0; res && i < res->count_connectors && !found; i++) {
		drmModeConnector *conn = drmModeGetConnector(fd, res->connectors[i]);
		found = conn && kms_connector_is_usable(conn);
		drmModeFreeConnector(conn);
	}
	drmModeFreeResources(res);
	return found;
}

/* Atomic modesetting, or nothing: no legacy paths to maintain. */
static bool device_set_caps(struct kms_device *dev)
{
	if (drmSetClientCap(dev->fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) != 0 ||
	    drmSetClientCap(dev->fd, DRM_CLIENT_CAP_ATOMIC, 1) != 0) {
		zc_err("kms: %s (%s) does not support atomic modesetting", dev->path, dev->driver);
		return false;
	}
	uint64_t cap = 0;
	if (drmGetCap(dev->fd, DRM_CAP_TIMESTAMP_MONOTONIC, &cap) != 0 || !cap)
		zc_warn("kms: %s: event timestamps are not CLOCK_MONOTONIC", dev->path);
	cap = 0;
	dev->async_atomic = drmGetCap(dev->fd, DRM_CAP_ATOMIC_ASYNC_PAGE_FLIP, &cap) == 0 && cap;
	zc_info("kms: %s: atomic async page flips %s", dev->path,
		dev->async_atomic ? "supported" : "not supported (tearing hints get normal flips)");
	/* Virtualized drivers (virtio-gpu) show their cursor plane only to
	 * clients that give its hotspot; we do (kms_cursor.c). */
	if (drmSetClientCap(dev->fd, DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT, 1) == 0)
		zc_debug("kms: %s: cursor plane hotspots on", dev->path);
	if (drmSetClientCap(dev->fd, DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1) != 0)
		zc_debug("kms: %s: no writeback connectors", dev->path);
	return true;
}

/* Drivers without vblank support (virtio-gpu) refuse vblank queries outright;
 * the others answer, or fail only because the CRTC is still off. */
static bool device_probe_vblank(struct kms_device *dev)
{
	if (dev->n_crtcs == 0)
		return false;
	uint64_t seq, ns;
	if (drmCrtcGetSequence(dev->fd, dev->crtcs[0].id, &seq, &ns) == 0)
		return true;
	return errno != EOPNOTSUPP;
}

static void device_close(struct kms_backend *backend)
{
	struct kms_device *dev = backend->device;
	if (!dev)
		return;
	if (dev->drm_source)
		wl_event_source_remove(dev->drm_source);
	kms_device_forget(dev);
	session_close_device(backend->session, dev->device_id, dev->fd);
	free(dev->path);
	free(dev->driver);
	free(dev);
	backend->device = NULL;
}

/* Opens path through the session; with require_output, only a card with a
 * connected connector is kept. */
static bool device_open(struct kms_backend *backend, const char *path, bool require_output)
{
	struct kms_device *dev = calloc(1, sizeof(*dev));
	if (!dev)
		return false;
	dev->backend = backend;
	dev->fd = session_open_device(backend->session, path, &dev->device_id);
	if (dev->fd < 0) {
		zc_log(require_output ? ZC_LOG_DEBUG : ZC_LOG_ERROR,
			"kms: cannot open %s: %s", path, strerror(errno));
		free(dev);
		return false;
	}
	backend->device = dev;
	dev->path = strdup(path);
	drmVersion *version = drmGetVersion(dev->fd);
	dev->driver = strdup(version ? version->name : "unknown");
	drmFreeVersion(version);
	struct stat st;
	if (fstat(dev->fd, &st) == 0)
		dev->devnum = st.st_rdev;
	if (!dev->path || !dev->driver ||
	    (require_output && !has_connected_connector(dev->fd))) {
		device_close(backend);
		return false;
	}
	return true;
}

/* Without a udev daemon there is no ID_SEAT: everything is seat0's. The noop
 * seat (libseat < 0.8 calls it "noop") takes whatever it is given. */
static bool device_on_seat(struct udev_device *udev_dev, const char *seat)
{
	const char *dev_seat = udev_device_get_property_value(udev_dev, "ID_SEAT");
	return strcmp(seat, "noop") == 0 || strcmp(dev_seat ? dev_seat : "seat0", seat) == 0;
}

/* The first DRM card on our seat with a connected connector. */
static bool device_discover(struct kms_backend *backend)
{
	struct udev_enumerate *en = udev_enumerate_new(backend->udev);
	if (!en)
		return false;
	udev_enumerate_add_match_subsystem(en, "drm");
	udev_enumerate_add_match_sysname(en, "card[0-9]*");
	udev_enumerate_scan_devices(en);
	const char *seat = session_seat_name(backend->session);
	struct udev_list_entry *entry;
	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(en)) {
		struct udev_device *udev_dev =
			udev_device_new_from_syspath(backend->udev, udev_list_entry_get_name(entry));
		const char *node = udev_dev ? udev_device_get_devnode(udev_dev) : NULL;
		bool ours = node && device_on_seat(udev_dev, seat);
		bool opened = ours && device_open(backend, node, true);
		udev_device_unref(udev_dev);
		if (opened)
			break;
	}
	udev_enumerate_unref(en);
	return backend->device != NULL;
}

static bool device_setup(struct kms_backend *backend)
{
	struct kms_device *dev = backend->device;
	if (!device_set_caps(dev) || !kms_device_discover(dev))
		return false;
	dev->has_vblank = device_probe_vblank(dev);
	zc_info("kms: using %s (%s)%s", dev->path, dev->driver,
		dev->has_vblank ? "" : ", no vblank events: repaint paced by a timer");
	dev->drm_source = wl_event_loop_add_fd(backend->base.server->loop, dev->fd,
		WL_EVENT_READABLE, handle_drm_readable, backend);
	return dev->drm_source != NULL;
}

/* ---- session and hotplug ---- */

static void handle_session_active(struct wl_listener *listener, void *data)
{
	struct kms_backend *backend = wl_container_of(listener, backend, session_active);
	struct kms_device *dev = backend->device;
	if (!backend->session->active) {
		/* The seat manager revokes master itself; with the noop backend
		 * this is what hands the display to the next owner. */
		backend->session_disables++;
		drmDropMaster(dev->fd);
		return;
	}
	if (!drmIsMaster(dev->fd) && drmSetMaster(dev->fd) != 0)
		zc_debug("kms: drmSetMaster: %s", strerror(errno));
	/* Connectors may have changed while we were away. */
	kms_backend_scan(backend);
	struct kms_output *out;
	wl_list_for_each(out, &backend->outputs, link)
		kms_output_session_enabled(out);
}

static int handle_udev_readable(int fd, uint32_t mask, void *data)
{
	struct kms_backend *backend = data;
	struct udev_device *udev_dev = udev_monitor_receive_device(backend->monitor);
	if (!udev_dev)
		return 0;
	const char *action = udev_device_get_action(udev_dev);
	/* Any change of our card may be a hotplug; rescanning is cheap. */
	if (action && strcmp(action, "change") == 0 &&
	    udev_device_get_devnum(udev_dev) == backend->device->devnum) {
		zc_debug("kms: %s changed, rescanning connectors", backend->device->path);
		if (backend->session->active)
			kms_backend_scan(backend);
	}
	udev_device_unref(udev_dev);
	return 0;
}

/* udevd rebroadcasts kernel events once its rules ran; without a udev daemon
 * (the test VM) only the kernel's own events exist. */
static bool monitor_setup(struct kms_backend *backend)
{
	bool have_udevd = access("/run/udev/control", F_OK) == 0;
	backend->monitor = udev_monitor_new_from_netlink(backend->udev,
		have_udevd ? "udev" : "kernel");
	if (!backend->monitor ||
	    udev_monitor_filter_add_match_subsystem_devtype(backend->monitor, "drm", NULL) < 0 ||
	    udev_monitor_enable_receiving(backend->monitor) < 0) {
		zc_err("kms: cannot monitor DRM hotplug events");
		return false;
	}
	backend->monitor_source = wl_event_loop_add_fd(backend->base.server->loop,
		udev_monitor_get_fd(backend->monitor), WL_EVENT_READABLE, handle_udev_readable,
		backend);
	zc_debug("kms: hotplug events from %s", have_udevd ? "udevd" : "the kernel");
	return backend->monitor_source != NULL;
}

/* ---- the backend ---- */

static bool open_device(struct kms_backend *backend)
{
	const char *path = backend->base.server->options->drm_device;
	if (path)
		return device_open(backend, path, false);
	if (device_discover(backend))
		return true;
	zc_err("kms: no DRM card with a connected display on seat %s (try --drm-device)",
		session_seat_name(backend->session));
	return false;
}

/* The session and the device, before the renderer is made on it. */
static bool kms_open(struct kms_backend *backend)
{
	struct zc_backend *base = &backend->base;
	backend->session = session_create(base->server->loop);
	if (!backend->session)
		return false;
	base->session = backend->session;
	backend->udev = udev_new();
	if (!backend->udev) {
		zc_err("kms: cannot use udev");
		return false;
	}
	if (!open_device(backend) || !device_setup(backend) || !monitor_setup(backend) ||
	    !kms_writeback_setup_dump(backend))
		return false;
	base->drm_fd = backend->device->fd;
	return true;
}

static bool kms_start(struct zc_backend *base)
{
	struct kms_backend *backend = wl_container_of(base, backend, base);
	backend->session_active.notify = handle_session_active;
	wl_signal_add(&backend->session->active_changed, &backend->session_active);
	kms_backend_scan(backend);
	if (wl_list_empty(&backend->outputs)) {
		zc_err("kms: %s: no connected connector could be lit", backend->device->path);
		return false;
	}
	return true;
}

static void kms_destroy(struct zc_backend *base)
{
	struct kms_backend *backend = wl_container_of(base, backend, base);
	struct kms_output *out, *tmp;
	wl_list_for_each_safe(out, tmp, &backend->outputs, link)
		kms_output_destroy(out);
	if (backend->session)
		zc_info("kms: %llu session disables, %llu commits refused while inactive",
			(unsigned long long)backend->session_disables,
			(unsigned long long)backend->inactive_commits);
	if (backend->dump_signal)
		wl_event_source_remove(backend->dump_signal);
	if (backend->monitor_source)
		wl_event_source_remove(backend->monitor_source);
	if (backend->monitor)
		udev_monitor_unref(backend->monitor);
	if (backend->session_active.link.next)
		wl_list_remove(&backend->session_active.link);
	device_close(backend);
	if (backend->udev)
		udev_unref(backend->udev);
	session_destroy(backend->session);
	free(backend);
}

static const struct zc_backend_impl kms_backend_impl = {
	.name = "kms",
	.start = kms_start,
	.destroy = kms_destroy,
};

struct zc_backend *kms_backend_create(struct zc_server *server)
{
	struct kms_backend *backend = calloc(1, sizeof(*backend));
	if (!backend)
		return NULL;
	backend->base.impl = &kms_backend_impl;
	backend->base.server = server;
	backend->base.drm_fd = -1;
	wl_list_init(&backend->outputs);
	if (!kms_open(backend)) {
		kms_destroy(&backend->base);
		return NULL;
	}
	return &backend->base;
}
