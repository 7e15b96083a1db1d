#!/usr/bin/env bash
# PostgreSQL figures for bench/RESULTS.md, beside a throwaway cluster
# (scripts/with-postgres.sh; TASKCORE_TEST_PG_URI when already set):
#   1. bench/run.sh on a fresh PostgreSQL database: the core query matrix,
#      the HTTP scenarios, bulk updates;
#   2. the query matrix (taskcore_bench_matrix) on the uniform spread,
#      100k tasks (the SQLite figures: bench/matrix.sh);
#   3. create throughput with one server and with two servers on one
#      database (wrk against each, at once).
#
#   bench/postgres.sh            full run
#   bench/postgres.sh --smoke    seconds-long run
#
# Environment: as bench/run.sh (TASKS, DURATION, CONNECTIONS, THREADS,
# BUILD_DIR). The cluster runs with fsync off (a throwaway one): figures
# measure the server and the queries, not the disk. Only 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TASKCORE_TEST_PG_URI:-}" ]; then
  exec scripts/with-postgres.sh "$0" "$@"
fi
smoke=0
[ "${1:-}" = "--smoke" ] && smoke=1
BUILD_DIR="${BUILD_DIR:-build/release}"
SERVER="$BUILD_DIR/server/taskcore-server"
SEED="$BUILD_DIR/bench/taskcore_seed"
DURATION="${DURATION:-$([ "$smoke" -eq 1 ] && echo 1s || echo 10s)}"
CONNECTIONS="${CONNECTIONS:-$([ "$smoke" -eq 1 ] && echo 4 || echo 32)}"
THREADS="${THREADS:-64}"

base_uri="${TASKCORE_TEST_PG_URI%/*}"
fresh_db() {
  psql -q "$TASKCORE_TEST_PG_URI" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
  echo "$base_uri/$1"
}

echo "==== 1. bench/run.sh on PostgreSQL"
BENCH_DB="$(fresh_db taskcore_bench)" DURATION="$DURATION" CONNECTIONS="$CONNECTIONS" \
  bench/run.sh $([ "$smoke" -eq 1 ] && echo --smoke)

echo "==== 2. the query matrix on PostgreSQL, uniform spread"
matrix_tasks=$([ "$smoke" -eq 1 ] && echo 2000 || echo 100000)
matrix_db="$(fresh_db taskcore_matrix)"
"$SEED" --db "$matrix_db" --tasks "$matrix_tasks" --spread uniform
psql -q "$matrix_db" -c "VACUUM ANALYZE"
"$BUILD_DIR/bench/taskcore_bench_matrix" --db "$matrix_db" --runs "$([ "$smoke" -eq 1 ] && echo 3 || echo 30)"

echo "==== 3. create throughput: one server, two servers on one database"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
db="$(fresh_db taskcore_bench_create)"
"$SEED" --db "$db" --tasks 1000 >/dev/null

start_server() {
  local port
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$SERVER" --host 127.0.0.1 --port "$port" --db "$db" --media-dir "$work/media" \
    --threads "$THREADS" --no-rate-limits >"$work/server-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/api/health/" >/dev/null 2>&1 && break
    sleep 0.1
  done
  echo "$port"
}
rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }

port_a=$(start_server)
TOKEN=$(curl -fs -X POST "http://127.0.0.1:$port_a/api/auth/login/" -H 'Content-Type: application/json' \
  -d '{"username":"bench_admin","password":"bench-password"}' |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')
export TOKEN

wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/wrk/create.lua "http://127.0.0.1:$port_a" >"$work/one.txt"
one=$(rps "$work/one.txt")
echo "   one server: $one creates/s (p50 $(awk '$1=="50%" {print $2}' "$work/one.txt"))"

port_b=$(start_server)
half=$((CONNECTIONS / 2))
wrk -t1 -c"$half" -d"$DURATION" --latency -s bench/wrk/create.lua "http://127.0.0.1:$port_a" >"$work/a.txt" &
wrk_a=$!
wrk -t1 -c"$half" -d"$DURATION" --latency -s bench/wrk/create.lua "http://127.0.0.1:$port_b" >"$work/b.txt"
wait "$wrk_a"
a=$(rps "$work/a.txt"); b=$(rps "$work/b.txt")
total=$(/usr/bin/python3 -c "print(round($a + $b, 2))")
echo "   two servers: $total creates/s ($a + $b; p50 $(awk '$1=="50%" {print $2}' "$work/a.txt") / $(awk '$1=="50%" {print $2}' "$work/b.txt"))"
count=$(psql -Atq "$db" -c "SELECT count(*) FROM tasks")
events=$(psql -Atq "$db" -c "SELECT COALESCE(max(last_seq), 0) FROM outbox")
gaps=$(psql -Atq "$db" -c "SELECT count(*) FROM (SELECT first_seq, lag(last_seq) OVER (ORDER BY first_seq) AS prev FROM outbox) s WHERE prev IS NOT NULL AND first_seq <> prev + 1")
echo "   tasks stored: $count, last event number: $events, gaps in numbering: $gaps"
