#include "dmabuf-client.h"

#include <drm_fourcc.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux-dmabuf-v1-client-protocol.h"

#define TIMEOUT_MS 5000

/* ---- the format offer ---- */

static void handle_dmabuf_format(void *data, struct zwp_linux_dmabuf_v1 *dmabuf,
	uint32_t format)
{
}

static void handle_dmabuf_modifier(void *data, struct zwp_linux_dmabuf_v1 *dmabuf,
	uint32_t format, uint32_t hi, uint32_t lo)
{
	struct dmabuf_client *client = data;
	uint64_t modifier = (uint64_t)hi << 32 | lo;
	if (format == client->layout.format && modifier == DRM_FORMAT_MOD_LINEAR)
		client->linear_offered = true;
}

static const struct zwp_linux_dmabuf_v1_listener dmabuf_listener = {
	.format = handle_dmabuf_format,
	.modifier = handle_dmabuf_modifier,
};

struct table_entry {
	uint32_t format, pad;
	uint64_t modifier;
};

struct feedback_state {
	struct dmabuf_client *client;
	const struct table_entry *table;
	size_t n_entries;
	bool done;
};

static void handle_feedback_done(void *data, struct zwp_linux_dmabuf_feedback_v1 *fb)
{
	((struct feedback_state *)data)->done = true;
}

static void handle_feedback_format_table(void *data, struct zwp_linux_dmabuf_feedback_v1 *fb,
	int32_t fd, uint32_t size)
{
	struct feedback_state *st = data;
	/* The protocol asks for a private read-only mapping. */
	void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return;
	st->table = map;
	st->n_entries = size / sizeof(struct table_entry);
}

static void handle_feedback_main_device(void *data, struct zwp_linux_dmabuf_feedback_v1 *fb,
	struct wl_array *device)
{
	struct dmabuf_client *client = ((struct feedback_state *)data)->client;
	if (device->size != sizeof(dev_t))
		return;
	memcpy(&client->main_device, device->data, sizeof(dev_t));
	client->has_main_device = true;
}

static void handle_feedback_tranche_done(void *data, struct zwp_linux_dmabuf_feedback_v1 *fb)
{
}

static void handle_feedback_tranche_target_device(void *data,
	struct zwp_linux_dmabuf_feedback_v1 *fb, struct wl_array *device)
{
}

static void handle_feedback_tranche_formats(void *data, struct zwp_linux_dmabuf_feedback_v1 *fb,
	struct wl_array *indices)
{
	struct feedback_state *st = data;
	const uint16_t *index;
	wl_array_for_each(index, indices) {
		if (*index >= st->n_entries)
			continue;
		const struct table_entry *e = &st->table[*index];
		if (e->format == st->client->layout.format && e->modifier == DRM_FORMAT_MOD_LINEAR)
			st->client->linear_offered = true;
	}
}

static void handle_feedback_tranche_flags(void *data, struct zwp_linux_dmabuf_feedback_v1 *fb,
	uint32_t flags)
{
}

static const struct zwp_linux_dmabuf_feedback_v1_listener feedback_listener = {
	.done = handle_feedback_done,
	.format_table = handle_feedback_format_table,
	.main_device = handle_feedback_main_device,
	.tranche_done = handle_feedback_tranche_done,
	.tranche_target_device = handle_feedback_tranche_target_device,
	.tranche_formats = handle_feedback_tranche_formats,
	.tranche_flags = handle_feedback_tranche_flags,
};

static bool read_default_feedback(struct dmabuf_client *client)
{
	struct feedback_state st = { .client = client };
	struct zwp_linux_dmabuf_feedback_v1 *fb =
		zwp_linux_dmabuf_v1_get_default_feedback(client->dmabuf);
	zwp_linux_dmabuf_feedback_v1_add_listener(fb, &feedback_listener, &st);
	bool ok = zcc_dispatch_until(client->display, &st.done, TIMEOUT_MS);
	zwp_linux_dmabuf_feedback_v1_destroy(fb);
	if (st.table)
		munmap((void *)st.table, st.n_entries * sizeof(struct table_entry));
	return ok;
}

/* ---- connection ---- */

static void handle_registry_global(void *data, struct wl_registry *registry, uint32_t name,
	const char *interface, uint32_t version)
{
	struct dmabuf_client *client = data;
	if (strcmp(interface, zwp_linux_dmabuf_v1_interface.name) != 0)
		return;
	client->dmabuf_version = version < 4 ? version : 4;
	client->dmabuf = wl_registry_bind(registry, name, &zwp_linux_dmabuf_v1_interface,
		client->dmabuf_version);
	zwp_linux_dmabuf_v1_add_listener(client->dmabuf, &dmabuf_listener, client);
}

