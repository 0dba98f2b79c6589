/* Issue 17: a real Vulkan client. vkcube (vulkan-tools) on lavapipe: Mesa's
 * WSI binds wp_fifo_v1 (and commit timing) when zcomp offers them, so its
 * FIFO present mode is paced by fifo barriers, at the output's refresh rate
 * (50 Hz here, not the 60 Hz a client might assume), with every frame
 * presented. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zct.h"

#define REFRESH_MHZ 50000
#define FRAMES 100

static int run_vkcube(struct zct_compositor *comp, const char *log_path, int timeout_ms)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, STDERR_FILENO);
			dup2(fd, STDOUT_FILENO);
		}
		setenv("XDG_RUNTIME_DIR", comp->runtime_dir, 1);
		setenv("WAYLAND_DISPLAY", comp->socket_path, 1);
		setenv("WAYLAND_DEBUG", "client", 1);
		setenv("VK_ICD_FILENAMES", "/usr/share/vulkan/icd.d/lvp_icd.json", 0);
		char frames[16];
		snprintf(frames, sizeof(frames), "%d", FRAMES);
		execlp("vkcube-wayland", "vkcube-wayland", "--c", frames, (char *)NULL);
		fprintf(stderr, "exec vkcube-wayland: %s\n", strerror(errno));
		_exit(127);
	}
	for (int waited = 0; waited < timeout_ms; waited += 10) {
		int status;
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		struct timespec ts = { 0, 10000000 };
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -2;
}

static void test_vkcube_fifo_paced(struct zct_compositor *comp)
{
	char log_path[512];
	snprintf(log_path, sizeof(log_path), "%s/vkcube.log", comp->runtime_dir);
	int64_t start = zcc_now_nsec(CLOCK_MONOTONIC);
	int rc = run_vkcube(comp, log_path, 20000);
	double elapsed = (double)(zcc_now_nsec(CLOCK_MONOTONIC) - start) / 1e9;
	ZCT_CHECK(rc == 0, "vkcube-wayland exited with %d (127: not installed; see %s)", rc,
		log_path);
	int barriers = zct_count_lines(log_path, "wp_fifo_v1#");
	int sets = zct_count_lines(log_path, ".set_barrier()");
	int waits = zct_count_lines(log_path, ".wait_barrier()");
	int presented = zct_count_lines(log_path, ".presented(");
	int discarded = zct_count_lines(log_path, ".discarded(");
	fprintf(stderr, "vkcube: %d frames in %.2f s (%.1f fps at a 50 Hz output); "
		"set_barrier %d, wait_barrier %d, presented %d, discarded %d\n",
		FRAMES, elapsed, FRAMES / elapsed, sets, waits, presented, discarded);
	ZCT_CHECK(barriers > 0 && sets >= FRAMES && waits >= FRAMES,
		"Mesa's WSI did not pace with wp_fifo_v1 (set %d, wait %d)", sets, waits);
	/* Not faster than the output: FRAMES refreshes, the first few aside. */
	ZCT_CHECK(elapsed >= (FRAMES - 5) * 1000.0 / REFRESH_MHZ,
		"%d frames in %.2f s: faster than the 50 Hz output", FRAMES, elapsed);
	/* None replaced unseen; vkcube exits with its last few frames still
	 * queued (a swapchain's worth), whose feedback it never reads. */
	ZCT_CHECK(discarded == 0, "%d frames discarded: fifo let updates replace each other",
		discarded);
	ZCT_CHECK(presented >= FRAMES - 6, "only %d of %d frames presented", presented,
		FRAMES);
	zct_compositor_alive(comp);
}

int main(void)
{
	struct zct_compositor comp;
	struct zct_config config = { .width = 640, .height = 480, .refresh_mhz = REFRESH_MHZ };
	if (!zct_compositor_start(&comp, &config))
		return zct_exit_status();
	ZCT_RUN(test_vkcube_fifo_paced, &comp);
	zct_compositor_stop(&comp);
	return zct_exit_status();
}
