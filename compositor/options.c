#include "options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"Usage: zcomp [OPTIONS] [-- CLIENT [ARGS...]]\n"
	"A Wayland compositor built around zero-copy dma-buf buffers.\n"
	"\n"
	"  -h, --help               show this help and exit\n"
	"  -v, --version            show the version and exit\n"
	"  -b, --backend=NAME       headless or kms (default: headless)\n"
	"  -r, --renderer=NAME      pixman or gl (default: pixman)\n"
	"  -s, --socket=NAME        listen on this socket name in XDG_RUNTIME_DIR\n"
	"  -d, --drm-device=PATH    KMS device to use instead of discovering one\n"
	"  -m, --mode=WxH[@Hz]      output mode (headless default: 1280x720@60)\n"
	"  -o, --outputs=N          headless: number of virtual outputs (default: 1)\n"
	"  -l, --log-level=LEVEL    error, warn, info or debug (default: info)\n"
	"      --stats=FILE         append per-surface path accounting as JSON lines\n"
	"      --no-scanout         composite every frame: no direct scanout, no overlay\n"
	"                           planes (for comparisons)\n"
	"      --repaint-window=MS  start each repaint MS ms before the refresh it aims at\n"
	"                           (0: at once; default: measured repaint and wake-up times + 1 ms)\n"
	"      --xkb-layout=LAYOUT  keyboard layout, e.g. us or de (default: XKB_DEFAULT_LAYOUT, us)\n"
	"      --xkb-variant=NAME   layout variant, e.g. nodeadkeys (default: XKB_DEFAULT_VARIANT)\n"
	"      --xkb-options=LIST   XKB options, e.g. ctrl:nocaps (default: XKB_DEFAULT_OPTIONS)\n"
	"      --scale=F            magnify the outputs by F, 1 to 4 in steps of 1/120\n"
	"                           (default: 1): the layout is the mode / F; clients are\n"
	"                           told F (fractional-scale-v1) and ceil(F) (wl_output)\n"
	"      --idle-timeout=SECONDS  blank the outputs after this long without input\n"
	"                           (0: never, the default); KMS: the CRTCs go ACTIVE=0\n"
	"\n"
	"With -- CLIENT, zcomp starts CLIENT with WAYLAND_DISPLAY set and exits\n"
	"with its status when it ends.\n";

bool options_parse_mode(const char *text, int32_t *width, int32_t *height, int32_t *refresh_mhz)
{
	char *end;
	long w = strtol(text, &end, 10);
	if (end == text || *end != 'x')
		return false;
	const char *h_text = end + 1;
	long h = strtol(h_text, &end, 10);
	if (end == h_text || w < 1 || h < 1 || w > 16384 || h > 16384)
		return false;
	double hz = 0;
	if (*end == '@') {
		const char *hz_text = end + 1;
		hz = strtod(hz_text, &end);
		if (end == hz_text || hz < 1.0 || hz > 1000.0)
			return false;
	}
	if (*end != '\0')
		return false;
	*width = (int32_t)w;
	*height = (int32_t)h;
	*refresh_mhz = (int32_t)(hz * 1000.0 + 0.5);
	return true;
}

static bool parse_choice(const char *value, const char *a, const char *b)
{
	return strcmp(value, a) == 0 || strcmp(value, b) == 0;
}

static bool parse_count(const char *value, int *out)
{
	char *end;
	long n = strtol(value, &end, 10);
	if (end == value || *end != '\0' || n < 1 || n > 16)
		return false;
	*out = (int)n;
	return true;
}

/* A scale in 120ths (fractional-scale-v1's unit), from 1 to 4. */
static bool parse_scale(const char *value, uint32_t *out)
{
	char *end;
	double scale = strtod(value, &end);
	if (end == value || *end != '\0' || !(scale >= 1.0 && scale <= 4.0))
		return false;
	*out = (uint32_t)(scale * 120.0 + 0.5);
	return true;
}

/* Seconds, with decimals, up to a day; 0 switches blanking off. */
static bool parse_seconds(const char *value, int32_t *msec)
{
	char *end;
	double s = strtod(value, &end);
	if (end == value || *end != '\0' || !(s >= 0.0 && s <= 86400.0))
		return false;
	*msec = (int32_t)(s * 1000.0 + 0.5);
	return true;
}

/* Milliseconds with up to three decimals, 0..1000, as microseconds. */
static bool parse_window(const char *value, int64_t *us)
{
	char *end;
	double ms = strtod(value, &end);
	if (end == value || *end != '\0' || !(ms >= 0.0 && ms <= 1000.0))
		return false;
	*us = (int64_t)(ms * 1000.0 + 0.5);
	return true;
}

