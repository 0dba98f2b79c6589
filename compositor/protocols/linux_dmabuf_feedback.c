/*
 * zwp_linux_dmabuf_feedback_v1: what clients should allocate.
 *
 *   default tranche   the main device with every pair of the format table:
 *                     the CPU path reads any device's buffers
 *   scan-out tranche  per surface, first (preferred): the display device
 *                     and the pairs of the plane the surface could be on,
 *                     sent while the surface is a scan-out candidate whose
 *                     buffer the display could not take for a format,
 *                     modifier or import reason; withdrawn once it is no
 *                     candidate. Every change but the first waits until
 *                     the new state held for SCANOUT_HYSTERESIS frames in
 *                     a row, so a surface on the edge does not make
 *                     clients reallocate every frame.
 */
/* memfd_create and file seals for the format table. */
#define _GNU_SOURCE
#include <drm_fourcc.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <stdlib.h>

#include "base/addon.h"
#include "base/buffer.h"
#include "linux-dmabuf-v1-server-protocol.h"
#include "linux_dmabuf.h"
#include "linux_dmabuf_private.h"
#include "core/output.h"
#include "core/surface.h"

#define SCANOUT_HYSTERESIS 8

/* ---- the format table ---- */

/* A memfd sealed against every change, so clients may map it while we never
 * need to keep it consistent: a new table would be a new file. */
static int table_create(const struct dmabuf_table_entry *entries, size_t size)
{
	int fd = memfd_create("zcomp-dmabuf-formats", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)size) < 0 || pwrite(fd, entries, size, 0) != (ssize_t)size)
		goto err;
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		goto err;
	return fd;

err:
	close(fd);
	return -1;
}

bool linux_dmabuf_table_init(struct zc_linux_dmabuf *dmabuf, const struct zc_format_set *set)
{
	size_t n = 0;
	for (size_t i = 0; i < set->n_formats; i++)
		n += set->formats[i].n_modifiers;
	if (n == 0 || n > UINT16_MAX + 1)
		return false;
	struct dmabuf_table_entry *entries = calloc(n, sizeof(*entries));
	uint16_t *indices = wl_array_add(&dmabuf->indices, n * sizeof(uint16_t));
	if (!entries || !indices) {
		free(entries);
		return false;
	}
	size_t k = 0;
	for (size_t i = 0; i < set->n_formats; i++) {
		for (size_t j = 0; j < set->formats[i].n_modifiers; j++, k++) {
			entries[k] = (struct dmabuf_table_entry){ .format = set->formats[i].format,
				.modifier = set->formats[i].modifiers[j] };
			indices[k] = (uint16_t)k;
		}
	}
	dmabuf->table = entries;
	dmabuf->n_table = n;
	dmabuf->table_size = n * sizeof(*entries);
	dmabuf->table_fd = table_create(entries, dmabuf->table_size);
	return dmabuf->table_fd >= 0;
}

/* ---- sending feedback ---- */

static void handle_feedback_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct zwp_linux_dmabuf_feedback_v1_interface feedback_impl = {
	.destroy = handle_feedback_destroy,
};

static void feedback_send_device(struct wl_resource *resource, dev_t device,
	void (*send)(struct wl_resource *, struct wl_array *))
{
	struct wl_array array = { .size = sizeof(device), .alloc = 0, .data = &device };
	send(resource, &array);
}

/* Indices go out in chunks that keep each message well under libwayland's
 * size limit. */
static void feedback_send_indices(struct wl_resource *resource, const struct wl_array *indices)
{
	const size_t chunk = 1024 * sizeof(uint16_t);
	for (size_t at = 0; at < indices->size; at += chunk) {
		size_t n = indices->size - at < chunk ? indices->size - at : chunk;
		struct wl_array part = { .size = n, .data = (char *)indices->data + at };
		zwp_linux_dmabuf_feedback_v1_send_tranche_formats(resource, &part);
	}
}

/* The table's entries the plane takes; false if there are none (nothing a
 * client could allocate for it that we could also composite). */
