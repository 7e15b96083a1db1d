#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster (Debian's
# postgresql-15 package): initdb into a temp dir, listen on 127.0.0.1 at a
# free port, export TASKCORE_TEST_PG_URI (a superuser URI of the cluster,
# database "postgres") and TASKCORE_TEST_PG_CTL (a script that stops or
# starts the cluster, for fault tests), run the command, then always stop
# the cluster and remove the dir.
#   scripts/with-postgres.sh CMD [ARGS...]
# The server refuses to run as root, so as root (CI) the cluster belongs to
# the unprivileged "postgres" user.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }

pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
[ -x "$pg_bin/initdb" ] || { echo "with-postgres: $pg_bin/initdb not found (apt-get install postgresql-15)" >&2; exit 1; }

dir="$(mktemp -d /tmp/taskcore-pg.XXXXXX)"
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  run_as=(runuser -u postgres --)
fi
chmod 700 "$dir"

cleanup() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

# A free port: bind port 0 and read back what the kernel chose.
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

"${run_as[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
  --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
# Tests throw data away: skip durability; allow many test databases and
# connections at once.
cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
log_min_messages = warning
EOF

cat >"$dir/ctl" <<EOF
#!/usr/bin/env bash
# stop | start | restart the test cluster (for fault tests)
set -e
case "\$1" in
  stop) ${run_as[*]} "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
  start) ${run_as[*]} "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null ;;
  restart) ${run_as[*]} "$pg_bin/pg_ctl" -D "$dir/data" -m fast -l "$dir/server.log" -w restart >/dev/null ;;
  *) echo "usage: \$0 stop|start|restart" >&2; exit 2 ;;
esac
EOF
chmod 755 "$dir/ctl"
chmod 711 "$dir"

"$dir/ctl" start || { cat "$dir/server.log" >&2; exit 1; }

export TASKCORE_TEST_PG_URI="postgresql://postgres@127.0.0.1:$port/postgres"
export TASKCORE_TEST_PG_CTL="$dir/ctl"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$port" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
