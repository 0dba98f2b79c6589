/* zc-dmabuf --provoke: each mistake a client can make with
 * zwp_linux_buffer_params_v1, and what the protocol says must follow. */
#include <drm_fourcc.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/memfd.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dmabuf-client.h"
#include "linux-dmabuf-v1-client-protocol.h"

#define EXPECT_FAILED (-1) /* the `failed` event, and the client lives on */

struct provoke_ctx {
	const struct dmabuf_client *client;
	int fd; /* a dma-buf big enough for the layout */
	int other_fd; /* not a dma-buf, for the cases that need one */
	bool failed;
};

typedef void (*provoke_fn)(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx);

static void add(struct zwp_linux_buffer_params_v1 *p, int fd, uint32_t plane, uint32_t offset,
	uint32_t stride, uint64_t modifier)
{
	zwp_linux_buffer_params_v1_add(p, fd, plane, offset, stride, (uint32_t)(modifier >> 32),
		(uint32_t)modifier);
}

static void add_valid(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	const struct dmabuf_layout *l = &ctx->client->layout;
	add(p, ctx->fd, 0, l->offset[0], l->stride[0], DRM_FORMAT_MOD_LINEAR);
}

static void create(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx,
	int32_t w, int32_t h, uint32_t format)
{
	zwp_linux_buffer_params_v1_create(p, w, h, format, 0);
}

static void create_layout(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	const struct dmabuf_layout *l = &ctx->client->layout;
	create(p, ctx, l->width, l->height, l->format);
}

static void act_already_used(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	add_valid(p, ctx);
	create_layout(p, ctx);
	create_layout(p, ctx);
}

static void act_plane_idx(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	add(p, ctx->fd, 4, 0, 1024, DRM_FORMAT_MOD_LINEAR);
}

static void act_plane_set(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	add_valid(p, ctx);
	add_valid(p, ctx);
}

static void act_incomplete_none(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	create_layout(p, ctx);
}

static void act_incomplete_nv12(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	add(p, ctx->fd, 0, 0, 64, DRM_FORMAT_MOD_LINEAR);
	create(p, ctx, 64, 64, DRM_FORMAT_NV12);
}

static void act_incomplete_gap(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	add(p, ctx->fd, 0, 0, 64, DRM_FORMAT_MOD_LINEAR);
	add(p, ctx->fd, 2, 8192, 32, DRM_FORMAT_MOD_LINEAR);
	create(p, ctx, 64, 64, DRM_FORMAT_YUV420);
}

static void act_invalid_format(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	add_valid(p, ctx);
	create(p, ctx, 16, 16, fourcc_code('Z', 'Z', 'Z', 'Z'));
}

/* Version 4: a pair that was not advertised is a protocol error too. */
static void act_invalid_modifier(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	const struct dmabuf_layout *l = &ctx->client->layout;
	add(p, ctx->fd, 0, 0, l->stride[0], I915_FORMAT_MOD_X_TILED);
	create_layout(p, ctx);
}

static void act_zero_width(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	add_valid(p, ctx);
	create(p, ctx, 0, ctx->client->layout.height, ctx->client->layout.format);
}

static void act_negative_height(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	add_valid(p, ctx);
	create(p, ctx, ctx->client->layout.width, -4, ctx->client->layout.format);
}

static void act_offset_past_end(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	const struct dmabuf_layout *l = &ctx->client->layout;
	add(p, ctx->fd, 0, (uint32_t)l->size, l->stride[0], DRM_FORMAT_MOD_LINEAR);
	create_layout(p, ctx);
}

static void act_too_tall(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	const struct dmabuf_layout *l = &ctx->client->layout;
	add_valid(p, ctx);
	create(p, ctx, l->width, (int32_t)(l->size / l->stride[0]) + 1, l->format);
}

