#!/usr/bin/env bash
# Starts taskcore-server on 127.0.0.1 (a temp SQLite file, or a fresh
# database of the test cluster of scripts/with-postgres.sh) and runs an
# official Socket.IO client's end-to-end test against it.
#   tests/realtime_clients/run.sh SERVER_BINARY js|python|two-servers [sqlite|postgres]
# two-servers: two servers on one PostgreSQL database; a change made
# through one reaches a client polling the other.
# Exit 77 (skipped) when the client or the PostgreSQL cluster is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
server="$1"
client="$2"
backend="${3:-sqlite}"
[ "$client" = "two-servers" ] && backend=postgres

case "$client" in
  js|two-servers) [ -d "$here/node_modules/socket.io-client" ] || { echo "skip: npm ci not run in $here"; exit 77; } ;;
  python) /usr/bin/python3 -c 'import socketio' 2>/dev/null || { echo "skip: python3-socketio missing"; exit 77; } ;;
  *) echo "usage: $0 SERVER js|python|two-servers [sqlite|postgres]" >&2; exit 2 ;;
esac

work="$(mktemp -d /tmp/taskcore-rt.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$backend" = "postgres" ]; then
  [ -n "${TASKCORE_TEST_PG_URI:-}" ] || { echo "skip: no test cluster (scripts/with-postgres.sh)"; exit 77; }
  dbname="rt_$(basename "$work" | tr -dc 'a-zA-Z0-9' | tr 'A-Z' 'a-z')_$$"
  psql "$TASKCORE_TEST_PG_URI" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $dbname" >/dev/null
  db="${TASKCORE_TEST_PG_URI%/*}/$dbname"
else
  db="$work/taskcore.db"
fi

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
password="admin-password-$$"
# Short pings so that a vanished client is noticed within the test.
common_args=(--db "$db" --host 127.0.0.1 --no-rate-limits
             --socketio-ping-interval 1 --socketio-ping-timeout 1)
"$server" create-admin "${common_args[@]}" --username admin --email admin@example.com \
  --password "$password" >/dev/null

start_server() {  # start_server NAME -> prints the base URL
  local port
  port="$(free_port)"
  "$server" "${common_args[@]}" --port "$port" --media-dir "$work/media-$1" \
    >"$work/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:$port/api/health/" >/dev/null 2>&1; then
      echo "http://127.0.0.1:$port"
      return 0
    fi
    sleep 0.1
  done
  echo "server $1 did not start:" >&2
  cat "$work/$1.log" >&2
  return 1
}

status=0
case "$client" in
  js)
    base="$(start_server a)"
    node "$here/js_client_test.js" "$base" "$password" || status=$?
    ;;
  python)
    base="$(start_server a)"
    /usr/bin/python3 "$here/python_client_test.py" "$base" "$password" || status=$?
    ;;
  two-servers)
    base_a="$(start_server a)"
    base_b="$(start_server b)"
    node "$here/js_two_servers_test.js" "$base_a" "$base_b" "$password" || status=$?
    ;;
esac
if [ "$status" -ne 0 ]; then
  for log in "$work"/*.log; do echo "--- $log"; tail -n 30 "$log"; done
fi
exit "$status"
