#!/usr/bin/env bash
# Sets up the machine, builds doorbelld (release) and starts it on the built-in demo configuration:
# no camera or button needed; the web app on http://127.0.0.1:8080 with the login "demo", password
# "doorbell-demo", and the API with the admin token "demo" (or $DOORBELL_HTTP_API_TOKEN). Stop it with
# Ctrl-C. Usage: scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset release
cmake --build --preset release -j "$(nproc)" --target doorbelld doorbell-convert-model
scripts/models.sh models build/release/doorbell-convert-model
daemon=(build/release/doorbelld --config config/demo.json)
"${daemon[@]}" user list | grep -q '^demo\b' || echo doorbell-demo | "${daemon[@]}" user add demo --role admin
DOORBELL_HTTP_API_TOKEN=${DOORBELL_HTTP_API_TOKEN:-demo} exec "${daemon[@]}"
