"""The clock: the wall clock (aware UTC), or a fixed instant an operator gives with `--now`
(an ISO value, naive = Vietnam local time). Only this module reads the wall clock (ruff TID251
bans datetime.now and friends everywhere else); the rest ask the runtime's clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from ..domain.calendar import LOCAL_TZ
from ..domain.errors import InvalidInput


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware UTC."""
        ...


class WallClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class FixedClock:
    """Always the same instant: `--now`, a replayed story, a test."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant


def parse_instant(text: str, field: str = "now") -> datetime:
    """An ISO datetime as aware UTC; a naive one is Vietnam local time."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            field, f"'{text}' is not an ISO datetime such as 2026-03-16T08:00"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(UTC)


def clock_for(text: str | None) -> Clock:
    """`--now`: empty or absent is the wall clock, an ISO value a fixed instant."""
    if text is None or not text.strip():
        return WallClock()
    return FixedClock(parse_instant(text))


def resolve_now(text: str | None) -> datetime:
    """The instant `clock_for(text)` reads (scripts and tests: entry points ask their runtime)."""
    return clock_for(text).now()


def parse_moment(text: str, field: str = "at") -> datetime:
    """`parse_instant`, or dd/mm/yyyy [HH:MM] (Vietnam time): aware UTC; InvalidInput naming
    `field` with the shapes it takes."""
    stripped = text.strip()
    for layout in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return parse_instant(datetime.strptime(stripped, layout).isoformat(), field)
        except ValueError:
            continue
    try:
        return parse_instant(stripped, field)
    except InvalidInput:
        raise InvalidInput(field, f"'{text}' is not a moment such as 2026-03-16T07:30,"
                                  " 2026-03-16T07:30+07:00 or 16/03/2026 07:30") from None
