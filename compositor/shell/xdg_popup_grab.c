/*
 * xdg_popup.grab: a menu that holds the input until the user is done with
 * it. While a grab runs, the grabbing client gets pointer and touch events
 * on all of its surfaces as usual ("owner events"), other clients get none,
 * the topmost grabbing popup has the keyboard, and a press anywhere else
 * dismisses the chain, topmost first, as does another window coming up.
 *
 * The chain is linear: shell->grab_popup is the topmost grabbing popup and
 * each grabbing popup's parent is either a grabbing popup or the chain's
 * toplevel. The seat asks about the grab through the shell policy
 * (core/shell_policy.h); whether a serial was a user's press, the seat tells
 * through the grab host (core/grab.h).
 */
#include "xdg_shell.h"

#include "core/grab.h"
#include "xdg-shell-server-protocol.h"

static struct zc_xdg_popup *parent_popup(const struct zc_xdg_popup *popup)
{
	struct zc_xdg_surface *parent = popup->parent;
	return parent && parent->role == XDG_ROLE_POPUP ? parent->popup : NULL;
}

/* Input routing follows at the seat's next refocus. */
static void grab_changed(struct zc_xdg_shell *shell)
{
	view_notify_scene_changed(shell->server);
}

void xdg_popup_grab_dismiss(struct zc_xdg_shell *shell)
{
	struct zc_xdg_popup *bottom = shell->grab_popup, *up;
	if (!bottom)
		return;
	while ((up = parent_popup(bottom)) && up->grabbing)
		bottom = up;
	xdg_popup_dismiss(bottom); /* its children first, each releasing */
}

void xdg_popup_grab(struct zc_xdg_popup *popup, uint32_t serial)
{
	struct zc_xdg_shell *shell = popup->base->shell;
	struct zc_xdg_popup *parent = parent_popup(popup);
	/* Nested only on the topmost grabbing popup; a grab from anywhere
	 * else starts over, ending the chain that ran. */
	if (shell->grab_popup && (!parent || parent != shell->grab_popup))
		xdg_popup_grab_dismiss(shell);
	struct wl_client *client = wl_resource_get_client(popup->resource);
	bool parent_ok = parent ? parent->grabbing && !parent->dismissed :
		popup->parent != NULL;
	if (!parent_ok ||
	    !grab_host_serial_is_input(&shell->server->grab_host, client, serial)) {
		xdg_popup_dismiss(popup); /* a denied grab dismisses the popup */
		return;
	}
	popup->grabbing = true;
	shell->grab_popup = popup;
	grab_changed(shell);
}

void xdg_popup_grab_release(struct zc_xdg_popup *popup)
{
	if (!popup->grabbing)
		return;
	popup->grabbing = false;
	struct zc_xdg_shell *shell = popup->base->shell;
	if (shell->grab_popup != popup)
		return;
	struct zc_xdg_popup *parent = parent_popup(popup);
	shell->grab_popup = parent && parent->grabbing ? parent : NULL;
	grab_changed(shell);
}

struct zc_surface *xdg_popup_grab_focus(const struct zc_xdg_shell *shell)
{
	for (struct zc_xdg_popup *p = shell->grab_popup; p && p->grabbing; p = parent_popup(p)) {
		if (p->base->mapped)
			return p->base->surface;
	}
	return NULL;
}

struct wl_client *xdg_popup_grab_client(const struct zc_xdg_shell *shell)
{
	return shell->grab_popup ? wl_resource_get_client(shell->grab_popup->resource) : NULL;
}

struct zc_xdg_surface *xdg_popup_grab_root(const struct zc_xdg_shell *shell)
{
	struct zc_xdg_popup *p = shell->grab_popup, *up;
	if (!p)
		return NULL;
	while ((up = parent_popup(p)))
		p = up;
	return p->parent;
}
