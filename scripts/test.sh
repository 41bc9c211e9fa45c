#!/usr/bin/env bash
# Sets up the machine, builds and runs the whole test suite: every test of the dev build (warnings are
# errors), then all of it again under ThreadSanitizer (queues, workers, the daemon's threads). Exits
# non-zero on any failure. Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

scripts/setup.sh
cmake --preset dev
cmake --build --preset dev -j "$jobs"
scripts/models.sh models build/dev/doorbell-convert-model
(cd tests/reference && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/otlp && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/deployment && npm ci --no-audit --no-fund --loglevel=error)
ctest --preset dev -j "$jobs"

cmake --preset tsan
cmake --build --preset tsan -j "$jobs"
ctest --preset tsan -j "$jobs"
