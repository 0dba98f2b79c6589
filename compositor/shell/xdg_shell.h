#ifndef ZC_XDG_SHELL_H
#define ZC_XDG_SHELL_H

/*
 * xdg-shell, shared by xdg_shell.c (xdg_wm_base, xdg_surface, the configure
 * sequence), xdg_toplevel.c, xdg_popup.c and xdg_positioner.c.
 *
 * Object lifetimes. An xdg_surface lives as long as its resource; the
 * wl_surface under it may die first (then ->surface is NULL and the
 * xdg_surface is inert). The role object (toplevel or popup) lives inside
 * the xdg_surface's lifetime: destroying the xdg_surface, or the wl_surface,
 * tears the role object down and leaves its resource inert. The wl_surface
 * keeps its role for life; a new role object of the same kind may be made.
 */

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

#include "core/surface.h"

struct zc_output;
struct zc_xdg_toplevel;
struct zc_xdg_popup;

struct zc_xdg_box {
	int32_t x, y, width, height;
};

struct zc_xdg_shell {
	struct zc_server *server;
	struct wl_global *global;
	struct wl_list clients;   /* zc_xdg_client.link */
	struct wl_list toplevels; /* zc_xdg_toplevel.link, all live ones */
	struct zc_xdg_toplevel *activated;
	/* The topmost popup holding a grab (xdg_popup_grab.c), or NULL; its
	 * grabbing parents below it form the chain. */
	struct zc_xdg_popup *grab_popup;
	unsigned int n_placed; /* cascade step of the next new window */
	struct wl_listener views_changed;
};

/* One xdg_wm_base binding. */
struct zc_xdg_client {
	struct zc_xdg_shell *shell;
	struct wl_resource *resource;
	struct wl_list surfaces; /* zc_xdg_surface.link */
	struct wl_listener client_destroy;
	struct wl_list link;
};

enum zc_xdg_role {
	XDG_ROLE_NONE,
	XDG_ROLE_TOPLEVEL,
	XDG_ROLE_POPUP,
};

struct zc_xdg_toplevel_config {
	bool maximized, fullscreen, activated;
	bool resizing; /* an interactive resize asked for this size */
	int32_t width, height;
	/* The output box a maximized or fullscreen window is placed in. */
	struct zc_xdg_box area;
};

/* A configure sequence sent and not yet superseded by an ack. */
struct zc_xdg_configure {
	uint32_t serial;
	struct zc_xdg_toplevel_config toplevel;
	struct zc_xdg_box popup; /* relative to the parent's window geometry */
	struct wl_list link;     /* zc_xdg_surface.configures, oldest first */
};

struct zc_xdg_surface {
	struct zc_xdg_client *client; /* NULL once its xdg_wm_base is gone */
	struct wl_resource *resource;
	struct zc_surface *surface; /* NULL once the wl_surface is gone */
	struct zc_xdg_shell *shell;

	enum zc_xdg_role role; /* of the live role object */
	struct zc_xdg_toplevel *toplevel;
	struct zc_xdg_popup *popup;

	bool initialized; /* initial commit seen: configures may be sent */
	bool configured;  /* a configure was acked since (or raced: xdg_shell.c) */
	bool mapped;
	bool client_gone; /* the client is disconnecting: no more errors */

	struct wl_list configures;      /* zc_xdg_configure.link */
	struct zc_xdg_configure *acked; /* applied by the next commit */
	struct wl_event_source *configure_idle;

	bool has_pending_geometry, has_set_geometry;
	struct zc_xdg_box pending_geometry, set_geometry;
	struct zc_xdg_box geometry; /* effective, surface-local */
	/* How far the last commit moved the geometry's origin without a
	 * set_window_geometry request (an implicit geometry following its
	 * subsurfaces, or a set one clamped to the surface tree): a floating
	 * toplevel's main surface then stays where it is. */
	int32_t geometry_drift_x, geometry_drift_y;

	struct zc_view view;
	struct wl_list popups; /* zc_xdg_popup.link, children, oldest first */

	struct wl_listener surface_destroy;
	struct wl_listener surface_commit, surface_attach;
	struct wl_list link; /* zc_xdg_client.surfaces */
};

struct zc_xdg_size_limits {
	int32_t min_width, min_height, max_width, max_height; /* 0: none */
};

struct zc_xdg_toplevel {
	struct wl_resource *resource;
	struct zc_xdg_surface *base;
	struct wl_list link; /* zc_xdg_shell.toplevels */
	struct zc_xdg_toplevel *parent;
	char *title, *app_id;
	struct zc_xdg_size_limits pending_limits, limits;

	/* What the client asked for; the next configure derives from it. */
	bool want_maximized, want_fullscreen;
	struct zc_output *fullscreen_output;
	struct wl_listener fullscreen_output_destroy;

	struct zc_xdg_toplevel_config current; /* acked and committed */
	bool placed;
	int32_t float_x, float_y;          /* window geometry origin when floating */
	int32_t float_width, float_height; /* last floating size, 0 = unknown */