static const struct option long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "backend", required_argument, NULL, 'b' },
	{ "renderer", required_argument, NULL, 'r' },
	{ "socket", required_argument, NULL, 's' },
	{ "drm-device", required_argument, NULL, 'd' },
	{ "mode", required_argument, NULL, 'm' },
	{ "outputs", required_argument, NULL, 'o' },
	{ "log-level", required_argument, NULL, 'l' },
	{ "stats", required_argument, NULL, 'S' },
	{ "no-scanout", no_argument, NULL, 'N' },
	{ "repaint-window", required_argument, NULL, 'W' },
	{ "xkb-layout", required_argument, NULL, 'K' },
	{ "xkb-variant", required_argument, NULL, 'V' },
	{ "xkb-options", required_argument, NULL, 'O' },
	{ "scale", required_argument, NULL, 'F' },
	{ "idle-timeout", required_argument, NULL, 'I' },
	{ 0 },
};

/* One option; false with err written if its value is impossible. */
static bool apply_option(struct zc_options *opts, int c, const char *arg, FILE *err)
{
	int level;
	switch (c) {
	case 'b':
		opts->backend = arg;
		if (parse_choice(arg, "headless", "kms"))
			return true;
		fprintf(err, "zcomp: unknown backend '%s' (expected headless or kms)\n", arg);
		return false;
	case 'r':
		opts->renderer = arg;
		if (parse_choice(arg, "pixman", "gl"))
			return true;
		fprintf(err, "zcomp: unknown renderer '%s' (expected pixman or gl)\n", arg);
		return false;
	case 's':
		opts->socket = arg;
		if (*arg && !strchr(arg, '/'))
			return true;
		fprintf(err, "zcomp: invalid socket name '%s'\n", arg);
		return false;
	case 'd':
		opts->drm_device = arg;
		return true;
	case 'S':
		opts->stats_path = arg;
		return true;
	case 'N':
		opts->no_scanout = true;
		return true;
	case 'W':
		if (parse_window(arg, &opts->repaint_window_us))
			return true;
		fprintf(err, "zcomp: invalid repaint window '%s' (expected 0 to 1000 ms)\n", arg);
		return false;
	case 'K':
		opts->xkb_layout = arg;
		return true;
	case 'V':
		opts->xkb_variant = arg;
		return true;
	case 'O':
		opts->xkb_options = arg;
		return true;
	case 'I':
		if (parse_seconds(arg, &opts->idle_timeout_ms))
			return true;
		fprintf(err, "zcomp: invalid idle timeout '%s' (expected 0 to 86400 seconds)\n",
			arg);
		return false;
	case 'm':
		if (options_parse_mode(arg, &opts->width, &opts->height, &opts->refresh_mhz))
			return true;
		fprintf(err, "zcomp: invalid mode '%s' (expected WxH or WxH@Hz)\n", arg);
		return false;
	case 'o':
		if (parse_count(arg, &opts->n_outputs))
			return true;
		fprintf(err, "zcomp: invalid output count '%s' (expected 1 to 16)\n", arg);
		return false;
	case 'F':
		if (parse_scale(arg, &opts->scale_120))
			return true;
		fprintf(err, "zcomp: invalid scale '%s' (expected a number from 1 to 4)\n", arg);
		return false;
	case 'l':
		level = zc_log_level_parse(arg);
		opts->log_level = (enum zc_log_level)level;
		if (level >= 0)
			return true;
		fprintf(err, "zcomp: invalid log level '%s' (expected error, warn, info or debug)\n",
			arg);
		return false;
	default:
		return false;
	}
}

enum options_result options_parse(struct zc_options *opts, int argc, char **argv, FILE *out,
	FILE *err)
{
	*opts = (struct zc_options){
		.backend = "headless",
		.renderer = "pixman",
		.n_outputs = 1,
		.scale_120 = 120,
		.log_level = ZC_LOG_INFO,
		.repaint_window_us = -1,
	};
	optind = 1;
	opterr = 0;
	int c;
	/* '+': stop at the first non-option, so a client's own options after
	 * "--" are never taken for ours. */
	while ((c = getopt_long(argc, argv, "+hvb:r:s:d:m:o:l:", long_options, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, out);
			return OPTIONS_EXIT_OK;
		}
		if (c == 'v') {
			fprintf(out, "zcomp %s\n", ZC_VERSION);
			return OPTIONS_EXIT_OK;
		}
		if (c == '?' || c == ':') {
			fprintf(err, "zcomp: unknown or incomplete option '%s' (see --help)\n",
				argv[optind - 1]);
			return OPTIONS_BAD;
		}
		if (!apply_option(opts, c, optarg, err))
			return OPTIONS_BAD;
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--") != 0) {
			fprintf(err, "zcomp: unexpected argument '%s' (put a client after --)\n",
				argv[optind]);
			return OPTIONS_BAD;
		}
		opts->client_argv = &argv[optind];
	}
	return OPTIONS_RUN;
}
