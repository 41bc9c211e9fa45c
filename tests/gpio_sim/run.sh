#!/usr/bin/env bash
# The doorbell button on a real Linux kernel: Debian's kernel in a VM (tests/vm/run.sh) with gpio-sim,
# which Debian does not build: compiled here out of tree from linux-source-6.1, with one line changed
# because irq_to_desc is not exported. CHECK (gpio_button_vm.cpp) runs in the VM on line 17 of a
# simulated chip (in_vm.sh) and passes when it prints "GPIO-SIM PASS". Usage: run.sh CHECK CACHE_DIR
set -euo pipefail
here=$(dirname "$(realpath "$0")")
source "$here/../vm/kernel.sh"
vm_kernel "$2"
if [ ! -s "$kdir/gpio-sim.ko" ]; then
  src=$kdir/gpio-sim-src
  rm -rf "$src" && mkdir -p "$src"
  tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$src" --strip-components=3 --wildcards \
    'linux-source-6.1/drivers/gpio/gpio-sim.c' 'linux-source-6.1/drivers/gpio/gpiolib.h'
  tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$src" --strip-components=3 'linux-source-6.1/kernel/irq/irq_sim.c'
  mv "$src/gpio-sim.c" "$src/gpio-sim-main.c"
  sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_domain_irq(work_ctx->domain, offset);/' "$src/irq_sim.c"
  grep -q generic_handle_domain_irq "$src/irq_sim.c" || vm_fail "irq_sim.c changed: the patch no longer applies"
  printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-main.o irq_sim.o\n' >"$src/Kbuild"
  make -s -C "$headers" M="$src" modules >"$src/build.log" 2>&1 || { cat "$src/build.log"; vm_fail "building gpio-sim"; }
  cp "$src/gpio-sim.ko" "$kdir/gpio-sim.ko.tmp" && mv "$kdir/gpio-sim.ko.tmp" "$kdir/gpio-sim.ko"
  vm_add_module "$kdir/gpio-sim.ko"
fi
exec "$here/../vm/run.sh" "$2" configfs gpio-sim -- "$here/in_vm.sh" "$(realpath "$1")"
