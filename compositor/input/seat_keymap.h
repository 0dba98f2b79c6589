#ifndef ZC_SEAT_KEYMAP_H
#define ZC_SEAT_KEYMAP_H

/* The seat's keymap (seat_keymap.c): compiled from the options, with the us
 * keymap when that fails, and written to the file every wl_keyboard gets. */

#include <stdbool.h>
#include <stdint.h>
#include <xkbcommon/xkbcommon.h>

#include "core/server.h"

/* NULL only if even the fallback does not compile (logged). */
struct xkb_keymap *seat_keymap_compile(struct xkb_context *xkb, const struct zc_options *opts);
/* A sealed, read-only memfd holding the keymap text; false (logged) on failure. */
bool seat_keymap_make_fd(struct xkb_keymap *keymap, int *fd_out, uint32_t *size_out);

#endif
