#!/usr/bin/env bash
# Builds the Debian package from a release build: build/release/doorbelld_<version>_<arch>.deb.
# Install it with `sudo apt install ./build/release/doorbelld_*.deb`. Usage: scripts/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release
cmake --build --preset release -j "$(nproc)"
(cd build/release && cpack)
ls build/release/doorbelld_*.deb
