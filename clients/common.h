#ifndef ZC_CLIENT_COMMON_H
#define ZC_CLIENT_COMMON_H

/*
 * Helpers shared by the zcomp demo clients and the headless tests: global
 * binding, wl_shm buffers, the frame-numbered test pattern, output capture
 * into memory and PNG writing. Everything here is client-side only.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <wayland-client.h>

#define ZCC_MAX_OUTPUTS 8
#define ZCC_MAX_SHM_FORMATS 64

struct zcc_output {
	struct wl_output *wl_output; /* NULL once its global was removed */
	uint32_t global_name;
	/* From wl_output events, complete once `done` arrived. */
	int32_t x, y, phys_width, phys_height;
	int32_t mode_width, mode_height, refresh_mhz;
	int32_t scale;
	char name[64];
	bool done;
};

struct zcc_globals {
	struct wl_registry *registry;
	struct wl_compositor *compositor;
	struct wl_subcompositor *subcompositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wp_presentation *presentation;
	struct wp_viewporter *viewporter;
	struct wp_fractional_scale_manager_v1 *fractional_scale_manager;
	struct wp_fifo_manager_v1 *fifo_manager;
	struct wp_tearing_control_manager_v1 *tearing_manager;
	struct zxdg_output_manager_v1 *xdg_output_manager;
	struct ext_output_image_capture_source_manager_v1 *capture_source_manager;
	struct ext_image_copy_capture_manager_v1 *copy_capture_manager;

	struct zcc_output outputs[ZCC_MAX_OUTPUTS];
	int n_outputs;
	uint32_t shm_formats[ZCC_MAX_SHM_FORMATS];
	int n_shm_formats;
	clockid_t presentation_clock; /* valid once has_presentation_clock */
	bool has_presentation_clock;
};

/* Binds every global zcomp offers that we know of, answers xdg_wm_base
 * pings and collects wl_output/wl_shm/presentation events; returns false if
 * the roundtrips failed. */
bool zcc_globals_bind(struct wl_display *display, struct zcc_globals *globals);
void zcc_globals_finish(struct zcc_globals *globals);
/* The output called name (wl_output.name), or NULL. */
const struct zcc_output *zcc_globals_find_output(const struct zcc_globals *globals,
	const char *name);
bool zcc_globals_has_shm_format(const struct zcc_globals *globals, uint32_t format);

/* ---- latency samples (commit to presentation), for the summaries ---- */

struct zcc_latencies {
	int64_t *ns;
	size_t n, cap;
	/* Frames presented more than 1.25 refreshes after the first refresh
	 * they could have made (after their commit and after the frame before
	 * them: a fifo queue shows one frame per refresh). */
	uint32_t missed;
	int64_t last_present_ns;
};

/* A sample that cannot be stored (out of memory) is dropped: statistics only. */
void zcc_latencies_add(struct zcc_latencies *lat, int64_t ns);
/* A frame committed at commit_ns presented at present_ns (refresh: the
 * feedback's, 0 if unknown), frames in presentation order: the sample and
 * whether it missed a refresh. */
void zcc_latencies_present(struct zcc_latencies *lat, int64_t commit_ns, int64_t present_ns,
	uint32_t refresh);
/* Sorts the samples; then zcc_latencies_ms gives percentiles (p in 0..1). */
void zcc_latencies_sort(struct zcc_latencies *lat);
double zcc_latencies_ms(const struct zcc_latencies *lat, double p);
void zcc_latencies_finish(struct zcc_latencies *lat);

/* ---- an xdg_toplevel window that acks every configure ---- */

struct zcc_window {
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	int32_t width, height; /* of the last toplevel configure; 0: the client chooses */
	bool configured, closed;
};

/* Creates and commits the window, fullscreen on `output` (NULL: the
 * compositor's choice) when asked; the caller then waits for `configured`. */
void zcc_window_init(struct zcc_window *window, const struct zcc_globals *globals,
	const char *title, bool fullscreen, struct wl_output *output);
void zcc_window_finish(struct zcc_window *window);

/* ---- pixel formats (wl_shm codes) ---- */

struct zcc_format {
	uint32_t shm;
	const char *name;
	int bytes_per_pixel;
	/* Channel layout inside the little-endian pixel word: r, g, b, a.
	 * bits == 0: the channel is absent (alpha of X formats). */
	uint8_t shift[4], bits[4];
};

const struct zcc_format *zcc_format_get(uint32_t shm_format);
const struct zcc_format *zcc_format_by_name(const char *name);

/* ---- wl_shm buffers ---- */

