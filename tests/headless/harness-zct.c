/* The parts of the harness that report through tests/lib (zct.h); the
 * wlcs module links harness.c alone. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include "harness.h"
#include "zct.h"
#include "base/log.h"

int harness_main(const char *socket, int n_outputs, const struct harness_test *tests,
	size_t n_tests)
{
	zc_log_init(ZC_LOG_WARN);
	struct harness h;
	struct zct_compositor comp = { 0 };
	if (harness_start_private_outputs(&h, socket, comp.socket_path, sizeof(comp.socket_path),
		    n_outputs, 0)) {
		for (size_t i = 0; i < n_tests; i++) {
			int before = zct_failures;
			tests[i].fn(&h, &comp);
			fprintf(stderr, "%s %s\n", zct_failures == before ? "ok  " : "FAIL",
				tests[i].name);
		}
	} else {
		ZCT_CHECK(false, "set-up failed");
	}
	harness_stop(&h);
	return zct_exit_status();
}

void harness_client_end(pid_t pid, const char *log)
{
	kill(pid, SIGTERM);
	int status = 0;
	waitpid(pid, &status, 0);
	ZCT_CHECK(zct_count_lines(log, "wl_display#1.error(") == 0 &&
		zct_count_lines(log, "Protocol error") == 0, "protocol error in the client's log");
}
