#ifndef ZC_CURSOR_THEME_H
#define ZC_CURSOR_THEME_H

/*
 * Named cursor images (the CSS names cursor-shape-v1 uses: "default",
 * "text", "pointer", ...) from an Xcursor theme, loaded through libXcursor:
 * theme XCURSOR_THEME (unset: the "default" theme and what it inherits),
 * size XCURSOR_SIZE (unset or invalid: 24), searched along XCURSOR_PATH or
 * libXcursor's built-in path. Each name is loaded once, when first asked
 * for; an animated cursor shows its first frame.
 */

#include <stdint.h>

struct zc_buffer;
struct zc_cursor_theme;

struct zc_cursor_image {
	struct zc_buffer *buffer; /* ARGB8888, premultiplied */
	int32_t hotspot_x, hotspot_y;
};

/* NULL only when out of memory. */
struct zc_cursor_theme *cursor_theme_create(void);
void cursor_theme_destroy(struct zc_cursor_theme *theme);
/* The image called name, else the one called alt (a legacy X name, may be
 * NULL); NULL if the theme has neither (logged once per name). */
const struct zc_cursor_image *cursor_theme_get(struct zc_cursor_theme *theme,
	const char *name, const char *alt);

#endif
