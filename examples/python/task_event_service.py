#!/usr/bin/python3
"""A tiny service reacting to task events: urgent tasks that nobody owns go
to the on-call user, and finished tasks are logged.

    /usr/bin/python3 examples/python/task_event_service.py tasks.db --on-call ada
    /usr/bin/python3 examples/python/task_event_service.py tasks.db --demo

It follows the `tasks` room from a cursor kept in a state file, so a
restart resumes where it stopped and nothing is handled twice. Each wait
wakes at once for changes made in this process and reads the database's
outbox at least every --poll seconds, so changes made by other processes
(taskcore-server on the same database) are seen too. --demo makes a few
changes itself and exits after handling them.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from typing import List, Optional, Sequence

import taskcore


class Dispatcher:
    def __init__(self, db: taskcore.Database, me: taskcore.User, on_call: taskcore.User) -> None:
        self.db = db
        self.me = me
        self.on_call = on_call
        self.log: List[str] = []

    def handle(self, event: taskcore.Event) -> None:
        task = event.task
        if event.type == "task_created" and task is not None:
            if task.priority == "urgent" and task.assigned_to is None:
                self.db.tasks.update(self.me, task.id, assigned_to=self.on_call.id)
                self.say(f"task {task.id} '{task.title}' is urgent: assigned to "
                         f"{self.on_call.username}")
        elif event.type == "task_updated" and task is not None and task.status == "done":
            self.say(f"task {task.id} '{task.title}' is done")
        elif event.type == "task_deleted":
            self.say(f"task {event.task_id} was deleted")

    def say(self, line: str) -> None:
        self.log.append(line)
        print(line, flush=True)


def load_cursor(path: Optional[str], db: taskcore.Database) -> int:
    if path and os.path.exists(path):
        with open(path, encoding="ascii") as f:
            return int(f.read().strip() or 0)
    return db.realtime.cursor()  # first run: from now on


def save_cursor(path: Optional[str], cursor: int) -> None:
    if path:
        with open(path + ".tmp", "w", encoding="ascii") as f:
            f.write(str(cursor))
        os.replace(path + ".tmp", path)


def user_named(db: taskcore.Database, admin: taskcore.User, name: str) -> taskcore.User:
    for user in db.users.iter_all(admin, search=name):
        if user.username == name:
            return user
    return db.users.create(name, f"{name}@example.com", "on-call-password-long", role="member")


def demo_changes(db: taskcore.Database, author: taskcore.User) -> None:
    """What a busy team might do meanwhile (from another thread)."""
    time.sleep(0.2)
    fire = db.tasks.create(author, "Checkout is down", priority="urgent", category="ops")
    db.tasks.create(author, "Tidy the backlog", priority="low")
    db.tasks.update(author, fire.id, status="done")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database")
    parser.add_argument("--on-call", default="oncall", help="username urgent tasks go to")
    parser.add_argument("--state", help="file keeping the cursor between runs")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between outbox reads")
    parser.add_argument("--demo", action="store_true", help="make changes, handle them, exit")
    parser.add_argument("--max-seconds", type=float, default=0, help="stop after (0: never)")
    args = parser.parse_args(argv)

    with taskcore.open(args.database) as db:
        db.users.ensure_admin("dispatcher", "dispatcher@example.com", "dispatcher-password")
        me = db.auth.login("dispatcher", "dispatcher-password").user
        dispatcher = Dispatcher(db, me, user_named(db, me, args.on_call))
        cursor = load_cursor(args.state, db)
        if args.demo:
            threading.Thread(target=demo_changes, args=(db, me), daemon=True).start()
        deadline = time.monotonic() + (args.max_seconds or (10.0 if args.demo else 1e12))
        try:
            while time.monotonic() < deadline:
                batch = db.realtime.wait(me, ["tasks"], cursor, timeout=args.poll)
                for event in batch.events:
                    dispatcher.handle(event)
                cursor = batch.cursor
                save_cursor(args.state, cursor)
                if args.demo and len(dispatcher.log) >= 2:
                    break
        except KeyboardInterrupt:
            pass
        print(f"handled up to event {cursor}; {len(dispatcher.log)} reaction(s)")
        return 0 if dispatcher.log or not args.demo else 1


if __name__ == "__main__":
    sys.exit(main())
