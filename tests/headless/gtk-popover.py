#!/usr/bin/python3
"""A GTK 4 window (python3-gi) whose right click pops up a menu
(Gtk.PopoverMenu, an xdg_popup with a grab) with two items. It prints on
stdout when the menu shows, when it closes and which item was activated.
Driven by popup-grab.c."""
import gi
gi.require_version("Gtk", "4.0")
gi.require_version("Gdk", "4.0")
from gi.repository import Gdk, Gio, GLib, Gtk  # noqa: E402


def say(what):
    print(what, flush=True)


def main():
    loop = GLib.MainLoop()
    app_actions = Gio.SimpleActionGroup()
    for name in ("first", "second"):
        action = Gio.SimpleAction.new(name, None)
        action.connect("activate", lambda a, p, n=name: say("activated " + n))
        app_actions.add_action(action)
    menu = Gio.Menu()
    menu.append("First", "zc.first")
    menu.append("Second", "zc.second")

    win = Gtk.Window(title="zc popup grab gtk4")
    win.set_name("popover")
    win.set_decorated(False)
    win.set_default_size(300, 200)
    win.insert_action_group("zc", app_actions)
    css = Gtk.CssProvider()
    css.load_from_data(b"#popover { background: rgb(40, 80, 160); }")
    Gtk.StyleContext.add_provider_for_display(
        win.get_display(), css, Gtk.STYLE_PROVIDER_PRIORITY_APPLICATION)
    box = Gtk.Box()
    win.set_child(box)
    popover = Gtk.PopoverMenu.new_from_model(menu)
    popover.set_parent(box)
    popover.set_has_arrow(False)
    popover.connect("show", lambda p: say("shown"))
    popover.connect("closed", lambda p: say("closed"))

    def on_pressed(gesture, n_press, x, y):
        rect = Gdk.Rectangle()
        rect.x, rect.y, rect.width, rect.height = int(x), int(y), 1, 1
        popover.set_pointing_to(rect)
        popover.popup()

    click = Gtk.GestureClick()
    click.set_button(3)
    click.connect("pressed", on_pressed)
    box.add_controller(click)
    win.connect("close-request", lambda w: loop.quit() or False)
    win.present()
    loop.run()


if __name__ == "__main__":
    main()
