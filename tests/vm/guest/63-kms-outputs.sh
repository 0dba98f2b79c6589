#!/bin/bash
# Two outputs at once and connector hotplug on virtio-gpu (scripts/vm.sh gives it two
# heads; the second is disconnected until the guest forces it on through sysfs, with the
# hotplug uevent that a real plug would send). zcomp starts on head 0 alone; head 1 appears, each head shows
# its own fullscreen zc-shm (QEMU screendump of each head, exact), head 1 is unplugged
# (client sees global_remove, CRTC switched off, zcomp carries on) and plugged back.
# zc-vm-timeout: 300
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
dev=$(card_of_driver virtio_gpu) || { echo "no virtio-gpu card"; exit 77; }
card=${dev##*/}
status=/sys/class/drm/$card-Virtual-2/status
[ -w "$status" ] || { echo "virtio-gpu has no second head ($status)"; exit 77; }
state=/sys/kernel/debug/dri/${dev##*card}/state
log=$OUT/zcomp.log
fail=0
# The CRTC the connector drives, per the kernel's atomic state.
connector_crtc() { grep -A3 "connector\[[0-9]*\]: Virtual-2" "$state" | sed -n 's/.*crtc=//p'; }
crtc_active_count() { grep -cE '^\s+active=1' "$state"; }

# QEMU reports the second head disconnected (nothing shows it with -display none).
connector_force $card Virtual-2 detect
zcomp_start "$dev" "$log" || exit 1
wait_log "$log" '^.*output Virtual-1: ' || exit 1
"$ZC_SHM" --output Virtual-1 --frames 0 --interval 200 > "$OUT/shm-a.log" 2>&1 &
a=$!

echo "== head 1 plugged"
connector_force $card Virtual-2 on
check wait_log "$log" 'output Virtual-2: [0-9]+x[0-9]+.* at 1280,0'
"$ZC_SHM" --output Virtual-2 --frames 0 --interval 200 > "$OUT/shm-b.log" 2>&1 &
b=$!
check dump_pattern "$OUT/head0.ppm" 0
check dump_pattern "$OUT/head1.ppm" 1

echo "== head 1 unplugged"
connector_force $card Virtual-2 off
check wait_log "$OUT/shm-b.log" 'zcc: output Virtual-2 removed'
check wait_log "$log" 'connector [0-9]+ unplugged'
nap 2
check kill -0 "$ZCOMP_PID"
echo "Virtual-2 CRTC now: '$(connector_crtc)'; active CRTCs: $(crtc_active_count)"
check [ "$(crtc_active_count)" = 1 ]
# The client of head 1 was moved to head 0: both clients still run.
check kill -0 $a
check kill -0 $b
check dump_pattern "$OUT/head0-after-unplug.ppm" 0
# With its scanout switched off, QEMU dumps the head black at its last size with a grey
# "Display output is not active." in the middle (measured: 684 pixels).
{ printf 'P6\n1024 768\n255\n'; head -c $((1024 * 768 * 3)) /dev/zero; } > "$OUT/black.ppm"
check zc-vm-screendump "$OUT/head1-after-unplug.ppm" 1
check zc-vm-ppmcmp -n 2000 "$OUT/head1-after-unplug.ppm" "$OUT/black.ppm"

echo "== head 1 plugged back"
connector_force $card Virtual-2 on
WAIT_LOG_COUNT=2 check wait_log "$log" 'output Virtual-2: [0-9]+x[0-9]+.* at 1280,0'
"$ZC_SHM" --output Virtual-2 --frames 0 --interval 200 > "$OUT/shm-c.log" 2>&1 &
c=$!
check dump_pattern "$OUT/head1-replugged.ppm" 1
check dump_pattern "$OUT/head0-replugged.ppm" 0

for p in $a $b $c; do kill -INT $p 2>/dev/null; done
for p in $a $b $c; do wait $p; echo "client $p exited with $?"; done
cat "$OUT"/shm-*.log
zcomp_stop || fail=1
grep -E 'kms:|output|unplugged' "$log" | grep -v debug | head -30
check [ "$(grep -c 'commit failed' "$log")" = 0 ]
connector_force $card Virtual-2 detect
exit $fail
