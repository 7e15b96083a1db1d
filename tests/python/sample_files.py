"""Real files for the tests, made from nothing but the standard library, so
both the pytest suites and tests/openapi/live_check.py can use them."""

from __future__ import annotations

import struct
import zlib


def make_png(width: int, height: int) -> bytes:
    """A real, decodable width x height 8-bit RGB PNG (a colour gradient)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(
        b"\x00" + bytes(v for x in range(width)
                        for v in ((x * 4) % 256, (y * 5) % 256, 128))
        for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))
