#!/usr/bin/env bash
# The doorbell button on a real Linux kernel: boots Debian's kernel under QEMU with gpio-sim (which Debian
# does not build: compiled here out of tree from linux-source-6.1, with one line changed because
# irq_to_desc is not exported) and runs CHECK (gpio_button_vm.cpp) as the VM's program; passes when it
# prints "GPIO-SIM PASS". The kernel image is extracted from its Debian package (not installed) into
# CACHE_DIR. Usage: run.sh CHECK CACHE_DIR
set -euo pipefail
check=$(realpath "$1")
cache=$(realpath -m "$2")
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(dpkg --print-architecture)" = amd64 ] || { echo "SKIP: the VM test runs on amd64 hosts"; exit 77; }

headers=$(find /usr/src -maxdepth 1 -name 'linux-headers-6.1.0-*-amd64' | sort -V | tail -1)
[ -n "$headers" ] || fail "no linux-headers-6.1.0-*-amd64 (scripts/setup.sh installs linux-headers-amd64)"
kver=${headers#/usr/src/linux-headers-}
kdir=$cache/$kver
mkdir -p "$kdir"

# The kernel and its configfs module, from the package matching the headers.
if [ ! -s "$kdir/vmlinuz" ]; then
  (cd "$kdir" && apt-get download -q "linux-image-$kver" >/dev/null 2>&1) || fail "apt-get download linux-image-$kver"
  dpkg-deb -x "$kdir"/linux-image-"$kver"_*.deb "$kdir/pkg"
  cp "$kdir/pkg/boot/vmlinuz-$kver" "$kdir/vmlinuz.tmp"
  cp "$kdir/pkg/lib/modules/$kver/kernel/fs/configfs/configfs.ko" "$kdir/configfs.ko"
  rm -rf "$kdir/pkg" "$kdir"/linux-image-*.deb
  mv "$kdir/vmlinuz.tmp" "$kdir/vmlinuz"
fi

# gpio-sim, built against the headers.
if [ ! -s "$kdir/gpio-sim.ko" ]; then
  src=$kdir/gpio-sim-src
  rm -rf "$src" && mkdir -p "$src"
  tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$src" --strip-components=3 --wildcards \
    'linux-source-6.1/drivers/gpio/gpio-sim.c' 'linux-source-6.1/drivers/gpio/gpiolib.h'
  tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$src" --strip-components=3 'linux-source-6.1/kernel/irq/irq_sim.c'
  mv "$src/gpio-sim.c" "$src/gpio-sim-main.c"
  sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_domain_irq(work_ctx->domain, offset);/' "$src/irq_sim.c"
  grep -q generic_handle_domain_irq "$src/irq_sim.c" || fail "irq_sim.c changed: the patch no longer applies"
  printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-main.o irq_sim.o\n' >"$src/Kbuild"
  make -s -C "$headers" M="$src" modules >"$src/build.log" 2>&1 || { cat "$src/build.log"; fail "building gpio-sim"; }
  cp "$src/gpio-sim.ko" "$kdir/gpio-sim.ko"
fi

# The initramfs: busybox, both modules, CHECK with the shared libraries it needs, and /init.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,tmp}
cp /bin/busybox "$root/bin/busybox"
for tool in sh mount mkdir insmod cat ls sleep poweroff; do ln -s busybox "$root/bin/$tool"; done
cp "$kdir/configfs.ko" "$kdir/gpio-sim.ko" "$root/"
cp "$check" "$root/check"
ldd "$check" | grep -o '/[^ ]*' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cat >"$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
insmod /configfs.ko
insmod /gpio-sim.ko
mount -t configfs configfs /sys/kernel/config
mkdir -p /sys/kernel/config/gpio-sim/door/bank0
echo 32 > /sys/kernel/config/gpio-sim/door/bank0/num_lines
echo 1 > /sys/kernel/config/gpio-sim/door/live
chip=$(cat /sys/kernel/config/gpio-sim/door/bank0/chip_name)
echo "gpio-sim: $chip on $(cat /sys/kernel/config/gpio-sim/door/dev_name)"
/check "$chip" "/sys/devices/platform/$(cat /sys/kernel/config/gpio-sim/door/dev_name)/$chip/sim_gpio17/pull"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs.gz"

# One vCPU under TCG: ~10 s to boot. 2 GiB: a unity build (scripts/test.sh) links whole batches of the
# library into CHECK, which then needs most of its shared libraries. The console is the test's output.
timeout 300 qemu-system-x86_64 -machine q35 -m 2048 -smp 1 -nographic -no-reboot \
  -kernel "$kdir/vmlinuz" -initrd "$work/initramfs.gz" \
  -append "console=ttyS0 quiet panic=-1 rdinit=/init" >"$work/console.log" 2>&1 || true
sed -n '/gpio-sim:/,/GPIO-SIM/p' "$work/console.log"
grep -q "GPIO-SIM PASS" "$work/console.log" || { tail -40 "$work/console.log"; fail "the VM did not report GPIO-SIM PASS"; }
