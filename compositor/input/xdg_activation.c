/*
 * xdg_activation_v1: one client hands focus to a window (its own, or
 * another client's, e.g. a launcher starting an application) with a token.
 *
 * A token is honoured only if, when it was committed, its set_serial named
 * the latest key or button press the seat sent to the committing client and
 * that client had the keyboard focus: a user action in the focused window,
 * not a window stealing focus. Such a token activates once, within
 * TOKEN_LIFETIME_MS; any other token is still answered (the protocol wants a
 * string either way) but activate ignores it.
 */
#include "xdg_activation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/surface.h"
#include "seat.h"
#include "xdg-activation-v1-server-protocol.h"

#define ACTIVATION_VERSION 1
#define TOKEN_LIFETIME_MS 30000
#define TOKEN_MAX 32 /* valid tokens kept; the oldest goes first */

struct zc_activation_token {
	char name[33]; /* 128 random bits in hex */
	uint32_t created_msec;
	struct wl_list link; /* zc_xdg_activation.tokens, oldest first */
};

struct zc_xdg_activation {
	struct zc_server *server;
	struct wl_global *global;
	struct wl_list tokens;
	int n_tokens;
};

/* A token object while the client builds it. */
struct zc_activation_request {
	struct zc_xdg_activation *activation;
	bool has_serial, committed;
	uint32_t serial;
};

static void token_free(struct zc_xdg_activation *activation, struct zc_activation_token *token)
{
	wl_list_remove(&token->link);
	activation->n_tokens--;
	free(token);
}

static bool token_make_name(char name[33])
{
	uint8_t bytes[16];
	if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes))
		return false;
	for (size_t i = 0; i < sizeof(bytes); i++)
		snprintf(name + 2 * i, 3, "%02x", bytes[i]);
	return true;
}

static struct zc_activation_token *token_add(struct zc_xdg_activation *activation)
{
	struct zc_activation_token *token = calloc(1, sizeof(*token));
	if (!token)
		return NULL;
	if (!token_make_name(token->name)) {
		free(token);
		return NULL;
	}
	token->created_msec = server_time_msec(activation->server);
	wl_list_insert(activation->tokens.prev, &token->link);
	if (++activation->n_tokens > TOKEN_MAX)
		token_free(activation, wl_container_of(activation->tokens.next, token, link));
	return token;
}

/* Takes a valid, unexpired token off the list; false if there is none. */
static bool token_take(struct zc_xdg_activation *activation, const char *name)
{
	uint32_t now = server_time_msec(activation->server);
	struct zc_activation_token *token, *tmp;
	wl_list_for_each_safe(token, tmp, &activation->tokens, link) {
		bool expired = now - token->created_msec > TOKEN_LIFETIME_MS;
		bool match = strcmp(token->name, name) == 0;
		if (match || expired)
			token_free(activation, token);
		if (match)
			return !expired;
	}
	return false;
}

/* ---- xdg_activation_token_v1 ---- */

static struct zc_activation_request *request_unused(struct wl_resource *resource)
{
	struct zc_activation_request *request = wl_resource_get_user_data(resource);
	if (request->committed) {
		wl_resource_post_error(resource, XDG_ACTIVATION_TOKEN_V1_ERROR_ALREADY_USED,
			"the token was already committed");
		return NULL;
	}
	return request;
}

static void handle_token_set_serial(struct wl_client *client, struct wl_resource *resource,
	uint32_t serial, struct wl_resource *seat)
{
	struct zc_activation_request *request = request_unused(resource);
	if (!request)
		return;
	request->has_serial = true;
	request->serial = serial;
}

/* The app_id and the requesting surface add nothing to the decision. */
static void handle_token_set_app_id(struct wl_client *client, struct wl_resource *resource,
	const char *app_id)
{
	request_unused(resource);
}

static void handle_token_set_surface(struct wl_client *client, struct wl_resource *resource,
	struct wl_resource *surface)
{
	request_unused(resource);
}

static void handle_token_commit(struct wl_client *client, struct wl_resource *resource)
{
	struct zc_activation_request *request = request_unused(resource);
	if (!request)
		return;
	request->committed = true;
	struct zc_xdg_activation *activation = request->activation;
	struct zc_seat *seat = activation->server->seat;
	bool valid = request->has_serial && seat &&
		seat_is_recent_input(seat, client, request->serial);
	struct zc_activation_token *token = valid ? token_add(activation) : NULL;
	char name[33];
	if (!token && !token_make_name(name)) {
		wl_resource_post_no_memory(resource);
		return;
	}
	zc_debug("xdg-activation: token %s (%s)", token ? token->name : name,
		valid ? "valid" : "not from the focused client's input: ignored when used");
	xdg_activation_token_v1_send_done(resource, token ? token->name : name);
}

static void handle_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void handle_token_resource_destroy(struct wl_resource *resource)
{
	free(wl_resource_get_user_data(resource));
}

static const struct xdg_activation_token_v1_interface token_impl = {
	.set_serial = handle_token_set_serial,
	.set_app_id = handle_token_set_app_id,
	.set_surface = handle_token_set_surface,
	.commit = handle_token_commit,
	.destroy = handle_destroy,
};

/* ---- xdg_activation_v1 ---- */

static void handle_activation_get_token(struct wl_client *client,
	struct wl_resource *resource, uint32_t id)
{
	struct zc_activation_request *request = calloc(1, sizeof(*request));
	if (!request) {
		wl_client_post_no_memory(client);
		return;
	}
	request->activation = wl_resource_get_user_data(resource);
	if (!server_resource_create(client, &xdg_activation_token_v1_interface,
		    wl_resource_get_version(resource), id, &token_impl, request,
		    handle_token_resource_destroy))
		free(request);
}

static void handle_activation_activate(struct wl_client *client, struct wl_resource *resource,
	const char *token, struct wl_resource *surface_resource)
{
	struct zc_xdg_activation *activation = wl_resource_get_user_data(resource);
	struct zc_surface *surface = surface_from_resource(surface_resource);
	bool valid = token_take(activation, token);
	zc_debug("xdg-activation: activate with token %s: %s", token,
		valid ? "done" : "unknown, used or expired: ignored");
	if (valid && surface && activation->server->seat)
		seat_activate(activation->server->seat, surface);
}

static const struct xdg_activation_v1_interface activation_impl = {
	.destroy = handle_destroy,
	.get_activation_token = handle_activation_get_token,
	.activate = handle_activation_activate,
};

static void bind_activation(struct wl_client *client, void *data, uint32_t version,
	uint32_t id)
{
	server_resource_create(client, &xdg_activation_v1_interface, (int)version, id,
		&activation_impl, data, NULL);
}

bool xdg_activation_global_create(struct zc_server *server)
{
	struct zc_xdg_activation *activation = calloc(1, sizeof(*activation));
	if (!activation)
		return false;
	activation->server = server;
	wl_list_init(&activation->tokens);
	server->xdg_activation = activation;
	activation->global = wl_global_create(server->display, &xdg_activation_v1_interface,
		ACTIVATION_VERSION, activation, bind_activation);
	return activation->global != NULL;
}

void xdg_activation_global_destroy(struct zc_server *server)
{
	struct zc_xdg_activation *activation = server->xdg_activation;
	if (!activation)
		return;
	struct zc_activation_token *token, *tmp;
	wl_list_for_each_safe(token, tmp, &activation->tokens, link)
		token_free(activation, token);
	if (activation->global)
		wl_global_destroy(activation->global);
	free(activation);
	server->xdg_activation = NULL;
}