	bool caps_sent;
	int32_t bounds_width, bounds_height; /* last configure_bounds, -1 = none */

	/* Interactive move and resize (xdg_move_resize.c). */
	struct zc_xdg_grab *grab; /* the one running on this window, or NULL */
	uint32_t resize_edges;    /* of the running or last resize */
	int32_t resize_right, resize_bottom; /* the edges that stay where they are */
	int32_t resize_width, resize_height; /* the size the resize asks for */
	bool resize_final; /* the configure ending the resize is still to be sent */
};

struct zc_xdg_positioner_rules {
	bool has_size, has_anchor_rect;
	int32_t width, height;
	struct zc_xdg_box anchor_rect;
	uint32_t anchor, gravity, constraint_adjustment;
	int32_t offset_x, offset_y;
	bool reactive;
	bool has_parent_size, has_parent_configure;
	int32_t parent_width, parent_height;
	uint32_t parent_configure_serial;
};

struct zc_xdg_popup {
	struct wl_resource *resource;
	struct zc_xdg_surface *base;
	struct zc_xdg_surface *parent; /* NULL: none given, or detached */
	struct wl_list link;           /* parent->popups, or self-linked */
	struct zc_xdg_positioner_rules rules;
	struct zc_xdg_box scheduled; /* to be sent, or sent last */
	struct zc_xdg_box current;   /* acked and committed */
	bool null_parent;            /* get_popup named no parent */
	bool dismissed;              /* popup_done sent */
	bool grab_requested;
	bool grabbing;               /* holds (a part of) the popup grab */
	bool has_token;
	uint32_t token; /* of a reposition not yet answered */
};

extern const struct zc_surface_role xdg_toplevel_surface_role;
extern const struct zc_surface_role xdg_popup_surface_role;

/* xdg_shell.c */
struct zc_xdg_surface *xdg_surface_from_resource(struct wl_resource *resource);
/* Posts an xdg_wm_base error on the binding the xdg_surface came from. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void xdg_surface_post_wm_error(struct zc_xdg_surface *xdg, uint32_t code, const char *fmt, ...);
void xdg_surface_schedule_configure(struct zc_xdg_surface *xdg);
/* Layout position of the window geometry's origin. */
void xdg_surface_geometry_origin(const struct zc_xdg_surface *xdg, int32_t *x, int32_t *y);
/* Moves the view so that the window geometry origin lands on (x, y). */
void xdg_surface_move_geometry_to(struct zc_xdg_surface *xdg, int32_t x, int32_t y);
/* Gives the wl_surface a role object of the xdg_surface's; posts the right
 * error and returns false if it cannot have one. */
bool xdg_surface_begin_role(struct zc_xdg_surface *xdg, enum zc_xdg_role role);
/* Tears down the role object: unmaps and returns to the unconfigured state. */
void xdg_surface_end_role(struct zc_xdg_surface *xdg);
void xdg_surface_reset(struct zc_xdg_surface *xdg);
/* Layout box of the first output, or of the output holding (x, y). */
bool xdg_shell_output_box(struct zc_server *server, struct zc_output *output, struct zc_xdg_box *box);
struct zc_output *xdg_shell_output_near(struct zc_server *server, int32_t x, int32_t y);

/* xdg_toplevel.c */
void xdg_toplevel_create(struct wl_resource *xdg_resource, uint32_t id);
void xdg_toplevel_destroy(struct zc_xdg_toplevel *toplevel);
bool xdg_toplevel_precommit(struct zc_xdg_toplevel *toplevel);
void xdg_toplevel_commit(struct zc_xdg_toplevel *toplevel,
	const struct zc_xdg_configure *acked);
void xdg_toplevel_unmap(struct zc_xdg_toplevel *toplevel);
void xdg_toplevel_fill_configure(struct zc_xdg_toplevel *toplevel,
	struct zc_xdg_configure *configure);
void xdg_toplevel_emit_configure(struct zc_xdg_toplevel *toplevel,
	const struct zc_xdg_configure *configure);
struct zc_xdg_toplevel *xdg_toplevel_from_surface(struct zc_surface *surface);
/* Where the window geometry origin goes in a given configured state. */
void xdg_toplevel_position_for(struct zc_xdg_toplevel *toplevel,
	const struct zc_xdg_toplevel_config *config, int32_t width, int32_t height,
	int32_t *x, int32_t *y);

/* Clamps a length to a min and max size hint (0: none). */
int32_t xdg_toplevel_clamp_size(int32_t size, int32_t min, int32_t max);

/* xdg_move_resize.c: interactive move and resize, each a grab of the
 * pointer or touch point whose press serial names (core/grab.h). */
void xdg_toplevel_begin_move(struct zc_xdg_toplevel *toplevel, uint32_t serial);
void xdg_toplevel_begin_resize(struct zc_xdg_toplevel *toplevel, uint32_t serial,
	uint32_t edges);
