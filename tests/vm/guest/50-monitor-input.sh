#!/bin/bash
# sendkey / mouse_move / mouse_button asked for from the guest arrive as evdev events.
# zc-vm-timeout: 120
exec "$ZC_BUILD_DIR/tests/vm/zc-vm-input"
