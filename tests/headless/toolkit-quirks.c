/* What stock toolkits do against the letter of xdg-shell and zcomp
 * tolerates, as weston and wlroots do (issue 15; the Qt maximize sequence
 * has its own test, qt-maximize). */
#include "zct.h"

#define BACKGROUND 0x19191e /* zcomp's background, as captured */

/* SDL 2.26 (SDL_DestroyWindow on a shown window, then SDL_Quit): the
 * wl_surface goes before its xdg_toplevel and xdg_surface, which are
 * destroyed later or never, and xdg_wm_base is destroyed with them alive. */
static void test_sdl_destroy_order(struct zct_compositor *comp)
{
	struct zct_client *client = zct_client_connect(comp);
	struct zct_window *gone = client ? zct_window_create(client, false) : NULL;
	struct zct_window *left = client ? zct_window_create(client, false) : NULL;
	if (!gone || !left || !zct_window_map(gone) || !zct_window_map(left))
		goto cleanup;
	wl_surface_destroy(gone->surface);
	gone->surface = NULL;
	zct_expect_no_error(client, "wl_surface destroyed before its xdg_toplevel");
	/* A capture shows the last frame composited: wait for the next one. */
	struct zct_frame frame = { 0 };
	zct_request_frame(left->surface, &frame);
	wl_surface_commit(left->surface);
	ZCT_CHECK(zct_wait(client, &frame.done, 2000), "no frame after the unmap");
	/* Unmapped: its spot (the first cascade step, clear of the second window
	 * one step further) shows the background again. */
	struct zcc_image image;
	if (zct_capture(client, 0, &image)) {
		ZCT_CHECK(zct_count_not_color(&image, 32, 32, 32, 32, BACKGROUND) == 0,
			"the window whose wl_surface is gone is still shown");
		ZCT_CHECK(zct_compare_pattern(&image, 64, 64, 32, 32, WL_SHM_FORMAT_XRGB8888, 0) == 0,
			"the other window is not shown at 64,64");
		zcc_image_finish(&image);
	}
	xdg_toplevel_destroy(gone->toplevel);
	gone->toplevel = NULL;
	zct_expect_no_error(client, "the inert xdg_toplevel destroyed");
	wl_surface_destroy(left->surface);
	left->surface = NULL;
	xdg_wm_base_destroy(client->globals.wm_base);
	client->globals.wm_base = NULL;
	zct_expect_no_error(client, "xdg_wm_base destroyed with only inert xdg_surfaces");
cleanup:
	zct_window_destroy(left);
	zct_window_destroy(gone);
	zct_client_destroy(client);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = 128, .height = 96 };
	if (zct_compositor_start(&comp, &config))
		ZCT_RUN(test_sdl_destroy_order, &comp);
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
