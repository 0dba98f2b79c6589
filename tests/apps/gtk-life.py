#!/usr/bin/python3
"""GTK 4 or GTK 3 (python3-gi) through the window life of life.py.

  gtk-life.py 4|3
"""
import sys

import gi
GTK = sys.argv[1] if len(sys.argv) > 1 else "4"
gi.require_version("Gtk", GTK + ".0")
from gi.repository import GLib, Gtk  # noqa: E402

import life  # noqa: E402


def add_css(win):
    """A style provider of the window's own (GTK 3 names the screen)."""
    win.css = Gtk.CssProvider()
    if GTK == "3":
        Gtk.StyleContext.add_provider_for_screen(
            win.get_screen(), win.css, Gtk.STYLE_PROVIDER_PRIORITY_APPLICATION)
    else:
        Gtk.StyleContext.add_provider_for_display(
            win.get_display(), win.css, Gtk.STYLE_PROVIDER_PRIORITY_APPLICATION)


def solid_window(name, size, colour, parent=None):
    """An undecorated window (the test measures the client's own colours)
    painted one colour through CSS; a dialog of parent if given."""
    win = Gtk.Window(title=f"zc-apps gtk{GTK} {name}", transient_for=parent)
    win.set_name(name)
    win.set_decorated(False)
    win.set_default_size(*size)
    add_css(win)
    paint(win, colour)
    if GTK == "3":
        win.show_all()
    else:
        win.present()
    return win


def paint(win, colour):
    css = "#%s { background: rgb(%d, %d, %d); }" % ((win.get_name(),) + colour)
    win.css.load_from_data(css.encode())


class Life:
    def __init__(self, loop):
        self.loop = loop
        self.pacer = life.Pacer()
        self.steps = iter(life.STEPS)
        self.main = self.second = self.dialog = None

    def recolour(self, step):
        if step in life.COLOURS:
            paint(self.main, life.COLOURS[step])

    def do(self, step):
        if step == "open":
            self.main = solid_window("main", life.OPEN_SIZE, life.RED)
        elif step == "resize":
            if GTK == "3":
                self.main.resize(*life.RESIZED)
            else:
                self.main.set_default_size(*life.RESIZED)
        elif step == "maximize":
            self.main.maximize()
        elif step == "fullscreen":
            self.main.fullscreen()
        elif step == "restore":
            self.main.unfullscreen()
            self.main.unmaximize()
        elif step == "second":
            self.second = solid_window("second", life.SECOND_SIZE, life.MAGENTA)
        elif step == "dialog":
            self.dialog = solid_window("dialog", life.DIALOG_SIZE, life.ORANGE, self.main)
        elif step == "close":
            self.dialog.destroy()
            self.second.destroy()
        self.recolour(step)

    def tick(self):
        if self.pacer.waiting and not self.pacer.released():
            return True
        step = next(self.steps, None)
        if step is None:
            self.main.destroy()
            self.loop.quit()
            return False
        self.do(step)
        self.pacer.announce(step)
        return True


def main():
    ok = Gtk.init_check()
    if isinstance(ok, tuple):  # GTK 3: (ok, argv)
        ok = ok[0]
    if not ok:
        print(f"gtk-life: GTK {GTK}: no display", file=sys.stderr)
        return 1
    loop = GLib.MainLoop()
    GLib.timeout_add(20, Life(loop).tick)
    loop.run()
    return 0


sys.exit(main())
