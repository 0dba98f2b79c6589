#!/usr/bin/env bash
# Installs the host packages zcomp needs to build, test and run its VM suite.
# Idempotent: does nothing (and needs no root) when everything is present.
# Debian 12 takes the newer Wayland/DRM/Mesa stack from bookworm-backports;
# Debian 13 has it in trixie itself.
set -euo pipefail

PKGS=(
  build-essential pkg-config meson ninja-build
  libwayland-dev libwayland-bin wayland-protocols
  libdrm-dev libgbm-dev libegl-dev libgles-dev libegl-mesa0 libgl1-mesa-dri mesa-common-dev
  libpixman-1-dev libinput-dev libseat-dev libudev-dev libxkbcommon-dev xkb-data
  libdisplay-info-dev libpng-dev libxcvt-dev
  qemu-system-x86 busybox-static cpio kmod socat xz-utils zstd patch bc flex bison libelf-dev libssl-dev
  gcc-12
  weston
  seatd foot fonts-dejavu-core udev
  vulkan-tools mesa-vulkan-drivers
  wlcs
  clang libclang-rt-14-dev
  libyuv-dev
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  libxcursor-dev adwaita-icon-theme libdecor-0-plugin-1-cairo
  libsdl2-tests swayidle
  # the apps suite (tests/apps): GTK 4 and 3, Qt 6 (qml runner), SDL 2, PIL for the captures
  python3 python3-gi gir1.2-gtk-4.0 gir1.2-gtk-3.0 python3-sdl2 python3-pil
  qml-qt6 qml6-module-qtquick qml6-module-qtquick-window qml6-module-qtqml-workerscript qt6-wayland
)
BACKPORTED=(
  meson libwayland-dev libwayland-bin wayland-protocols libdrm-dev libgbm-dev
  libegl-mesa0 libgl1-mesa-dri mesa-common-dev libdisplay-info-dev
  weston
  mesa-vulkan-drivers
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The versions matter as much as the presence (issue: libwayland >= 1.22 etc.).
need_versions() {
  pkg-config --atleast-version=1.22 wayland-server 2>/dev/null &&
  pkg-config --atleast-version=1.38 wayland-protocols 2>/dev/null &&
  pkg-config --atleast-version=2.4.120 libdrm 2>/dev/null &&
  pkg-config --atleast-version=24 gbm 2>/dev/null &&
  meson --version 2>/dev/null | awk -F. '{exit !($1>1 || ($1==1 && $2>=3))}'
}
if [ ${#missing[@]} -eq 0 ] && need_versions; then
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
. /etc/os-release
export DEBIAN_FRONTEND=noninteractive
if [ "${VERSION_CODENAME:-}" = bookworm ]; then
  if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "deb http://deb.debian.org/debian bookworm-backports main" |
      $SUDO tee /etc/apt/sources.list.d/zcomp-backports.list >/dev/null
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports "${BACKPORTED[@]}" >/dev/null
else
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
fi
need_versions || { echo "deps: installed packages are still too old" >&2; exit 1; }
