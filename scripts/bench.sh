#!/usr/bin/env bash
# Builds the release preset and runs the benchmarks in bench/ on the real models and portraits.
# Usage: scripts/bench.sh   (after scripts/setup.sh; provisions the models itself)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target doorbelld doorbell-bench-recognition doorbell-bench-ring doorbell-bench-health \
  doorbell-bench-timeline doorbell-bench-camera doorbell-bench-idle doorbell-convert-model
scripts/models.sh models build/release/doorbell-convert-model
build/release/doorbell-bench-recognition models tools/faceapi/node_modules/@vladmandic/face-api/demo/sample*.jpg
build/release/doorbell-bench-ring models tools/faceapi/node_modules/@vladmandic/face-api/demo/sample*.jpg
node bench/press.mjs build/release/doorbelld models tools/faceapi/node_modules/@vladmandic/face-api/demo/sample2.jpg
build/release/doorbell-bench-timeline
build/release/doorbell-bench-camera tests/camera/rtsp_server.py tools/faceapi/node_modules/@vladmandic/face-api/demo/sample2.jpg
build/release/doorbell-bench-idle build/release/doorbelld models tools/faceapi/node_modules/@vladmandic/face-api/demo/sample2.jpg
