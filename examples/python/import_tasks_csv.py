#!/usr/bin/python3
"""Imports tasks from a CSV file into a taskcore database, with a progress
bar and a summary report.

    /usr/bin/python3 examples/python/import_tasks_csv.py tasks.db examples/python/tasks.csv

Columns: title, description, status, priority, category, project, due_date
(YYYY-MM-DD), assignee (a username; created as a member when unknown).
Rows are imported in batches, each batch in one transaction; a row the core
refuses is reported with its line number and its field errors, and the rest
of its batch is imported without it.
"""

from __future__ import annotations

import argparse
import collections
import csv
import sys
import time
from typing import Dict, List, Optional, Sequence, TextIO, Tuple

import taskcore

FIELDS = ("title", "description", "status", "priority", "category", "project", "due_date")
Row = Tuple[int, Dict[str, object]]  # (line number, task fields)


def progress(done: int, total: int, out: TextIO, width: int = 30) -> None:
    filled = width * done // max(total, 1)
    out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        out.write("\n")
    out.flush()


def read_rows(path: str) -> List[Tuple[int, Dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return [(reader.line_num, row) for row in reader]


class Importer:
    def __init__(self, db: taskcore.Database, importer: taskcore.User) -> None:
        self.db = db
        self.importer = importer
        self.users: Dict[str, int] = {}
        self.rejected: List[Tuple[int, Dict[str, List[str]]]] = []
        self.imported: List[taskcore.Task] = []

    def assignee_id(self, username: str) -> Optional[int]:
        if not username:
            return None
        if username not in self.users:
            user = self.db.users.create(username, f"{username}@example.com",
                                        "imported-user-password", role="member")
            self.users[username] = user.id
        return self.users[username]

    def fields(self, line: int, row: Dict[str, str]) -> Optional[Row]:
        values: Dict[str, object] = {k: row[k] for k in FIELDS if row.get(k)}
        values.setdefault("title", "")
        try:
            assignee = self.assignee_id(row.get("assignee", "").strip())
        except taskcore.ValidationError as error:
            self.rejected.append((line, {"assignee": sum(error.field_errors.values(), [])}))
            return None
        if assignee is not None:
            values["assigned_to"] = assignee
        return line, values

    def import_batch(self, batch: Sequence[Row]) -> None:
        """One transaction; rows the core refuses are set aside, the rest retried."""
        rows = list(batch)
        while rows:
            try:
                self.imported += self.db.tasks.create_many(self.importer, [f for _, f in rows])
                return
            except taskcore.ValidationError as error:
                bad = self.refused_rows(error, len(rows))
                for index in sorted(bad, reverse=True):
                    line, _ = rows.pop(index)
                    self.rejected.append((line, bad[index]))

    @staticmethod
    def refused_rows(error: taskcore.ValidationError, count: int) -> Dict[int, Dict[str, List[str]]]:
        # create_many names each field error "<index>.<field>".
        bad: Dict[int, Dict[str, List[str]]] = collections.defaultdict(dict)
        for name, messages in error.field_errors.items():
            index, _, field = name.partition(".")
            if index.isdigit() and int(index) < count:
                bad[int(index)][field] = messages
        if not bad:
            raise error  # not about a row: nothing to skip
        return bad


def report(importer: Importer, seconds: float, out: TextIO) -> None:
    tasks = importer.imported
    out.write(f"imported {len(tasks)} task(s), rejected {len(importer.rejected)} "
              f"row(s) in {seconds:.2f} s\n")
    for title, key in (("status", "status"), ("priority", "priority"),
                       ("category", "category")):
        counts = collections.Counter(str(getattr(t, key) or "-") for t in tasks)
        summary = ", ".join(f"{name} {n}" for name, n in counts.most_common())
        out.write(f"  by {title}: {summary}\n")
    dated = sorted((t for t in tasks if t.due_date), key=lambda t: t.due_date or 0)
    if dated:
        out.write(f"  first due: {dated[0].title} on {dated[0].due_date}\n")
    for line, errors in importer.rejected:
        detail = "; ".join(f"{f}: {' '.join(m)}" for f, m in sorted(errors.items()))
        out.write(f"  line {line} rejected: {detail}\n")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database", help="SQLite file or postgresql:// URI")
    parser.add_argument("csv_file")
    parser.add_argument("--batch", type=int, default=200, help="rows per transaction")
    parser.add_argument("--user", default="importer", help="the admin who imports")
    parser.add_argument("--password", default="importer-password-long")
    args = parser.parse_args(argv)

    rows = read_rows(args.csv_file)
    started = time.monotonic()
    with taskcore.open(args.database) as db:
        # The importer is an admin: it looks up and creates the assignees.
        db.users.ensure_admin(args.user, f"{args.user}@example.com", args.password)
        admin = db.auth.login(args.user, args.password).user
        importer = Importer(db, admin)
        importer.users = {u.username: u.id for u in db.users.iter_all(admin)}
        done = 0
        for start in range(0, len(rows), args.batch):
            chunk = rows[start:start + args.batch]
            batch = [importer.fields(line, row) for line, row in chunk]
            importer.import_batch([r for r in batch if r is not None])
            done += len(chunk)
            progress(done, len(rows), sys.stderr)
        report(importer, time.monotonic() - started, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
