#ifndef ZC_ADDON_H
#define ZC_ADDON_H

/*
 * Addons: state a module keeps on another module's object, found by its
 * owner and destroyed with the object unless the owner removes it first. A
 * buffer's imports (EGLImage, KMS framebuffer, CPU shadow) and a protocol's
 * per-surface state are addons, so that an object's struct never names the
 * layers above it.
 */

#include <wayland-util.h>

struct zc_addon {
	const void *owner;
	void (*destroy)(struct zc_addon *addon);
	struct wl_list link; /* zc_addon_set.addons */
};

struct zc_addon_set {
	struct wl_list addons;
};

void addon_set_init(struct zc_addon_set *set);
/* The object goes: every addon still on it is destroyed. */
void addon_set_finish(struct zc_addon_set *set);

/* At most one addon per owner and set. */
void addon_init(struct zc_addon *addon, struct zc_addon_set *set, const void *owner,
	void (*destroy)(struct zc_addon *addon));
/* Takes the addon off its set and calls its destroy. */
void addon_destroy(struct zc_addon *addon);
struct zc_addon *addon_find(struct zc_addon_set *set, const void *owner);

#endif
