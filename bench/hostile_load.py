#!/usr/bin/python3
"""Hostile load against a taskcore-server on 127.0.0.1 (standard library only).

Holds idle keep-alive sockets (one request each, then silence), busy ones
(one GET /api/health/ every few seconds each) and slow-header clients (a
header byte every second, reconnecting when cut off), while wrk measures
the list route and a prober opens a new connection for GET /api/health/
every 50 ms. Prints one JSON object: the list route's req/s without and
with the load, the new client's health latency (p50/p99/max, timeouts),
what the hostile sockets saw, and the server's RSS.

    hostile_load.py --port P --token T --pid SERVER_PID [--duration 10]
                    [--idle 300] [--busy 64] [--slow 10]

Only 127.0.0.1 is contacted; every loop stops after --duration.
"""

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import threading
import time

from server_process import rss_mib

HOST = "127.0.0.1"


def health_request(port):
    return f"GET /api/health/ HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode()


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}

    def add(self, name, n=1):
        with self.lock:
            self.values[name] = self.values.get(name, 0) + n


async def read_response(reader, timeout):
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    if length:
        await asyncio.wait_for(reader.readexactly(length), timeout)
    return int(head.split(b" ")[1])


async def idle_client(port, stop, counters):
    """One request, then silence; reconnects when the server closes it."""
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(health_request(port))
            await writer.drain()
            await read_response(reader, 5)
            counters.add("idle_requests")
            while not stop.is_set():
                try:
                    if not await asyncio.wait_for(reader.read(1024), 0.5):
                        counters.add("idle_closed_by_server")
                        break
                except asyncio.TimeoutError:
                    continue
            writer.close()
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            counters.add("idle_errors")
            await asyncio.sleep(0.2)


async def busy_client(port, stop, counters, interval, offset):
    """A keep-alive socket asking for /api/health/ every `interval` s."""
    await asyncio.sleep(offset)
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
            while not stop.is_set():
                writer.write(health_request(port))
                await writer.drain()
                if await read_response(reader, 5) == 200:
                    counters.add("busy_requests")
                await asyncio.sleep(interval)
            writer.close()
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            counters.add("busy_reconnects")
            await asyncio.sleep(0.2)


async def slow_client(port, stop, counters, interval):
    """Trickles a header byte every `interval` s, forever if allowed."""
    prefix = f"GET /api/health/ HTTP/1.1\r\nHost: {HOST}:{port}\r\nX-Slow: ".encode()
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
            started = time.monotonic()
            sent = 0
            while not stop.is_set():
                writer.write(prefix[sent:sent + 1] if sent < len(prefix) else b"a")
                await writer.drain()
                sent += 1
                try:
                    if not await asyncio.wait_for(reader.read(1024), interval):
                        counters.add("slow_cut_off")
                        counters.add("slow_seconds_held", time.monotonic() - started)
                        break
                except asyncio.TimeoutError:
                    continue
            writer.close()
        except OSError:
            counters.add("slow_cut_off")
            await asyncio.sleep(0.2)


def run_hostile(args, stop, counters, ready):
    async def main():
        stop_event = asyncio.Event()
        tasks = [asyncio.create_task(idle_client(args.port, stop_event, counters))
                 for _ in range(args.idle)]
        tasks += [asyncio.create_task(busy_client(args.port, stop_event, counters,
                                                  args.busy_interval,
                                                  args.busy_interval * i / max(1, args.busy)))
                  for i in range(args.busy)]
        tasks += [asyncio.create_task(slow_client(args.port, stop_event, counters, 1.0))
                  for _ in range(args.slow)]
        await asyncio.sleep(args.ramp)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        stop_event.set()
        await asyncio.wait(tasks, timeout=3)
        for task in tasks:
            task.cancel()

    asyncio.run(main())


def read_blocking_response(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            break
        body += chunk
    return data


def probe_health(port, stop, latencies, counters):
    """A new client every 50 ms; a timeout counts as 5 s."""
    request = health_request(port)
    while not stop.is_set():
        started = time.perf_counter()
        try:
            with socket.create_connection((HOST, port), timeout=5) as sock:
                sock.sendall(request)
                data = read_blocking_response(sock)
            if data.startswith(b"HTTP/1.1 200"):
                latencies.append(time.perf_counter() - started)
            else:
                counters.add("probe_failures")
                latencies.append(5.0)
        except OSError:
            counters.add("probe_timeouts")
            latencies.append(5.0)
        time.sleep(0.05)


def wrk_list(args):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
         "-H", f"Authorization: Bearer {args.token}",
         f"http://{HOST}:{args.port}/api/tasks/?page_size=20"],
        capture_output=True, text=True, timeout=args.duration + 30).stdout
    rps = 0.0
    non_2xx = 0
    for line in out.splitlines():
        if line.startswith("Requests/sec"):
            rps = float(line.split()[1])
        if "Non-2xx" in line:
            non_2xx = int(line.split()[-1])
    return rps, non_2xx


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--idle", type=int, default=300)
    parser.add_argument("--busy", type=int, default=64)
    parser.add_argument("--busy-interval", type=float, default=4.0)
    parser.add_argument("--slow", type=int, default=10)
    parser.add_argument("--ramp", type=float, default=2.0, help="s to open the sockets")
    args = parser.parse_args()

    unloaded, _ = wrk_list(args)

    stop = threading.Event()
    ready = threading.Event()
    counters = Counters()
    latencies = []
    hostile = threading.Thread(target=run_hostile, args=(args, stop, counters, ready))
    hostile.start()
    ready.wait(args.ramp + 10)
    rss = [rss_mib(args.pid)]
    prober = threading.Thread(target=probe_health, args=(args.port, stop, latencies, counters))
    prober.start()
    loaded, non_2xx = wrk_list(args)
    rss.append(rss_mib(args.pid))
    stop.set()
    prober.join()
    hostile.join()

    result = {
        "list_rps_unloaded": unloaded,
        "list_rps_loaded": loaded,
        "list_ratio": round(loaded / unloaded, 3) if unloaded else 0,
        "list_non_2xx_loaded": non_2xx,
        "health_probes": len(latencies),
        "health_p50_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "health_p99_ms": round(percentile(latencies, 99) * 1000, 2) if latencies else None,
        "health_max_ms": round(max(latencies) * 1000, 2) if latencies else None,
        "server_rss_mib": round(max(rss), 1),
    }
    result.update({k: round(v, 1) if isinstance(v, float) else v
                   for k, v in sorted(counters.values.items())})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