struct zcc_buffer {
	struct wl_buffer *wl_buffer;
	void *data;
	size_t size;
	int32_t width, height, stride;
	uint32_t format; /* wl_shm code */
	bool busy;       /* attached and not yet released */
};

/* A buffer in its own memfd pool; busy is cleared on wl_buffer.release. */
struct zcc_buffer *zcc_buffer_create(struct wl_shm *shm, int32_t width, int32_t height,
	uint32_t format);
void zcc_buffer_destroy(struct zcc_buffer *buffer);

/* An anonymous file of `size` bytes, or -1. */
int zcc_create_shm_file(size_t size);

/* ---- the test pattern ---- */

/*
 * The pattern is a pure function of (width, height, frame, x, y): four
 * horizontal bands of gradients that shift with the frame number, and in the
 * top-left corner a block of ZCC_FRAME_BITS cells encoding the frame number
 * in black and white, so a capture proves which frame is on screen.
 */
#define ZCC_FRAME_CELL 4
#define ZCC_FRAME_COLS 8
#define ZCC_FRAME_BITS 24
#define ZCC_FRAME_BLOCK_W (ZCC_FRAME_CELL * ZCC_FRAME_COLS)
#define ZCC_FRAME_BLOCK_H (ZCC_FRAME_CELL * (ZCC_FRAME_BITS / ZCC_FRAME_COLS))

struct zcc_rgb {
	uint16_t c[3];  /* r, g, b */
	uint8_t bits[3]; /* precision of each channel */
};

/* The pattern's colour at (x, y), 8 bits per channel. */
struct zcc_rgb zcc_pattern_rgb8(int32_t width, int32_t height, uint32_t frame,
	int32_t x, int32_t y);
/* The same colour as it survives storage in `format` (its precision). */
struct zcc_rgb zcc_pattern_rgb(const struct zcc_format *format, int32_t width,
	int32_t height, uint32_t frame, int32_t x, int32_t y);
/* Fills pixels with the pattern, opaque; false for an unknown format. */
bool zcc_pattern_fill(void *data, int32_t stride, int32_t width, int32_t height,
	uint32_t format, uint32_t frame);

/* Packs/unpacks one pixel; colours are 8-bit values scaled to the format. */
void zcc_pixel_store(const struct zcc_format *format, uint8_t *dst, struct zcc_rgb rgb);
struct zcc_rgb zcc_pixel_load(const struct zcc_format *format, const uint8_t *src);

/* A channel value of `bits` precision as 8 bits. */
uint8_t zcc_channel_to8(uint16_t value, int bits);

/* Equal in the precision both sides have. */
bool zcc_rgb_equal(struct zcc_rgb a, struct zcc_rgb b);

/* ---- images and capture ---- */

struct zcc_image {
	int32_t width, height, stride;
	uint32_t format; /* wl_shm code */
	uint8_t *data;
};

struct zcc_rgb zcc_image_get(const struct zcc_image *image, int32_t x, int32_t y);
/* Reads back the frame number from the pattern placed at (x0, y0), or -1. */
int64_t zcc_image_read_frame(const struct zcc_image *image, int32_t x0, int32_t y0);
void zcc_image_finish(struct zcc_image *image);

/* Captures one frame of output through ext-image-copy-capture-v1 into
 * image. On failure returns false with a message in err. */
bool zcc_capture_output(struct wl_display *display, struct zcc_globals *globals,
	struct wl_output *output, struct zcc_image *image, char *err, size_t err_size);

/* Writes image as an 8-bit RGB PNG; false with a message in err. */
bool zcc_image_write_png(const struct zcc_image *image, const char *path,
	char *err, size_t err_size);

/* ---- small utilities ---- */

/* Dispatches events, waiting up to timeout_ms for some to arrive.
 * Returns events dispatched, 0 on timeout, -1 on a connection error. */
int zcc_dispatch_timeout(struct wl_display *display, int timeout_ms);
/* The same, also waking when one of extra (at most ZCC_MAX_EXTRA_FDS) is
 * ready: their revents are filled in. */
#define ZCC_MAX_EXTRA_FDS 16
struct pollfd;
int zcc_dispatch_poll(struct wl_display *display, struct pollfd *extra, int n_extra,
	int timeout_ms);
/* Dispatches until *flag is set, the timeout passes or the connection
 * fails; returns *flag. */
bool zcc_dispatch_until(struct wl_display *display, const bool *flag, int timeout_ms);
int64_t zcc_timespec_to_nsec(const struct timespec *ts);
int64_t zcc_now_nsec(clockid_t clock);

#endif
