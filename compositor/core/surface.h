#ifndef ZC_SURFACE_H
#define ZC_SURFACE_H

#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>
#include <wayland-server-protocol.h>

#include "base/addon.h"
#include "server.h"
#include "stats.h"

struct zc_buffer;
struct zc_surface;

/* Which fields of a zc_surface_state a commit carries. */
enum zc_surface_state_field {
	ZC_STATE_BUFFER = 1 << 0,
	ZC_STATE_DAMAGE = 1 << 1,
	ZC_STATE_OPAQUE = 1 << 2,
	ZC_STATE_INPUT = 1 << 3,
	ZC_STATE_SCALE = 1 << 4,
	ZC_STATE_TRANSFORM = 1 << 5,
	ZC_STATE_OFFSET = 1 << 6,
	ZC_STATE_VIEWPORT = 1 << 7,
	ZC_STATE_FRAME = 1 << 8,    /* frame callbacks queued */
	ZC_STATE_FEEDBACK = 1 << 9, /* presentation feedback queued */
	ZC_STATE_PRESENT_HINT = 1 << 10, /* wp_tearing_control_v1 */
};

/* The double-buffered state of a wl_surface: pending, cached (synchronized
 * subsurfaces) and current are all one of these. */
struct zc_surface_state {
	uint32_t fields; /* zc_surface_state_field */
	struct zc_buffer *buffer; /* attached, not yet locked; NULL = unmap */
	struct wl_listener buffer_destroy;
	int32_t dx, dy;
	pixman_region32_t surface_damage; /* surface coordinates */
	pixman_region32_t buffer_damage;  /* buffer coordinates */
	pixman_region32_t opaque, input;
	int32_t scale;
	enum wl_output_transform transform;
	/* wp_viewport: source in buffer-scaled surface coords, -1 = unset. */
	double src_x, src_y, src_width, src_height;
	int32_t dst_width, dst_height; /* -1 = unset */
	struct wl_list frame_callbacks; /* wl_resource links */
	struct wl_list feedbacks;       /* zc_presentation_feedback.link */
	/* wp_tearing_control_v1: shown as soon as possible, tearing allowed
	 * (an async flip where the surface's buffer is the whole frame). */
	bool async_hint;
};

/* A role gives a surface its meaning (toplevel, popup, subsurface, cursor).
 * A surface gets one role for its lifetime; the role object may come and go. */
struct zc_surface_role {
	const char *name;
	/* After a commit has been applied to the current state. */
	void (*commit)(struct zc_surface *surface);
	/* At wl_surface.commit, on the pending state: false after posting a
	 * protocol error (the commit is dropped). */
	bool (*precommit)(struct zc_surface *surface);
	/* When a queued commit is ready: true if the role took the state into
	 * a cache instead (synchronized subsurface). */
	bool (*cache)(struct zc_surface *surface, struct zc_surface_state *state);
	/* The output a role shows its surface on without a view (a cursor),
	 * NULL when it is not shown; unset: only views put surfaces on outputs. */
	struct zc_output *(*output)(struct zc_surface *surface);
};

/* A root surface placed in the global layout by a shell. */
struct zc_view {
	struct zc_surface *surface;
	int32_t x, y; /* layout coordinates of the surface origin */
	bool mapped;
	struct wl_list link; /* zc_server.views, bottom to top */
};

struct zc_subsurface;

struct zc_surface {
	struct wl_resource *resource;
	struct zc_server *server;
	struct wl_list link; /* zc_server.surfaces */

	struct zc_surface_state pending, current;

	/* The buffer being shown, locked while it is; its size in surface
	 * coordinates after scale, transform and viewport. */
	struct zc_buffer *buffer;
	int32_t width, height;

	/* Damage not yet repainted: surface coordinates and buffer pixels. */
	pixman_region32_t damage;
	pixman_region32_t buffer_damage;

	const struct zc_surface_role *role;
	void *role_data;

	/* Child subsurfaces in stacking order, including this surface itself
	 * as a placeholder (self_link), current and pending. */
	struct wl_list children;         /* zc_subsurface.link / self_link */
	struct wl_list children_pending; /* zc_subsurface.pending_link */
	struct wl_list self_link, self_pending_link;

	struct zc_view *view;       /* set by the shell for root surfaces */
	struct zc_output *output;   /* the output that paces its frame callbacks */

	/* Feedback and callbacks of the shown content, waiting for a repaint. */
	struct wl_list frame_callbacks;
	struct wl_list feedbacks;

	struct wl_resource *viewport; /* wp_viewport, at most one */

	/* Commits not yet applied, oldest first (commit.c). */
	struct wl_list commit_queue; /* zc_commit.link */
	uint64_t commit_seq;
	bool commit_flushing;

	struct zc_surface_stats stats;

	/* The output whose plane shows buffer as it is (latest plan), or NULL:
	 * composited, or not shown. */
	struct zc_output *plane_output;

