#!/usr/bin/env bash
# The Debian package: built by CPack from BUILD_DIR, its contents and control data checked, then
# installed, used, reinstalled, removed and purged with dpkg inside a throw-away overlay of this machine
# (a private mount namespace), so the maintainer scripts run for real without changing the machine.
# Usage: package_test.sh BUILD_DIR MODEL_FILE   (exit 77: skipped, not root)
set -euo pipefail
build_dir=$1
model=$2
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: installing into an overlay of / needs root"; exit 77; }
unshare --mount true 2>/dev/null || { echo "SKIP: no mount namespaces here (an unprivileged container?)"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cpack --config "$build_dir/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(echo "$work"/pkg/doorbelld_*.deb)
[ -f "$deb" ] || fail "cpack made no doorbelld_*.deb"
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/doorbelld ./usr/bin/doorbell-convert-model ./lib/systemd/system/doorbelld.service \
         ./lib/udev/rules.d/60-doorbelld-gpio.rules ./etc/doorbelld/doorbelld.json \
         ./usr/share/doorbelld/fetch-model.sh ./usr/share/doc/doorbelld/doorbelld.example.json; do
  grep -q " $f\$" <<<"$contents" || fail "the package lacks $f"
done
grep -q 'rwxr-xr-x root/root .* ./usr/bin/doorbelld$' <<<"$contents" || fail "doorbelld is not an executable owned by root"

[ "$(dpkg-deb -f "$deb" Package)" = doorbelld ] || fail "Package is not doorbelld"
[ "$(dpkg-deb -f "$deb" Architecture)" = "$(dpkg --print-architecture)" ] || fail "wrong Architecture"
depends=$(dpkg-deb -f "$deb" Depends)
for d in adduser init-system-helpers libdlib-data openssl ca-certificates libutf8proc2 libdlib19.1 libsystemd0 libgpiod2 libopencv-videoio406 libsqlite3-0 libpq5; do
  grep -q "\b$d\b" <<<"$depends" || fail "Depends lacks $d: $depends"
done
mkdir "$work/control"
dpkg-deb -e "$deb" "$work/control"
grep -qx /etc/doorbelld/doorbelld.json "$work/control/conffiles" || fail "the configuration is not a conffile"
for s in postinst prerm postrm; do
  [ -x "$work/control/$s" ] || fail "$s missing or not executable"
  sh -n "$work/control/$s" || fail "$s has a syntax error"
done
echo "contents and control data: ok"

unshare --mount --propagation private "$here/package_install_check.sh" "$deb" "$model" "$work"
