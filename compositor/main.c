#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "zcomp.h"

static bool spawn_client(struct zc_server *server, char **argv)
{
	pid_t pid = fork();
	if (pid < 0) {
		zc_err("cannot start %s: %s", argv[0], strerror(errno));
		return false;
	}
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setenv("WAYLAND_DISPLAY", server->socket_name, 1);
		execvp(argv[0], argv);
		zc_err("cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	server->client_pid = pid;
	zc_info("started client %s (pid %d)", argv[0], (int)pid);
	return true;
}

int main(int argc, char **argv)
{
	struct zc_options options;
	switch (options_parse(&options, argc, argv, stdout, stderr)) {
	case OPTIONS_EXIT_OK:
		return 0;
	case OPTIONS_BAD:
		return 2;
	case OPTIONS_RUN:
		break;
	}
	zc_log_init(options.log_level);

	struct zc_server server;
	int code = 1;
	if (!zcomp_init(&server, &options) || !zcomp_start(&server))
		goto out;
	if (options.client_argv && !spawn_client(&server, options.client_argv))
		goto out;
	wl_display_run(server.display);
	code = server.exit_code;
out:
	zcomp_finish(&server);
	return code;
}
