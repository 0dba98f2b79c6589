#!/usr/bin/env python3
"""Writes the fuzzer's seed corpus (tests/fuzz/corpus/seed-*): a few client
sessions that a fuzzer would take long to find by chance (a mapped window
with an shm buffer, subsurfaces, a popup, the clipboard, captures, ...),
spelled in fuzz-protocol.c's choice bytes. Keep in step with that file's
value tables and with zcomp's global order (fuzz-protocol prints it with
ZC_FUZZ_LOG=1). The rest of tests/fuzz/corpus is what libFuzzer kept from
earlier runs (merged with -merge=1).

    tests/fuzz/make-seeds.py tests/fuzz/corpus
"""
import struct
import sys

# fuzz-protocol.c's tables, in order.
INTS = [0, 1, -1, 2, 3, 7, 16, 32, 64, 100, 255, 256, 1000, 4096, 65535, 65536,
        1 << 24, 1 << 28, -(1 << 28), 2**31 - 1, -2**31, 2**31 - 2, -2**31 + 1,
        (2**31 - 1) // 2, -100]
UINTS = [0, 1, 2, 3, 4, 5, 6, 8, 15, 16, 0x110, 0x111, 30, 1000, 0x7fffffff, 0x80000000,
         0xffffffff, 0xfffffffe, 0x34325241, 0x34325258, 0x3231564e, 0x56595559]
STRINGS = ["", "a", "zcomp", "text/plain", "text/plain;charset=utf-8", "UTF8_STRING",
           "org.zcomp.fuzz", "seat0", "default", "left_ptr"]
FD_SIZES = [0, 1, 12, 4096, 64 * 64 * 4, 65536, 1 << 20]
# zcomp's globals as the fuzz client sees them (compositor/zcomp.c's table).
GLOBALS = ["wl_shm", "zwp_linux_dmabuf_v1", "wl_compositor", "wl_subcompositor",
           "wp_presentation", "wp_viewporter", "zxdg_output_manager_v1", "xdg_wm_base",
           "ext_output_image_capture_source_manager_v1", "ext_image_copy_capture_manager_v1",
           "wl_seat", "wl_data_device_manager", "wp_fifo_manager_v1",
           "wp_commit_timing_manager_v1", "wl_output"]
VERSIONS = [2, 3, 6, 1, 2, 1, 3, 6, 1, 1, 9, 3, 1, 1, 4]


def i32(v):
    if v in INTS:
        return bytes([INTS.index(v)])
    if -20 <= v < 180:
        return bytes([200, v + 20])
    return bytes([240]) + struct.pack(">i", v)


def u32(v):
    if v in UINTS:
        return bytes([UINTS.index(v)])
    if v < 64:
        return bytes([180, v])
    return bytes([240]) + struct.pack(">I", v)


def echo(k=0):
    """The k-th most recent uint an event carried (a configure serial ...)."""
    return bytes([120, k])


def fixed(v):
    return bytes([0]) + i32(v)


def string(s):
    if s in STRINGS:
        return bytes([STRINGS.index(s)])
    return bytes([200, len(s)]) + bytes(ord(c) - 32 for c in s)


def fd(size):
    return bytes([FD_SIZES.index(size)])


def array(data):
    return bytes([len(data)]) + data


class Session:
    def __init__(self):
        self.objects = ["wl_display", "wl_registry"]
        self.out = bytearray()

    def bind(self, iface):
        g = GLOBALS.index(iface)
        self.out += bytes([216, 0, g, VERSIONS[g] - 1])
        self.objects.append(iface)
        return len(self.objects) - 1

    def obj(self, index, nullable=False):
        """An object argument: the fuzzer picks among objects of its interface."""
        iface = self.objects[index]
        same = [i for i, o in enumerate(self.objects) if o == iface]
        nth, n = same.index(index), len(same)
        pick = nth
        while nullable and pick < 32:
            pick += n
        return bytes([pick])

    def req(self, index, opcode, *args, creates=None):
        self.out += bytes([0, index, opcode]) + b"".join(args)
        if creates:
            self.objects.append(creates)
            return len(self.objects) - 1
        return None

    def motion(self, x, y):
        self.out += bytes([248, 0, (x + 40) // 3, (y + 20) // 2, 0, 0])

    def frame(self):
        """Lets the output's next frame come (up to 17 ms)."""
        self.out += bytes([244])

    def button(self, pressed):
        self.out += bytes([248, 1, 0, 0, 0, 1 if pressed else 0])


def window(s, w=64, h=64):
    comp = s.bind("wl_compositor")
    shm = s.bind("wl_shm")
    wm = s.bind("xdg_wm_base")
    pool = s.req(shm, 0, fd(64 * 64 * 4), i32(64 * 64 * 4), creates="wl_shm_pool")
    buf = s.req(pool, 0, i32(0), i32(w), i32(h), i32(w * 4), u32(1), creates="wl_buffer")
    surf = s.req(comp, 0, creates="wl_surface")
    xdg = s.req(wm, 2, s.obj(surf), creates="xdg_surface")
    top = s.req(xdg, 1, creates="xdg_toplevel")
    s.req(top, 2, string("zcomp"))
    s.req(surf, 6)
    s.req(xdg, 4, echo())
    s.req(surf, 1, s.obj(buf, True), i32(0), i32(0))
    s.req(surf, 9, i32(0), i32(0), i32(w), i32(h))
    s.req(surf, 6)
    return dict(comp=comp, shm=shm, wm=wm, pool=pool, buf=buf, surf=surf, xdg=xdg, top=top)


def seed_window():
    s = Session()
    window(s)
    return s


def seed_window_input():
    s = Session()
    w = window(s)
    seat = s.bind("wl_seat")
    s.req(seat, 0, creates="wl_pointer")
    s.req(seat, 1, creates="wl_keyboard")
    s.motion(70, 60)
    s.button(True)
    s.button(False)
    s.req(w["top"], 9)  # set_maximized
    s.req(w["surf"], 6)
    return s


def seed_subsurfaces():
    s = Session()
    w = window(s)
    sub = s.bind("wl_subcompositor")
    child = s.req(w["comp"], 0, creates="wl_surface")
    ss = s.req(sub, 1, s.obj(child), s.obj(w["surf"]), creates="wl_subsurface")
    s.req(ss, 1, i32(16), i32(16))
    s.req(child, 1, s.obj(w["buf"], True), i32(0), i32(0))
    s.req(child, 6)
    s.req(ss, 5)  # set_desync
    s.req(ss, 3, s.obj(w["surf"]))  # place_below the parent
    s.req(w["surf"], 6)
    vp = s.bind("wp_viewporter")
    view = s.req(vp, 1, s.obj(child), creates="wp_viewport")
    s.req(view, 1, fixed(1), fixed(1), fixed(16), fixed(16))
    s.req(view, 2, i32(32), i32(32))
    s.req(child, 6)
    return s


def seed_popup():
    s = Session()
    w = window(s)
    pos = s.req(w["wm"], 1, creates="xdg_positioner")
    s.req(pos, 1, i32(32), i32(32))
    s.req(pos, 2, i32(0), i32(0), i32(16), i32(16))
    s.req(pos, 3, u32(8))   # anchor bottom_right
    s.req(pos, 4, u32(8))   # gravity bottom_right
    s.req(pos, 5, u32(15))  # slide | flip
    psurf = s.req(w["comp"], 0, creates="wl_surface")
    pxdg = s.req(w["wm"], 2, s.obj(psurf), creates="xdg_surface")
    popup = s.req(pxdg, 2, s.obj(w["xdg"], True), s.obj(pos), creates="xdg_popup")
    s.req(psurf, 6)
    s.req(pxdg, 4, echo())
    s.req(psurf, 1, s.obj(w["buf"], True), i32(0), i32(0))
    s.req(psurf, 6)
    s.req(popup, 2, s.obj(pos), u32(5))  # reposition
    return s


def seed_clipboard():
    s = Session()
    w = window(s)
    seat = s.bind("wl_seat")
    s.req(seat, 1, creates="wl_keyboard")
    ddm = s.bind("wl_data_device_manager")
    src = s.req(ddm, 0, creates="wl_data_source")
    s.req(src, 0, string("text/plain"))
    dev = s.req(ddm, 1, s.obj(seat), creates="wl_data_device")
    s.req(dev, 1, s.obj(src, True), echo())
    s.req(w["surf"], 6)
    return s


def seed_timing():
    s = Session()
    w = window(s)
    pres = s.bind("wp_presentation")
    fifo_m = s.bind("wp_fifo_manager_v1")
    fifo = s.req(fifo_m, 1, s.obj(w["surf"]), creates="wp_fifo_v1")
    ct_m = s.bind("wp_commit_timing_manager_v1")
    timer = s.req(ct_m, 1, s.obj(w["surf"]), creates="wp_commit_timer_v1")
    s.req(fifo, 0)
    s.req(fifo, 1)
    s.req(timer, 0, u32(0), u32(1), u32(1000))
    s.req(pres, 1, s.obj(w["surf"]), creates="wp_presentation_feedback")
    s.req(w["surf"], 1, s.obj(w["buf"], True), i32(0), i32(0))
    s.req(w["surf"], 6)
    s.frame()
    s.frame()
    return s


def seed_capture():
    s = Session()
    w = window(s)
    out = s.bind("wl_output")
    xo_m = s.bind("zxdg_output_manager_v1")
    s.req(xo_m, 1, s.obj(out), creates="zxdg_output_v1")
    src_m = s.bind("ext_output_image_capture_source_manager_v1")
    src = s.req(src_m, 0, s.obj(out), creates="ext_image_capture_source_v1")
    cap = s.bind("ext_image_copy_capture_manager_v1")
    sess = s.req(cap, 0, s.obj(src), u32(0), creates="ext_image_copy_capture_session_v1")
    frame = s.req(sess, 0, creates="ext_image_copy_capture_frame_v1")
    big = s.req(w["shm"], 0, fd(1 << 20), i32(1 << 20), creates="wl_shm_pool")
    cbuf = s.req(big, 0, i32(0), i32(320), i32(240), i32(1280), u32(1), creates="wl_buffer")
    s.req(frame, 1, s.obj(cbuf))
    s.req(frame, 2, i32(0), i32(0), i32(320), i32(240))
    s.req(frame, 3)
    s.frame()
    s.frame()
    return s


def seed_dmabuf():
    s = Session()
    dm = s.bind("zwp_linux_dmabuf_v1")
    params = s.req(dm, 1, creates="zwp_linux_buffer_params_v1")
    s.req(params, 1, fd(64 * 64 * 4), u32(0), u32(0), u32(256), u32(0), u32(0))
    s.req(params, 3, i32(64), i32(64), u32(0x34325258), u32(0), creates="wl_buffer")
    return s


SEEDS = {
    "window": seed_window, "window-input": seed_window_input,
    "subsurfaces": seed_subsurfaces, "popup": seed_popup, "clipboard": seed_clipboard,
    "timing": seed_timing, "capture": seed_capture, "dmabuf": seed_dmabuf,
}

if __name__ == "__main__":
    for name, make in SEEDS.items():
        with open(f"{sys.argv[1]}/seed-{name}", "wb") as f:
            f.write(make().out)
