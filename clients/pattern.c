#include <stdlib.h>
#include <string.h>

#include "common.h"

/* Channel order in the tables below: r, g, b, a. */
#define FMT(code, nm, bytes, rs, rb, gs, gb, bs, bb, as, ab) \
	{ .shm = (code), .name = (nm), .bytes_per_pixel = (bytes), \
	  .shift = { rs, gs, bs, as }, .bits = { rb, gb, bb, ab } }

static const struct zcc_format formats[] = {
	FMT(WL_SHM_FORMAT_XRGB8888, "xrgb8888", 4, 16, 8, 8, 8, 0, 8, 0, 0),
	FMT(WL_SHM_FORMAT_ARGB8888, "argb8888", 4, 16, 8, 8, 8, 0, 8, 24, 8),
	FMT(WL_SHM_FORMAT_XBGR8888, "xbgr8888", 4, 0, 8, 8, 8, 16, 8, 0, 0),
	FMT(WL_SHM_FORMAT_ABGR8888, "abgr8888", 4, 0, 8, 8, 8, 16, 8, 24, 8),
	FMT(WL_SHM_FORMAT_RGB888, "rgb888", 3, 16, 8, 8, 8, 0, 8, 0, 0),
	FMT(WL_SHM_FORMAT_BGR888, "bgr888", 3, 0, 8, 8, 8, 16, 8, 0, 0),
	FMT(WL_SHM_FORMAT_RGB565, "rgb565", 2, 11, 5, 5, 6, 0, 5, 0, 0),
	FMT(WL_SHM_FORMAT_BGR565, "bgr565", 2, 0, 5, 5, 6, 11, 5, 0, 0),
	FMT(WL_SHM_FORMAT_XRGB1555, "xrgb1555", 2, 10, 5, 5, 5, 0, 5, 0, 0),
	FMT(WL_SHM_FORMAT_ARGB1555, "argb1555", 2, 10, 5, 5, 5, 0, 5, 15, 1),
	FMT(WL_SHM_FORMAT_XRGB4444, "xrgb4444", 2, 8, 4, 4, 4, 0, 4, 0, 0),
	FMT(WL_SHM_FORMAT_ARGB4444, "argb4444", 2, 8, 4, 4, 4, 0, 4, 12, 4),
	FMT(WL_SHM_FORMAT_XRGB2101010, "xrgb2101010", 4, 20, 10, 10, 10, 0, 10, 0, 0),
	FMT(WL_SHM_FORMAT_ARGB2101010, "argb2101010", 4, 20, 10, 10, 10, 0, 10, 30, 2),
	FMT(WL_SHM_FORMAT_XBGR2101010, "xbgr2101010", 4, 0, 10, 10, 10, 20, 10, 0, 0),
	FMT(WL_SHM_FORMAT_ABGR2101010, "abgr2101010", 4, 0, 10, 10, 10, 20, 10, 30, 2),
};

const struct zcc_format *zcc_format_get(uint32_t shm_format)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (formats[i].shm == shm_format)
			return &formats[i];
	}
	return NULL;
}

const struct zcc_format *zcc_format_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	}
	return NULL;
}

/* Rescales a channel value. Widening replicates the bits, the way pixman and
 * GPUs expand, so 0 stays 0, full stays full and narrowing gives back the
 * value we started from. */
static uint32_t rescale(uint32_t value, int from_bits, int to_bits)
{
	if (to_bits <= from_bits)
		return value >> (from_bits - to_bits);
	uint32_t out = 0;
	int filled = 0;
	while (filled < to_bits) {
		out = (out << from_bits) | value;
		filled += from_bits;
	}
	return out >> (filled - to_bits);
}

uint8_t zcc_channel_to8(uint16_t value, int bits)
{
	return (uint8_t)rescale(value, bits, 8);
}

static struct zcc_rgb rgb8(uint8_t r, uint8_t g, uint8_t b)
{
	return (struct zcc_rgb){ .c = { r, g, b }, .bits = { 8, 8, 8 } };
}

struct zcc_rgb zcc_pattern_rgb8(int32_t width, int32_t height, uint32_t frame,
	int32_t x, int32_t y)
{
	if (x < ZCC_FRAME_BLOCK_W && y < ZCC_FRAME_BLOCK_H) {
		int bit = (y / ZCC_FRAME_CELL) * ZCC_FRAME_COLS + x / ZCC_FRAME_CELL;
		return (frame >> bit) & 1 ? rgb8(255, 255, 255) : rgb8(0, 0, 0);
	}
	/* Gradients that move with the frame: every frame differs from the
	 * previous one almost everywhere, not just in the corner. */
	uint8_t v = (uint8_t)(x * 2 + y + frame * 3);
	switch (height > 0 ? (y * 4 / height) : 0) {
	case 0:
		return rgb8(v, 0, 0);
	case 1:
		return rgb8(0, v, 0);
	case 2:
		return rgb8(0, 0, v);
	default:
		return rgb8(v, (uint8_t)(255 - v), (uint8_t)(y * 8 + x));
	}
}

