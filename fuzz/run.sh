#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS over a copy of its seed corpus (new inputs go to a temporary
# folder, removed afterwards; the repository is not changed) and reports executions and findings. A
# crash, leak or timeout fails with its input saved as fuzz-crash-<target>-<sha1> in the working folder,
# to be added to the seed corpus as a regression input once fixed.
# Usage: run.sh FUZZER SEED_CORPUS SECONDS
set -euo pipefail
fuzzer=$1
seeds=$2
seconds=$3
name=$(basename "$fuzzer" _fuzzer)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
export TMPDIR="$work"  # what a target keeps in temporary folders goes too, even after a crash
set +e
"$fuzzer" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -max_len=65536 -print_final_stats=1 \
  -artifact_prefix="$PWD/fuzz-crash-$name-" "$work/corpus" "$seeds" >"$work/log" 2>&1
status=$?
set -e
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || echo 0)
if [ "$status" -ne 0 ]; then
  tail -n 60 "$work/log"
  echo "FAIL: $name after $runs executions (exit $status); the input is in $PWD/fuzz-crash-$name-*"
  exit 1
fi
echo "$name: $runs executions in $seconds s, $(ls "$work/corpus" | wc -l) new corpus inputs, no findings"
