#include "swapchain.h"

#include "base/buffer.h"

void swapchain_finish(struct zc_swapchain *chain)
{
	for (int i = 0; i < chain->n_buffers; i++)
		buffer_drop(chain->buffers[i]);
	*chain = (struct zc_swapchain){ 0 };
}

bool swapchain_add(struct zc_swapchain *chain, struct zc_buffer *buffer)
{
	if (chain->n_buffers == SWAPCHAIN_MAX_BUFFERS)
		return false;
	chain->rendered_at[chain->n_buffers] = 0;
	chain->buffers[chain->n_buffers++] = buffer;
	return true;
}

static bool is_busy(const struct zc_buffer *buffer, struct zc_buffer *const *busy, int n_busy)
{
	for (int i = 0; i < n_busy; i++) {
		if (busy[i] == buffer)
			return true;
	}
	return false;
}

struct zc_buffer *swapchain_acquire(struct zc_swapchain *chain, struct zc_buffer *const *busy,
	int n_busy, int *age)
{
	for (int i = 0; i < chain->n_buffers; i++) {
		if (is_busy(chain->buffers[i], busy, n_busy))
			continue;
		uint64_t at = chain->rendered_at[i];
		*age = at ? (int)(chain->frames_rendered - at + 1) : 0;
		return chain->buffers[i];
	}
	return NULL;
}

bool swapchain_mark_rendered(struct zc_swapchain *chain, const struct zc_buffer *buffer)
{
	for (int i = 0; i < chain->n_buffers; i++) {
		if (chain->buffers[i] == buffer) {
			chain->rendered_at[i] = ++chain->frames_rendered;
			return true;
		}
	}
	return false;
}
