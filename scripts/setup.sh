#!/usr/bin/env bash
# Installs every Debian package doorbelld needs to build, test and run. Idempotent, non-interactive;
# works as root or through sudo. Usage: scripts/setup.sh
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ca-certificates curl bzip2 clang libclang-rt-14-dev clang-format
  # libraries
  libspdlog-dev libfmt-dev nlohmann-json3-dev libcpp-httplib-dev prometheus-cpp-dev libsqlite3-dev libpq-dev
  libconcurrentqueue-dev libreaderwriterqueue-dev libsystemd-dev libgpiod-dev libmosquitto-dev libssl-dev libutf8proc-dev
  libopencv-dev libdlib-dev libdlib-data libblas-dev liblapack-dev libopenblas0-pthread
  # tests
  libgtest-dev libgmock-dev prometheus mosquitto
  # the shared storage's tests run a throw-away PostgreSQL server
  postgresql
  # the web app's tests drive a real browser
  chromium
  # cameras: a real RTSP server on loopback (GStreamer's gst-rtsp-server from Python) for IP cameras
  gir1.2-gst-rtsp-server-1.0 python3-gi gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad
  # cameras: the Raspberry Pi Camera Module through libcamera's GStreamer element (the VM test drives
  # Debian's libcamera over vimc); V4L2 tools for checking a USB webcam by hand
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-libcamera libcamera-ipa v4l-utils
  # deployment checks: systemd-analyze, YAML lint, docker-compose config (no engine needed)
  systemd yamllint docker-compose
)
# The GPIO and camera tests boot Debian's kernel in QEMU (amd64 hosts) with gpio-sim, vivid and vimc:
# headers and source to build the modules Debian does not ship, kmod to order the ones it does (the
# kernel image itself is extracted by the tests, never installed).
if [ "$(dpkg --print-architecture)" = amd64 ]; then
  packages+=(qemu-system-x86 busybox-static cpio kmod linux-headers-amd64 linux-source-6.1 xz-utils)
fi
# Node.js bundles the web app at build time and runs test helpers; a machine may already have it from
# elsewhere (e.g. NodeSource).
command -v npm >/dev/null || packages+=(nodejs npm)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup.sh: run as root or install sudo" >&2; exit 1; }
  sudo_cmd=(sudo)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Package postinst scripts (prometheus, mosquitto) must not start services on build machines.
policy_rc=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy_rc" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy_rc" >/dev/null
  "${sudo_cmd[@]}" chmod +x "$policy_rc"
  created_policy=1
fi
trap '[ "$created_policy" = 1 ] && "${sudo_cmd[@]}" rm -f "$policy_rc"' EXIT
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
