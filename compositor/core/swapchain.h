#ifndef ZC_SWAPCHAIN_H
#define ZC_SWAPCHAIN_H

/*
 * An output's back buffers, for backends: which one the next frame renders
 * into and how old its contents are (buffer age: the frame path repaints
 * only what changed since). The chain owns its buffers (internal buffers,
 * dropped with it).
 */

#include <stdbool.h>
#include <stdint.h>

struct zc_buffer;

#define SWAPCHAIN_MAX_BUFFERS 3

struct zc_swapchain {
	struct zc_buffer *buffers[SWAPCHAIN_MAX_BUFFERS];
	/* The frame count when each was last rendered; 0: never. */
	uint64_t rendered_at[SWAPCHAIN_MAX_BUFFERS];
	uint64_t frames_rendered;
	int n_buffers;
};

void swapchain_finish(struct zc_swapchain *chain);
/* false when the chain is full (the caller still owns buffer then). */
bool swapchain_add(struct zc_swapchain *chain, struct zc_buffer *buffer);
/* The first buffer that is none of busy (NULL entries ignored: the front
 * buffer, a frame in flight...), with its age (0: unknown, repaint all);
 * NULL when every one is busy. */
struct zc_buffer *swapchain_acquire(struct zc_swapchain *chain, struct zc_buffer *const *busy,
	int n_busy, int *age);
/* A frame rendered into buffer was committed; false if it is not one of
 * the chain's. */
bool swapchain_mark_rendered(struct zc_swapchain *chain, const struct zc_buffer *buffer);

#endif
