#!/usr/bin/env bash
# Builds the fuzz preset (clang, ASan + UBSan, coverage in the whole library) and runs every libFuzzer
# target for SECONDS (default 300) over its seed corpus in fuzz/corpus, reporting executions and findings
# per target. A finding stops with its input saved as build/fuzz/fuzz-crash-<target>-*: fix it, then add
# the input to fuzz/corpus/<target>/ as a regression seed. Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config request image otlp notification)

scripts/setup.sh
[ -s models/dlib_face_recognition_resnet_model_v1.dat ] || { echo "run scripts/models.sh first (the image target uses the models)"; exit 1; }
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
cd build/fuzz
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 OPENBLAS_NUM_THREADS=1
export ASAN_OPTIONS=max_free_fill_size=4096:free_fill_byte=165  # freed memory reads as garbage, also to OpenSSL
for t in "${targets[@]}"; do
  ../../fuzz/run.sh "fuzz/${t}_fuzzer" "../../fuzz/corpus/$t" "$seconds"
done
