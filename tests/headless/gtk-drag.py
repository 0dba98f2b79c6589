#!/usr/bin/python3
"""A GTK 4 window (python3-gi) that starts interactive moves and resizes the
way GTK's own title bars and borders do, through Gdk.Toplevel: a left press
begins a move, a right press a bottom-right resize, a middle press a
top-left resize. With the argument "csd", a decorated window instead: GTK's
own header bar and resize borders start them. Driven by move-resize-gtk.c."""
import sys

import gi
gi.require_version("Gtk", "4.0")
gi.require_version("Gdk", "4.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402

EDGES = {2: Gdk.SurfaceEdge.NORTH_WEST, 3: Gdk.SurfaceEdge.SOUTH_EAST}


def on_pressed(gesture, n_press, x, y, win):
    toplevel = win.get_surface()
    button = gesture.get_current_button()
    device = gesture.get_device()
    time = gesture.get_current_event_time()
    if button in EDGES:
        toplevel.begin_resize(EDGES[button], device, button, x, y, time)
    else:
        toplevel.begin_move(device, button, x, y, time)


def main():
    loop = GLib.MainLoop()
    win = Gtk.Window(title="zc move-resize gtk4")
    win.set_name("drag")
    csd = len(sys.argv) > 1 and sys.argv[1] == "csd"
    win.set_decorated(csd)
    if csd:
        win.set_titlebar(Gtk.HeaderBar())
    win.set_default_size(300, 200)
    css = Gtk.CssProvider()
    css.load_from_data(b"#drag { background: rgb(40, 160, 80); }")
    Gtk.StyleContext.add_provider_for_display(
        win.get_display(), css, Gtk.STYLE_PROVIDER_PRIORITY_APPLICATION)
    if not csd:
        click = Gtk.GestureClick()
        click.set_button(0)
        click.connect("pressed", on_pressed, win)
        win.add_controller(click)
    win.connect("close-request", lambda w: loop.quit() or False)
    win.present()
    loop.run()


if __name__ == "__main__":
    main()
