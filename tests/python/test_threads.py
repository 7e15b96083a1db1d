"""One Database shared by many Python threads; the GIL is released in core calls."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Set

import pytest

import taskcore
from conftest import PASSWORD, Team

TIMEOUT = 30.0


def run_threads(count: int, target: Callable[[int], None]) -> List[BaseException]:
    """Runs target(i) on `count` threads; the exceptions they raised."""
    errors: List[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(count)

    def body(i: int) -> None:
        try:
            start.wait(TIMEOUT)
            target(i)
        except BaseException as error:  # noqa: B902 - collected for the assertion
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
        assert not thread.is_alive(), "a worker thread hung"
    return errors


def test_many_threads_create_and_list(db: taskcore.Database, team: Team) -> None:
    users = [db.users.create(f"worker{i}", f"worker{i}@example.com", PASSWORD, role="member")
             for i in range(8)]
    created: Dict[int, List[int]] = {}

    def work(i: int) -> None:
        ids: List[int] = []
        for n in range(50):
            task = db.tasks.create(users[i], f"t{i}-{n}", project=f"p{i % 2}")
            ids.append(task.id)
            if n % 10 == 0:
                page = db.tasks.list(users[i], created_by=users[i])
                assert page.count == n + 1
        created[i] = ids

    assert run_threads(8, work) == []
    all_ids = [task_id for ids in created.values() for task_id in ids]
    assert len(all_ids) == 400
    assert len(set(all_ids)) == 400
    assert db.tasks.list(team.admin).count == 400
    assert db.tasks.list(team.admin, project="p0").count == 200
    for i, user in enumerate(users):
        mine = list(db.tasks.iter_all(team.admin, created_by=user))
        assert sorted(t.id for t in mine) == sorted(created[i])
        assert {t.title for t in mine} == {f"t{i}-{n}" for n in range(50)}


def test_concurrent_updates_of_one_task(db: taskcore.Database, team: Team) -> None:
    task = db.tasks.create(team.manager, "contended")

    def work(i: int) -> None:
        for n in range(20):
            updated = db.tasks.update(team.manager, task.id, description=f"{i}-{n}")
            assert updated.id == task.id

    assert run_threads(4, work) == []
    final = db.tasks.get(team.manager, task.id)
    assert final.description in {f"{i}-19" for i in range(4)}
    updates = db.audit.list(team.admin, action="task_update").count
    assert updates == 80


def test_subscribers_on_threads_see_every_event_once(db: taskcore.Database,
                                                     team: Team) -> None:
    writers = 4
    per_writer = 15
    expected = writers * per_writer
    subs = [db.realtime.subscribe(team.viewer) for _ in range(3)]
    seen: List[Set[int]] = [set() for _ in subs]
    duplicates: List[int] = []

    def reader(k: int) -> None:
        deadline = time.monotonic() + TIMEOUT
        while len(seen[k]) < expected and time.monotonic() < deadline:
            event = subs[k].get(timeout=1.0)
            if event is not None and event.type == "task_created":
                if event.task_id in seen[k]:
                    duplicates.append(event.task_id)
                seen[k].add(event.task_id)

    readers = [threading.Thread(target=reader, args=(k,)) for k in range(len(subs))]
    for thread in readers:
        thread.start()

    def write(i: int) -> None:
        for n in range(per_writer):
            db.tasks.create(team.manager, f"w{i}-{n}")

    try:
        assert run_threads(writers, write) == []
        for thread in readers:
            thread.join(TIMEOUT * 2)
            assert not thread.is_alive()
    finally:
        for sub in subs:
            sub.close()
    ids = {t.id for t in db.tasks.iter_all(team.admin)}
    assert len(ids) == expected
    assert duplicates == []
    assert all(s == ids for s in seen)


def progress_during(call: Callable[[], object]) -> tuple[int, float]:
    """Runs `call` on another thread while this one spins in pure Python;
    returns how many iterations ran while the call was under way (measured
    from 0.1 s after the call began to its end, so no start-up slack counts)
    and how long the call took."""
    entered = threading.Event()
    window: List[float] = []

    def worker() -> None:
        window.append(time.monotonic())
        entered.set()
        call()
        window.append(time.monotonic())

    thread = threading.Thread(target=worker)
    thread.start()
    assert entered.wait(TIMEOUT)
    stamps: List[float] = []
    n = 0
    while thread.is_alive():
        n += 1
        if n % 256 == 0:
            stamps.append(time.monotonic())
    thread.join()
    begin, end = window
    inside = sum(1 for s in stamps if begin + 0.1 <= s <= end) * 256
    return inside, end - begin


def test_gil_released_while_a_subscription_waits(db: taskcore.Database, team: Team) -> None:
    sub = db.realtime.subscribe(team.viewer, [])
    try:
        while sub.get(timeout=0.05) is not None:
            pass  # the presence events of subscribing
        iterations, took = progress_during(lambda: sub.get(timeout=1.0))
    finally:
        sub.close()
    assert took >= 0.9
    # held GIL: zero iterations inside the window; released: a great many
    assert iterations > 20_000, iterations


def test_gil_released_while_realtime_waits(db: taskcore.Database, team: Team) -> None:
    cursor = db.realtime.cursor()
    iterations, took = progress_during(
        lambda: db.realtime.wait(team.viewer, ["tasks"], cursor, 1.0))
    assert took >= 0.9
    assert iterations > 20_000, iterations


def test_logins_run_without_the_gil(tmp_path: Path) -> None:
    """argon2 at its real cost: two threads log in over and over while a third
    spins in pure Python. Holding the GIL, the spinner would only run in the
    gaps between logins (a few per cent of the time); released, it keeps a
    large share of its solo speed."""
    with taskcore.open(tmp_path / "slow.db") as db:  # the default password cost
        db.users.create("alice", "alice@example.com", PASSWORD)
        db.users.create("bob", "bob@example.com", PASSWORD)
        start = time.perf_counter()
        db.auth.login("alice", PASSWORD)
        one_login = time.perf_counter() - start

        def spin(seconds: float) -> float:
            """Iterations per second of a pure-Python loop."""
            n = 0
            begin = time.perf_counter()
            while time.perf_counter() - begin < seconds:
                n += 1
            return n / (time.perf_counter() - begin)

        solo = spin(0.3)
        rounds = max(3, int(0.4 / max(one_login, 0.005)))
        sessions: List[str] = []
        lock = threading.Lock()
        done = threading.Event()

        def logins(i: int) -> None:
            name = ("alice", "bob")[i]
            for _ in range(rounds):
                login = db.auth.login(name, PASSWORD)
                with lock:
                    sessions.append(login.actor.session_id)

        errors: List[BaseException] = []

        def run_logins() -> None:
            errors.extend(run_threads(2, logins))
            done.set()

        runner = threading.Thread(target=run_logins)
        runner.start()
        n = 0
        begin = time.perf_counter()
        while not done.is_set():
            n += 1
        during = n / (time.perf_counter() - begin)
        runner.join(TIMEOUT)
        assert errors == []
        assert len(sessions) == 2 * rounds
        assert len(set(sessions)) == 2 * rounds
        assert during > 0.3 * solo, (during, solo)


def test_close_while_threads_are_mid_call(tmp_path: Path) -> None:
    db = taskcore.open(tmp_path / "t.db", fast_passwords=True)
    manager = db.users.create("manager", "manager@example.com", PASSWORD, role="manager")
    progress = [0] * 6
    outcomes: List[str] = []
    unexpected: List[BaseException] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        try:
            while True:
                if i == 5:
                    db.realtime.wait(manager, ["tasks"], db.realtime.cursor(), 0.2)
                elif i % 2:
                    db.tasks.list(manager, page_size=5)
                else:
                    db.tasks.create(manager, f"t{i}")
                progress[i] += 1
        except taskcore.ServiceUnavailable:
            with lock:
                outcomes.append("service_unavailable")
        except BaseException as error:  # noqa: B902
            with lock:
                unexpected.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + TIMEOUT
    while min(progress) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert min(progress) >= 3
    db.close()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive()
    assert unexpected == []
    assert outcomes == ["service_unavailable"] * 6
    assert db.closed
    # the data written before close is intact
    with taskcore.open(tmp_path / "t.db", fast_passwords=True) as again:
        assert again.tasks.list(manager).count >= 3 * 3


def test_close_from_another_thread_wakes_subscribers(db: taskcore.Database,
                                                     team: Team) -> None:
    sub = db.realtime.subscribe(team.viewer)
    finished = threading.Event()

    def consume() -> None:
        for _ in sub.events():  # no timeout: ends only when closed
            pass
        finished.set()

    thread = threading.Thread(target=consume)
    thread.start()
    closer = threading.Thread(target=db.close)
    closer.start()
    closer.join(TIMEOUT)
    assert not closer.is_alive()
    assert finished.wait(TIMEOUT)
    thread.join(TIMEOUT)
    assert sub.closed


@pytest.mark.parametrize("threads", [4])
def test_shared_users_service_under_contention(db: taskcore.Database, team: Team,
                                               threads: int) -> None:
    def register(i: int) -> None:
        for n in range(10):
            db.users.register(f"r{i}_{n}", f"r{i}_{n}@example.com", PASSWORD)

    assert run_threads(threads, register) == []
    assert db.users.list(team.admin, search="r", page_size=100).count >= threads * 10

    conflicts: List[BaseException] = []

    def same_name(i: int) -> None:
        try:
            db.users.register("racer", f"racer{i}@example.com", PASSWORD)
        except taskcore.Conflict as error:
            conflicts.append(error)

    assert run_threads(threads, same_name) == []
    assert len(conflicts) == threads - 1
    assert db.users.list(team.admin, search="racer").count == 1
