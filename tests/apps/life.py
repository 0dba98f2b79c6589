"""The scripted window life every toolkit client of the apps suite lives.

A client does one step, prints "phase NAME" and waits until the driver
(apps.py) has seen the step on a capture and writes NAME into $ZC_APPS_GO;
so no step depends on timing. life.qml repeats this table in QML.
"""
import os

# (phase, window colour after the step): apps.py holds what each looks like.
RED, YELLOW, GREEN, BLUE, CYAN, MAGENTA, ORANGE = (
    (0xe0, 0x20, 0x20), (0xe0, 0xe0, 0x20), (0x20, 0xc0, 0x20),
    (0x20, 0x20, 0xe0), (0x20, 0xc0, 0xc0), (0xc0, 0x20, 0xc0), (0xe0, 0x80, 0x20))
OPEN_SIZE = (320, 240)
RESIZED = (400, 300)
SECOND_SIZE = (200, 150)  # a second window of its own (magenta)
DIALOG_SIZE = (160, 100)  # a dialog of the main window (orange, set_parent)
STEPS = ["open", "resize", "maximize", "fullscreen", "restore", "second", "dialog",
         "close"]  # close: both the second window and the dialog
COLOURS = {"open": RED, "resize": YELLOW, "maximize": GREEN, "fullscreen": BLUE,
           "restore": CYAN}


class Pacer:
    """Announces steps and tells when the driver has released one."""

    def __init__(self):
        self.path = os.environ["ZC_APPS_GO"]
        self.waiting = None

    def announce(self, step):
        self.waiting = step
        print("phase", step, flush=True)

    def released(self):
        try:
            with open(self.path) as f:
                return f.read().strip() == self.waiting
        except FileNotFoundError:
            return False
