#!/usr/bin/env bash
# Media figures over HTTP on a fresh SQLite server: peak RSS during
# concurrent uploads (bench/media_upload.py), JPEG upload throughput
# (wrk, bench/wrk/upload.lua) and Range serving throughput
# (wrk, bench/wrk/range.lua).
#   bench/media.sh [clients] [parts] [part_mib]
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-10}" parts="${2:-10}" part_mib="${3:-10}"
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
build/release/server/taskcore-server --host 127.0.0.1 --port "$port" --db "$work/bench.db" \
  --media-dir "$work/media" --no-rate-limits >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/api/health/" >/dev/null && break; sleep 0.1; done
curl -fs -X POST "http://127.0.0.1:$port/api/auth/register/" -H 'Content-Type: application/json' \
  -d '{"username":"bench","email":"bench@example.com","password":"bench-password-1"}' >/dev/null
token="$(curl -fs -X POST "http://127.0.0.1:$port/api/auth/login/" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench-password-1"}' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')"
/usr/bin/python3 bench/media_upload.py --port "$port" --token "$token" --pid "$pid" \
  --clients "$clients" --parts "$parts" --part-mib "$part_mib"
# Uploads of one ~1 MiB JPEG (the core bench writes it).
build/release/bench/taskcore_bench_media --dir "$work/jpeg" --files 1 --width 1400 --height 1000 >/dev/null
echo "== uploads of a $(du -k "$work/jpeg/source.jpg" | cut -f1) KiB JPEG, 2 threads, 4 connections, 10 s"
TOKEN="$token" MEDIA_FILE="$work/jpeg/source.jpg" \
  wrk -t2 -c4 -d10s -s bench/wrk/upload.lua "http://127.0.0.1:$port" | grep -E 'Requests/sec|Latency|Non-2xx'
# One 10 MiB PDF to serve.
/usr/bin/python3 - "$work/doc.pdf" <<'PY'
import sys
open(sys.argv[1], "wb").write(b"%PDF-1.4\n" + b" " * (10485760 - 9))
PY
url="$(curl -fs -X POST "http://127.0.0.1:$port/api/blog/media/upload/" -H "Authorization: Bearer $token" \
  -F "file=@$work/doc.pdf" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["url"])')"
path="/${url#http://*/}"
for span in 65536 1048576; do
  echo "== Range GETs of $span bytes, 2 threads, 16 connections, 10 s"
  MEDIA_PATH="$path" MEDIA_SIZE=10485760 RANGE_BYTES="$span" \
    wrk -t2 -c16 -d10s -s bench/wrk/range.lua "http://127.0.0.1:$port" | grep -E 'Requests/sec|Transfer/sec|Latency|Non-2xx'
done
