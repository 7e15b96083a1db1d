"""End-to-end test of taskcore-server's Socket.IO endpoint with the official
python-socketio client (Debian's python3-socketio, polling only), against a
server started by run.sh.

    /usr/bin/python3 python_client_test.py http://127.0.0.1:PORT ADMIN_PASSWORD
"""
import json
import queue
import sys
import time
import urllib.request

import socketio

BASE = sys.argv[1]
ADMIN_PASSWORD = sys.argv[2]


def call(method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    return json.loads(text) if text else None


def login(username, password):
    return call("POST", "/api/auth/login/", body={"username": username, "password": password})


def register_and_login(name):
    username = name + "_py"
    password = "correct horse battery"
    call("POST", "/api/auth/register/",
         body={"username": username, "email": username + "@example.com", "password": password})
    return login(username, password)


class Client:
    """A socketio.Client that records every event it receives."""

    EVENTS = ("task_created", "task_updated", "task_deleted", "user_joined", "user_left",
              "notification")

    def __init__(self):
        self.sio = socketio.Client(reconnection=False)
        self.events = queue.Queue()
        for name in self.EVENTS:
            self.sio.on(name, self._recorder(name))

    def _recorder(self, name):
        def record(data):
            self.events.put((name, data))
        return record

    def connect(self, token):
        self.sio.connect(BASE, auth={"token": token}, transports=["polling"], wait_timeout=5)
        return self

    def call(self, event, data):
        return self.sio.call(event, data, timeout=5)

    def wait_for(self, name, match, seconds=5.0):
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no matching %s within %.1f s" % (name, seconds))
            try:
                got, data = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if got == name and match(data):
                return data


passed = 0


def check(name):
    global passed
    passed += 1
    print("ok %d - %s" % (passed, name), flush=True)


def main():
    admin = login("admin", ADMIN_PASSWORD)
    alice = register_and_login("alice")
    bob = register_and_login("bob")

    for label, token in (("bad", "not-a-token"), ("refresh", alice["refresh"])):
        refused = socketio.Client(reconnection=False)
        try:
            refused.connect(BASE, auth={"token": token}, transports=["polling"], wait_timeout=5)
        except socketio.exceptions.ConnectionError as error:
            assert str(error), label
        else:
            raise AssertionError(label + " token was accepted")
        finally:
            refused.disconnect()
    check("bad and refresh tokens refused")

    a = Client().connect(alice["access"])
    assert a.call("join_room", {"room": "tasks"}) == {"ok": True, "room": "tasks"}
    denied = a.call("join_room", {"room": "user_%d" % bob["user"]["id"]})
    assert denied["error"]["code"] == "permission_denied", denied
    check("member joins tasks and is refused another user's room")

    watcher = Client().connect(admin["access"])
    watcher.call("join_room", {"room": "tasks"})
    b = Client().connect(bob["access"])
    b.call("join_room", {"room": "tasks"})
    joined = watcher.wait_for("user_joined", lambda d: d["user_id"] == bob["user"]["id"])
    assert joined == {"user_id": bob["user"]["id"], "room": "tasks"}, joined
    presence = call("GET", "/api/realtime/presence/?room=tasks", admin["access"])
    assert presence["room"] == "tasks"
    assert {alice["user"]["id"], bob["user"]["id"], admin["user"]["id"]} <= set(presence["users"])
    check("user_joined and presence")

    task = call("POST", "/api/tasks/", bob["access"],
                {"title": "Py task", "project": "hermes", "assigned_to": alice["user"]["id"]})
    created = a.wait_for("task_created", lambda d: d["task"]["id"] == task["id"])
    assert created["created_by"] == bob["user"]["id"]
    assert created["task"]["project"] == "hermes"
    note = a.wait_for("notification", lambda d: d["type"] == "task_assigned")
    assert note["data"]["task_id"] == task["id"]
    check("task_created and the assignment notification")

    call("PATCH", "/api/tasks/%d/" % task["id"], bob["access"], {"status": "review"})
    updated = a.wait_for("task_updated",
                         lambda d: d["task_id"] == task["id"] and d["task"]["status"] == "review")
    assert updated["updated_by"] == bob["user"]["id"]
    check("task_updated after a PATCH")

    acked = a.call("task_update", {"task_id": task["id"], "updates": {"priority": "urgent"}})
    assert acked["id"] == task["id"] and acked["priority"] == "urgent", acked
    seen = b.wait_for("task_updated", lambda d: d["task"]["priority"] == "urgent")
    assert seen["updated_by"] == alice["user"]["id"]
    invalid = a.call("task_update", {"task_id": task["id"], "updates": {"title": ""}})
    assert invalid["error"]["code"] == "validation_error", invalid
    assert "title" in invalid["error"]["field_errors"]
    check("task_update acked with the task or the error body")

    call("DELETE", "/api/tasks/%d/" % task["id"], admin["access"])
    deleted = a.wait_for("task_deleted", lambda d: d["task_id"] == task["id"])
    assert deleted["deleted_by"] == admin["user"]["id"]
    check("task_deleted")

    # A client that disconnects leaves its rooms with user_left.
    b.sio.disconnect()
    watcher.wait_for("user_left", lambda d: d["user_id"] == bob["user"]["id"] and d["room"] == "tasks")
    check("user_left after a disconnect")

    a.sio.disconnect()
    watcher.sio.disconnect()
    print("1..%d" % passed)


if __name__ == "__main__":
    main()
