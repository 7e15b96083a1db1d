#!/usr/bin/python3
"""Peak server RSS during concurrent media uploads.

    media_upload.py --port 8000 --token <access> --pid <server pid>
                    [--clients 10] [--parts 10] [--part-mib 10]

Each client sends one upload of --parts PDF-shaped parts of --part-mib MiB
(10 MiB is the largest the contract allows), generated while sending, so the
client holds no body either. Prints the server's RSS before and its peak
while the uploads run (sampled every 20 ms from /proc), and the statuses.
"""
import argparse
import http.client
import threading
import time

from server_process import rss_mib

BOUNDARY = "----taskcore-bench"


def body_pieces(parts, part_bytes):
    for i in range(parts):
        yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
               f"filename=\"doc{i}.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
        yield b"%PDF-1.4\n"
        left = part_bytes - 9
        chunk = b" " * (256 * 1024)
        while left > 0:
            piece = chunk[:left]
            left -= len(piece)
            yield piece
        yield b"\r\n"
    yield f"--{BOUNDARY}--\r\n".encode()


def upload(port, token, parts, part_bytes, statuses):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    length = sum(len(p) for p in body_pieces(parts, 9)) + parts * (part_bytes - 9)
    conn.putrequest("POST", "/api/blog/media/upload/")
    conn.putheader("Authorization", f"Bearer {token}")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    conn.putheader("Content-Length", str(length))
    conn.endheaders()
    for piece in body_pieces(parts, part_bytes):
        conn.send(piece)
    response = conn.getresponse()
    response.read()
    statuses.append(response.status)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--parts", type=int, default=10)
    parser.add_argument("--part-mib", type=int, default=10)
    args = parser.parse_args()
    part_bytes = args.part_mib * 1024 * 1024
    idle = rss_mib(args.pid)
    statuses = []
    threads = [threading.Thread(target=upload,
                                args=(args.port, args.token, args.parts, part_bytes, statuses))
               for _ in range(args.clients)]
    peak = idle
    started = time.monotonic()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        peak = max(peak, rss_mib(args.pid))
        time.sleep(0.02)
    took = time.monotonic() - started
    total_mib = args.clients * args.parts * args.part_mib
    print(f"{args.clients} clients x {args.parts} parts x {args.part_mib} MiB: "
          f"statuses {sorted(statuses)}, {total_mib / took:.0f} MiB/s, "
          f"RSS idle {idle:.1f} MiB, peak {peak:.1f} MiB (+{peak - idle:.1f})")


if __name__ == "__main__":
    main()
