/*
 * --scale: the layout is in logical units, an output shows F output pixels
 * per unit. Repaint, damage, planes and the cursor all map through here, so
 * a view is drawn, damaged and scanned out on the same pixels.
 *
 * An edge e (logical, output-local) lands on pixel edge round(e * F): a box
 * is drawn from round(x * F) to round((x + w) * F), so boxes that touch in
 * the layout touch on the output. Damage rounds each edge outward instead
 * (floor, ceil), which always covers the rounded box; at a fractional F it
 * grows by one more pixel each way, since the renderers filter (bilinear)
 * there and a changed buffer pixel reaches into its neighbours' pixels.
 */
#include <math.h>

#include "base/util.h"
#include "output.h"

enum edge_rounding { EDGE_NEAREST, EDGE_FLOOR, EDGE_CEIL };

/* e * scale_120 / 120 rounded as asked; floor division, e may be < 0. */
static int64_t edge_pixels(int64_t e, int32_t scale_120, enum edge_rounding how)
{
	int64_t n = e * scale_120;
	if (how == EDGE_NEAREST)
		n += 60;
	else if (how == EDGE_CEIL)
		n += 119;
	int64_t q = n / 120;
	return n % 120 < 0 ? q - 1 : q;
}

static bool box_pixels(const struct zc_output *output, int64_t lx, int64_t ly, int64_t w,
	int64_t h, enum edge_rounding lo, enum edge_rounding hi, pixman_box32_t *out)
{
	lx = zc_clamp64(lx, -ZC_COORD_LIMIT, ZC_COORD_LIMIT) - output->x;
	ly = zc_clamp64(ly, -ZC_COORD_LIMIT, ZC_COORD_LIMIT) - output->y;
	w = zc_clamp64(w, 0, ZC_COORD_LIMIT);
	h = zc_clamp64(h, 0, ZC_COORD_LIMIT);
	int64_t x1 = edge_pixels(lx, output->scale_120, lo);
	int64_t y1 = edge_pixels(ly, output->scale_120, lo);
	int64_t x2 = edge_pixels(lx + w, output->scale_120, hi);
	int64_t y2 = edge_pixels(ly + h, output->scale_120, hi);
	/* Four times the limit fits pixman's int32 boxes. */
	*out = (pixman_box32_t){ (int32_t)x1, (int32_t)y1, (int32_t)x2, (int32_t)y2 };
	return x2 > x1 && y2 > y1;
}

bool output_box_pixels(const struct zc_output *output, int64_t lx, int64_t ly, int64_t w,
	int64_t h, pixman_box32_t *out)
{
	return box_pixels(output, lx, ly, w, h, EDGE_NEAREST, EDGE_NEAREST, out);
}

void output_region_pixels(const struct zc_output *output, const pixman_region32_t *layout,
	pixman_region32_t *out)
{
	pixman_region32_clear(out);
	int32_t bleed = output->scale_120 % 120 ? 1 : 0;
	int n;
	const pixman_box32_t *b = pixman_region32_rectangles(
		(pixman_region32_t *)layout, &n);
	for (int i = 0; i < n; i++) {
		pixman_box32_t p;
		if (box_pixels(output, b[i].x1, b[i].y1, (int64_t)b[i].x2 - b[i].x1,
			    (int64_t)b[i].y2 - b[i].y1, EDGE_FLOOR, EDGE_CEIL, &p))
			pixman_region32_union_rect(out, out, p.x1 - bleed, p.y1 - bleed,
				(uint32_t)(p.x2 - p.x1 + 2 * bleed), (uint32_t)(p.y2 - p.y1 + 2 * bleed));
	}
}

double output_pixels_to_logical(const struct zc_output *output, double pixels)
{
	return pixels * 120.0 / output->scale_120;
}
