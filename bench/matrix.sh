#!/usr/bin/env bash
# The query matrix, in one command: seeds databases of each spread and size
# through the core (cached in $CACHE, reused when present), times the 36
# queries of taskcore_bench_matrix in the core at every size, then drives
# taskcore-server on the 100k uniform database with wrk (list, filtered,
# search, detail, create) and the bulk client, sampling the server's RSS.
# Writes the tables into bench/RESULTS.md between the matrix markers.
#
#   bench/matrix.sh                     sizes 10000 100000 1000000
#   SIZES="10000 100000" bench/matrix.sh
#
# Environment: SIZES, SPREADS (uniform skewed), RUNS (50), CACHE
# (/tmp/taskcore-matrix), DURATION (10s), BUILD_DIR. Only 127.0.0.1 is
# contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES:-10000 100000 1000000}"
SPREADS="${SPREADS:-uniform skewed}"
RUNS="${RUNS:-50}"
CACHE="${CACHE:-/tmp/taskcore-matrix}"
DURATION="${DURATION:-10s}"
BUILD_DIR="${BUILD_DIR:-build/release}"
BIN="$BUILD_DIR/bench"
mkdir -p "$CACHE"
out="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$out"
}
trap cleanup EXIT

for spread in $SPREADS; do
  for size in $SIZES; do
    db="$CACHE/$spread-$size.db"
    if [ ! -f "$db" ]; then
      echo "== seed $size $spread tasks"
      "$BIN/taskcore_seed" --db "$db" --tasks "$size" --spread "$spread"
    fi
    chmod 600 "$db"
    echo "== matrix $spread $size"
    "$BIN/taskcore_bench_matrix" --db "$db" --runs "$RUNS" --tsv "$out/$spread-$size.tsv" |
      tail -n 1
    "$BIN/taskcore_bench_matrix" --db "$db" --runs 3 --tsv /dev/null | head -n 1 \
      >"$out/$spread-$size.open"
  done
done

http="$out/http.md"
if [[ " $SIZES " == *" 100000 "* && " $SPREADS " == *" uniform "* ]]; then
  db="$CACHE/uniform-100000.db"
  cp "$db" "$out/http.db" && chmod 600 "$out/http.db"
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$BUILD_DIR/server/taskcore-server" --host 127.0.0.1 --port "$port" --db "$out/http.db" \
    --media-dir "$out/media" >"$out/server.log" 2>&1 &
  pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -fs "$base/api/health/" >/dev/null 2>&1 && break; sleep 0.1; done
  TOKEN=$(curl -fs -X POST "$base/api/auth/login/" -H 'Content-Type: application/json' \
    -d '{"username":"bench_admin","password":"bench-password"}' |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')
  export TOKEN TASK_MAX_ID=100000
  rss() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status"; }
  echo "| scenario | req/s | p99 | server RSS after (MiB) |" >"$http"
  echo "|---|---|---|---|" >>"$http"
  scenario() {
    local name="$1"; shift
    local result
    result=$(wrk -t2 -c32 -d"$DURATION" --latency "$@")
    printf '| %s | %s | %s | %s |\n' "$name" "$(awk '/^Requests\/sec/ {print $2}' <<<"$result")" \
      "$(awk '$1=="99%" {print $2}' <<<"$result")" "$(rss)" >>"$http"
    echo "   $name done"
  }
  auth=(-H "Authorization: Bearer $TOKEN")
  echo "== HTTP, wrk -t2 -c32 -d$DURATION, 100k uniform tasks"
  scenario "list page_size=20" "${auth[@]}" "$base/api/tasks/?page_size=20"
  scenario "filtered: 2 categories + priority + due year, -due_date" "${auth[@]}" \
    "$base/api/tasks/?category=web,design&priority=high&due_date_start=2025-06-01&due_date_end=2026-06-01&ordering=-due_date"
  scenario "filtered: status + project, ordering=title" "${auth[@]}" \
    "$base/api/tasks/?status=done&project=zeus&ordering=title"
  scenario "filtered: comma lists in 3 filters" "${auth[@]}" \
    "$base/api/tasks/?category=web,design&status=todo,review&priority=high,urgent"
  scenario "search: one common word" "${auth[@]}" "$base/api/tasks/?search=report"
  scenario "search + 2 filters" "${auth[@]}" \
    "$base/api/tasks/?search=cache&category=web,ops&priority=high&ordering=-due_date"
  scenario "detail" -s bench/wrk/detail.lua "$base"
  scenario "create" -s bench/wrk/create.lua "$base"
  for pattern in contiguous random; do
    line=$(/usr/bin/python3 bench/bulk_client.py --port "$port" --token "$TOKEN" \
      --max-id 100000 --size 1000 --runs 30 --pattern "$pattern")
    echo "| bulk update, 1000 $pattern ids | - | p50 $(sed 's/.*p50_ms=\([0-9.]*\).*/\1/' <<<"$line") ms, p99 $(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<<"$line") ms | $(rss) |" >>"$http"
  done
  echo "| peak server RSS (VmHWM) | | | $(awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status") |" >>"$http"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
