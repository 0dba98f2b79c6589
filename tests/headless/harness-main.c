/* The main() shared by harness tests whose sub-tests take (h, comp). */
#include <stdio.h>

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
