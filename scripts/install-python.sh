#!/usr/bin/env bash
# Builds the taskcore Python package and installs it for Debian's
# /usr/bin/python3 (into PREFIX/lib/python3.X/dist-packages, default
# PREFIX=/usr/local, which that interpreter searches):
#   scripts/install-python.sh [--prefix DIR]
# Then: /usr/bin/python3 -c "import taskcore"
# BUILD_DIR=build/release reuses a configured build tree (CI does) instead of
# a Release build of its own in build/python-install.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=/usr/local
if [ "${1:-}" = "--prefix" ]; then
  prefix="$2"
fi

scripts/install-deps.sh
build="${BUILD_DIR:-}"
if [ -z "$build" ]; then
  build=build/python-install
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPython_EXECUTABLE=/usr/bin/python3 \
  -DTASKCORE_BUILD_PYTHON=ON -DTASKCORE_BUILD_SERVER=OFF -DTASKCORE_BUILD_TESTS=OFF \
  -DTASKCORE_BUILD_EXAMPLES=OFF -DTASKCORE_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$build" --target taskcore_python -j "$(nproc)"

SUDO=""
if [ ! -w "$prefix" ] && [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO cmake --install "$build" --component python --prefix "$prefix"
echo "installed taskcore for /usr/bin/python3 under $prefix"
