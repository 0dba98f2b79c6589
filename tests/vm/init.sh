#!/bin/busybox sh
# /init of the zcomp test VM (busybox, runs from the initramfs built by scripts/vm.sh).
# Loads the modules, mounts the host root (read-only 9p) with scratch tmpfs mounts, keeps
# the source and build trees visible, chroots and runs tests/vm/guest-run.sh (or a shell).
/bin/busybox --install -s /bin
export PATH=/bin

say() { echo "zc-vm: $*"; }
poweroff_now() {
  sync
  echo o > /proc/sysrq-trigger
  sleep 5
  poweroff -f
}
fatal() {
  say "FATAL: $*"
  poweroff_now
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
. /zc-vm.conf

while read -r mod params; do
  # shellcheck disable=SC2086
  insmod "/lib/modules/$mod.ko" $params || say "insmod $mod failed"
done < /modules.list

mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000 zchost /host || fatal "mounting the host root failed"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 zcout /out || fatal "mounting the results share failed"

# The scratch mounts below hide what the host has there (a clone under /tmp on CI, say):
# bind the paths the tests need aside first and put them back on top afterwards.
scratch="/tmp /run /var/tmp"
i=0
for p in $ZC_VM_KEEP_PATHS; do
  for s in $scratch; do
    case "$p/" in
      "$s"/*)
        if [ -d "/host$p" ]; then
          mkdir -p "/keep/$i"
          mount --bind "/host$p" "/keep/$i" && echo "$i $p" >> /keep.list
          i=$((i + 1))
        fi ;;
    esac
  done
done

mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t debugfs debugfs /host/sys/kernel/debug 2>/dev/null
mount -t devtmpfs devtmpfs /host/dev
mkdir -p /host/dev/pts /host/dev/shm
# What udev would add: bash process substitution and friends need /dev/fd.
ln -sf /proc/self/fd /host/dev/fd
ln -sf /proc/self/fd/0 /host/dev/stdin
ln -sf /proc/self/fd/1 /host/dev/stdout
ln -sf /proc/self/fd/2 /host/dev/stderr
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /host/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /host/dev/shm
for s in $scratch; do
  [ -d "/host$s" ] && mount -t tmpfs -o mode=1777 tmpfs "/host$s"
done
chmod 755 /host/run
mkdir -p /host/run/zc-vm/out /host/run/user/0
chmod 700 /host/run/user/0
mount --bind /out /host/run/zc-vm/out
if [ -f /keep.list ]; then
  while read -r n p; do
    mkdir -p "/host$p" && mount --move "/keep/$n" "/host$p" || say "cannot keep $p visible"
  done < /keep.list
fi

guest_env() {
  chroot /host /usr/bin/env -i \
    HOME=/root TERM=linux LANG=C.UTF-8 \
    PATH="$ZC_SOURCE_DIR/tests/vm/bin:$ZC_BUILD_DIR/tests/vm:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    XDG_RUNTIME_DIR=/run/user/0 \
    ZC_SOURCE_DIR="$ZC_SOURCE_DIR" ZC_BUILD_DIR="$ZC_BUILD_DIR" \
    ZC_VM_OUT=/run/zc-vm/out ZC_VM_HOST_OUT="$ZC_VM_HOST_OUT" \
    ZC_VM_TESTS="$ZC_VM_TESTS" ZC_VM_TEST_TIMEOUT="$ZC_VM_TEST_TIMEOUT" \
    ${ZC_VM_ENV:-} "$@"
}

: > /out/ready
say "guest ready ($(cut -d' ' -f1 /proc/uptime) s since boot)"
if [ "$ZC_VM_MODE" = tap ]; then
  guest_env /bin/bash "$ZC_SOURCE_DIR/tests/vm/guest-run.sh" || say "guest runner failed"
  sync
fi
if [ "$ZC_VM_MODE" = shell ] || [ -n "$ZC_VM_KEEP" ]; then
  say "kept up: shell on the console; 'zc-vm-poweroff' ends the VM"
  while :; do
    setsid cttyhack chroot /host /usr/bin/env -i HOME=/root TERM=linux LANG=C.UTF-8 \
      PATH="$ZC_SOURCE_DIR/tests/vm/bin:$ZC_BUILD_DIR/tests/vm:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      XDG_RUNTIME_DIR=/run/user/0 ZC_SOURCE_DIR="$ZC_SOURCE_DIR" ZC_BUILD_DIR="$ZC_BUILD_DIR" \
      ZC_VM_OUT=/run/zc-vm/out ZC_VM_HOST_OUT="$ZC_VM_HOST_OUT" PS1='zc-vm# ' \
      /bin/bash --norc -i
    [ "$ZC_VM_MODE" = shell ] && break
  done
fi
poweroff_now
