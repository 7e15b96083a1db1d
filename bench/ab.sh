#!/usr/bin/env bash
# A/B comparison of two taskcore-server binaries on the same seeded data:
# both run the wrk scenarios of run.sh and the bulk client, alternating
# A B A B ... so that drift of this shared machine hits both alike, and the
# medians of the rounds are printed side by side with their ratio B/A.
#
#   bench/ab.sh OLD_SERVER NEW_SERVER [SEED_BINARY]
#
# The database is seeded once by SEED_BINARY (default: the seed next to
# OLD_SERVER's build, else build/release/bench/taskcore_seed) and copied for
# each server, so a newer server may migrate its copy. Environment: TASKS
# (100000), DURATION (5s), ROUNDS (3), CONNECTIONS (32), BULK_RUNS (20);
# HOSTILE=1 adds the hostile-load scenario (3 runs) and the memory probes
# per side; SCENARIOS="list detail" runs only those; A_ARGS / B_ARGS are
# extra server options for each side (the same binary twice compares two
# configurations). Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -ge 2 ] || { sed -n 2,14p "$0"; exit 2; }
A="$1"; B="$2"
SEED="${3:-build/release/bench/taskcore_seed}"
TASKS="${TASKS:-100000}"; DURATION="${DURATION:-5s}"; ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-32}"; BULK_RUNS="${BULK_RUNS:-20}"
for bin in "$A" "$B" "$SEED"; do [ -x "$bin" ] || { echo "not executable: $bin" >&2; exit 2; }; done

work="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "== seed $TASKS tasks"
"$SEED" --db "$work/seed.db" --tasks "$TASKS" >/dev/null
for side in a b; do cp "$work/seed.db" "$work/$side.db" && chmod 600 "$work/$side.db"; done

start_server() {  # binary db extra-args
  local port
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$1" --host 127.0.0.1 --port "$port" --db "$2" --media-dir "$work/media" \
    --threads 64 $3 >"$work/server.log" 2>&1 &
  pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -fs "$base/api/health/" >/dev/null 2>&1 && break; sleep 0.1; done
  PORT="$port"
  TOKEN=$(curl -fs -X POST "$base/api/auth/login/" -H 'Content-Type: application/json' \
    -d '{"username":"bench_admin","password":"bench-password"}' |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')
  export TOKEN TASK_MAX_ID="$TASKS"
}

stop_server() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

rps() {  # name args... -> prints req/s
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$@" | awk '/^Requests\/sec/ {print $2}'
}

read -r -a scenarios <<<"${SCENARIOS:-list filtered search detail create bulk1000c bulk1000r}"
wanted() { [[ " ${scenarios[*]} " == *" $1 "* ]]; }
run_round() {  # side
  local auth=(-H "Authorization: Bearer $TOKEN")
  wanted list && echo "$1 list $(rps "${auth[@]}" "$base/api/tasks/?page_size=20")"
  wanted filtered && echo "$1 filtered $(rps "${auth[@]}" "$base/api/tasks/?category=web,design&priority=high&due_date_start=2025-06-01&due_date_end=2026-06-01&ordering=-due_date")"
  wanted search && echo "$1 search $(rps "${auth[@]}" "$base/api/tasks/?search=invoice")"
  wanted detail && echo "$1 detail $(rps -s bench/wrk/detail.lua "$base")"
  wanted create && echo "$1 create $(rps -s bench/wrk/create.lua "$base")"
  for pattern in contiguous random; do
    wanted "bulk1000${pattern:0:1}" || continue
    local line
    line=$(/usr/bin/python3 bench/bulk_client.py --port "$PORT" --token "$TOKEN" \
      --max-id "$TASKS" --size 1000 --runs "$BULK_RUNS" --pattern "$pattern")
    echo "$1 bulk1000${pattern:0:1} $(sed 's/.*p50_ms=\([0-9.]*\).*/\1/' <<<"$line")"
  done
}

results="$work/results"
for round in $(seq "$ROUNDS"); do
  for side in a b; do
    bin="$A"; args="${A_ARGS:-}"
    [ "$side" = b ] && { bin="$B"; args="${B_ARGS:-}"; }
    start_server "$bin" "$work/$side.db" "$args"
    run_round "$side" | tee -a "$results"
    stop_server
  done
done

echo "== medians of $ROUNDS rounds (req/s; bulk: p50 ms, lower is better)"
/usr/bin/python3 - "$results" "${scenarios[@]}" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if len(line.split()) == 3]
print(f"{'scenario':<10} {'A':>10} {'B':>10} {'B/A':>7}")
for name in sys.argv[2:]:
    a = [float(v) for s, n, v in rows if s == "a" and n == name]
    b = [float(v) for s, n, v in rows if s == "b" and n == name]
    if a and b:
        ma, mb = statistics.median(a), statistics.median(b)
        print(f"{name:<10} {ma:>10.1f} {mb:>10.1f} {mb / ma:>7.3f}")
PY

# Idle, busy and slow-header sockets while wrk measures the list route, then
# refused transfer codings and a login flood with RSS sampled.
if [ "${HOSTILE:-0}" = 1 ]; then
  for side in a b; do
    bin="$A"; args="${A_ARGS:-}"
    [ "$side" = b ] && { bin="$B"; args="${B_ARGS:-}"; }
    start_server "$bin" "$work/$side.db" "$args"
    echo "== hostile load, $side = $bin"
    for _ in 1 2 3; do
      timeout 120 /usr/bin/python3 bench/hostile_load.py --port "$PORT" --token "$TOKEN" \
        --pid "$pid" --duration 10 || echo "(failed)"
    done
    echo "== memory probes, $side"
    timeout 400 /usr/bin/python3 bench/probes.py --port "$PORT" --pid "$pid" || echo "(failed)"
    echo "$side peak RSS (VmHWM): $(awk '/^VmHWM/ {printf "%.1f MiB", $2 / 1024}' "/proc/$pid/status")"
    stop_server
  done
fi
