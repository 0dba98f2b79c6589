#ifndef ZC_SHELL_POLICY_H
#define ZC_SHELL_POLICY_H

/*
 * What the seat asks the shell, so that input never names a shell: where the
 * keyboard goes, and what a click or Alt+Tab does to the windows. A shell
 * installs its policy on the server (zc_server.shell_policy) when its global
 * is created; with none installed the keyboard goes nowhere and clicks and
 * Alt+Tab change nothing.
 */

#include <stddef.h>

struct wl_client;
struct zc_surface;

struct zc_shell_policy_impl {
	/* The surface with keyboard focus: the activated window's, or NULL. */
	struct zc_surface *(*focused_surface)(void *data);
	/* A click on root (a root surface): its window comes to the top with
	 * what belongs to it, and is activated. */
	void (*activate)(void *data, struct zc_surface *root);
	/* Alt+Tab: another window comes to the top. */
	void (*cycle)(void *data);
	/* The client whose popup holds a grab (xdg_popup.grab), or NULL. While
	 * one runs, pointer and touch reach only that client's surfaces and
	 * the keyboard its topmost grabbing popup (focused_surface). */
	struct wl_client *(*grab_client)(void *data);
	/* A press (button or touch down) landed outside the grabbing client's
	 * surfaces: the user dismissed the popups. */
	void (*grab_dismiss)(void *data);
};

struct zc_shell_policy {
	const struct zc_shell_policy_impl *impl; /* NULL: no shell */
	void *data;
};

static inline struct zc_surface *shell_policy_focused_surface(const struct zc_shell_policy *p)
{
	return p->impl ? p->impl->focused_surface(p->data) : NULL;
}

static inline void shell_policy_activate(const struct zc_shell_policy *p,
	struct zc_surface *root)
{
	if (p->impl)
		p->impl->activate(p->data, root);
}

static inline void shell_policy_cycle(const struct zc_shell_policy *p)
{
	if (p->impl)
		p->impl->cycle(p->data);
}

static inline struct wl_client *shell_policy_grab_client(const struct zc_shell_policy *p)
{
	return p->impl ? p->impl->grab_client(p->data) : NULL;
}

static inline void shell_policy_grab_dismiss(const struct zc_shell_policy *p)
{
	if (p->impl)
		p->impl->grab_dismiss(p->data);
}

#endif
