/*
 * Xcursor theme images, cached by name (see cursor_theme.h). A name the
 * theme lacks is remembered as missing, so the files are scanned once.
 */
#include "cursor_theme.h"

#include <X11/Xcursor/Xcursor.h>
#include <drm_fourcc.h>
#include <stdlib.h>
#include <string.h>

#include "base/buffer.h"
#include "base/log.h"

#define CURSOR_DEFAULT_SIZE 24
#define CURSOR_MAX_SIZE 256

struct theme_entry {
	char *name;
	struct zc_cursor_image image; /* buffer NULL: the theme has no such cursor */
	struct theme_entry *next;
};

struct zc_cursor_theme {
	char *name; /* NULL: libXcursor's "default" */
	int size;
	struct theme_entry *entries;
};

static int size_from_env(void)
{
	const char *env = getenv("XCURSOR_SIZE");
	char *end = NULL;
	long size = env ? strtol(env, &end, 10) : 0;
	if (!env || end == env || *end || size <= 0 || size > CURSOR_MAX_SIZE)
		return CURSOR_DEFAULT_SIZE;
	return (int)size;
}

struct zc_cursor_theme *cursor_theme_create(void)
{
	struct zc_cursor_theme *theme = calloc(1, sizeof(*theme));
	const char *name = getenv("XCURSOR_THEME");
	if (!theme)
		return NULL;
	theme->size = size_from_env();
	if (name && *name && !(theme->name = strdup(name))) {
		free(theme);
		return NULL;
	}
	zc_info("cursor: theme '%s', size %d (XCURSOR_THEME, XCURSOR_SIZE)",
		theme->name ? theme->name : "default", theme->size);
	return theme;
}

void cursor_theme_destroy(struct zc_cursor_theme *theme)
{
	if (!theme)
		return;
	struct theme_entry *entry = theme->entries;
	while (entry) {
		struct theme_entry *next = entry->next;
		if (entry->image.buffer)
			buffer_drop(entry->image.buffer);
		free(entry->name);
		free(entry);
		entry = next;
	}
	free(theme->name);
	free(theme);
}

/* Xcursor pixels are premultiplied ARGB words, as DRM's ARGB8888. */
static struct zc_buffer *buffer_from_xcursor(const XcursorImage *xc)
{
	struct zc_buffer *buffer = memory_buffer_create((int32_t)xc->width,
		(int32_t)xc->height, DRM_FORMAT_ARGB8888);
	struct zc_cpu_view view;
	if (!buffer || !buffer_begin_cpu_access(buffer, ZC_CPU_WRITE, &view)) {
		if (buffer)
			buffer_drop(buffer);
		return NULL;
	}
	for (uint32_t y = 0; y < xc->height; y++)
		memcpy((uint8_t *)view.data[0] + (size_t)y * view.stride[0],
			xc->pixels + (size_t)y * xc->width, (size_t)xc->width * 4);
	buffer_end_cpu_access(buffer);
	return buffer;
}

static bool load_image(struct zc_cursor_theme *theme, const char *name,
	struct zc_cursor_image *out)
{
	XcursorImage *xc = XcursorLibraryLoadImage(name, theme->name, theme->size);
	if (!xc)
		return false;
	out->buffer = buffer_from_xcursor(xc);
	out->hotspot_x = (int32_t)xc->xhot;
	out->hotspot_y = (int32_t)xc->yhot;
	XcursorImageDestroy(xc);
	return out->buffer != NULL;
}

static struct theme_entry *entry_load(struct zc_cursor_theme *theme, const char *name,
	const char *alt)
{
	struct theme_entry *entry = calloc(1, sizeof(*entry));
	if (!entry || !(entry->name = strdup(name))) {
		free(entry);
		return NULL;
	}
	if (!load_image(theme, name, &entry->image) && !(alt &&
		    load_image(theme, alt, &entry->image)))
		zc_warn("cursor: no '%s' cursor in theme '%s' (size %d, path %s): "
			"zcomp's built-in arrow instead", name,
			theme->name ? theme->name : "default", theme->size, XcursorLibraryPath());
	entry->next = theme->entries;
	theme->entries = entry;
	return entry;
}

const struct zc_cursor_image *cursor_theme_get(struct zc_cursor_theme *theme,
	const char *name, const char *alt)
{
	struct theme_entry *entry = theme->entries;
	while (entry && strcmp(entry->name, name) != 0)
		entry = entry->next;
	if (!entry)
		entry = entry_load(theme, name, alt);
	return entry && entry->image.buffer ? &entry->image : NULL;
}
