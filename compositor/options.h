#ifndef ZC_OPTIONS_H
#define ZC_OPTIONS_H

#include <stdio.h>

#include "core/server.h"

enum options_result {
	OPTIONS_RUN,      /* start the compositor */
	OPTIONS_EXIT_OK,  /* --help or --version was printed */
	OPTIONS_BAD,      /* a one-line error was printed: exit 2 */
};

/* Parses argv into opts (defaults first); messages go to out/err. */
enum options_result options_parse(struct zc_options *opts, int argc, char **argv, FILE *out,
	FILE *err);
/* "WxH" or "WxH@Hz" (Hz may have decimals); false if impossible. */
bool options_parse_mode(const char *text, int32_t *width, int32_t *height, int32_t *refresh_mhz);

#endif
