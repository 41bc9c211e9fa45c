#!/usr/bin/env bash
# Sets up the machine, builds and runs the whole test suite: every test of the dev build (warnings are
# errors), all of it again under ThreadSanitizer (queues, workers, the daemon's threads), then a short
# run of every libFuzzer target under AddressSanitizer and UndefinedBehaviorSanitizer. Exits non-zero on
# any failure. The presets build in unity mode (CMAKE_UNITY_BUILD: batches of 8 source files, each batch
# compiled once): a from-scratch build takes about half the time; configure with -DCMAKE_UNITY_BUILD=OFF to
# edit and rebuild single files quickly.
# Usage: scripts/test.sh [all|dev|tsan|asan|fuzz]   (all = dev, tsan, fuzz; the CI workflow runs them as jobs)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}
case "$mode" in
  all) presets=(dev tsan fuzz) ;;
  dev | tsan | asan | fuzz) presets=("$mode") ;;
  *) echo "usage: scripts/test.sh [all|dev|tsan|asan|fuzz]" >&2; exit 2 ;;
esac
jobs=$(nproc)

# Where the time goes: each phase's wall time, listed again at the end.
timings=()
phase() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  timings+=("$(printf '%5d s  %s' $((SECONDS - start)) "$name")")
}
trap 'printf "%s\n" "time per phase:" "${timings[@]}"' EXIT

phase setup scripts/setup.sh
test_data() {  # once: models (converted by this build) and node helpers
  cmake --build "build/$1" -j "$jobs" --target doorbell-convert-model
  scripts/models.sh models "build/$1/doorbell-convert-model"
  for dir in tests/reference tests/otlp tests/deployment tests/web; do
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  done
}
for preset in "${presets[@]}"; do
  cmake --preset "$preset"
  phase "$preset build" cmake --build --preset "$preset" -j "$jobs"
  if [ "$preset" = "${presets[0]}" ]; then
    phase "test data" test_data "$preset"
  fi
  # Tests write only into temporary directories and build/: anything newer in the checkout is a test
  # that left files behind (a relative data directory once committed a database and snapshots).
  stamp="build/$preset/.tests-started"
  touch "$stamp"
  phase "$preset tests" ctest --preset "$preset" -j "$jobs"
  written=$(find . \( -path ./build -o -path ./.git \) -prune -o -newer "$stamp" ! -type d -print)
  if [ -n "$written" ]; then
    echo "tests wrote into the checkout outside build/:" >&2
    echo "$written" >&2
    exit 1
  fi
done
