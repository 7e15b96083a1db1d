#!/usr/bin/env bash
# README command 1: install dependencies, build, and start taskcore-server on
# 127.0.0.1:8000 with the embedded defaults (./data/taskcore.db, ./data/media).
# Extra arguments go to the server (see build/release/server/taskcore-server --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
mkdir -p data/media
exec build/release/server/taskcore-server --host 127.0.0.1 --port 8000 \
  --db ./data/taskcore.db --media-dir ./data/media "$@"