static bool scanout_indices(const struct zc_linux_dmabuf *dmabuf,
	const struct zc_plane_formats *plane, struct wl_array *indices)
{
	for (size_t i = 0; i < dmabuf->n_table; i++) {
		const struct dmabuf_table_entry *e = &dmabuf->table[i];
		if (!format_set_has(&plane->set, e->format, e->modifier))
			continue;
		uint16_t *index = wl_array_add(indices, sizeof(*index));
		if (!index)
			return false;
		*index = (uint16_t)i;
	}
	return indices->size > 0;
}

static void feedback_send_scanout_tranche(struct wl_resource *resource,
	const struct zc_linux_dmabuf *dmabuf, const struct zc_plane_formats *plane)
{
	struct wl_array indices;
	wl_array_init(&indices);
	if (scanout_indices(dmabuf, plane, &indices)) {
		feedback_send_device(resource, plane->device,
			zwp_linux_dmabuf_feedback_v1_send_tranche_target_device);
		zwp_linux_dmabuf_feedback_v1_send_tranche_flags(resource,
			ZWP_LINUX_DMABUF_FEEDBACK_V1_TRANCHE_FLAGS_SCANOUT);
		feedback_send_indices(resource, &indices);
		zwp_linux_dmabuf_feedback_v1_send_tranche_done(resource);
	}
	wl_array_release(&indices);
}

static void feedback_send(struct wl_resource *resource, const struct zc_linux_dmabuf *dmabuf,
	const struct zc_plane_formats *scanout)
{
	zwp_linux_dmabuf_feedback_v1_send_format_table(resource, dmabuf->table_fd,
		(uint32_t)dmabuf->table_size);
	feedback_send_device(resource, dmabuf->main_device,
		zwp_linux_dmabuf_feedback_v1_send_main_device);
	if (scanout)
		feedback_send_scanout_tranche(resource, dmabuf, scanout);
	feedback_send_device(resource, dmabuf->main_device,
		zwp_linux_dmabuf_feedback_v1_send_tranche_target_device);
	zwp_linux_dmabuf_feedback_v1_send_tranche_flags(resource, 0);
	feedback_send_indices(resource, &dmabuf->indices);
	zwp_linux_dmabuf_feedback_v1_send_tranche_done(resource);
	zwp_linux_dmabuf_feedback_v1_send_done(resource);
}

/* ---- per-surface feedback: scan-out tranches ---- */

/* What a surface's feedback objects carry, kept as an addon on the surface
 * from its first get_surface_feedback until it goes. It follows the
 * surface's plane results, and the output whose plane the tranche names. */
struct feedback_surface {
	struct zc_addon addon;
	struct zc_surface *surface;
	struct wl_list resources; /* zwp_linux_dmabuf_feedback_v1 links */
	struct wl_listener plane_result;
	/* The plane whose scan-out tranche the feedback carries, on output
	 * (NULL: none); output_destroy is listened to while it is set. */
	const struct zc_plane_formats *scanout;
	struct zc_output *scanout_output;
	struct wl_listener output_destroy;
	int streak;   /* frames the other state held in a row */
	bool settled; /* changed once: later changes wait (hysteresis) */
};

/* The addons' owner: one address, whatever the global's lifetime. */
static const char feedback_surface_owner;

static void feedback_surface_resend(struct feedback_surface *fs)
{
	struct zc_linux_dmabuf *dmabuf = fs->surface->server->linux_dmabuf;
	if (!dmabuf || !dmabuf->has_main_device)
		return;
	struct wl_resource *res;
	wl_resource_for_each(res, &fs->resources)
		feedback_send(res, dmabuf, fs->scanout);
}

static void feedback_surface_set_scanout(struct feedback_surface *fs,
	const struct zc_plane_formats *plane, struct zc_output *output)
{
	if (fs->scanout_output)
		wl_list_remove(&fs->output_destroy.link);
	fs->scanout = plane;
	fs->scanout_output = plane ? output : NULL;
	if (fs->scanout_output)
		wl_signal_add(&output->destroy, &fs->output_destroy);
}

/* 1: the surface wants a scan-out tranche, 0: it should lose it, -1: no
 * reason to change. */
