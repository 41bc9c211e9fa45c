# Debian's own kernel for the VM tests, sourced by them (bash). vm_kernel CACHE_DIR sets kver, kdir and
# headers: $kdir/vmlinuz and $kdir/modules/lib/modules/$kver (the drivers the tests load, with modules.dep),
# extracted from the linux-image package matching the installed linux-headers — downloaded, never
# installed. vm_add_module FILE.ko adds a module built out of tree against $headers.

vm_fail() { echo "FAIL: $*" >&2; exit 1; }

vm_kernel() {
  [ "$(dpkg --print-architecture)" = amd64 ] || { echo "SKIP: the VM tests run on amd64 hosts"; exit 77; }
  headers=$(find /usr/src -maxdepth 1 -name 'linux-headers-6.1.0-*-amd64' | sort -V | tail -1)
  [ -n "$headers" ] || vm_fail "no linux-headers-6.1.0-*-amd64 (scripts/setup.sh installs linux-headers-amd64)"
  kver=${headers#/usr/src/linux-headers-}
  kdir=$(realpath -m "$1")/$kver
  mkdir -p "$kdir"
  [ -s "$kdir/vmlinuz" ] && return
  (cd "$kdir" && apt-get download -q "linux-image-$kver" >/dev/null 2>&1) || vm_fail "apt-get download linux-image-$kver"
  rm -rf "$kdir/pkg" "$kdir/modules"
  dpkg-deb -x "$kdir"/linux-image-"$kver"_*.deb "$kdir/pkg"
  local tree=lib/modules/$kver/kernel
  mkdir -p "$kdir/modules/$tree"
  # Only what the tests load: 9p and virtio (the host's files), configfs, GPIO and media drivers.
  for dir in drivers/media drivers/virtio drivers/gpio net/9p fs/9p fs/netfs fs/fscache fs/configfs; do
    mkdir -p "$kdir/modules/$tree/$(dirname $dir)"
    cp -r "$kdir/pkg/$tree/$dir" "$kdir/modules/$tree/$dir"
  done
  cp "$kdir"/pkg/lib/modules/"$kver"/modules.{builtin,builtin.modinfo,order} "$kdir/modules/lib/modules/$kver/"
  depmod -b "$kdir/modules" "$kver" || vm_fail "depmod (scripts/setup.sh installs kmod)"
  cp "$kdir/pkg/boot/vmlinuz-$kver" "$kdir/vmlinuz.tmp"
  rm -rf "$kdir/pkg" "$kdir"/linux-image-*.deb
  mv "$kdir/vmlinuz.tmp" "$kdir/vmlinuz"
}

vm_add_module() {
  mkdir -p "$kdir/modules/lib/modules/$kver/extra"
  cp "$1" "$kdir/modules/lib/modules/$kver/extra/"
  depmod -b "$kdir/modules" "$kver"
}
