#!/usr/bin/env python3
"""Does login time tell whether a username exists? Times wrong-password
logins for an existing user and for unknown ones, alternating, and prints
the medians and their difference (run the server with --no-rate-limits so
failed attempts are not throttled).

    login_timing.py --port 8000 --user bench_admin --runs 60
"""
import argparse
import http.client
import json
import statistics
import sys
import time


def attempt(conn, username):
    body = json.dumps({"username": username, "password": "not-the-password"})
    start = time.perf_counter()
    conn.request("POST", "/api/auth/login/", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 401:
        raise SystemExit(f"expected 401, got {response.status}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    known, unknown = [], []
    for i in range(args.runs):
        known.append(attempt(conn, args.user))
        unknown.append(attempt(conn, f"nobody-{i}"))
    k, u = statistics.median(known), statistics.median(unknown)
    print(f"wrong password, existing user: p50 {k:.1f} ms; unknown user: p50 {u:.1f} ms; "
          f"difference {abs(k - u):.1f} ms ({abs(k - u) / max(k, u) * 100:.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
