#!/usr/bin/env bash
# Runs the benchmark suite against a real taskcore-server on loopback:
# seeds a database through the core, starts the server, then drives it with
# wrk (list, filtered list, search, detail, create) and the bulk client
# (1000 and 10000 ids), reporting req/s, p50, p99 and the server's RSS;
# then the hostile-load scenario (idle, busy and slow-header sockets while
# wrk measures the list route and a new client's /api/health/ is timed) and
# the memory probes (a body streamed in refused transfer codings, a
# wrong-password login flood).
#
#   bench/run.sh            full run (100k tasks, 10 s per scenario)
#   bench/run.sh --smoke    seconds-long run so the benches never rot (CI)
#
# Environment: TASKS, DURATION, CONNECTIONS, THREADS, BUILD_DIR override the
# defaults; BENCH_DB (a PostgreSQL URI of an empty database) runs it all on
# PostgreSQL instead of a SQLite file (bench/postgres.sh does). Only
# 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
[ "${1:-}" = "--smoke" ] && smoke=1
if [ "$smoke" -eq 1 ]; then
  TASKS="${TASKS:-2000}"; DURATION="${DURATION:-1s}"; CONNECTIONS="${CONNECTIONS:-4}"
  BULK_RUNS=2; BULK_BIG=2000
  HOSTILE=(--duration 2 --idle 30 --busy 8 --slow 3 --ramp 1); PROBES=(--mib 8 --logins 8)
else
  TASKS="${TASKS:-100000}"; DURATION="${DURATION:-10s}"; CONNECTIONS="${CONNECTIONS:-32}"
  BULK_RUNS=30; BULK_BIG=10000
  HOSTILE=(--duration 10); PROBES=(--mib 200 --logins 64)
fi
THREADS="${THREADS:-64}"
BUILD_DIR="${BUILD_DIR:-build/release}"
SERVER="$BUILD_DIR/server/taskcore-server"
SEED="$BUILD_DIR/bench/taskcore_seed"
QUERY="$BUILD_DIR/bench/taskcore_bench_query"
[ -x "$SERVER" ] && [ -x "$SEED" ] || { echo "build first: scripts/build.sh release" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

db="${BENCH_DB:-$work/bench.db}"
echo "== seed $TASKS tasks"
"$SEED" --db "$db" --tasks "$TASKS"
# PostgreSQL's autovacuum analyzes a grown table in time; a benchmark
# seeded seconds ago cannot wait for it.
[ -n "${BENCH_DB:-}" ] && psql -q "$BENCH_DB" -c "VACUUM ANALYZE"

echo "== core query times (no HTTP)"
"$QUERY" --db "$db" --runs "$([ "$smoke" -eq 1 ] && echo 5 || echo 200)"
if [ "$smoke" -eq 1 ]; then
  # The query matrix (bench/matrix.sh runs it at full size), seconds-long.
  "$BUILD_DIR/bench/taskcore_bench_matrix" --db "$db" --runs 3 | tail -n 1
fi

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$SERVER" --host 127.0.0.1 --port "$port" --db "$db" --media-dir "$work/media" \
  --threads "$THREADS" >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do
  curl -fs "$base/api/health/" >/dev/null 2>&1 && break
  sleep 0.1
done

TOKEN=$(curl -fs -X POST "$base/api/auth/login/" -H 'Content-Type: application/json' \
  -d '{"username":"bench_admin","password":"bench-password"}' |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')
export TOKEN TASK_MAX_ID="$TASKS"

rss_mib() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status"; }
peak_mib() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status"; }

results="$work/results.md"
echo "| scenario | req/s | p50 | p99 | server RSS after (MiB) |" >"$results"
echo "|---|---|---|---|---|" >>"$results"

run_wrk() {
  local name="$1"; shift
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" || true)
  [ -n "$errors" ] && echo "   $name: $errors" >&2
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "$(rss_mib)" >>"$results"
  echo "   $name: $rps req/s, p50 $p50, p99 $p99"
}

auth=(-H "Authorization: Bearer $TOKEN")
echo "== wrk -t2 -c$CONNECTIONS -d$DURATION"
run_wrk "list page_size=20" "${auth[@]}" "$base/api/tasks/?page_size=20"
run_wrk "filtered (2 categories + priority + due range + ordering)" "${auth[@]}" \
  "$base/api/tasks/?category=web,design&priority=high&due_date_start=2025-06-01&due_date_end=2026-06-01&ordering=-due_date"
run_wrk "search (one word, ~2% of tasks)" "${auth[@]}" "$base/api/tasks/?search=invoice"
run_wrk "detail" -s bench/wrk/detail.lua "$base"
run_wrk "create" -s bench/wrk/create.lua "$base"

echo "== bulk update"
for pattern in random contiguous; do
for size in 1000 "$BULK_BIG"; do
  [ "$size" -gt "$TASKS" ] && size="$TASKS"
  line=$(/usr/bin/python3 bench/bulk_client.py --port "$port" --token "$TOKEN" \
    --max-id "$TASKS" --size "$size" --runs "$BULK_RUNS" --pattern "$pattern")
  echo "   $line"
  echo "| bulk-update $size $pattern ids | - | $(sed 's/.*p50_ms=\([0-9.]*\).*/\1 ms/' <<<"$line") | $(sed 's/.*p99_ms=\([0-9.]*\).*/\1 ms/' <<<"$line") | $(rss_mib) |" >>"$results"
done
done

echo "== results (server peak RSS $(peak_mib) MiB)"
cat "$results"

echo "== hostile load: idle, busy and slow-header sockets while wrk measures the list"
/usr/bin/python3 bench/hostile_load.py --port "$port" --token "$TOKEN" --pid "$server_pid" \
  --connections "$CONNECTIONS" "${HOSTILE[@]}"
echo "== memory probes: refused transfer codings, login flood"
/usr/bin/python3 bench/probes.py --port "$port" --pid "$server_pid" "${PROBES[@]}"
