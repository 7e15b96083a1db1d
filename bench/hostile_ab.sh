#!/usr/bin/env bash
# The hostile-load scenario and the memory probes against two
# taskcore-server binaries on copies of one seeded database, on loopback:
# bench/hostile_load.py three times, then bench/probes.py, per server.
# Prints every run's figures; RESULTS.md quotes their medians. (Throughput
# without hostile load: bench/ab.sh.)
#
#   bench/hostile_ab.sh OLD_SERVER NEW_SERVER
#
# Environment: TASKS (100000), RUNS (3), BUILD_DIR (build/release, for the
# seeding tool). Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,11p "$0"; exit 2; }
servers=("$1" "$2")
TASKS="${TASKS:-100000}"; RUNS="${RUNS:-3}"
BUILD_DIR="${BUILD_DIR:-build/release}"

work="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "== seed $TASKS tasks"
"$BUILD_DIR/bench/taskcore_seed" --db "$work/seed.db" --tasks "$TASKS" >/dev/null
names=(A B)
for i in 0 1; do
  cp "$work/seed.db" "$work/$i.db" && chmod 600 "$work/$i.db"
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "${servers[$i]}" --host 127.0.0.1 --port "$port" --db "$work/$i.db" --media-dir "$work/media$i" \
    --threads 64 >"$work/server$i.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/api/health/" >/dev/null 2>&1 && break; sleep 0.1; done
  token=$(curl -fs -X POST "http://127.0.0.1:$port/api/auth/login/" -H 'Content-Type: application/json' \
    -d '{"username":"bench_admin","password":"bench-password"}' |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')
  echo "== hostile load, ${names[$i]} = ${servers[$i]}"
  for _ in $(seq "$RUNS"); do
    timeout 120 /usr/bin/python3 bench/hostile_load.py --port "$port" --token "$token" \
      --pid "$pid" --duration 10 || echo "(failed)"
  done
  echo "== memory probes, ${names[$i]}"
  timeout 400 /usr/bin/python3 bench/probes.py --port "$port" --pid "$pid" --mib 200 --logins 64 ||
    echo "(failed)"
  echo "server peak RSS (VmHWM): $(awk '/^VmHWM/ {printf "%.1f MiB", $2 / 1024}' "/proc/$pid/status")"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