static void act_overflow(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	add(p, ctx->fd, 0, 0xfffff000u, 0x2000, DRM_FORMAT_MOD_LINEAR);
	create(p, ctx, 16, 16, DRM_FORMAT_XRGB8888);
}

static void act_immed_not_dmabuf(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	const struct dmabuf_layout *l = &ctx->client->layout;
	add(p, ctx->other_fd, 0, 0, l->stride[0], DRM_FORMAT_MOD_LINEAR);
	struct wl_buffer *b = zwp_linux_buffer_params_v1_create_immed(p, l->width, l->height,
		l->format, 0);
	(void)b; /* dies with the connection */
}

static void act_not_dmabuf(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	const struct dmabuf_layout *l = &ctx->client->layout;
	add(p, ctx->other_fd, 0, 0, l->stride[0], DRM_FORMAT_MOD_LINEAR);
	create_layout(p, ctx);
}

static void act_y_invert(struct zwp_linux_buffer_params_v1 *p, struct provoke_ctx *ctx)
{
	const struct dmabuf_layout *l = &ctx->client->layout;
	add_valid(p, ctx);
	zwp_linux_buffer_params_v1_create(p, l->width, l->height, l->format,
		ZWP_LINUX_BUFFER_PARAMS_V1_FLAGS_Y_INVERT);
}

enum other_fd { OTHER_NONE, OTHER_MEMFD, OTHER_PIPE, OTHER_DEVNULL };

static const struct provocation {
	const char *name;
	int expect;
	provoke_fn act;
	enum other_fd other;
} provocations[] = {
	{ "already_used", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_ALREADY_USED, act_already_used, OTHER_NONE },
	{ "plane_idx", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_PLANE_IDX, act_plane_idx, OTHER_NONE },
	{ "plane_set", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_PLANE_SET, act_plane_set, OTHER_NONE },
	{ "incomplete", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INCOMPLETE, act_incomplete_none, OTHER_NONE },
	{ "incomplete_nv12", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INCOMPLETE, act_incomplete_nv12, OTHER_NONE },
	{ "incomplete_gap", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INCOMPLETE, act_incomplete_gap, OTHER_NONE },
	{ "invalid_format", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_FORMAT, act_invalid_format, OTHER_NONE },
	{ "invalid_modifier", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_FORMAT,
	  act_invalid_modifier, OTHER_NONE },
	{ "invalid_dimensions", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_DIMENSIONS,
	  act_zero_width, OTHER_NONE },
	{ "negative_height", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_DIMENSIONS,
	  act_negative_height, OTHER_NONE },
	{ "out_of_bounds", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_OUT_OF_BOUNDS, act_offset_past_end, OTHER_NONE },
	{ "too_tall", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_OUT_OF_BOUNDS, act_too_tall, OTHER_NONE },
	{ "overflow", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_OUT_OF_BOUNDS, act_overflow, OTHER_NONE },
	{ "invalid_wl_buffer", ZWP_LINUX_BUFFER_PARAMS_V1_ERROR_INVALID_WL_BUFFER,
	  act_immed_not_dmabuf, OTHER_MEMFD },
	{ "failed_memfd", EXPECT_FAILED, act_not_dmabuf, OTHER_MEMFD },
	{ "failed_pipe", EXPECT_FAILED, act_not_dmabuf, OTHER_PIPE },
	{ "failed_devnull", EXPECT_FAILED, act_not_dmabuf, OTHER_DEVNULL },
	{ "failed_y_invert", EXPECT_FAILED, act_y_invert, OTHER_NONE },
};

/* A file that is anything but a dma-buf, as big as the layout wants. */
static int open_other(enum other_fd kind, size_t size)
{
	int fds[2], fd = -1;
	switch (kind) {
	case OTHER_NONE:
		return -1;
	case OTHER_MEMFD:
		fd = (int)syscall(SYS_memfd_create, "zc-not-dmabuf", MFD_CLOEXEC);
		if (fd >= 0 && ftruncate(fd, (off_t)size) < 0) {
			close(fd);
			fd = -1;
		}
		return fd;
	case OTHER_PIPE:
		if (pipe(fds) < 0)
			return -1;
		close(fds[1]);
		return fds[0];
	case OTHER_DEVNULL:
		return open("/dev/null", O_RDWR | O_CLOEXEC);
	}
	return -1;
}

