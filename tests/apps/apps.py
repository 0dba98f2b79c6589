#!/usr/bin/python3
"""Runs one toolkit client through the window life of life.py on a headless
zcomp and checks every step on a capture of the output, then the client's
exit status and that no protocol error was raised.

  apps.py --renderer pixman|gl -- CLIENT [ARGS...]

Needs $ZCOMP_BIN and $ZC_CAPTURE_BIN (meson sets them); ZC_APPS_KEEP=1 keeps
the logs of a run that passed (a failed one always keeps them);
ZC_APPS_SERVER_DEBUG=server adds zcomp's protocol trace to its log. Exit
status 0 only if every check passed; a missing toolkit is a failure, never a
skip.
"""
import argparse
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from PIL import Image, ImageChops

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import life  # noqa: E402

OUTPUT = (640, 480)
STEP_TIMEOUT = 20.0  # seconds; a loaded 2-core CI machine, llvmpipe
TOLERANCE = 3
PROTOCOL_ERROR = re.compile(r"wl_display[#@]1\.error\(|Protocol error|error in client communication")


class Failure(Exception):
    pass


def colour_region(img, colour):
    """Bounding box and pixel count of the pixels showing colour."""
    mask = None
    for band, want in zip(img.split(), colour):
        m = band.point(lambda v, w=want: 255 if abs(v - w) <= TOLERANCE else 0)
        mask = m if mask is None else ImageChops.multiply(mask, m)
    return mask.getbbox(), mask.histogram()[255]


def solid(img, colour, size):
    """The colour fills exactly one rectangle of size; its origin, or None."""
    box, count = colour_region(img, colour)
    if box is None:
        return None
    w, h = box[2] - box[0], box[3] - box[1]
    if (w, h) == tuple(size) and count == w * h:
        return box[:2]
    return None


COLOUR_NAMES = {"red": life.RED, "yellow": life.YELLOW, "green": life.GREEN,
                "blue": life.BLUE, "cyan": life.CYAN, "magenta": life.MAGENTA,
                "orange": life.ORANGE}


def describe(img):
    """Where each of the life's colours is in a capture, for a failure."""
    parts = []
    for name, colour in COLOUR_NAMES.items():
        box, count = colour_region(img, colour)
        parts.append(f"{name}: {count} px in {box}")
    return ", ".join(parts)


# What each step shows: the main window's colour, and its size (None: the
# whole output).
SHOWN = {
    "open": (life.RED, life.OPEN_SIZE),
    "resize": (life.YELLOW, life.RESIZED),
    "maximize": (life.GREEN, None),
    "fullscreen": (life.BLUE, None),
    "restore": (life.CYAN, life.RESIZED),
    "second": (life.CYAN, None),  # partly covered: checked apart
    "dialog": (life.CYAN, None),  # the same
    "close": (life.CYAN, life.RESIZED),
}


def expect_second(img, seen):
    at = solid(img, life.MAGENTA, life.SECOND_SIZE)
    if colour_region(img, life.CYAN)[0] is None or at is None:
        return "no cyan main window and 200x150 magenta second window"
    if at == seen["restore"]:
        return f"second window exactly over the first at {at}"
    seen["second"] = at
    return None


