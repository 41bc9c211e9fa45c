#!/usr/bin/env bash
# Runs inside package_test.sh's private mount namespace: an overlay of / (writes go to WORK) in which
# the package is installed and exercised with dpkg and chroot. Usage: package_install_check.sh DEB MODEL WORK
set -euo pipefail
deb=$1
model=$2
work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }

# The overlay's writable layer is a tmpfs: overlayfs cannot write onto another overlayfs (a container's /).
root=$work/root
mkdir -p "$work/layer" "$root"
mount -t tmpfs tmpfs "$work/layer"
mkdir "$work/layer/upper" "$work/layer/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/layer/upper,workdir=$work/layer/work" "$root"
mount --bind /proc "$root/proc"
mount --bind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/run"  # no /run/systemd/system: systemd is not running in there
mount -t tmpfs tmpfs "$root/tmp"
in_root() { chroot "$root" "$@"; }

if in_root getent passwd doorbelld >/dev/null; then fail "this machine already has a doorbelld user"; fi
cp "$deb" "$root/tmp/doorbelld.deb"
# As the README says: apt install ./doorbelld_*.deb (every dependency is already on this machine).
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/doorbelld.deb \
  >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "apt-get install ./doorbelld.deb failed"; }
grep -q "fetch the face model" "$work/install.log" || fail "postinst did not say how to fetch the model"

groups=$(in_root id -nG doorbelld)
for g in doorbelld gpio video; do grep -qw "$g" <<<"$groups" || fail "doorbelld is not in group $g ($groups)"; done
[ "$(in_root getent passwd doorbelld | cut -d: -f7)" = /usr/sbin/nologin ] || fail "doorbelld has a login shell"
owner() { in_root stat -c '%U:%G %a' "$1"; }
[ "$(owner /var/lib/doorbelld)" = "doorbelld:doorbelld 750" ] || fail "state directory: $(owner /var/lib/doorbelld)"
[ "$(owner /etc/doorbelld/api_token)" = "root:doorbelld 640" ] || fail "api_token: $(owner /etc/doorbelld/api_token)"
token=$root/etc/doorbelld/api_token
grep -qE '^[0-9a-f]{48}$' "$token" || fail "api_token is not 48 hex digits"
[ "$(owner /etc/doorbelld/tls.key)" = "root:doorbelld 640" ] || fail "tls.key: $(owner /etc/doorbelld/tls.key)"
in_root openssl x509 -in /etc/doorbelld/tls.crt -noout -ext subjectAltName | grep -q "DNS:$(hostname)" \
  || fail "tls.crt is not a certificate for this host"
grep -q "user add YOUR-NAME" "$work/install.log" || fail "postinst did not say how to create a login"
[ -L "$root/etc/systemd/system/multi-user.target.wants/doorbelld.service" ] || fail "the unit is not enabled"
verify=$(in_root systemd-analyze verify /lib/systemd/system/doorbelld.service 2>&1) || fail "systemd-analyze verify: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify warns: $verify"
echo "installed: user, groups, state directory, token, enabled unit, systemd-analyze verify clean"

# The packaged configuration is valid for the daemon's own user (it must read the token through its group).
check=$(in_root runuser -u doorbelld -- doorbelld --config /etc/doorbelld/doorbelld.json --check-config 2>&1) \
  || fail "--check-config as doorbelld: $check"

# The model script with a local copy (no internet here), then the installed daemon as its own user on
# its own state directory — without camera and button, which this machine lacks.
cp "$model" "$root/tmp/model.dat"
in_root runuser -u doorbelld -- /usr/share/doorbelld/fetch-model.sh /var/lib/doorbelld/models /tmp/model.dat >/dev/null
port=$((20000 + RANDOM % 20000))
while (: >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 20000)); done
export DOORBELL_HTTP_PORT=$port DOORBELL_HTTP_BIND_ADDRESS=127.0.0.1 DOORBELL_CAMERA_SOURCE= DOORBELL_GPIO_CHIP=
chroot "$root" setpriv --reuid=doorbelld --regid=doorbelld --init-groups doorbelld --config /etc/doorbelld/doorbelld.json \
  >"$work/daemon.log" 2>&1 &  # chroot and setpriv exec: $! is the daemon
daemon=$!
trap 'kill -KILL "$daemon" 2>/dev/null || true' EXIT  # never left running when a check fails
healthy=0
for _ in $(seq 1 100); do
  if in_root doorbelld --config /etc/doorbelld/doorbelld.json healthcheck --ready >/dev/null 2>&1; then healthy=1; break; fi
  sleep 0.2
done
[ "$healthy" = 1 ] || { cat "$work/daemon.log"; fail "the installed daemon never became ready"; }
https=$(curl -sS --cacert "$root/etc/doorbelld/tls.crt" --resolve "$(hostname):$port:127.0.0.1" \
  "https://$(hostname):$port/api/people" -H "Authorization: Bearer $(cat "$token")" -w ' %{http_code}') \
  || fail "no HTTPS with the generated certificate"
[[ "$https" == *' 200' ]] || fail "HTTPS /api/people: $https"
[ "$(in_root stat -c %U /var/lib/doorbelld/doorbelld.db)" = doorbelld ] || fail "the database is not the daemon user's"
kill -TERM "$daemon"
wait "$daemon" || { cat "$work/daemon.log"; fail "the installed daemon did not stop cleanly"; }
trap - EXIT
unset DOORBELL_HTTP_PORT DOORBELL_HTTP_BIND_ADDRESS DOORBELL_CAMERA_SOURCE DOORBELL_GPIO_CHIP
echo "the installed daemon ran as doorbelld, became ready, served HTTPS with its certificate and stopped cleanly"

# Reinstall (an upgrade path): the token, the certificate and the state stay.
before=$(cat "$token")
certificate=$(cat "$root/etc/doorbelld/tls.crt")
in_root dpkg -i /tmp/doorbelld.deb >/dev/null 2>&1 || fail "reinstall failed"
[ "$(cat "$token")" = "$before" ] || fail "reinstalling replaced the API token"
[ "$(cat "$root/etc/doorbelld/tls.crt")" = "$certificate" ] || fail "reinstalling replaced the certificate"
[ -s "$root/var/lib/doorbelld/models/dlib_face_recognition_resnet_model_v1.dat" ] || fail "reinstalling lost the model"

in_root dpkg --remove doorbelld >/dev/null 2>&1 || fail "dpkg --remove failed"
[ ! -e "$root/usr/bin/doorbelld" ] || fail "remove left the binary"
[ -e "$root/etc/doorbelld/doorbelld.json" ] || fail "remove deleted the conffile"
[ -d "$root/var/lib/doorbelld" ] || fail "remove deleted the state"
in_root dpkg --purge doorbelld >/dev/null 2>&1 || fail "dpkg --purge failed"
[ ! -e "$root/var/lib/doorbelld" ] || fail "purge left /var/lib/doorbelld"
[ ! -e "$root/etc/doorbelld" ] || fail "purge left /etc/doorbelld"
in_root getent passwd doorbelld >/dev/null || fail "purge removed the system user (policy: keep it)"
echo "reinstall kept token and state; remove kept configuration and state; purge removed both"
