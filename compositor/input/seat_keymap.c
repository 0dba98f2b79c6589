/* memfd_create and file seals. */
#define _GNU_SOURCE
#include "seat_keymap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct xkb_keymap *seat_keymap_compile(struct xkb_context *xkb, const struct zc_options *opts)
{
	struct xkb_rule_names names = {
		.layout = opts->xkb_layout,
		.variant = opts->xkb_variant,
		.options = opts->xkb_options,
	};
	struct xkb_keymap *keymap = xkb_keymap_new_from_names(xkb, &names, 0);
	if (keymap)
		return keymap;
	zc_err("seat: cannot compile the keymap (layout '%s', variant '%s', options '%s', "
		"or XKB_DEFAULT_*); falling back to the default us keymap",
		opts->xkb_layout ? opts->xkb_layout : "",
		opts->xkb_variant ? opts->xkb_variant : "",
		opts->xkb_options ? opts->xkb_options : "");
	/* Everything explicit, so a broken XKB_DEFAULT_* cannot break it too. */
	const struct xkb_rule_names fallback = {
		.rules = "evdev", .model = "pc105", .layout = "us", .variant = "", .options = "",
	};
	return xkb_keymap_new_from_names(xkb, &fallback, 0);
}

/* One sealed, read-only file shared by every wl_keyboard (allowed since
 * wl_keyboard v7, and harmless before: the seals forbid writes). */
bool seat_keymap_make_fd(struct xkb_keymap *keymap, int *fd_out, uint32_t *size_out)
{
	char *text = xkb_keymap_get_as_string(keymap, XKB_KEYMAP_FORMAT_TEXT_V1);
	if (!text)
		return false;
	size_t size = strlen(text) + 1;
	int fd = memfd_create("zcomp-keymap", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	bool ok = fd >= 0;
	for (size_t done = 0; ok && done < size;) {
		ssize_t n = write(fd, text + done, size - done);
		ok = n > 0;
		done += ok ? (size_t)n : 0;
	}
	ok = ok && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
		F_SEAL_SEAL) == 0;
	free(text);
	if (!ok) {
		zc_err("seat: cannot write the keymap file: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	*fd_out = fd;
	*size_out = (uint32_t)size;
	return true;
}
