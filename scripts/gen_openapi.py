#!/usr/bin/env python3
"""Writes docs/openapi.json, the OpenAPI 3.1 reference of taskcore's HTTP
API (served by the server at GET /api/schema/).

    gen_openapi.py            write docs/openapi.json
    gen_openapi.py --check    fail when docs/openapi.json differs from what
                              this generator makes (CI runs this)
    gen_openapi.py --stdout   print the document

The parts live in scripts/openapi/: schemas, examples, operations, paths
and the realtime events. Output is deterministic (2-space indentation, keys
in the order written, UTF-8), so the committed document only changes when
the generator does. Needs only the Python standard library."""

import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "openapi"))

from operations import shared_parameters, shared_responses  # noqa: E402
from paths import auth_paths, media_paths, post_paths, task_paths  # noqa: E402
from paths_ops import (admin_paths, metrics_listener_path, realtime_paths,  # noqa: E402
                       stats_paths)
from realtime import realtime_events, realtime_schemas  # noqa: E402
from schemas import all_schemas  # noqa: E402

OUTPUT = ROOT / "docs" / "openapi.json"


def version():
    # The project's version, as CMakeLists.txt declares it.
    for line in (ROOT / "CMakeLists.txt").read_text().splitlines():
        line = line.strip()
        if line.startswith("project(") and "VERSION" in line:
            return line.split("VERSION", 1)[1].split()[0].rstrip(")")
    raise SystemExit("gen_openapi: no project VERSION in CMakeLists.txt")


DESCRIPTION = """\
The HTTP API of taskcore-server: tasks, blog media and posts, users, the \
audit log, operations and realtime events. docs/API.md is the reference for \
the rules behind these shapes.

- Every path answers with and without its trailing slash; HEAD is answered \
wherever GET is, OPTIONS everywhere.
- Every non-2xx answer of the API has the Error body; the Socket.IO endpoint's \
own errors use Engine.IO's shape (EngineIoError).
- Bodies are UTF-8 JSON objects (read as JSON whatever the Content-Type says), \
except the media upload (multipart/form-data). Fields not listed are ignored.
- Timestamps are ISO-8601 UTC with milliseconds and Z; dates are YYYY-MM-DD.
- Realtime events (Socket.IO at /socket.io/ and the JSON long-poll) are \
described under x-realtime-events."""

TAGS = [
    {"name": "auth", "description": "Accounts, tokens and sessions."},
    {"name": "tasks", "description": "Tasks, filters and bulk operations."},
    {"name": "media", "description": "Blog media uploads, thumbnails and stored bytes."},
    {"name": "posts", "description": "Blog posts; published posts are public."},
    {"name": "admin", "description": "User management and the audit log (role admin)."},
    {"name": "operations", "description": "Health, metrics, system stats and this document."},
    {"name": "realtime", "description": "Socket.IO, the JSON long-poll and presence."},
]


def document():
    paths = {}
    for part in (auth_paths(), task_paths(), media_paths(), post_paths(), admin_paths(),
                 stats_paths(), realtime_paths(), metrics_listener_path()):
        overlap = set(paths) & set(part)
        assert not overlap, f"path defined twice: {overlap}"
        paths.update(part)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "taskcore HTTP API",
            "version": version(),
            "description": DESCRIPTION,
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "http://127.0.0.1:8000", "description": "The default listener."}],
        "tags": TAGS,
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                "description": "The access token of POST /api/auth/login/ or /refresh/."}},
            "parameters": shared_parameters(),
            "responses": shared_responses(),
            "schemas": all_schemas(realtime_schemas()),
        },
        "x-realtime-events": realtime_events(),
    }


def render():
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="fail when docs/openapi.json is not what the generator makes")
    mode.add_argument("--stdout", action="store_true", help="print instead of writing")
    args = parser.parse_args()
    text = render()
    if args.stdout:
        sys.stdout.write(text)
        return 0
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print("gen_openapi: docs/openapi.json is out of date; run scripts/gen_openapi.py",
                  file=sys.stderr)
            return 1
        print("gen_openapi: docs/openapi.json is up to date")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"gen_openapi: wrote {OUTPUT.relative_to(ROOT)} "
          f"({len(document()['paths'])} paths)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
