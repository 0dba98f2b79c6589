#include "addon.h"

#include <assert.h>

void addon_set_init(struct zc_addon_set *set)
{
	wl_list_init(&set->addons);
}

void addon_set_finish(struct zc_addon_set *set)
{
	struct zc_addon *addon, *tmp;
	wl_list_for_each_safe(addon, tmp, &set->addons, link)
		addon_destroy(addon);
}

void addon_init(struct zc_addon *addon, struct zc_addon_set *set, const void *owner,
	void (*destroy)(struct zc_addon *addon))
{
	assert(!addon_find(set, owner));
	addon->owner = owner;
	addon->destroy = destroy;
	wl_list_insert(&set->addons, &addon->link);
}

void addon_destroy(struct zc_addon *addon)
{
	wl_list_remove(&addon->link);
	addon->destroy(addon);
}

struct zc_addon *addon_find(struct zc_addon_set *set, const void *owner)
{
	struct zc_addon *addon;
	wl_list_for_each(addon, &set->addons, link) {
		if (addon->owner == owner)
			return addon;
	}
	return NULL;
}
