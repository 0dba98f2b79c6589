/* (h) The command line: --help, --version, bad options and values exit 2
 * with a one-line error, and `zcomp -- CLIENT` exits with the client's
 * status. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zct.h"

#define TIMEOUT_MS 10000

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static int run(const char **argv, char *out, size_t size)
{
	int status = zct_run_zcomp(argv, out, size, TIMEOUT_MS);
	ZCT_CHECK(status >= 0, "zcomp %s did not finish in %d ms", argv[1], TIMEOUT_MS);
	return status;
}

static void test_help(void *unused)
{
	char out[4096];
	const char *argv[] = { NULL, "--help", NULL };
	ZCT_CHECK(run(argv, out, sizeof(out)) == 0, "--help did not exit 0");
	ZCT_CHECK(strstr(out, "--mode") && strstr(out, "--outputs") && strstr(out, "--"),
		"--help does not document --mode and --outputs:\n%s", out);
}

static void test_version(void *unused)
{
	char out[4096];
	const char *argv[] = { NULL, "--version", NULL };
	ZCT_CHECK(run(argv, out, sizeof(out)) == 0, "--version did not exit 0");
	ZCT_CHECK(strstr(out, "zcomp") && count_lines(out) == 1,
		"--version should print one line naming zcomp, got:\n%s", out);
}

static void expect_usage_error(const char *arg)
{
	char out[4096];
	const char *argv[] = { NULL, "--backend=headless", arg, NULL };
	int status = run(argv, out, sizeof(out));
	ZCT_CHECK(status == 2, "zcomp %s exited %d, expected 2", arg, status);
	ZCT_CHECK(count_lines(out) == 1 && strstr(out, "zcomp"),
		"zcomp %s should print a one-line error, got:\n%s", arg, out);
}

static void test_bad_options(void *unused)
{
	static const char *const bad[] = {
		"--no-such-option", "--mode=0x0", "--mode=abc", "--mode=640x", "--mode=-5x10",
		"--mode=640x480@0", "--outputs=0", "--outputs=many", "--backend=nope",
		"--renderer=nope", "--log-level=loud", "--mode",
	};
	for (size_t i = 0; i < ZC_LEN(bad); i++)
		expect_usage_error(bad[i]);
}

static void expect_client_status(const char *script, int want)
{
	char out[8192];
	const char *argv[] = {
		NULL, "--backend=headless", "--renderer=pixman", "--mode=64x48", "--",
		"/bin/sh", "-c", script, NULL,
	};
	int status = run(argv, out, sizeof(out));
	ZCT_CHECK(status == want, "zcomp -- sh -c '%s' exited %d, expected %d; output:\n%s",
		script, status, want, out);
}

static void test_client_status(void *unused)
{
	expect_client_status("exit 0", 0);
	expect_client_status("exit 3", 3);
	expect_client_status("exit 77", 77);
	/* The client finds zcomp through WAYLAND_DISPLAY. */
	expect_client_status("test -n \"$WAYLAND_DISPLAY\" && "
		"test -S \"$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY\" || exit 9", 0);
}

/* A real client through the whole path: zc-shm shows 30 frames. */
static void test_zc_shm_client(void *unused)
{
	const char *shm = getenv("ZC_SHM_BIN");
	ZCT_CHECK(shm && *shm, "ZC_SHM_BIN is not set");
	if (!shm || !*shm)
		return;
	char out[8192];
	const char *argv[] = {
		NULL, "--backend=headless", "--renderer=pixman", "--mode=64x48", "--",
		shm, "--frames=30", "--size=64x48", "--fullscreen", NULL,
	};
	int status = run(argv, out, sizeof(out));
	ZCT_CHECK(status == 0, "zcomp -- zc-shm exited %d; output:\n%s", status, out);
	ZCT_CHECK(strstr(out, "submitted=30 presented=30"),
		"zc-shm did not see all 30 frames presented:\n%s", out);
}

/* Path accounting: --stats writes one JSON line per surface; a full-screen
 * shm client's frames are all CPU reads of the whole buffer. */
static void test_stats(void *unused)
{
	const char *shm = getenv("ZC_SHM_BIN");
	if (!shm || !*shm)
		return;
	char path[] = "/tmp/zc-stats-XXXXXX";
	int fd = mkstemp(path);
	ZCT_CHECK(fd >= 0, "mkstemp failed");
	if (fd < 0)
		return;
	char opt[64], out[8192], line[512] = "";
	snprintf(opt, sizeof(opt), "--stats=%s", path);
	const char *argv[] = {
		NULL, "--backend=headless", "--renderer=pixman", "--mode=64x48", opt, "--",
		shm, "--frames=30", "--size=64x48", "--fullscreen", NULL,
	};
	ZCT_CHECK(run(argv, out, sizeof(out)) == 0, "zcomp --stats exited non-zero:\n%s", out);
	FILE *f = fdopen(fd, "r");
	ZCT_CHECK(f && fgets(line, sizeof(line), f), "no JSON line in %s", path);
	unsigned long long gpu = 1, mmap_frames = 1, upload = 0, scanout = 1, solid = 1, bytes = 0;
	int n = sscanf(strstr(line, "\"frames\"") ? strstr(line, "\"frames\"") : "",
		"\"frames\":{\"gpu-import\":%llu,\"cpu-mmap\":%llu,\"cpu-upload\":%llu,\"scanout\":%llu,"
		"\"solid-fill\":%llu},\"cpu_bytes\":%llu", &gpu, &mmap_frames, &upload, &scanout,
		&solid, &bytes);
	ZCT_CHECK(n == 6, "unexpected stats line: %s", line);
	ZCT_CHECK(gpu == 0 && mmap_frames == 0 && scanout == 0 && solid == 0 && upload >= 30,
		"expected >= 30 cpu-upload frames and nothing else: %s", line);
	ZCT_CHECK(bytes == upload * 64 * 48 * 4, "cpu_bytes is not frames x 64x48x4: %s", line);
	if (f)
		fclose(f);
	unlink(path);
}

/* And a failing one: an unknown zc-shm option makes it exit 2. */
static void test_failing_client(void *unused)
{
	const char *shm = getenv("ZC_SHM_BIN");
	if (!shm || !*shm)
		return;
	char out[8192];
	const char *argv[] = {
		NULL, "--backend=headless", "--renderer=pixman", "--mode=64x48", "--",
		shm, "--bogus", NULL,
	};
	int status = run(argv, out, sizeof(out));
	ZCT_CHECK(status == 2, "zcomp -- zc-shm --bogus exited %d, expected 2", status);
}

int main(void)
{
	ZCT_RUN(test_help, NULL);
	ZCT_RUN(test_version, NULL);
	ZCT_RUN(test_bad_options, NULL);
	ZCT_RUN(test_client_status, NULL);
	ZCT_RUN(test_zc_shm_client, NULL);
	ZCT_RUN(test_failing_client, NULL);
	ZCT_RUN(test_stats, NULL);
	return zct_exit_status();
}
