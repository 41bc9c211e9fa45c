#!/usr/bin/env bash
# Builds the release preset and runs the soak benchmark (bench/soak.mjs) on the real models and a real
# portrait: RSS, file descriptors and press → notification latency after the warm-up and at the end.
# Usage: scripts/soak.sh [--minutes 30] [--warmup 2] [--every 3]   (after scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target doorbelld doorbell-convert-model
scripts/models.sh models build/release/doorbell-convert-model
exec node bench/soak.mjs build/release/doorbelld models \
  tools/faceapi/node_modules/@vladmandic/face-api/demo/sample2.jpg "$@"
