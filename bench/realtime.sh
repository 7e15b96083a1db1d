#!/usr/bin/env bash
# Realtime capacity: N polling clients (the official socket.io-client, or
# the JSON long-poll) on a server seeded with tasks, tasks created through
# REST at a fixed rate, while wrk measures the list route. Reports delivery
# latency p50 / p99, delivered events/s, the list route's req/s and the
# server's peak RSS.
#   bench/realtime.sh [clients] [rate/s] [seconds] [socketio|json] [servers]
# servers=2 runs two servers on one PostgreSQL database (inside
# scripts/with-postgres.sh); clients are spread over both, tasks are created
# through the first, wrk measures the first.
# WRK=0 leaves the list route alone (delivery figures on their own).
# Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-1000}" rate="${2:-20}" seconds="${3:-10}" mode="${4:-socketio}" servers="${5:-1}"
BUILD_DIR="${BUILD_DIR:-build/release}"
server="$BUILD_DIR/server/taskcore-server"
[ -x "$server" ] || { echo "build first: scripts/build.sh release" >&2; exit 2; }
[ -d tests/realtime_clients/node_modules/socket.io-client ] ||
  { echo "npm ci first: scripts/install-deps.sh" >&2; exit 2; }
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$servers" -gt 1 ]; then
  [ -n "${TASKCORE_TEST_PG_URI:-}" ] || { echo "two servers need scripts/with-postgres.sh" >&2; exit 2; }
  psql "$TASKCORE_TEST_PG_URI" -q -c "CREATE DATABASE rt_bench" >/dev/null
  db="${TASKCORE_TEST_PG_URI%/*}/rt_bench"
else
  db="$work/bench.db"
fi
"$BUILD_DIR/bench/taskcore_seed" --db "$db" --tasks "${TASKS:-10000}" >/dev/null
"$server" create-admin --db "$db" --username rtbench --email rtbench@example.com \
  --password rt-bench-password >/dev/null

bases=()
for i in $(seq 1 "$servers"); do
  port=$((20000 + RANDOM % 20000))
  "$server" --host 127.0.0.1 --port "$port" --db "$db" --media-dir "$work/media$i" \
    --no-rate-limits --max-connections-per-ip 0 >"$work/server$i.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/api/health/" >/dev/null && break; sleep 0.1; done
  bases+=("http://127.0.0.1:$port")
done
server_pid="${pids[0]}"
token="$(curl -fs -X POST "${bases[0]}/api/auth/login/" -H 'Content-Type: application/json' \
  -d '{"username":"rtbench","password":"rt-bench-password"}' |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')"

# Peak RSS of the (first) server over the run.
( peak=0
  while kill -0 "$server_pid" 2>/dev/null; do
    rss="$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)"
    [ "${rss:-0}" -gt "$peak" ] && peak="$rss" && echo "$peak" >"$work/peak_rss"
    sleep 0.2
  done ) &
sampler=$!

IFS=,; joined="${bases[*]}"; unset IFS
# One Node process cannot drive 1000 pollers: split them over PROCS drivers
# (the first also publishes), started together once all are connected.
procs="${PROCS:-2}"
drivers=()
for i in $(seq 1 "$procs"); do
  node bench/realtime_clients.js --bases "$joined" --token "$token" \
    --clients "$(( clients / procs ))" --rate "$rate" --seconds "$seconds" --mode "$mode" \
    --publish "$([ "$i" = 1 ] && echo 1 || echo 0)" --out "$work/lat$i.json" \
    --ready "$work/ready$i" --start "$work/start" >"$work/clients$i.json" &
  drivers+=($!)
done
for i in $(seq 1 "$procs"); do
  while [ ! -e "$work/ready$i" ]; do sleep 0.1; done
done
touch "$work/start"
# wrk starts once the clients are connected and the publisher runs: the
# driver connects for a while first, so wait for its publishing phase.
sleep 1
[ "${WRK:-1}" = 0 ] && : >"$work/wrk.txt" || TOKEN="$token" wrk -t2 -c16 -d"$(( seconds > 4 ? seconds - 2 : 2 ))"s -s bench/wrk/list.lua \
  "${bases[0]}" >"$work/wrk.txt" 2>&1 || true
for d in "${drivers[@]}"; do wait "$d"; done
kill "$sampler" 2>/dev/null || true
rest="$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")"
peak_kib="$(cat "$work/peak_rss" 2>/dev/null || echo 0)"
/usr/bin/python3 - "$work" "$rest" "$peak_kib" "$servers" "$mode" "$clients" "$rate" "$seconds" <<'PY'
import glob, json, sys
runs = [json.load(open(f)) for f in sorted(glob.glob(sys.argv[1] + "/lat*.json"))]
lat = sorted(x for r in runs for x in r["latencies"])
q = lambda p: round(lat[min(len(lat) - 1, int(p * len(lat)))], 1) if lat else None
connected = sum(r["connected"] for r in runs)
result = {"mode": sys.argv[5], "clients": int(sys.argv[6]), "connected": connected,
          "rate": float(sys.argv[7]),
          "events_expected": int(float(sys.argv[7]) * float(sys.argv[8])) * connected,
          "events_received": len(lat), "p50_ms": q(0.5), "p99_ms": q(0.99),
          "max_ms": round(lat[-1], 1) if lat else None,
          "events_per_s": round(len(lat) / max(r["elapsed"] for r in runs))}
result["rest_list_req_s"] = float(sys.argv[2] or 0)
result["server_peak_rss_mib"] = round(int(sys.argv[3]) / 1024, 1)
result["servers"] = int(sys.argv[4])
print(json.dumps(result))
PY
