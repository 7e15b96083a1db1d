"""Realtime in Python: subscriptions to rooms (an iterator with a timeout,
or a callback on a thread of its own) and replay from a cursor."""

from __future__ import annotations

import collections
import threading
import time
from types import TracebackType
from typing import Callable, Deque, Iterable, Iterator, List, Optional, Type, Union

from . import _core
from . import _models as m
from ._database import ActorLike, _actor
from ._errors import ServiceUnavailable

EventCallback = Callable[[m.Event], None]


class Subscription:
    """A connected subscriber: in its own ``user_{id}`` room from the start,
    plus the rooms it joins. Events are queued for it (up to the hub's
    queue limit: past it the subscription is dropped, ``overflowed`` turns
    True and the client should replay from ``cursor``). Thread safe; use it
    as a context manager or call :meth:`close`."""

    def __init__(self, native: _core.Subscriber) -> None:
        self._native = native
        self._buffer: Deque[m.Event] = collections.deque()
        self._lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None

    def join(self, room: str) -> None:
        """Joins ``tasks``, ``project_{name}`` or ``user_{id}`` (another
        user's room needs an admin): ValidationError / PermissionDenied."""
        self._native.join(room)

    def leave(self, room: str) -> None:
        self._native.leave(room)

    @property
    def rooms(self) -> List[str]:
        return list(self._native.rooms)

    @property
    def cursor(self) -> int:
        """The sequence of the newest task event queued for this subscription."""
        return int(self._native.cursor)

    @property
    def overflowed(self) -> bool:
        return bool(self._native.overflowed)

    @property
    def closed(self) -> bool:
        return bool(self._native.closed)

    def get(self, timeout: Optional[float] = None) -> Optional[m.Event]:
        """The next event, waiting up to `timeout` seconds (None: until one
        comes or the subscription closes; 0: only what is already queued);
        None when there is none."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                if self._buffer:
                    return self._buffer.popleft()
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                # Without the GIL, in slices that let signal handlers
                # (Ctrl-C) run in the main thread.
                raw = self._native.take() if left == 0 else self._native.wait(
                    3600.0 if left is None else left)
            except ServiceUnavailable:
                if self.closed:  # closed by another thread meanwhile
                    return None
                raise
            batch = [m.event_from(e) for e in raw]
            with self._lock:
                self._buffer.extend(batch)
            if batch:
                continue
            if self.closed or (deadline is not None and time.monotonic() >= deadline):
                return None

    def events(self, timeout: Optional[float] = None) -> Iterator[m.Event]:
        """Yields events as they come; stops once `timeout` seconds pass
        with none (None: only when the subscription closes)."""
        while True:
            event = self.get(timeout)
            if event is None:
                return
            yield event

    def __iter__(self) -> Iterator[m.Event]:
        return self.events()

    def on_event(self, callback: EventCallback) -> None:
        """Calls `callback(event)` for every event, on a thread of the
        subscription's own, until :meth:`close`. An exception of the
        callback is printed by threading's excepthook and ends delivery."""
        if self._thread is not None:
            raise RuntimeError("this subscription already delivers to a callback")

        def deliver() -> None:
            for event in self.events():
                callback(event)

        self._thread = threading.Thread(target=deliver, name="taskcore-events", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Leaves every room; a get() waiting in another thread returns None."""
        self._native.close()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def __enter__(self) -> "Subscription":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]],
                 exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        self.close()


class Realtime:
    """Rooms, presence and replay (``db.realtime``)."""

    def __init__(self, core: _core.Core, track: Callable[[Subscription], None]) -> None:
        self._core = core
        self._track = track

    def subscribe(self, actor: ActorLike, rooms: Union[str, Iterable[str]] = ("tasks",), *,
                  callback: Optional[EventCallback] = None) -> Subscription:
        """A subscription in `rooms` (and the actor's own user room). With a
        `callback`, events are delivered to it on a thread of their own."""
        if isinstance(rooms, str):
            rooms = [rooms]
        subscription = Subscription(self._core.connect(_actor(actor)))
        try:
            for room in rooms:
                subscription.join(room)
        except BaseException:
            subscription.close()
            raise
        self._track(subscription)
        if callback is not None:
            subscription.on_event(callback)
        return subscription

    def cursor(self) -> int:
        """The newest event sequence: replaying from it means "from now on"."""
        return int(self._core.current_cursor())

    def replay(self, actor: ActorLike, rooms: Union[str, Iterable[str]], cursor: int, *,
               limit: int = 1000) -> m.EventBatch:
        """Task events and notifications after `cursor` for `rooms`, oldest
        first. A cursor older than the retained events is a ValidationError
        whose details carry reason "cursor_expired" and the current cursor."""
        return m.batch_from(self._core.read_events(_actor(actor), _rooms(rooms), cursor, limit))

    def wait(self, actor: ActorLike, rooms: Union[str, Iterable[str]], cursor: int,
             timeout: float, *,
             limit: int = 1000) -> m.EventBatch:
        """Like replay(), but waits up to `timeout` seconds for an event."""
        return m.batch_from(
            self._core.wait_events(_actor(actor), _rooms(rooms), cursor, timeout, limit))

    def presence(self, actor: ActorLike, room: str) -> List[int]:
        """Ids of the users present in `room` on every server, ascending."""
        return list(self._core.presence(_actor(actor), room))

    def stats(self) -> m.RealtimeStats:
        return m.RealtimeStats(**self._core.realtime_stats())


def _rooms(rooms: Union[str, Iterable[str]]) -> List[str]:
    return [rooms] if isinstance(rooms, str) else list(rooms)