def expect_dialog(img, seen):
    """The dialog is centred on the main window."""
    at = solid(img, life.ORANGE, life.DIALOG_SIZE)
    if at is None:
        return "no 160x100 orange dialog"
    main_x, main_y = seen["restore"]
    want = (main_x + (life.RESIZED[0] - life.DIALOG_SIZE[0]) // 2,
            main_y + (life.RESIZED[1] - life.DIALOG_SIZE[1]) // 2)
    if at != want:
        return f"dialog at {at}, not centred on its parent (at {want})"
    seen["dialog"] = at
    return None


def expect(step, img, seen):
    """None when the capture shows step done (recording where the window
    is in seen), else what is wrong."""
    if step == "second":
        return expect_second(img, seen)
    if step == "dialog":
        return expect_dialog(img, seen)
    colour, size = SHOWN[step]
    at = solid(img, colour, size or OUTPUT)
    if at is None:
        w, h = size or OUTPUT
        return f"no solid {w}x{h} rectangle of {colour}"
    if step == "open" and at == (0, 0):
        return "window placed at 0,0"
    # A floating window keeps its place through a resize and comes back to
    # it after maximized and fullscreen.
    if step in ("resize", "restore", "close") and at != seen["open"]:
        return f"window at {at}, not back at {seen['open']}"
    if step == "close" and (colour_region(img, life.MAGENTA)[0] is not None or
                            colour_region(img, life.ORANGE)[0] is not None):
        return "a closed window is still shown"
    seen[step] = at
    return None


class Run:
    def __init__(self, renderer, client):
        self.dir = tempfile.mkdtemp(prefix="zc-apps-")
        os.chmod(self.dir, 0o700)
        self.renderer, self.client = renderer, client
        self.env = dict(os.environ, XDG_RUNTIME_DIR=self.dir, WAYLAND_DISPLAY="zc-apps")
        self.env.pop("DISPLAY", None)
        self.comp = self.proc = self.pump = None
        self.out = queue.Queue()
        self.client_log = open(os.path.join(self.dir, "client.log"), "w")
        self.go = os.path.join(self.dir, "go")

    def start_compositor(self):
        log = open(os.path.join(self.dir, "zcomp.log"), "w")
        self.comp = subprocess.Popen(
            [os.environ["ZCOMP_BIN"], "--backend=headless", "--renderer=" + self.renderer,
             f"--mode={OUTPUT[0]}x{OUTPUT[1]}@60", "--socket=zc-apps", "--log-level=debug"],
            env=dict(self.env, WAYLAND_DEBUG=os.environ.get("ZC_APPS_SERVER_DEBUG", "")),
            stdout=log, stderr=subprocess.STDOUT)
        sock = os.path.join(self.dir, "zc-apps")
        deadline = time.monotonic() + 10
        while not os.path.exists(sock):
            if self.comp.poll() is not None or time.monotonic() > deadline:
                raise Failure("zcomp did not start: " + self.log("zcomp.log")[-2000:])
            time.sleep(0.02)

    def start_client(self):
        env = dict(self.env, ZC_APPS_GO=self.go, WAYLAND_DEBUG="client",
                   PYTHONPATH=os.path.dirname(os.path.abspath(__file__)),
                   GDK_BACKEND="wayland", GTK_A11Y="none", NO_AT_BRIDGE="1",
                   QT_QPA_PLATFORM="wayland", QT_WAYLAND_DISABLE_WINDOWDECORATION="1",
                   QML_XHR_ALLOW_FILE_READ="1", QT_MESSAGE_PATTERN="%{message}",
                   SDL_VIDEODRIVER="wayland")
        # meson's MALLOC_PERTURB_ is for zcomp: Qt 6.4's qml runner reads freed
        # memory at exit with it set (aborts on a robust mutex, or hangs).
        env.pop("MALLOC_PERTURB_", None)
        if not shutil.which(self.client[0]):
            raise Failure(f"{self.client[0]} is not installed (scripts/deps.sh installs it)")
        # One stream: steps are announced on stdout (Python) or stderr (Qt).
        args = [self.go if a == "@GO@" else a for a in self.client]
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, errors="replace")

    def capture(self):
        png = os.path.join(self.dir, "capture.png")
        try:
            subprocess.run([os.environ["ZC_CAPTURE_BIN"], png], env=self.env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           timeout=10)
        except subprocess.CalledProcessError as e:
            raise Failure(f"zc-capture failed: {e.stderr.strip()}")
        except subprocess.TimeoutExpired:
            raise Failure("zc-capture took over 10 s")
        with Image.open(png) as img:
            return img.convert("RGB")

    def check_step(self, step, seen):
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            img = self.capture()
            wrong = expect(step, img, seen)
            if wrong is None:
                return
            # It waits for the go file: gone now, it was killed (a protocol
            # error, a crash).
            if self.proc.poll() is not None:
                raise Failure(f"step {step}: the client ended (status "
                              f"{self.proc.returncode}) before it was seen: {wrong}")
            if time.monotonic() > deadline:
                img.save(os.path.join(self.dir, f"failed-{step}.png"))
                raise Failure(f"step {step}: {wrong} ({describe(img)})")
            time.sleep(0.05)

    def lines(self):
        """The client's output lines, each within STEP_TIMEOUT; a client that
        hangs (even with its output open) fails instead of blocking the run."""
        out = self.out = queue.Queue()

        def pump():
            for line in self.proc.stdout:
                out.put(line)
            out.put(None)
        self.pump = threading.Thread(target=pump, daemon=True)
        self.pump.start()
        while True:
            try:
                line = out.get(timeout=STEP_TIMEOUT)
            except queue.Empty:
                raise Failure("the client hung (no output, no exit for "
                              f"{STEP_TIMEOUT:.0f} s)")
            if line is None:
                return
            yield line

    def live(self):
        seen = {}
        started = time.monotonic()
        for line in self.lines():
            self.client_log.write(line)
            m = re.match(r"phase (\w+)$", line.strip())
            if m:
                self.step_done(m.group(1), seen, started)
        self.client_log.flush()
        try:
            rc = self.proc.wait(timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Failure("the client did not quit")
        if rc != 0:
            raise Failure(f"the client exited with status {rc}")
        missing = [s for s in life.STEPS if s not in seen]
        if missing:
            raise Failure(f"the client quit before the steps {missing}")

    def step_done(self, step, seen, started):
        self.check_step(step, seen)
        print(f"apps: {step} ok at {time.monotonic() - started:.2f} s "
              f"{seen.get(step, '')}", flush=True)
        tmp = self.go + ".tmp"
        with open(tmp, "w") as f:
            f.write(step)
        os.replace(tmp, self.go)

    def log(self, name):
        with open(os.path.join(self.dir, name), errors="replace") as f:
            return f.read()

    def check_logs(self):
        for line in self.log("client.log").splitlines():
            if PROTOCOL_ERROR.search(line):
                raise Failure("protocol error: " + line)
        # libwayland-server logs the disconnection that follows every
        # protocol error it posted, even one the client never read.
        tolerated = 0
        for line in self.log("zcomp.log").splitlines():
            if " zcomp error:" in line or "error in client communication" in line:
                raise Failure("zcomp: " + line)
            tolerated += line.endswith(", tolerated")
        # What the client did against the letter of xdg-shell (README,
        # "Windows: placement and size rules"); for the record, not a failure.
        print(f"apps: zcomp tolerated {tolerated} mismatch(es) from the client")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        # What the client wrote after a failed step (its last words on a
        # protocol error) goes to the log too.
        if self.pump:
            self.pump.join(timeout=5)
        while not self.out.empty():
            line = self.out.get()
            if line:
                self.client_log.write(line)
        self.client_log.close()
        rc = None
        if self.comp:
            self.comp.send_signal(signal.SIGTERM)
            rc = self.comp.wait(timeout=10)
        return rc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--renderer", default="pixman")
    parser.add_argument("client", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    client = args.client[1:] if args.client[:1] == ["--"] else args.client
    run = Run(args.renderer, client)
    ok = False
    try:
        run.start_compositor()
        run.start_client()
        run.live()
        run.check_logs()
        ok = True
    except Failure as e:
        print("apps: FAIL:", e)
    finally:
        rc = run.stop()
    if ok and rc != 0:
        print(f"apps: FAIL: zcomp exited with status {rc}")
        ok = False
    if ok:
        if os.environ.get("ZC_APPS_KEEP"):
            print(f"apps: logs kept in {run.dir}")
        else:
            shutil.rmtree(run.dir)
        print("apps: all steps ok")
        return 0
    for name in ("client.log", "zcomp.log"):
        print(f"--- last lines of {name} (all in {run.dir})")
        print("\n".join(run.log(name).splitlines()[-30:]))
    return 1


sys.exit(main())
