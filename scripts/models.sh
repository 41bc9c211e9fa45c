#!/usr/bin/env bash
# Provisions the face models into DIR (default: models/ in the repository):
#   dlib_face_recognition_resnet_model_v1.dat  — dlib's official download first (fetch-model.sh); where that fails (no
#       internet access), built from the same network's weights in the npm package @vladmandic/face-api
#       by the project's converter (build/<preset>/doorbell-convert-model);
#   shape_predictor_68_face_landmarks.dat      — linked from Debian's libdlib-data.
# Idempotent: an existing, verified model is kept. Usage: scripts/models.sh [DIR] [CONVERTER]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/models}
converter=${2:-$root/build/release/doorbell-convert-model}
model=dlib_face_recognition_resnet_model_v1.dat
mkdir -p "$dest"

ln -sf /usr/share/dlib/shape_predictor_68_face_landmarks.dat "$dest/shape_predictor_68_face_landmarks.dat"
[ -s /usr/share/dlib/shape_predictor_68_face_landmarks.dat ] || { echo "models.sh: install libdlib-data" >&2; exit 1; }

# The weights package also carries the portraits the tests use, so it is installed either way.
(cd "$root/tools/faceapi" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
faceapi=$root/tools/faceapi/node_modules/@vladmandic/face-api

if "$root/scripts/fetch-model.sh" "$dest" 2>/dev/null; then
  exit 0
fi
echo "models.sh: dlib.net unreachable; converting the face-api weights"
[ -x "$converter" ] || { echo "models.sh: build $converter first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$converter" "$faceapi/model/face_recognition_model-weights_manifest.json" "$tmp/$model"
mv "$tmp/$model" "$dest/$model"
