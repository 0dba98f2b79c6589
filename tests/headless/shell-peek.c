#include "shell-peek.h"
#include "core/server.h"
#include "core/surface.h"
#include "shell/xdg_shell.h"

void shell_peek_top_window(struct zc_server *server, void *arg)
{
	struct shell_peek_window *s = arg;
	struct zc_view *view = view_top(server);
	struct zc_xdg_surface *xdg = wl_container_of(view, xdg, view);
	*s = (struct shell_peek_window){ view->x, view->y, xdg->geometry.x, xdg->geometry.y,
		xdg->geometry.width, xdg->geometry.height };
}