static void handle_created(void *data, struct zwp_linux_buffer_params_v1 *p,
	struct wl_buffer *buffer)
{
}

static void handle_failed(void *data, struct zwp_linux_buffer_params_v1 *p)
{
	((struct provoke_ctx *)data)->failed = true;
}

static const struct zwp_linux_buffer_params_v1_listener listener = {
	.created = handle_created,
	.failed = handle_failed,
};

static bool judge(const struct provocation *pv, struct dmabuf_client *client,
	const struct provoke_ctx *ctx)
{
	const struct wl_interface *iface = NULL;
	uint32_t id = 0;
	int err = wl_display_get_error(client->display);
	int code = err == EPROTO ?
		(int)wl_display_get_protocol_error(client->display, &iface, &id) : -1;
	bool ok;
	if (pv->expect == EXPECT_FAILED) {
		ok = err == 0 && ctx->failed;
		printf("%s %s: %s\n", ok ? "ok  " : "FAIL", pv->name,
			err ? "connection died" : ctx->failed ? "failed event" : "no failed event");
	} else {
		ok = code == pv->expect && iface == &zwp_linux_buffer_params_v1_interface;
		printf("%s %s: error %d on %s (want %d)\n", ok ? "ok  " : "FAIL", pv->name, code,
			iface ? iface->name : "-", pv->expect);
	}
	return ok;
}

static bool provoke_one(const struct dmabuf_client_options *opt, const struct provocation *pv,
	int fd)
{
	struct dmabuf_client client;
	if (!dmabuf_client_connect(&client, opt)) {
		dmabuf_client_disconnect(&client);
		return false;
	}
	struct provoke_ctx ctx = { .client = &client, .fd = fd,
		.other_fd = open_other(pv->other, client.layout.size) };
	struct zwp_linux_buffer_params_v1 *p = zwp_linux_dmabuf_v1_create_params(client.dmabuf);
	zwp_linux_buffer_params_v1_add_listener(p, &listener, &ctx);
	bool ok = false;
	if (pv->act == act_invalid_modifier && client.dmabuf_version < 4) {
		printf("skip %s: needs version 4\n", pv->name);
		ok = true;
	} else {
		pv->act(p, &ctx);
		wl_display_roundtrip(client.display);
		ok = judge(pv, &client, &ctx);
	}
	if (ctx.other_fd >= 0)
		close(ctx.other_fd);
	dmabuf_client_disconnect(&client);
	return ok;
}

bool dmabuf_provoke(const struct dmabuf_client_options *opt, const char *which)
{
	size_t n = sizeof(provocations) / sizeof(provocations[0]);
	if (strcmp(which, "list") == 0) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", provocations[i].name);
		return true;
	}
	struct dmabuf_layout layout;
	struct dmabuf_alloc alloc;
	int card = opt->source == DMABUF_SOURCE_DUMB ? dmabuf_open_card(opt->device) : -1;
	if (!dmabuf_layout_init(&layout, opt->format, opt->width, opt->height, opt->stride,
		    opt->offset) || !dmabuf_alloc_create(&alloc, opt->source, card, layout.size))
		return false;
	bool ok = true, found = false;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(which, "all") != 0 && strcmp(which, provocations[i].name) != 0)
			continue;
		found = true;
		ok = provoke_one(opt, &provocations[i], alloc.fd) && ok;
	}
	dmabuf_alloc_destroy(&alloc);
	if (card >= 0)
		close(card);
	if (!found)
		fprintf(stderr, "zc-dmabuf: no provocation %s (--provoke=list)\n", which);
	return ok && found;
}