	/* What modules above the core keep per surface (linux-dmabuf
	 * feedback, ...), destroyed with it. */
	struct zc_addon_set addons;

	struct wl_signal destroy_signal; /* data: zc_surface */
	struct wl_signal commit_signal;
	/* wl_surface.attach of a buffer (not NULL), now pending; data:
	 * zc_surface. A role-to-be may reject it (xdg_surface before its
	 * initial commit). */
	struct wl_signal attach_signal;
	/* A wl_surface.commit was queued; data: struct zc_commit. Listeners add
	 * holds or reject it (commit.h). */
	struct wl_signal commit_queued;
	/* Every frame of each output the surface is visible on, after plane
	 * assignment; data: struct zc_plane_result. */
	struct wl_signal plane_result;
};

struct zc_surface *surface_from_resource(struct wl_resource *resource);

/* Gives surface its role; posts error_code on error_resource and returns
 * false if it already has another role. */
bool surface_set_role(struct zc_surface *surface, const struct zc_surface_role *role,
	void *role_data, struct wl_resource *error_resource, uint32_t error_code);

bool surface_is_mapped(const struct zc_surface *surface);

void surface_state_init(struct zc_surface_state *state);
void surface_state_finish(struct zc_surface_state *state);
/* Moves src's committed fields onto dst (subsurface cache, commit). */
void surface_state_move(struct zc_surface_state *dst, struct zc_surface_state *src);
/* Applies state to the surface as its new current content. */
void surface_apply_state(struct zc_surface *surface, struct zc_surface_state *state);

/* Damages the outputs under the whole surface tree (map, unmap, move). */
void surface_damage_whole(struct zc_surface *surface);
/* Picks the output under the surface (wl_surface.leave/enter as it changes);
 * also after its output went away. A surface that is not shown (no buffer,
 * a parent without one, no mapped view) is on none. */
void surface_update_output(struct zc_surface *surface);
/* The same for surface and every subsurface below it. */
void surface_update_tree_output(struct zc_surface *surface);
/* Whether surface is shown: it and every parent up to its root have a
 * buffer, and the root's view is mapped. */
bool surface_tree_mapped(struct zc_surface *surface);

/* Walks the surface tree bottom to top with each surface's position
 * relative to the root. */
typedef void (*surface_iterator_fn)(struct zc_surface *surface, int32_t sx, int32_t sy,
	void *data);
void surface_for_each(struct zc_surface *surface, surface_iterator_fn fn, void *data);
/* Only the mapped part of the tree: a subsurface without a buffer hides
 * itself and everything below it (wl_subsurface: a child is mapped only
 * while its parent is). */
void surface_for_each_mapped(struct zc_surface *surface, surface_iterator_fn fn, void *data);

/* The root of a subsurface tree, and where it is in the layout. */
struct zc_surface *surface_get_root(struct zc_surface *surface);
bool surface_get_layout_position(struct zc_surface *surface, int32_t *x, int32_t *y);

/* subsurface.c */
struct zc_subsurface *subsurface_from_surface(struct zc_surface *surface);
struct zc_subsurface *subsurface_from_link(struct wl_list *link);
struct zc_subsurface *subsurface_from_pending_link(struct wl_list *link);
/* Whether surface is a subsurface that is, or has an ancestor that is, in
 * synchronized mode. */
bool subsurface_is_synchronized(struct zc_surface *surface);
struct zc_surface *subsurface_get_surface(struct zc_subsurface *sub);
/* NULL once the parent is gone (the subsurface is then invisible). */
struct zc_surface *subsurface_get_parent(struct zc_subsurface *sub);
/* surface.c: wl_compositor (with wl_subcompositor). */
bool compositor_global_create(struct zc_server *server);
bool subcompositor_global_create(struct zc_server *server);
/* Applies pending stacking and positions of surface's children. */
void subsurface_parent_commit(struct zc_surface *parent);
void subsurface_get_position(struct zc_subsurface *sub, int32_t *x, int32_t *y);

/* region.c: wl_compositor.create_region, and the region behind a wl_region. */
void region_create(struct wl_client *client, struct wl_resource *resource, uint32_t id);
pixman_region32_t *region_from_resource(struct wl_resource *resource);

/* viewporter.c: checks the pending viewport against the pending buffer at
 * commit; posts the protocol error and returns false if it is invalid. */
bool viewport_validate(struct zc_surface *surface);
bool viewporter_global_create(struct zc_server *server);

/* view helpers (view.c) */
void view_init(struct zc_view *view, struct zc_surface *surface);
void view_finish(struct zc_view *view);
void view_map(struct zc_view *view);
void view_unmap(struct zc_view *view);
void view_raise(struct zc_view *view);
void view_move(struct zc_view *view, int32_t x, int32_t y);
/* Tells the input side that what lies under a point may have changed. */
void view_notify_scene_changed(struct zc_server *server);
struct zc_view *view_top(struct zc_server *server);

#endif
