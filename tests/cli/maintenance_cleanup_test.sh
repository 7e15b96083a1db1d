#!/usr/bin/env bash
# `taskcore-server maintenance cleanup` end to end on a real SQLite file:
# 40-day-old samples are folded into hourly aggregates (same averages as
# before), a second run changes nothing, bad input exits non-zero.
#   maintenance_cleanup_test.sh <taskcore-server binary>
set -euo pipefail
server="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
db="$tmp/data/taskcore.db"
args=(--db "$db" --media-dir "$tmp/data/media")

"$server" "${args[@]}" maintenance cleanup >"$tmp/first.txt"  # creates the schema
grep -q "^stats: 0 samples folded" "$tmp/first.txt"

# Two days of a sample a minute, 40 days ago, straight into the table.
/usr/bin/python3 - "$db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
start = (int(time.time()) // 86400 - 40) * 86400 * 1000
rows = [(start + i * 60000, "web-1", float(i % 100), 50.0, 500 + i, 1000, None, None, None, 0.5)
        for i in range(2 * 24 * 60)]
db.executemany("INSERT INTO system_samples (timestamp, hostname, cpu_percent, memory_percent, "
               "memory_used_bytes, memory_total_bytes, disk_percent, disk_used_bytes, "
               "disk_total_bytes, load_avg_1) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
db.commit()
PY
before="$(/usr/bin/python3 -c "
import sqlite3,sys; db=sqlite3.connect('$db')
n, avg, mem = db.execute('SELECT COUNT(*), AVG(cpu_percent), SUM(memory_used_bytes) FROM system_samples').fetchone()
print(n, round(avg, 9), int(mem))")"

"$server" "${args[@]}" maintenance cleanup >"$tmp/second.txt" 2>"$tmp/progress.txt"
cat "$tmp/second.txt"
grep -q "^stats: 2880 samples folded into 48 hourly aggregates" "$tmp/second.txt"
grep -q "folding stats samples: 2880/2880" "$tmp/progress.txt"
after="$(/usr/bin/python3 -c "
import sqlite3; db=sqlite3.connect('$db')
left = db.execute('SELECT COUNT(*) FROM system_samples').fetchone()[0]
n, avg, mem = db.execute('SELECT SUM(samples), SUM(cpu_percent_sum)/SUM(cpu_percent_count), SUM(memory_used_bytes_sum) FROM system_stats_hourly').fetchone()
print(left, n, round(avg, 9), int(mem))")"
echo "before: $before  after: $after"
# No raw sample left; the aggregates hold the same count, mean and sum.
[ "$after" = "0 $before" ]

"$server" "${args[@]}" maintenance cleanup >"$tmp/third.txt"
grep -q "^stats: 0 samples folded into 0 hourly aggregates, 0 expired" "$tmp/third.txt"

if "$server" "${args[@]}" maintenance 2>/dev/null; then
  echo "maintenance without a subcommand should fail"; exit 1
fi
echo "maintenance cleanup: ok"
