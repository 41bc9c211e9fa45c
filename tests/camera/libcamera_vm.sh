#!/usr/bin/env bash
# The Raspberry Pi Camera Module's path on a real kernel: Debian's libcamera (its vimc pipeline handler)
# over the vimc virtual camera — a mainline driver Debian's kernel does not build, compiled here out of
# tree from linux-source-6.1 — in a VM (tests/vm/run.sh), read by the daemon's Camera through
# libcamerasrc, absent at start (unbound) and then bound. Usage: libcamera_vm.sh CHECK CACHE_DIR
set -euo pipefail
here=$(dirname "$(realpath "$0")")
source "$here/../vm/kernel.sh"
vm_kernel "$2"
for package in libcamera-ipa gstreamer1.0-libcamera; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    vm_fail "$package is not installed (scripts/setup.sh installs it)"
done
if [ ! -s "$kdir/vimc.ko" ]; then
  src=$kdir/vimc-src
  rm -rf "$src" && mkdir -p "$src"
  tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$src" --strip-components=5 --wildcards \
    'linux-source-6.1/drivers/media/test-drivers/vimc/*'
  make -s -C "$headers" M="$src" CONFIG_VIDEO_VIMC=m modules >"$src/build.log" 2>&1 ||
    { cat "$src/build.log"; vm_fail "building vimc"; }
  cp "$src/vimc.ko" "$kdir/vimc.ko.tmp" && mv "$kdir/vimc.ko.tmp" "$kdir/vimc.ko"
  vm_add_module "$kdir/vimc.ko"
fi
exec "$here/../vm/run.sh" "$2" vimc -- "$(realpath "$1")" libcamera 640 480 "RGB 636x480" absent-first:vimc:vimc.0
