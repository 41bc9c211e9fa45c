#!/usr/bin/env bash
# The Raspberry Pi build, checked on this machine: cross-compiles doorbelld and doorbell-describe-faces for
# arm64 (clang and lld against a sysroot of Debian's arm64 packages, unpacked by mmdebstrap into
# build/arm64-sysroot — nothing is installed for arm64 on the host), then runs the arm64 binaries under
# qemu-user: `doorbelld --version`, and the faces of the sample portraits, which must be the same faces as
# the amd64 build finds, with descriptors within 1e-3 of its own.
# Usage: scripts/arm64.sh   (after scripts/setup.sh; about 1 GB of packages and ~15 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sysroot=$root/build/arm64-sysroot
portraits=(tools/faceapi/node_modules/@vladmandic/face-api/demo/sample*.jpg)

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  mmdebstrap qemu-user-static lld >/dev/null

# The sysroot is made again when this list changes (its marker names the list's checksum).
packages="libstdc++-12-dev libc6-dev
libspdlog-dev libfmt-dev nlohmann-json3-dev libcpp-httplib-dev prometheus-cpp-dev libsqlite3-dev libpq-dev
libconcurrentqueue-dev libreaderwriterqueue-dev libsystemd-dev libgpiod-dev libmosquitto-dev libssl-dev libutf8proc-dev
libopencv-dev libdlib-dev libblas-dev liblapack-dev libopenblas0-pthread
libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev"
marker=$sysroot/.complete-$(md5sum <<<"$packages" | cut -c1-8)
if [ ! -e "$marker" ]; then
  rm -rf "$sysroot"
  mirror=http://deb.debian.org/debian
  "${sudo_cmd[@]}" mmdebstrap --variant=extract --arch=arm64 --include="$(tr -s ' \n' ',' <<<"$packages" | sed 's/,$//')" bookworm "$sysroot" "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main"
  # Unpacked without maintainer scripts: make the BLAS/LAPACK alternatives point at OpenBLAS, as
  # update-alternatives would on the Pi.
  lib=$sysroot/usr/lib/aarch64-linux-gnu
  for name in libblas liblapack; do
    "${sudo_cmd[@]}" ln -sfn "openblas-pthread/$name.so.3" "$lib/$name.so.3"
    "${sudo_cmd[@]}" ln -sfn "openblas-pthread/$name.so.3" "$lib/$name.so"
  done
  # Links to absolute paths (e.g. libz.so -> /lib/...) would point into this machine: make them relative.
  find "$sysroot" -type l -lname '/*' | while read -r link; do
    "${sudo_cmd[@]}" ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$sysroot$(readlink "$link")")" "$link"
  done
  # dlib's CMake package names its libraries by absolute paths: make them the sysroot's.
  "${sudo_cmd[@]}" sed -i 's#\([";]\)/usr/lib/aarch64-linux-gnu/#\1${CMAKE_SYSROOT}/usr/lib/aarch64-linux-gnu/#g' \
    "$lib/cmake/dlib/dlib.cmake"
  "${sudo_cmd[@]}" touch "$marker"
fi

cmake -G Ninja -S . -B build/arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
  -DDOORBELL_SYSROOT="$sysroot" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/arm64 -j "$(nproc)" --target doorbelld doorbell-describe-faces
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target doorbell-describe-faces doorbell-convert-model
scripts/models.sh models build/release/doorbell-convert-model

# (OpenBLAS's own folder is where update-alternatives and ldconfig would have pointed the loader.)
run_arm64() {
  qemu-aarch64-static -L "$sysroot" -E LD_LIBRARY_PATH=/usr/lib/aarch64-linux-gnu/openblas-pthread "$@"
}
file build/arm64/doorbelld | grep -q 'ARM aarch64' || { echo "arm64.sh: not an arm64 binary" >&2; exit 1; }
echo "arm64: $(run_arm64 build/arm64/doorbelld --version)"
build/release/doorbell-describe-faces models "${portraits[@]}" >build/arm64/faces-amd64.jsonl
start=$(date +%s)
run_arm64 build/arm64/doorbell-describe-faces models "${portraits[@]}" >build/arm64/faces-arm64.jsonl
echo "arm64: ${#portraits[@]} portraits described under qemu-user in $(($(date +%s) - start)) s"

node - build/arm64/faces-amd64.jsonl build/arm64/faces-arm64.jsonl <<'COMPARE'
// Same images, same faces (boxes and gate verdicts), descriptors within 1e-3; and each arm64 descriptor's
// nearest amd64 descriptor is its own face's, so the arm64 build names everyone as the amd64 build does.
const fs = require('fs');
const read = (f) => fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const [amd, arm] = [read(process.argv[2]), read(process.argv[3])];
const fail = (m) => { console.error(`arm64: FAILED: ${m}`); process.exit(1); };
if (amd.length !== arm.length) fail(`${arm.length} images, amd64 ${amd.length}`);
const gallery = [];
amd.forEach((img) => img.faces.forEach((f, i) => f.descriptor && gallery.push({ key: `${img.image}#${i}`, d: f.descriptor })));
let faces = 0, described = 0, worst = 0;
arm.forEach((img, k) => {
  const ref = amd[k];
  if (img.image !== ref.image || img.faces.length !== ref.faces.length) fail(`${img.image}: ${img.faces.length} faces, amd64 ${ref.faces.length}`);
  img.faces.forEach((f, i) => {
    const r = ref.faces[i];
    ++faces;
    if (JSON.stringify(f.box) !== JSON.stringify(r.box) || f.problem !== r.problem) fail(`${img.image}#${i}: ${JSON.stringify(f)} vs ${JSON.stringify(r)}`);
    if (!f.descriptor) return;
    ++described;
    f.descriptor.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - r.descriptor[j])); });
    const dist = (g) => Math.hypot(...g.d.map((v, j) => v - f.descriptor[j]));
    const nearest = gallery.reduce((a, b) => (dist(a) <= dist(b) ? a : b));
    if (nearest.key !== `${img.image}#${i}`) fail(`${img.image}#${i} is nearest to ${nearest.key}`);
  });
});
if (worst > 1e-3) fail(`descriptors differ by up to ${worst}`);
console.log(`arm64: ${faces} faces in ${arm.length} portraits as on amd64 (${described} described, each nearest to its own amd64 descriptor); largest descriptor difference ${worst.toExponential(2)}`);
COMPARE
