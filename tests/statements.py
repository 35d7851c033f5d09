"""Counting the SQL statements a piece of code sends (SQLAlchemy's before_cursor_execute event
on the engine): a read whose count grows with the number of rows is an N+1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event


@dataclass
class Statements:
    sent: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.sent)

    def __str__(self) -> str:
        return "\n".join(f"{i + 1:3}. {' '.join(s.split())[:160]}"
                         for i, s in enumerate(self.sent))


@contextmanager
def counted(engine: Engine) -> Iterator[Statements]:
    """Every statement the engine sends while the block runs (SAVEPOINTs included)."""
    found = Statements()

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        found.sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", record)