struct zcc_rgb zcc_pattern_rgb(const struct zcc_format *format, int32_t width,
	int32_t height, uint32_t frame, int32_t x, int32_t y)
{
	struct zcc_rgb rgb = zcc_pattern_rgb8(width, height, frame, x, y);
	for (int i = 0; i < 3; i++) {
		rgb.c[i] = (uint16_t)rescale(rgb.c[i], 8, format->bits[i]);
		rgb.bits[i] = format->bits[i];
	}
	return rgb;
}

void zcc_pixel_store(const struct zcc_format *format, uint8_t *dst, struct zcc_rgb rgb)
{
	uint32_t word = 0;
	for (int i = 0; i < 3; i++)
		word |= rescale(rgb.c[i], rgb.bits[i], format->bits[i]) << format->shift[i];
	if (format->bits[3])
		word |= ((1u << format->bits[3]) - 1) << format->shift[3];
	for (int i = 0; i < format->bytes_per_pixel; i++)
		dst[i] = (uint8_t)(word >> (8 * i));
}

struct zcc_rgb zcc_pixel_load(const struct zcc_format *format, const uint8_t *src)
{
	uint32_t word = 0;
	for (int i = 0; i < format->bytes_per_pixel; i++)
		word |= (uint32_t)src[i] << (8 * i);
	struct zcc_rgb rgb;
	for (int i = 0; i < 3; i++) {
		rgb.c[i] = (uint16_t)((word >> format->shift[i]) & ((1u << format->bits[i]) - 1));
		rgb.bits[i] = format->bits[i];
	}
	return rgb;
}

bool zcc_rgb_equal(struct zcc_rgb a, struct zcc_rgb b)
{
	for (int i = 0; i < 3; i++) {
		int k = a.bits[i] < b.bits[i] ? a.bits[i] : b.bits[i];
		if ((a.c[i] >> (a.bits[i] - k)) != (b.c[i] >> (b.bits[i] - k)))
			return false;
	}
	return true;
}

bool zcc_pattern_fill(void *data, int32_t stride, int32_t width, int32_t height,
	uint32_t format, uint32_t frame)
{
	const struct zcc_format *info = zcc_format_get(format);
	if (!info)
		return false;
	for (int32_t y = 0; y < height; y++) {
		uint8_t *row = (uint8_t *)data + (size_t)y * (size_t)stride;
		for (int32_t x = 0; x < width; x++) {
			zcc_pixel_store(info, row + (size_t)x * (size_t)info->bytes_per_pixel,
				zcc_pattern_rgb8(width, height, frame, x, y));
		}
	}
	return true;
}

struct zcc_rgb zcc_image_get(const struct zcc_image *image, int32_t x, int32_t y)
{
	const struct zcc_format *info = zcc_format_get(image->format);
	const uint8_t *p = image->data + (size_t)y * (size_t)image->stride +
		(size_t)x * (size_t)info->bytes_per_pixel;
	return zcc_pixel_load(info, p);
}

/* A cell's colour as a bit: 1 white, 0 black, -1 anything else. */
static int cell_bit(struct zcc_rgb rgb)
{
	int ones = 0, zeros = 0;
	for (int i = 0; i < 3; i++) {
		uint32_t full = (1u << rgb.bits[i]) - 1;
		ones += rgb.c[i] == full;
		zeros += rgb.c[i] == 0;
	}
	return ones == 3 ? 1 : zeros == 3 ? 0 : -1;
}

int64_t zcc_image_read_frame(const struct zcc_image *image, int32_t x0, int32_t y0)
{
	if (x0 < 0 || y0 < 0 || x0 + ZCC_FRAME_BLOCK_W > image->width ||
			y0 + ZCC_FRAME_BLOCK_H > image->height)
		return -1;
	int64_t frame = 0;
	for (int bit = 0; bit < ZCC_FRAME_BITS; bit++) {
		int32_t cx = x0 + (bit % ZCC_FRAME_COLS) * ZCC_FRAME_CELL + ZCC_FRAME_CELL / 2;
		int32_t cy = y0 + (bit / ZCC_FRAME_COLS) * ZCC_FRAME_CELL + ZCC_FRAME_CELL / 2;
		int b = cell_bit(zcc_image_get(image, cx, cy));
		if (b < 0)
			return -1;
		frame |= (int64_t)b << bit;
	}
	return frame;
}

void zcc_image_finish(struct zcc_image *image)
{
	free(image->data);
	memset(image, 0, sizeof(*image));
}
