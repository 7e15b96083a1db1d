#!/usr/bin/env python3
"""The API reference against the live server.

Starts the real taskcore-server on 127.0.0.1 over a fresh SQLite file,
drives every documented operation over plain HTTP (successes and the usual
refusals), and checks each answer against docs/openapi.json: the status
must be documented for that operation, and a JSON body must validate
against the documented schema. Realtime events (from the JSON long-poll and
a Socket.IO session) and the acks of client events are checked against
x-realtime-events. Fails when an operation of the document was not
exercised, and when GET /api/schema/ serves another document.

    live_check.py <taskcore-server binary> <openapi.json>

Run with /usr/bin/python3 (Debian's python3-jsonschema).
"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import jsonschema

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from sample_files import make_png  # noqa: E402

ADMIN_PASSWORD = "a long admin password"
METHODS = ("get", "put", "post", "patch", "delete", "head", "options")


class Checker:
    def __init__(self, document, base):
        self.document = document
        self.base = base
        self.resolver = jsonschema.RefResolver.from_schema(document)
        self.templates = []
        for path, item in document["paths"].items():
            if "x-taskcore-listener" in item:
                continue
            pattern = re.escape(path.rstrip("/"))
            pattern = pattern.replace(re.escape("{id}"), r"[0-9]+")
            pattern = pattern.replace(re.escape("{name}"), r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
            self.templates.append((re.compile("^" + pattern + "/?$"), path, item))
        self.problems = []
        self.checked = 0
        self.covered = set()
        self.covered_events = set()

    def operation(self, method, path):
        bare = path.split("?", 1)[0]
        for regex, template, item in self.templates:
            if regex.match(bare):
                return template, item.get(method.lower())
        return None, None

    def call(self, method, path, body=None, token=None, raw=None,
             content_type="application/json", expect=None):
        data = raw if raw is not None else (
            json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status, headers, payload = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, payload = error.code, error.headers, error.read()
        self.check(method, path, status, headers.get("Content-Type", ""), payload)
        if expect is not None and status != expect:
            self.problems.append(f"{method} {path}: status {status}, expected {expect}: "
                                 f"{payload[:200]!r}")
        if payload and headers.get("Content-Type", "").startswith("application/json"):
            return status, json.loads(payload)
        return status, payload

    def check(self, method, path, status, content_type, payload):
        self.checked += 1
        template, operation = self.operation(method, path)
        where = f"{method} {path} -> {status}"
        if operation is None:
            self.problems.append(f"{where}: no documented operation")
            return
        self.covered.add(f"{method} {template}")
        responses = operation.get("responses", {})
        response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") \
            or responses.get("default")
        if response is None:
            self.problems.append(f"{where}: status not documented")
            return
        response = self.deref(response)
        content = response.get("content", {})
        if not payload:
            return
        media = content_type.split(";")[0].strip()
        if media not in content:
            self.problems.append(f"{where}: content type {media} not documented "
                                 f"(documented: {sorted(content)})")
            return
        if media != "application/json":
            return
        schema = content[media].get("schema")
        if schema is None:
            self.problems.append(f"{where}: no schema for {media}")
            return
        validator = jsonschema.Draft202012Validator(schema, resolver=self.resolver)
        for error in validator.iter_errors(json.loads(payload)):
            at = "/".join(str(p) for p in error.absolute_path)
            self.problems.append(f"{where}: at '{at}': {error.message[:300]}")

    def check_event(self, where, name, payload, ack=False):
        """A realtime event (or the ack of a client event) against
        x-realtime-events."""
        event = self.document.get("x-realtime-events", {}).get(name)
        if event is None:
            self.problems.append(f"{where}: event {name} not documented")
            return
        schema = event.get("ack" if ack else "payload")
        self.checked += 1
        self.covered_events.add(name + (" ack" if ack else ""))
        validator = jsonschema.Draft202012Validator(schema, resolver=self.resolver)
        for error in validator.iter_errors(payload):
            at = "/".join(str(p) for p in error.absolute_path)
            self.problems.append(f"{where}: event {name} at '{at}': {error.message[:300]}")

    def deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            _, node = self.resolver.resolve(node["$ref"])
        return node


def multipart(files):
    boundary = "taskcoreLiveCheck"
    body = b""
    for name, content_type, data in files:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                 f"filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").encode()
        body += data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def scenario(c, document_bytes):
    status, served = c.call("GET", "/api/schema/", expect=200)
    if json.dumps(served, sort_keys=True) != json.dumps(json.loads(document_bytes), sort_keys=True):
        c.problems.append("GET /api/schema/ does not serve the repository's document")
    c.call("GET", "/api/health/", expect=200)

    _, login = c.call("POST", "/api/auth/login/",
                      {"username": "root", "password": ADMIN_PASSWORD}, expect=200)
    admin = login["access"]
    c.call("POST", "/api/auth/login/", {"username": "root", "password": "wrong"}, expect=401)
    c.call("POST", "/api/auth/login/", {"username": "root"}, expect=400)

    _, alice = c.call("POST", "/api/auth/register/",
                      {"username": "alice", "email": "alice@example.com",
                       "password": "alice password"}, expect=201)
    c.call("POST", "/api/auth/register/",
           {"username": "alice", "email": "other@example.com", "password": "alice password"},
           expect=409)
    c.call("POST", "/api/auth/register/", {"username": "a", "email": "x"}, expect=400)
    c.call("POST", "/api/auth/register/", raw=b"{not json", expect=400)
    _, alice_login = c.call("POST", "/api/auth/login/",
                            {"username": "alice", "password": "alice password"}, expect=200)
    member = alice_login["access"]
    _, refreshed = c.call("POST", "/api/auth/refresh/",
                          {"refresh": alice_login["refresh"]}, expect=200)
    member = refreshed["access"]
    c.call("POST", "/api/auth/refresh/", {"refresh": alice_login["refresh"]}, expect=401)
    _, again = c.call("POST", "/api/auth/login/",
                      {"username": "alice", "password": "alice password"}, expect=200)
    member, member_refresh = again["access"], again["refresh"]
    c.call("GET", "/api/auth/me/", token=member, expect=200)
    c.call("GET", "/api/auth/me/", expect=401)
    c.call("GET", "/api/auth/me/", token="not-a-token", expect=401)

    # Tasks
    ids = []
    for i, (status, priority) in enumerate([("todo", "high"), ("done", "low"),
                                            ("review", "urgent"), ("in_progress", "medium")]):
        _, task = c.call("POST", "/api/tasks/",
                         {"title": f"task {i}", "description": "words here", "status": status,
                          "priority": priority, "category": "web", "project": "alpha",
                          "due_date": f"2026-12-1{i}", "assigned_to": alice["id"]},
                         token=admin, expect=201)
        ids.append(task["id"])
    _, own = c.call("POST", "/api/tasks/", {"title": "mine"}, token=member, expect=201)
    c.call("POST", "/api/tasks/", {"title": ""}, token=member, expect=400)
    c.call("POST", "/api/tasks/", {"title": "x"}, expect=401)
    c.call("GET", "/api/tasks/", token=member, expect=200)
    c.call("GET", "/api/tasks/?status=todo,done&priority=high&category=web&project=alpha"
                  f"&assigned_to={alice['id']}&due_date_start=2026-12-01&due_date_end=2026-12-31"
                  "&search=words&ordering=-priority,due_date&page=1&page_size=2",
           token=member, expect=200)
    c.call("GET", "/api/tasks/?ordering=sideways", token=member, expect=400)
    c.call("GET", "/api/tasks/?page=99", token=member, expect=404)
    c.call("GET", f"/api/tasks/{ids[0]}/", token=member, expect=200)
    c.call("GET", "/api/tasks/999999/", token=member, expect=404)
    c.call("PUT", f"/api/tasks/{own['id']}/", {"title": "mine, renamed", "status": "review"},
           token=member, expect=200)
    c.call("PATCH", f"/api/tasks/{own['id']}/", {"priority": "urgent"}, token=member, expect=200)
    c.call("PATCH", f"/api/tasks/{own['id']}/", {"priority": "extreme"}, token=member, expect=400)
    c.call("POST", "/api/tasks/bulk-update/",
           {"task_ids": ids + [999999], "updates": {"status": "done"}}, token=admin, expect=200)
    c.call("POST", "/api/tasks/bulk-update/", {"task_ids": [], "updates": {}},
           token=admin, expect=400)
    c.call("DELETE", "/api/tasks/bulk-delete/", {"task_ids": [ids[0], 999999]},
           token=admin, expect=200)
    c.call("POST", "/api/tasks/bulk-delete/", {"task_ids": [ids[1]]}, token=admin, expect=200)
    c.call("DELETE", f"/api/tasks/{ids[2]}/", token=member, expect=403)
    c.call("DELETE", f"/api/tasks/{ids[2]}/", token=admin, expect=204)

    # Media
    body, ctype = multipart([("one.png", "image/png", make_png(40, 20)),
                             ("two.png", "image/png", make_png(8, 8))])
    _, uploaded = c.call("POST", "/api/blog/media/upload/", token=member, raw=body,
                         content_type=ctype, expect=201)
    media = uploaded["results"][0]
    body, ctype = multipart([("evil.png", "image/png", b"MZ this is not an image")])
    c.call("POST", "/api/blog/media/upload/", token=member, raw=body, content_type=ctype,
           expect=415)
    c.call("POST", "/api/blog/media/upload/", token=member, raw=b"--x\r\n",
           content_type="multipart/form-data; boundary=x", expect=400)
    c.call("GET", "/api/blog/media/?file_type=image&ordering=-file_size", token=member, expect=200)
    c.call("GET", "/api/blog/media/?upload_date_start=nope", token=member, expect=400)
    c.call("GET", f"/api/blog/media/{media['id']}/", token=member, expect=200)
    c.call("GET", "/api/blog/media/999999/", token=member, expect=404)
    c.call("GET", "/api/blog/media/files/" + media["filename"] + "/", expect=200)
    c.call("GET", "/api/blog/media/files/absent.png/", expect=404)

    # Posts
    _, post = c.call("POST", "/api/blog/posts/",
                     {"title": "Hello", "body": "First post", "status": "published",
                      "cover_media": media["id"], "media_ids": [media["id"]]},
                     token=member, expect=201)
    _, draft = c.call("POST", "/api/blog/posts/", {"title": "Draft", "body": "wip"},
                      token=member, expect=201)
    c.call("POST", "/api/blog/posts/", {"body": "no title"}, token=member, expect=400)
    c.call("GET", "/api/blog/posts/", expect=200)
    c.call("GET", "/api/blog/posts/?status=published&search=hello", token=member, expect=200)
    c.call("GET", f"/api/blog/posts/{post['id']}/", expect=200)
    c.call("GET", f"/api/blog/posts/{draft['id']}/", expect=404)
    c.call("PUT", f"/api/blog/posts/{draft['id']}/", {"title": "Draft 2", "body": "more"},
           token=member, expect=200)
    c.call("PATCH", f"/api/blog/posts/{draft['id']}/", {"status": "published"},
           token=member, expect=200)
    c.call("DELETE", f"/api/blog/posts/{draft['id']}/", token=member, expect=204)
    c.call("DELETE", f"/api/blog/media/{media['id']}/", token=member, expect=204)

    # Admin
    c.call("GET", "/api/admin/users/", token=member, expect=403)
    c.call("GET", "/api/admin/users/?is_active=true&role=member,admin&search=a",
           token=admin, expect=200)
    c.call("GET", "/api/admin/users/?is_active=maybe", token=admin, expect=400)
    c.call("GET", f"/api/admin/users/{alice['id']}/", token=admin, expect=200)
    c.call("GET", "/api/admin/users/999999/", token=admin, expect=404)
    c.call("PUT", f"/api/admin/users/{alice['id']}/", {"role": "manager"}, token=admin, expect=200)
    c.call("PATCH", f"/api/admin/users/{alice['id']}/", {"email": "alice@example.org"},
           token=admin, expect=200)
    c.call("PUT", f"/api/admin/users/{login['user']['id']}/", {"role": "member"},
           token=admin, expect=409)
    c.call("PATCH", f"/api/admin/users/{alice['id']}/toggle-active/", token=admin, expect=200)
    c.call("PATCH", f"/api/admin/users/{alice['id']}/toggle-active/", token=admin, expect=200)
    _, reset = c.call("POST", f"/api/admin/users/{alice['id']}/reset-password/",
                      token=admin, expect=200)
    c.call("POST", "/api/auth/password/reset/confirm/",
           {"token": reset["reset_token"], "new_password": "alice new password"}, expect=204)
    c.call("POST", "/api/auth/password/reset/confirm/",
           {"token": reset["reset_token"], "new_password": "alice new password"}, expect=400)
    _, back = c.call("POST", "/api/auth/login/",
                     {"username": "alice", "password": "alice new password"}, expect=200)
    member, member_refresh = back["access"], back["refresh"]
    c.call("POST", "/api/auth/password/change/",
           {"old_password": "wrong password", "new_password": "another password"},
           token=member, expect=400)
    c.call("POST", "/api/auth/password/change/",
           {"old_password": "alice new password", "new_password": "another password"},
           token=member, expect=204)
    c.call("GET", "/api/admin/audit-log/?action=login&ordering=-timestamp", token=admin, expect=200)
    c.call("GET", "/api/admin/audit-log/?start=yesterday", token=admin, expect=400)
    c.call("GET", "/api/admin/metrics/", token=admin, expect=200)
    c.call("GET", "/api/admin/metrics/", token=member, expect=403)

    # System stats (the server samples every second)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        status, _ = c.call("GET", "/api/system/stats/latest/", token=admin)
        if status == 200:
            break
        time.sleep(0.3)
    c.call("GET", "/api/system/stats/?start=2020-01-01T00:00:00.000Z", token=admin, expect=200)
    c.call("GET", "/api/system/stats/aggregated/?interval=hour", token=admin, expect=200)
    c.call("GET", "/api/system/stats/aggregated/?interval=week", token=admin, expect=400)
    c.call("GET", "/api/system/stats/", token=member, expect=403)

    # Realtime
    c.call("GET", "/api/realtime/presence/?room=tasks", token=member, expect=200)
    c.call("GET", "/api/realtime/poll/?rooms=tasks&timeout=0", token=member, expect=200)
    c.call("GET", "/api/realtime/poll/?rooms=tasks&timeout=0&cursor=garbage",
           token=member, expect=400)
    # Every event so far, from the start of the outbox: the task events and
    # alice's assignment notifications, each against its documented payload.
    _, polled = c.call("GET", f"/api/realtime/poll/?rooms=tasks,user_{alice['id']}"
                              "&cursor=0&timeout=0", token=member, expect=200)
    for event in polled.get("events", []):
        c.check_event("poll", event["type"], event["data"])
    socket_io(c, member, own["id"])

    c.call("POST", "/api/auth/logout/", {"refresh": member_refresh}, token=member, expect=204)
    c.call("GET", "/api/auth/me/", token=member, expect=401)


def socket_io(c, token, task_id):
    """An Engine.IO session over polling: handshake, CONNECT, join_room and a
    task_update, with every event and ack checked against x-realtime-events."""
    c.call("GET", "/socket.io/?EIO=3&transport=polling", expect=400)
    _, opened = c.call("GET", "/socket.io/?EIO=4&transport=polling", expect=200)
    if not (isinstance(opened, bytes) and opened.startswith(b"0")):
        c.problems.append(f"socket.io handshake: {opened[:200]!r}")
        return
    path = f"/socket.io/?EIO=4&transport=polling&sid={json.loads(opened[1:])['sid']}"

    def send(packet):
        c.call("POST", path, raw=packet.encode(), content_type="text/plain;charset=UTF-8",
               expect=200)

    def receive(until):
        # Poll until a packet starting with `until` arrives (a few polls at most).
        packets = []
        for _ in range(5):
            _, body = c.call("GET", path, expect=200)
            packets += body.decode().split("\x1e") if isinstance(body, bytes) else []
            if any(p.startswith(until) for p in packets):
                break
        for packet in packets:
            if packet.startswith("42"):
                name, payload = json.loads(packet[2:])
                c.check_event("socket.io", name, payload)
        return packets

    send("40" + json.dumps({"token": token}))
    if not any(p.startswith("40{") for p in receive("40")):
        c.problems.append("socket.io: CONNECT was not accepted")
        return
    send('421["join_room",{"room":"tasks"}]')
    for packet in receive("431"):
        if packet.startswith("431"):
            c.check_event("socket.io", "join_room", json.loads(packet[3:])[0], ack=True)
    send('422["task_update",' + json.dumps({"task_id": task_id,
                                            "updates": {"status": "done"}}) + "]")
    for packet in receive("432"):
        if packet.startswith("432"):
            c.check_event("socket.io", "task_update", json.loads(packet[3:])[0], ack=True)
    send('423["leave_room","tasks"]')
    for packet in receive("433"):
        if packet.startswith("433"):
            c.check_event("socket.io", "leave_room", json.loads(packet[3:])[0], ack=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    binary, document_path = sys.argv[1], sys.argv[2]
    with open(document_path, "rb") as f:
        document_bytes = f.read()
    document = json.loads(document_bytes)
    with tempfile.TemporaryDirectory() as tmp:
        data = ["--db", os.path.join(tmp, "taskcore.db"), "--media-dir", os.path.join(tmp, "media")]
        subprocess.run([binary, *data, "create-admin", "--username", "root", "--email",
                        "root@example.com", "--password", ADMIN_PASSWORD],
                       check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        log = open(os.path.join(tmp, "server.log"), "wb")
        server = subprocess.Popen([binary, *data, "--port", str(port), "--stats-interval", "1"],
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            checker = Checker(document, f"http://127.0.0.1:{port}")
            for _ in range(100):
                try:
                    urllib.request.urlopen(checker.base + "/api/health/", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.1)
            scenario(checker, document_bytes)
        finally:
            server.terminate()
            server.wait(timeout=20)
    operations = {f"{m.upper()} {p}" for p, item in document["paths"].items()
                  if "x-taskcore-listener" not in item for m in METHODS if m in item}
    missed = sorted(operations - {f"{m} {p}" for m, p in
                                  (c.split(" ", 1) for c in checker.covered)})
    print(f"openapi live check: {checker.checked} answers checked, "
          f"{len(checker.covered)} of {len(operations)} operations exercised")
    if missed:
        # A new route must be exercised here too.
        checker.problems.append("not exercised: " + ", ".join(missed))
    print("realtime events checked: " + ", ".join(sorted(checker.covered_events)))
    for problem in checker.problems:
        print("problem: " + problem)
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main())
