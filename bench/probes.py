#!/usr/bin/python3
"""Memory probes against a taskcore-server on 127.0.0.1 (standard library only).

  transfer-coding: POST /api/tasks/ streaming --mib MiB as fast as the server
    takes it, once per Transfer-Encoding (identity, gzip, "identity, chunked",
    and a well-formed chunked stream), with the server's RSS sampled every
    20 ms: the status it answered, how long that took, how much it read.
  login-flood: --logins parallel wrong-password logins of a freshly
    registered user (whose hash has the server's real argon2id cost), with
    RSS sampled: statuses, elapsed time, peak RSS.

    probes.py --port P --pid SERVER_PID [--mib 200] [--logins 64]

Prints one JSON object per probe. Only 127.0.0.1 is contacted.
"""

import argparse
import http.client
import json
import socket
import threading
import time

from server_process import rss_mib

HOST = "127.0.0.1"


class RssSampler:
    """The server's peak RSS while a `with` block runs."""

    def __init__(self, pid):
        self.pid = pid
        self.before = rss_mib(pid)
        self.peak = self.before
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run)

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mib(self.pid))
            time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.peak = max(self.peak, rss_mib(self.pid))


def stream_body(port, coding, mib, pid):
    """Streams `mib` MiB under Transfer-Encoding `coding`; returns a result."""
    sock = socket.create_connection((HOST, port), timeout=60)
    sock.sendall((f"POST /api/tasks/ HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
                  f"Content-Type: application/json\r\nTransfer-Encoding: {coding}\r\n\r\n").encode())
    block = b"x" * 65536
    if coding == "chunked":
        block = b"10000\r\n" + block + b"\r\n"
    answer = {}

    def read_answer():
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        answer["status"] = int(data.split(b" ")[1]) if data.startswith(b"HTTP/1.1 ") else 0
        answer["at"] = time.monotonic()

    started = time.monotonic()
    reader = threading.Thread(target=read_answer)
    reader.start()
    sent = 0
    with RssSampler(pid) as rss:
        try:
            while sent < mib * 1024 * 1024:
                sock.sendall(block)
                sent += 65536
        except OSError:
            pass  # the server closed the connection: the point
        reader.join(30)
    sock.close()
    return {"probe": "transfer-coding", "coding": coding, "status": answer.get("status"),
            "answered_after_ms": round((answer.get("at", time.monotonic()) - started) * 1000, 1),
            "mib_sent_before_close": round(sent / 1048576, 1),
            "rss_before_mib": round(rss.before, 1), "rss_peak_mib": round(rss.peak, 1)}


def post_json(port, path, body):
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def login_flood(port, logins, pid):
    username = f"flood{int(time.time() * 1000) % 10**9}"
    post_json(port, "/api/auth/register/",
              {"username": username, "email": f"{username}@example.com",
               "password": "the right password"})
    statuses = []
    lock = threading.Lock()

    def attempt():
        status = post_json(port, "/api/auth/login/",
                           {"username": username, "password": "a wrong guess"})
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=attempt) for _ in range(logins)]
    started = time.monotonic()
    with RssSampler(pid) as rss:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    counts = {str(s): statuses.count(s) for s in sorted(set(statuses))}
    return {"probe": "login-flood", "logins": logins, "statuses": counts,
            "elapsed_s": round(time.monotonic() - started, 2),
            "rss_before_mib": round(rss.before, 1), "rss_peak_mib": round(rss.peak, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--mib", type=int, default=200)
    parser.add_argument("--logins", type=int, default=64)
    args = parser.parse_args()
    for coding in ("identity", "gzip", "identity, chunked", "chunked"):
        print(json.dumps(stream_body(args.port, coding, args.mib, args.pid)), flush=True)
    print(json.dumps(login_flood(args.port, args.logins, args.pid)), flush=True)


if __name__ == "__main__":
    main()