/* The window geometry's origin moved by dx, dy in the layout with the main
 * surface still: a move goes on from where the window now is. */
void xdg_move_resize_drift(struct zc_xdg_toplevel *toplevel, int32_t dx, int32_t dy);
/* Ends a running grab and forgets the resize (the window goes). */
void xdg_move_resize_reset(struct zc_xdg_toplevel *toplevel);
/* The size and resizing state a resize puts in a configure; false if no
 * resize has one to send. */
bool xdg_move_resize_fill_configure(struct zc_xdg_toplevel *toplevel,
	struct zc_xdg_toplevel_config *config);
/* A commit during or right after a resize: the floating position keeps
 * the edges opposite the resized ones where they were. */
void xdg_move_resize_commit(struct zc_xdg_toplevel *toplevel, bool was_resizing);

/* xdg_popup.c */
void xdg_popup_create(struct wl_resource *xdg_resource, uint32_t id, struct wl_resource *parent,
	struct wl_resource *positioner);
void xdg_popup_destroy(struct zc_xdg_popup *popup);
bool xdg_popup_precommit(struct zc_xdg_popup *popup);
void xdg_popup_commit(struct zc_xdg_popup *popup, const struct zc_xdg_configure *acked);
/* The initial commit: computes the first placement, or dismisses. */
void xdg_popup_initial_commit(struct zc_xdg_popup *popup);
void xdg_popup_unmap(struct zc_xdg_popup *popup);
/* Fills and sends the popup part of a configure sequence; false if the
 * popup is dismissed and gets no more configures. */
bool xdg_popup_emit_configure(struct zc_xdg_popup *popup, struct zc_xdg_configure *configure);
/* Dismisses popup and its children, topmost first (popup_done). */
void xdg_popup_dismiss(struct zc_xdg_popup *popup);
/* The parent's geometry moved or changed: follow it, reconstrain reactive
 * popups. */
void xdg_popups_parent_moved(struct zc_xdg_surface *parent);
void xdg_popups_raise(struct zc_xdg_surface *parent);
/* Dismisses every child popup (the parent unmaps). */
void xdg_popups_dismiss(struct zc_xdg_surface *parent);
/* Dismisses every child popup and detaches them from parent. */
void xdg_popups_detach(struct zc_xdg_surface *parent);

/* xdg_popup_grab.c: xdg_popup.grab. The grab is granted for the serial of
 * the client's latest press (button, key, touch down) or latest input event,
 * else the popup is dismissed; a grab on a toplevel's popup ends any other chain. */
void xdg_popup_grab(struct zc_xdg_popup *popup, uint32_t serial);
/* The popup stops grabbing (dismissed, unmapped, destroyed): the grab goes
 * back to its parent popup, if that one grabs. */
void xdg_popup_grab_release(struct zc_xdg_popup *popup);
/* Dismisses the whole grabbing chain (a press outside, another window
 * activated). */
void xdg_popup_grab_dismiss(struct zc_xdg_shell *shell);
/* Where the keyboard goes while a grab runs: the topmost mapped grabbing
 * popup; NULL without a grab (or none mapped yet). */
struct zc_surface *xdg_popup_grab_focus(const struct zc_xdg_shell *shell);
struct wl_client *xdg_popup_grab_client(const struct zc_xdg_shell *shell);
/* The chain's toplevel, or NULL without a grab. */
struct zc_xdg_surface *xdg_popup_grab_root(const struct zc_xdg_shell *shell);

/* xdg_positioner.c */
void xdg_positioner_create(struct wl_client *client, uint32_t version, uint32_t id);
/* The rules of a positioner, or NULL for an inert one. */
const struct zc_xdg_positioner_rules *xdg_positioner_get_rules(struct wl_resource *resource);
bool xdg_positioner_rules_complete(const struct zc_xdg_positioner_rules *rules);
/* Places the popup per rules; bounds (may be NULL: unconstrained) and the
 * result are relative to the parent's window geometry. */
void xdg_positioner_place(const struct zc_xdg_positioner_rules *rules,
	const struct zc_xdg_box *bounds, struct zc_xdg_box *out);

/* The xdg_wm_base global (server->xdg_shell); it installs the seat's focus
 * policy (server->shell_policy): the topmost mapped toplevel is the
 * activated one and has the keyboard, a click raises, Alt+Tab cycles. */
bool xdg_shell_global_create(struct zc_server *server);
void xdg_shell_global_destroy(struct zc_server *server);
/* Raises a toplevel with its child toplevels and popups. */
void xdg_toplevel_raise(struct zc_xdg_toplevel *toplevel);

/* xdg_decoration.c: the zxdg_decoration_manager_v1 global (always
 * client_side: zcomp draws no decorations), and the decoration's part of a
 * toplevel's configure sequence. */
bool xdg_decoration_global_create(struct zc_server *server);
void xdg_decoration_send_configure(struct zc_xdg_toplevel *toplevel);

#endif