fi

/usr/bin/python3 - "$out" "$SIZES" "$SPREADS" <<'PY'
import os, re, sys
out, sizes, spreads = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
lines = ["<!-- matrix:begin (bench/matrix.sh writes this section) -->", ""]
for spread in spreads:
    tables = {}
    for size in sizes:
        path = os.path.join(out, f"{spread}-{size}.tsv")
        if os.path.exists(path):
            tables[size] = [l.rstrip("\n").split("\t") for l in open(path)]
    if not tables:
        continue
    opens = []
    for size in sizes:
        p = os.path.join(out, f"{spread}-{size}.open")
        if os.path.exists(p):
            m = re.search(r"opened in (\d+) ms", open(p).read())
            if m: opens.append(f"{int(size):,}: {m.group(1)} ms")
    lines.append(f"### Core, {spread} spread (page + count, ms: p50 / p99)")
    lines.append("")
    if opens:
        lines.append("Store open (builds the in-memory index): " + ", ".join(opens) + ".")
        lines.append("")
    header = "| # | query | " + " | ".join(f"{int(s):,} tasks: matches, p50 / p99" for s in tables) + " |"
    lines.append(header)
    lines.append("|---|---|" + "---|" * len(tables))
    first = next(iter(tables.values()))
    for i, row in enumerate(first):
        cells = []
        for size, rows in tables.items():
            r = rows[i]
            cells.append(f"{r[2]}: {r[3]} / {r[4]}")
        lines.append(f"| {row[0]} | {row[1]} | " + " | ".join(cells) + " |")
    worst = {s: max(float(r[4]) for r in rows) for s, rows in tables.items()}
    lines.append("")
    lines.append("Worst p99: " + ", ".join(f"{int(s):,}: {w:.3f} ms" for s, w in worst.items()) + ".")
    lines.append("")
http = os.path.join(out, "http.md")
if os.path.exists(http):
    lines.append("### HTTP, 100k uniform tasks (`wrk -t2 -c32`, server and wrk sharing the 2 cores)")
    lines.append("")
    lines.extend(open(http).read().rstrip("\n").split("\n"))
    lines.append("")
lines.append("<!-- matrix:end -->")
section = "\n".join(lines)
results = "bench/RESULTS.md"
text = open(results).read()
begin, end = text.find("<!-- matrix:begin"), text.find("<!-- matrix:end -->")
if begin >= 0 and end >= 0:
    text = text[:begin] + section + text[end + len("<!-- matrix:end -->"):]
else:
    text = text.rstrip("\n") + "\n\n## Query matrix\n\n" + section + "\n"
open(results, "w").write(text)
print(section)
PY
