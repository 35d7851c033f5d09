"""Cascade views kept while they hold: a Sở's twenty people opening the same national view cost
one computation, not twenty. A view is reused only while nothing it counts has changed: the key
holds the data version (the newest status change or deadline move, every one of which writes an
assignment_event row, and the newest directive), both read by primary key in one statement, and
the caller says until when a kept view is still true (a deadline passing makes runs late: see
chidao.web.pages_cascade). Unit renames and moves show within `max_age` (five minutes); so does,
on PostgreSQL, a transaction that commits after a later-numbered one."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from ..domain.assignments import assignment_event_table
from ..domain.directives import directive_table

MAX_AGE = 300.0


def data_version(session: Session) -> tuple[Any, ...]:
    """What changes whenever a run's status or deadline changes or a directive is issued."""
    row = session.execute(select(
        select(func.max(assignment_event_table.c.id)).scalar_subquery(),
        select(func.max(directive_table.c.id)).scalar_subquery())).one()
    return tuple(row)


def minute_of(now: datetime) -> datetime:
    """The instant a cached view is computed at: `now` to the minute (what pages show)."""
    return now.replace(second=0, microsecond=0)


class ViewCache:
    """A small LRU of computed views; one computation per key at a time (the others wait for
    it), entries dropped after `max_age` seconds whatever their key."""

    def __init__(self, size: int = 256, max_age: float = MAX_AGE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._building: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self._size, self._max_age, self._clock = size, max_age, clock

    def get(self, key: Hashable, build: Callable[[], Any],
            holds: Callable[[Any], bool] = lambda _value: True) -> Any:
        """The value kept under `key` if `holds(value)`, else `build()` (kept)."""
        found = self._fresh(key, holds)
        if found is not None:
            return found
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            found = self._fresh(key, holds)
            if found is None:
                found = build()
                with self._lock:
                    self._entries[key] = (self._clock(), found)
                    while len(self._entries) > self._size:
                        self._entries.popitem(last=False)
            with self._lock:
                self._building.pop(key, None)
        return found

    def _fresh(self, key: Hashable, holds: Callable[[Any], bool]) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if self._clock() - entry[0] > self._max_age or not holds(entry[1]):
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]
