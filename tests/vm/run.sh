#!/usr/bin/env bash
# A program on a real Linux kernel with drivers this machine lacks: boots Debian's own kernel under QEMU
# (TCG, one vCPU) with the given modules loaded — each with its dependencies, and its parameters — shares
# the host's / read-only over virtio-9p and runs COMMAND in a chroot of it, with fresh /dev, /proc, /sys
# and /run (HOME and TMPDIR are in /run: the host's /tmp stays visible, read-only, for build trees there),
# so nothing it writes outlives the VM. Exits with COMMAND's status; prints the VM's console.
# Usage: run.sh CACHE_DIR 'MODULE [PARAM=VALUE...]'... -- COMMAND [ARG...]
set -euo pipefail
here=$(dirname "$(realpath "$0")")
source "$here/kernel.sh"
vm_kernel "$1"
shift
modules=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do modules+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || vm_fail "usage: run.sh CACHE_DIR MODULE... -- COMMAND [ARG...]"

work=$(mktemp -d)
trap '[ -n "${VM_KEEP:-}" ] || rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,host,modules}
cp /bin/busybox "$root/bin/busybox"
for tool in sh mount mkdir insmod cat cp sleep chroot poweroff; do ln -s busybox "$root/bin/$tool"; done

# Every module file once, dependencies first, numbered in load order, with its parameters beside it.
n=0
declare -A loaded=()
for spec in 9pnet_virtio 9p virtio_pci "${modules[@]}"; do
  read -r name params <<<"$spec"
  deps=$(modprobe -d "$kdir/modules" -S "$kver" --show-depends "$name") || vm_fail "no module $name in $kver"
  while read -r _ file _; do
    [ -n "${loaded[$file]:-}" ] && continue
    loaded[$file]=1
    n=$((n + 1))
    cp "$file" "$root/modules/$(printf %02d $n).ko"
    base=$(basename "$file" .ko)
    if [ "${base//-/_}" = "${name//-/_}" ]; then printf '%s\n' "$params" >"$root/modules/$(printf %02d $n).args"; fi
  done <<<"$deps"
done

{
  echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8'
  echo 'export HOME=/run/vm-home TMPDIR=/run/vm-tmp && mkdir -p "$HOME" "$TMPDIR"'
  printf 'cd %q || exit 1\n' "$PWD"
  printf '%q ' "$@"
  echo
} >"$root/command.sh"
cat >"$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in /modules/*.ko; do insmod "$m" $(cat "${m%.ko}.args" 2>/dev/null) || echo "VM: insmod $m failed"; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=524288,cache=loose hostroot /host
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t devtmpfs devtmpfs /host/dev
mount -t tmpfs tmpfs /host/run
cp /command.sh /host/run/vm-command.sh
echo "VM: running"
chroot /host /bin/bash /run/vm-command.sh
echo "VM-EXIT: $?"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs.gz"

# 2 GiB: a unity build links whole batches of the library into a test program.
timeout 600 qemu-system-x86_64 -machine q35 -m 2048 -smp 1 -nographic -no-reboot \
  -kernel "$kdir/vmlinuz" -initrd "$work/initramfs.gz" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -append "console=ttyS0 quiet panic=-1 rdinit=/init" >"$work/console.log" 2>&1 || true
sed -n '/VM: running/,$p' "$work/console.log" | grep -v -e 'VM: running' -e '^VM-EXIT' -e 'reboot: Power down' || true
status=$(sed -n 's/^VM-EXIT: \([0-9]*\).*/\1/p' "$work/console.log" | tail -1)
[ -n "$status" ] || { tail -40 "$work/console.log"; vm_fail "the VM did not finish COMMAND"; }
exit "$status"
