#!/usr/bin/env bash
# Puts dlib's face recognition model (dlib_face_recognition_resnet_model_v1.dat) into DIR: from FILE
# (.dat or .dat.bz2) when given, otherwise downloaded from dlib.net. Keeps a model already there.
# Exit 0 when DIR holds the model, 1 when it could not be obtained. The Debian package installs this
# as /usr/share/doorbelld/fetch-model.sh (DIR defaults to /var/lib/doorbelld/models).
# Usage: fetch-model.sh [DIR] [FILE]
set -euo pipefail
dest=${1:-/var/lib/doorbelld/models}
source_file=${2:-}
model=dlib_face_recognition_resnet_model_v1.dat
url=http://dlib.net/files/$model.bz2
min_bytes=20000000  # the real file is 22.5 MB; anything smaller is an error page or a truncated copy

if [ -s "$dest/$model" ]; then
  echo "fetch-model.sh: $dest/$model already present"
  exit 0
fi
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -n "$source_file" ]; then
  case "$source_file" in
    *.bz2) bunzip2 -c "$source_file" >"$tmp/$model" ;;
    *) cp "$source_file" "$tmp/$model" ;;
  esac
elif ! curl -fsSL --max-time 120 -o "$tmp/$model.bz2" "$url" 2>/dev/null || ! bunzip2 "$tmp/$model.bz2" 2>/dev/null; then
  echo "fetch-model.sh: cannot download $url" >&2
  exit 1
fi
size=$(stat -c %s "$tmp/$model")
if [ "$size" -lt "$min_bytes" ]; then
  echo "fetch-model.sh: $model is $size bytes, expected about 22.5 MB" >&2
  exit 1
fi
chmod 0644 "$tmp/$model"
mv "$tmp/$model" "$dest/$model"
echo "fetch-model.sh: installed $dest/$model"
