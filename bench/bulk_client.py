#!/usr/bin/env python3
"""Times POST /api/tasks/bulk-update/ with N ids over one keep-alive
connection and prints p50 / p99 / max in milliseconds.

    bulk_client.py --port 8000 --token T --max-id 100000 --size 1000 --runs 30
"""
import argparse
import http.client
import json
import random
import statistics
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--max-id", type=int, required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pattern", choices=["random", "contiguous"],
                        default="random",
                        help="random ids over the table, or a run of "
                             "consecutive ids (tasks created together)")
    args = parser.parse_args()

    conn = http.client.HTTPConnection(args.host, args.port, timeout=60)
    headers = {"Authorization": "Bearer " + args.token,
               "Content-Type": "application/json"}
    statuses = ["todo", "in_progress", "review", "done"]
    rng = random.Random(7)
    times = []
    for run in range(args.runs):
        if args.pattern == "random":
            ids = rng.sample(range(1, args.max_id + 1), args.size)
        else:
            start = rng.randint(1, max(1, args.max_id - args.size + 1))
            ids = list(range(start, start + args.size))
        body = json.dumps({"task_ids": ids,
                           "updates": {"status": statuses[run % 4]}})
        start = time.perf_counter()
        conn.request("POST", "/api/tasks/bulk-update/", body, headers)
        response = conn.getresponse()
        payload = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            print(f"bulk-update failed: {response.status} {payload[:200]!r}",
                  file=sys.stderr)
            return 1
        result = json.loads(payload)
        if result["updated_count"] + len(result["failed_updates"]) != args.size:
            print("bulk-update counts do not add up", file=sys.stderr)
            return 1
        times.append(elapsed)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"pattern={args.pattern} size={args.size} runs={args.runs} p50_ms={statistics.median(times):.2f} "
          f"p99_ms={p99:.2f} max_ms={times[-1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
