#ifndef ZC_CURSOR_ARROW_H
#define ZC_CURSOR_ARROW_H

/* zcomp's default cursor, also read by the VM tests that look for it on
 * screen: X outline (black), . fill (white), blank transparent; the hotspot
 * is the top-left pixel. */
#define ZC_CURSOR_ARROW_WIDTH 12
#define ZC_CURSOR_ARROW_HEIGHT 19

static const char *const zc_cursor_arrow[ZC_CURSOR_ARROW_HEIGHT] = {
	"X           ",
	"XX          ",
	"X.X         ",
	"X..X        ",
	"X...X       ",
	"X....X      ",
	"X.....X     ",
	"X......X    ",
	"X.......X   ",
	"X........X  ",
	"X.........X ",
	"X......XXXXX",
	"X...X..X    ",
	"X..XX..X    ",
	"X.X  X..X   ",
	"XX   X..X   ",
	"X     X..X  ",
	"      X..X  ",
	"       XX   ",
};

#endif
