#!/usr/bin/env bash
# `taskcore-server backup` / `restore` end to end with the real binary: a
# database with users, tasks and media is backed up while a server serves
# it, restored into an empty place and compared table by table and file by
# file; every refusal exits 1; a PostgreSQL --db prints no password.
#   backup_restore_test.sh <taskcore-server binary>
set -euo pipefail
server="$1"
tmp="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
src=(--db "$tmp/src/taskcore.db" --media-dir "$tmp/src/media")
dst=(--db "$tmp/dst/taskcore.db" --media-dir "$tmp/dst/media")

"$server" "${src[@]}" create-admin --username root --email root@example.com \
  --password "a long admin password" >/dev/null
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$server" "${src[@]}" --port "$port" --stats-interval 0 >"$tmp/server.log" 2>&1 &
pid=$!
/usr/bin/python3 - "$port" "$tmp" <<'PY'
import json, sys, time, urllib.request, zlib, struct
port, tmp = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
def call(method, path, body=None, token=None, raw=None, ctype="application/json"):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None: req.add_header("Content-Type", ctype)
    if token: req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"null")
for _ in range(100):
    try:
        call("GET", "/api/health/"); break
    except Exception: time.sleep(0.1)
token = call("POST", "/api/auth/login/", {"username": "root", "password": "a long admin password"})["access"]
for i in range(30):
    call("POST", "/api/tasks/", {"title": f"task {i}", "priority": "high"}, token)
def png(w, h):
    def chunk(k, d): return struct.pack(">I", len(d)) + k + d + struct.pack(">I", zlib.crc32(k + d))
    rows = b"".join(b"\x00" + b"\x80\x40\x20" * w for _ in range(h))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
for i in range(3):
    boundary = "XyZ"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p{i}.png\"\r\n"
            "Content-Type: image/png\r\n\r\n").encode() + png(20 + i, 10) + f"\r\n--{boundary}--\r\n".encode()
    call("POST", "/api/blog/media/upload/", token=token, raw=body,
         ctype=f"multipart/form-data; boundary={boundary}")
PY

# Backed up while the server is still serving.
"$server" "${src[@]}" backup --to "$tmp/backup" >"$tmp/backup.out" 2>"$tmp/backup.err"
kill "$pid"; wait "$pid" || true; pid=""
[ "$(stat -c %a "$tmp/backup")" = 700 ]
[ "$(stat -c %a "$tmp/backup/taskcore.db")" = 600 ]
[ -f "$tmp/backup/manifest.json" ]

if "$server" "${src[@]}" backup --to "$tmp/backup" 2>"$tmp/again.err"; then
  echo "a backup into a non-empty directory should fail"; exit 1
fi
grep -q "not empty" "$tmp/again.err"

"$server" "${dst[@]}" restore --from "$tmp/backup" >/dev/null
if "$server" "${dst[@]}" restore --from "$tmp/backup" 2>/dev/null; then
  echo "a restore over existing data should fail"; exit 1
fi

# Every table's rows and every media file match.
/usr/bin/python3 - "$tmp" <<'PY'
import sqlite3, sys, pathlib
tmp = pathlib.Path(sys.argv[1])
a = sqlite3.connect(tmp / "src/taskcore.db"); b = sqlite3.connect(tmp / "dst/taskcore.db")
tables = [r[0] for r in a.execute(
    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
    "AND name NOT LIKE '%fts%' AND name NOT LIKE 'system_%' AND name <> 'realtime_outbox'")]
assert {"users", "tasks", "media", "audit_log"} <= set(tables), tables
for t in tables:
    ra = sorted(map(repr, a.execute(f"SELECT * FROM {t}")))
    rb = sorted(map(repr, b.execute(f"SELECT * FROM {t}")))
    assert ra == rb, t
assert a.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == 30
names = [n for row in b.execute("SELECT filename, thumbnail_filename FROM media") for n in row if n]
assert len(names) == 6, names
for n in names:
    assert (tmp / "dst/media" / n).read_bytes() == (tmp / "src/media" / n).read_bytes(), n
print("tables compared:", len(tables), "media files:", len(names))
PY

# A tampered backup is refused and restores nothing.
cp -r "$tmp/backup" "$tmp/tampered"
printf 'x' >> "$tmp/tampered/taskcore.db"
if "$server" --db "$tmp/t/taskcore.db" --media-dir "$tmp/t/media" restore --from "$tmp/tampered" 2>/dev/null; then
  echo "a tampered backup should be refused"; exit 1
fi
[ ! -s "$tmp/t/taskcore.db" ]

# PostgreSQL: media only, and the guidance never shows the password.
mkdir -p "$tmp/pgmedia"
"$server" --db "postgresql://bob:s3cret-pw@127.0.0.1:1/tc" --media-dir "$tmp/pgmedia" \
  backup --to "$tmp/pgbackup" >"$tmp/pg.out" 2>&1 || true
grep -q "pg_dump" "$tmp/pg.out"
if grep -q "s3cret-pw" "$tmp/pg.out"; then echo "password printed"; exit 1; fi
echo "backup and restore: ok"