static int scanout_wanted(const struct zc_surface *surface, const struct zc_plane_formats *plane,
	enum zc_plane_failure why)
{
	if (why == ZC_PLANE_NOT_CANDIDATE)
		return 0;
	if (!plane)
		return -1;
	/* The display cannot take this buffer as it is, or no plane lists its
	 * format: the plane's own pairs are what the client should switch to. */
	if (why == ZC_PLANE_NO_IMPORT || why == ZC_PLANE_NO_FORMAT)
		return 1;
	if (why != ZC_PLANE_REFUSED)
		return -1;
	/* A refusal is a format reason only if the plane lacks the pair. */
	const struct zc_dmabuf_attribs *a = surface->buffer ? buffer_get_dmabuf(surface->buffer) :
		NULL;
	return a && !format_set_has(&plane->set, a->format, a->modifier) ? 1 : -1;
}

static void handle_surface_plane_result(struct wl_listener *listener, void *data)
{
	struct feedback_surface *fs = wl_container_of(listener, fs, plane_result);
	const struct zc_plane_result *result = data;
	const struct zc_plane_formats *plane = output_plane_formats(result->output,
		result->primary);
	int want = scanout_wanted(fs->surface, plane, result->why);
	const struct zc_plane_formats *next = want == 1 ? plane : want == 0 ? NULL :
		fs->scanout;
	if (next == fs->scanout) {
		fs->streak = 0;
		return;
	}
	/* The first change is made at once: the client is still choosing its
	 * buffers, and a slow one may show only a few frames. */
	if (++fs->streak < SCANOUT_HYSTERESIS && fs->settled)
		return;
	fs->streak = 0;
	fs->settled = true;
	feedback_surface_set_scanout(fs, next, result->output);
	zc_debug("linux-dmabuf: surface %u: scan-out tranche %s",
		wl_resource_get_id(fs->surface->resource), next ? "sent" : "withdrawn");
	feedback_surface_resend(fs);
}

/* The output whose plane the tranche names goes (unplugged). */
static void handle_scanout_output_destroy(struct wl_listener *listener, void *data)
{
	struct feedback_surface *fs = wl_container_of(listener, fs, output_destroy);
	feedback_surface_set_scanout(fs, NULL, NULL);
	feedback_surface_resend(fs);
}

/* The surface goes: its feedback objects stay, inert. */
static void feedback_surface_destroy(struct zc_addon *addon)
{
	struct feedback_surface *fs = wl_container_of(addon, fs, addon);
	struct wl_resource *res, *tmp;
	wl_resource_for_each_safe(res, tmp, &fs->resources) {
		wl_list_remove(wl_resource_get_link(res));
		wl_list_init(wl_resource_get_link(res));
	}
	wl_list_remove(&fs->plane_result.link);
	feedback_surface_set_scanout(fs, NULL, NULL);
	free(fs);
}

static struct feedback_surface *feedback_surface_get(struct zc_surface *surface)
{
	struct zc_addon *addon = addon_find(&surface->addons, &feedback_surface_owner);
	struct feedback_surface *fs;
	if (addon)
		return wl_container_of(addon, fs, addon);
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return NULL;
	fs->surface = surface;
	wl_list_init(&fs->resources);
	fs->plane_result.notify = handle_surface_plane_result;
	wl_signal_add(&surface->plane_result, &fs->plane_result);
	fs->output_destroy.notify = handle_scanout_output_destroy;
	addon_init(&fs->addon, &surface->addons, &feedback_surface_owner,
		feedback_surface_destroy);
	return fs;
}

/* ---- feedback objects ---- */

static void handle_feedback_resource_destroy(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

void linux_dmabuf_feedback_create(struct wl_client *client, struct wl_resource *dmabuf_resource,
	uint32_t id, struct zc_surface *surface)
{
	struct zc_linux_dmabuf *dmabuf = wl_resource_get_user_data(dmabuf_resource);
	struct feedback_surface *fs = surface ? feedback_surface_get(surface) : NULL;
	struct wl_resource *fb = surface && !fs ? NULL : wl_resource_create(client,
		&zwp_linux_dmabuf_feedback_v1_interface, wl_resource_get_version(dmabuf_resource),
		id);
	if (!fb) {
		wl_resource_post_no_memory(dmabuf_resource);
		return;
	}
	wl_resource_set_implementation(fb, &feedback_impl, NULL, handle_feedback_resource_destroy);
	if (fs)
		wl_list_insert(&fs->resources, wl_resource_get_link(fb));
	else
		wl_list_init(wl_resource_get_link(fb));
	feedback_send(fb, dmabuf, fs ? fs->scanout : NULL);
}
