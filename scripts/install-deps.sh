#!/usr/bin/env bash
# Installs every build, run and test dependency from Debian 12's archive.
# Idempotent: packages already present are left alone.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libsqlite3-dev sqlite3 nlohmann-json3-dev libcpp-httplib-dev libfmt-dev
  doctest-dev pybind11-dev python3-dev python3-pybind11 python3-pytest
  libsodium-dev zlib1g-dev libcli11-dev libpq-dev libroaring-dev
  libvips-dev postgresql-15 util-linux
  wrk curl ca-certificates
  clang libclang-rt-14-dev
  python3-socketio python3-requests python3-jsonschema
  mypy python3-build python3-wheel python3-setuptools
)
# Node.js with npm runs the official Socket.IO JS client in the tests. Some
# machines have a Node.js that bundles npm, with which Debian's npm package
# conflicts: only a machine without npm gets Debian's nodejs and npm.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The JS client at the versions of the committed lock file.
client_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/realtime_clients"
if [ ! -d "$client_dir/node_modules/socket.io-client" ] ||
   [ "$client_dir/package-lock.json" -nt "$client_dir/node_modules/.package-lock.json" ]; then
  echo "installing the Socket.IO JS client (npm ci)"
  (cd "$client_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
