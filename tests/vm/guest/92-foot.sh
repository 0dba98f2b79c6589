#!/bin/bash
# Issue 8: a real terminal. foot (Debian) runs fullscreen on zcomp -b kms on virtio-gpu
# with /bin/sh; a command typed through QEMU sendkey (zc-vm-type) appears on screen as
# it is typed, and once run prints a solid block in foot's red (ff0000 in the test's
# config), found exactly in the screendump: 40 cells wide, one cell high. The format
# string comes from the environment ($B) to keep the typing short: each sendkey takes
# seconds in a loaded guest (all 27 keys of the whole command took 4 minutes once).
# zc-vm-timeout: 480
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
dev=$(card_of_driver virtio_gpu) || { echo "no virtio-gpu card"; exit 77; }
command -v foot > /dev/null || { echo "foot is not installed (scripts/deps.sh)"; exit 77; }
fc-list 2>/dev/null | grep -q 'DejaVu Sans Mono' ||
  { echo "no DejaVu Sans Mono font (fonts-dejavu-core)"; exit 77; }

shot() { zc-vm-screendump "$OUT/$1.ppm"; }
same() { zc-vm-ppmcmp "$OUT/$1.ppm" "$OUT/$2.ppm" > /dev/null 2>&1; }

# Known colours and font; the fontconfig cache goes to scratch (the root is read-only).
cat > foot.ini <<'EOF'
font=DejaVu Sans Mono:size=14
[colors]
background=000000
foreground=ffffff
regular1=ff0000
[cursor]
blink=no
EOF
export XDG_CACHE_HOME=$PWD/cache HOME=$PWD PS1='$ ' ENV= B='\033[41m%40s\033[0m\n'
unset SHELL

udev_db_write_input
zcomp_start "$dev" "$OUT/zcomp.log" || exit 1
wait_for 180 grep -q 'input: added QEMU Virtio Keyboard' "$OUT/zcomp.log" ||
  bad "the keyboard did not show up"
shot empty
foot --config=foot.ini --fullscreen --log-level=warning -- /bin/sh > "$OUT/foot.log" 2>&1 &
foot_pid=$!

# foot is up once its window is on screen and stops changing (the prompt drawn).
changed() { shot S && ! same S empty; }
wait_for 120 changed && ok "foot's window is on screen" || bad "foot never showed up"
settled() { cp "$OUT/S.ppm" "$OUT/prev.ppm"; sleep 1; shot S && same S prev; }
wait_for 60 settled || bad "foot's window kept changing"
cp "$OUT/S.ppm" "$OUT/prompt.ppm"

# The block is printed by the shell, so it only appears after Return.
cmd='printf "$B"'
zc-vm-type "$cmd" || bad "typing failed"
typed() { shot T && ! same T prompt; }
wait_for 30 typed && ok "the typed command shows on screen" || bad "typing changed nothing"
zc-vm-ppm-rect "$OUT/T.ppm" ff0000 > /dev/null && bad "red on screen before Return"
zc-vm-monitor sendkey ret > /dev/null
red_block() { shot R && zc-vm-ppm-rect "$OUT/R.ppm" ff0000 > "$OUT/rect.txt"; }
if wait_for 30 red_block; then
  read -r _ x y w h _ n < "$OUT/rect.txt"
  echo "red block at $x,$y: ${w}x$h"
  # 40 cells of one line: as wide as 40 cells of DejaVu Sans Mono 14 pt, one high.
  if [ $((w % 40)) = 0 ] && [ $((w / 40)) -ge 6 ] && [ "$h" -ge 10 ] && [ "$h" -le $((w / 40 * 3)) ]; then
    ok "a solid red block of 40 cells (cell $((w / 40))x$h)"
  else
    bad "the red area is ${w}x$h, not 40 cells of one line"
  fi
else
  bad "no solid red block on screen: $(cat "$OUT/rect.txt")"
fi

kill "$foot_pid" 2>/dev/null; wait "$foot_pid" 2>/dev/null
zcomp_stop || fail=1
echo "--- foot"; cat "$OUT/foot.log"
echo "--- zcomp"; grep -vE 'debug|libinput' "$OUT/zcomp.log" | tail -20
exit $fail
