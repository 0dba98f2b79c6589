#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zct.h"

#define START_TIMEOUT_MS 5000
#define STOP_TIMEOUT_MS 10000
#define SOCKET_NAME "zct-wayland"

int zct_failures;

/* Under ASan the tests leak by design (objects abandoned to a protocol
 * error die with the connection); zcomp's leaks are what matter, and zcomp
 * does not see this default. */
const char *__asan_default_options(void);
__attribute__((visibility("default"), used)) const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

int zct_exit_status(void)
{
	if (zct_failures)
		fprintf(stderr, "%d check(s) failed\n", zct_failures);
	return zct_failures ? 1 : 0;
}

const char *zct_zcomp_path(void)
{
	const char *env = getenv("ZCOMP_BIN");
	if (env && *env)
		return env;
#ifdef ZCT_ZCOMP_BIN
	return ZCT_ZCOMP_BIN;
#else
	return "zcomp";
#endif
}

static void sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
}

static bool make_runtime_dir(char *dir, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, size, "%s/zct-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) != NULL;
}

/* Empties and removes the private runtime dir (socket, lock file). */
static void remove_runtime_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* In the child: zcomp must not outlive a test that crashed or timed out,
 * nor connect to the session's real compositor. */
static void exec_zcomp(const char *runtime_dir, char **argv)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	setenv("XDG_RUNTIME_DIR", runtime_dir, 1);
	unsetenv("WAYLAND_DISPLAY");
	unsetenv("WAYLAND_SOCKET");
	execv(argv[0], argv);
	fprintf(stderr, "zct: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static bool socket_accepts(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t len = strlen(path);
	if (len >= sizeof(addr.sun_path))
		return false;
	memcpy(addr.sun_path, path, len + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	bool ok = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
	close(fd);
	return ok;
}

/* Describes a wait status; true if it was a clean exit 0. */
static bool describe_status(int status, char *buf, size_t size)
{
	if (WIFEXITED(status)) {
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
		return WEXITSTATUS(status) == 0;
	}
	if (WIFSIGNALED(status)) {
		snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status),
			strsignal(WTERMSIG(status)));
		return false;
	}
	snprintf(buf, size, "stopped?");
	return false;
}

bool zct_compositor_alive(struct zct_compositor *comp)
{
	int status;
	if (comp->pid <= 0)
		return false;
	pid_t r = waitpid(comp->pid, &status, WNOHANG);
	if (r == 0)
		return true;
	char what[96];
	describe_status(status, what, sizeof(what));
	ZCT_CHECK(false, "zcomp died early: %s", what);
	comp->pid = 0;
	return false;
}

static bool wait_for_socket(struct zct_compositor *comp)
{
	for (int waited = 0; waited < START_TIMEOUT_MS; waited += 5) {
		if (!zct_compositor_alive(comp))
			return false;
		if (socket_accepts(comp->socket_path))
			return true;
		sleep_ms(5);
	}
	ZCT_CHECK(false, "zcomp's socket %s did not come up in %d ms", comp->socket_path,
		START_TIMEOUT_MS);
	return false;
}

bool zct_compositor_start(struct zct_compositor *comp, const struct zct_config *config)
{
	memset(comp, 0, sizeof(*comp));
	comp->config = *config;
	if (!comp->config.width || !comp->config.height) {
		comp->config.width = 256;
		comp->config.height = 192;
	}
	if (!comp->config.refresh_mhz)
		comp->config.refresh_mhz = 60000;
	if (!comp->config.outputs)
		comp->config.outputs = 1;
	if (!make_runtime_dir(comp->runtime_dir, sizeof(comp->runtime_dir))) {
		ZCT_CHECK(false, "mkdtemp: %s", strerror(errno));
		return false;
	}
	snprintf(comp->socket_path, sizeof(comp->socket_path), "%s/%s", comp->runtime_dir,
		SOCKET_NAME);

	/* ZCT_RENDERER runs the same suite on another renderer (meson's gl
	 * variants set it); pixman by default. */
	const char *renderer_env = getenv("ZCT_RENDERER");
	char renderer[64];
	snprintf(renderer, sizeof(renderer), "--renderer=%s",
		renderer_env && *renderer_env ? renderer_env : "pixman");
	char mode[64], outputs[32];
	snprintf(mode, sizeof(mode), "--mode=%dx%d@%d.%03d", comp->config.width,
		comp->config.height, comp->config.refresh_mhz / 1000,
		comp->config.refresh_mhz % 1000);
	snprintf(outputs, sizeof(outputs), "--outputs=%d", comp->config.outputs);
	char *argv[] = {
		(char *)zct_zcomp_path(), "--backend=headless", renderer,
		"--socket=" SOCKET_NAME, mode, outputs, NULL,
	};
	fflush(NULL);
	comp->pid = fork();
	if (comp->pid < 0) {
		ZCT_CHECK(false, "fork: %s", strerror(errno));
		return false;
	}
	if (comp->pid == 0)
		exec_zcomp(comp->runtime_dir, argv);
	return wait_for_socket(comp);
}

/* Waits for pid up to timeout_ms; true with *status if it exited. */
static bool wait_pid_timeout(pid_t pid, int *status, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 5) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return true;
		if (r < 0)
			return false;
		sleep_ms(5);
	}
	return false;
}

bool zct_compositor_stop(struct zct_compositor *comp)
{
	bool ok = false;
	int status;
	if (comp->pid > 0) {
		kill(comp->pid, SIGTERM);
		if (wait_pid_timeout(comp->pid, &status, STOP_TIMEOUT_MS)) {
			char what[96];
			ok = describe_status(status, what, sizeof(what));
			ZCT_CHECK(ok, "zcomp did not exit cleanly on SIGTERM: %s", what);
		} else {
			ZCT_CHECK(false, "zcomp ignored SIGTERM for %d ms", STOP_TIMEOUT_MS);
			kill(comp->pid, SIGKILL);
			waitpid(comp->pid, &status, 0);
		}
		comp->pid = 0;
	}
	if (comp->runtime_dir[0])
		remove_runtime_dir(comp->runtime_dir);
	comp->runtime_dir[0] = '\0';
	return ok;
}

/* Reads the child's output until it closes the pipe or time runs out. */
static void drain_output(int fd, char *out, size_t out_size, int64_t deadline_ns)
{
	size_t len = 0;
	for (;;) {
		int64_t left = (deadline_ns - zcc_now_nsec(CLOCK_MONOTONIC)) / 1000000;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		char buf[512];
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		size_t keep = (size_t)n;
		if (len + keep >= out_size)
			keep = out_size - 1 - len;
		memcpy(out + len, buf, keep);
		len += keep;
	}
	out[len] = '\0';
}

int zct_run_zcomp(const char **argv, char *out, size_t out_size, int timeout_ms)
{
	char dir[256];
	int pipefd[2], status = -1;
	if (!make_runtime_dir(dir, sizeof(dir)) || pipe(pipefd) < 0)
		return -1;
	argv[0] = zct_zcomp_path();
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		exec_zcomp(dir, (char **)argv);
	}
	close(pipefd[1]);
	int64_t deadline = zcc_now_nsec(CLOCK_MONOTONIC) + (int64_t)timeout_ms * 1000000;
	drain_output(pipefd[0], out, out_size, deadline);
	close(pipefd[0]);
	int left = (int)((deadline - zcc_now_nsec(CLOCK_MONOTONIC)) / 1000000);
	if (pid > 0 && !wait_pid_timeout(pid, &status, left > 0 ? left : 0)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		status = -1;
	} else if (pid > 0) {
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	remove_runtime_dir(dir);
	return status;
}
