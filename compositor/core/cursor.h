#ifndef ZC_CURSOR_H
#define ZC_CURSOR_H

/*
 * The pointer's cursor image: zcomp's own arrow by default, a client's
 * surface with the "cursor" role after wl_pointer.set_cursor, a named image
 * of the Xcursor theme after cursor-shape-v1's set_shape, or nothing
 * (set_cursor with a NULL surface). Each output shows it on its cursor
 * plane where the backend has one (zc_output_impl.set_cursor), which costs
 * a commit and no composition; other outputs composite it on top of the
 * frame (cursor_draw), damaging only the boxes it leaves and enters.
 */

#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

#include "server.h"

struct zc_cursor;
struct zc_output;
struct zc_renderer;

/* Sets server->cursor; false on failure (logged). */
bool cursor_create(struct zc_server *server);
void cursor_destroy(struct zc_server *server);

/* The pointer moved (layout coordinates). */
void cursor_move(struct zc_cursor *cursor, double x, double y);
/* Where the pointer is (layout coordinates); false before it first moved
 * (no pointing device) or without a cursor. */
bool cursor_get_position(const struct zc_cursor *cursor, double *x, double *y);
/* wl_pointer.set_cursor, already checked against focus and serial: surface
 * takes the cursor role (a role error goes to pointer), NULL hides it. */
void cursor_set_surface(struct zc_cursor *cursor, struct wl_resource *pointer,
	struct wl_resource *surface, int32_t hotspot_x, int32_t hotspot_y);
/* cursor-shape-v1, already checked like set_cursor: the theme's image
 * called name (else alt, a legacy name; NULL: none), zcomp's arrow if the
 * theme has neither. */
void cursor_set_named(struct zc_cursor *cursor, const char *name, const char *alt);
/* Back to zcomp's arrow (the pointer left the client that set a cursor). */
void cursor_set_default(struct zc_cursor *cursor);

/* output.c: whether frames of output must contain the cursor (no plane
 * shows it and it is over the output). */
bool cursor_needs_composition(struct zc_output *output);
/* output.c: draws the cursor into the frame being rendered, unless a plane
 * shows it. */
void cursor_draw(struct zc_output *output, struct zc_renderer *renderer,
	const pixman_region32_t *damage);

#endif