static void handle_registry_global_remove(void *data, struct wl_registry *registry,
	uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = handle_registry_global,
	.global_remove = handle_registry_global_remove,
};

static bool bind_dmabuf(struct dmabuf_client *client)
{
	client->registry = wl_display_get_registry(client->display);
	wl_registry_add_listener(client->registry, &registry_listener, client);
	/* The second roundtrip collects the modifier events of version 3. */
	if (wl_display_roundtrip(client->display) < 0 || !client->dmabuf ||
	    wl_display_roundtrip(client->display) < 0) {
		fprintf(stderr, "zc-dmabuf: no zwp_linux_dmabuf_v1\n");
		return false;
	}
	if (client->dmabuf_version >= 4 && !read_default_feedback(client))
		return false;
	if (!client->linear_offered)
		fprintf(stderr, "zc-dmabuf: %s with the linear modifier is not offered "
			"(trying anyway)\n", dmabuf_format_name(client->layout.format));
	return true;
}

bool dmabuf_client_connect(struct dmabuf_client *client,
	const struct dmabuf_client_options *opt)
{
	*client = (struct dmabuf_client){ 0 };
	if (!dmabuf_layout_init(&client->layout, opt->format, opt->width, opt->height,
		    opt->stride, opt->offset)) {
		fprintf(stderr, "zc-dmabuf: impossible layout (format, size or stride)\n");
		return false;
	}
	client->display = wl_display_connect(NULL);
	if (!client->display) {
		fprintf(stderr, "zc-dmabuf: cannot connect to the compositor\n");
		return false;
	}
	return zcc_globals_bind(client->display, &client->globals) && bind_dmabuf(client);
}

void dmabuf_client_disconnect(struct dmabuf_client *client)
{
	if (!client->display)
		return;
	if (client->dmabuf)
		zwp_linux_dmabuf_v1_destroy(client->dmabuf);
	if (client->registry)
		wl_registry_destroy(client->registry);
	zcc_globals_finish(&client->globals);
	wl_display_disconnect(client->display);
	client->display = NULL;
}

bool dmabuf_client_alloc(struct dmabuf_client *client, const struct dmabuf_client_options *opt,
	int card_fd, struct dmabuf_alloc *alloc)
{
	return dmabuf_alloc_create_image(alloc, opt->source, card_fd, &client->layout);
}

/* ---- buffers ---- */

struct create_state {
	struct wl_buffer *buffer;
	bool answered;
};

static void handle_params_created(void *data, struct zwp_linux_buffer_params_v1 *params,
	struct wl_buffer *buffer)
{
	struct create_state *st = data;
	st->buffer = buffer;
	st->answered = true;
}

static void handle_params_failed(void *data, struct zwp_linux_buffer_params_v1 *params)
{
	((struct create_state *)data)->answered = true;
}

static const struct zwp_linux_buffer_params_v1_listener params_listener = {
	.created = handle_params_created,
	.failed = handle_params_failed,
};

struct wl_buffer *dmabuf_client_create_buffer(struct dmabuf_client *client,
	const struct dmabuf_client_options *opt, const struct dmabuf_alloc *alloc)
{
	const struct dmabuf_layout *l = &client->layout;
	struct create_state st = { 0 };
	struct zwp_linux_buffer_params_v1 *params =
		zwp_linux_dmabuf_v1_create_params(client->dmabuf);
	zwp_linux_buffer_params_v1_add_listener(params, &params_listener, &st);
	for (int i = 0; i < l->n_planes; i++)
		zwp_linux_buffer_params_v1_add(params, alloc->fd, (uint32_t)i, l->offset[i],
			l->stride[i], DRM_FORMAT_MOD_LINEAR >> 32,
			DRM_FORMAT_MOD_LINEAR & 0xffffffff);
	if (opt->immed) {
		st.buffer = zwp_linux_buffer_params_v1_create_immed(params, l->width, l->height,
			l->format, 0);
		st.answered = wl_display_roundtrip(client->display) >= 0;
	} else {
		zwp_linux_buffer_params_v1_create(params, l->width, l->height, l->format, 0);
		zcc_dispatch_until(client->display, &st.answered, TIMEOUT_MS);
	}
	zwp_linux_buffer_params_v1_destroy(params);
	if (!st.answered || !st.buffer || wl_display_get_error(client->display)) {
		fprintf(stderr, "zc-dmabuf: zcomp refused the %s buffer (%s)\n",
			dmabuf_format_name(l->format), st.answered ? "failed" : "no answer");
		return NULL;
	}
	return st.buffer;
}
