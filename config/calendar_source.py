"""Where the working calendar comes from: the `holidays` package, under the decisions shipped
with chidao (calendar_data/official_days.yaml), under a deployment's own file
(CHIDAO_CALENDAR_FILE), whose entries override the shipped ones day by day. The runtime holds
it in a CalendarHolder, which the scheduler swaps when the deployment's file changes."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..domain.calendar import WorkingCalendar
from ..domain.errors import InvalidInput
from ..domain.official_days import Decision, official_rules, parse_decisions
from ..domain.yaml_input import load_bounded

SHIPPED_FILE = Path(__file__).resolve().parent.parent / "calendar_data" / "official_days.yaml"
CALENDAR_FILE_MAX_BYTES = 1024 * 1024  # a decade of decisions is ~10 KB


def parse_calendar_text(text: str, where: str) -> list[Decision]:
    """The decisions of a calendar file's text; InvalidInput naming `where`, the entry and
    the field ("calendar file x.yaml: entries[3].off[0]: 31/02/2026 does not exist")."""
    return parse_decisions(load_bounded(text, where, CALENDAR_FILE_MAX_BYTES), where)


@lru_cache(maxsize=1)
def shipped_decisions() -> tuple[Decision, ...]:
    """The decisions shipped with chidao."""
    return tuple(parse_calendar_text(SHIPPED_FILE.read_text(encoding="utf-8"),
                                     f"calendar file {SHIPPED_FILE.name}"))


def read_calendar_file(path: Path) -> tuple[list[Decision], str | None]:
    """A deployment's decisions and the file's fingerprint (sha256 of its bytes); a file that
    does not exist (yet) holds none, fingerprint None."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], None
    except OSError as exc:
        raise InvalidInput(f"calendar file {path}", f"cannot read it: {exc.strerror}") from None
    where = f"calendar file {path}"
    if len(data) > CALENDAR_FILE_MAX_BYTES:
        raise InvalidInput(where, f"too large ({len(data):,} bytes; at most"
                                  f" {CALENDAR_FILE_MAX_BYTES:,})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(where, f"not UTF-8 text (byte {exc.start})") from None
    return parse_calendar_text(text, where), hashlib.sha256(data).hexdigest()


def calendar_of(deployment: Sequence[Decision] = ()) -> WorkingCalendar:
    """The package under the shipped decisions under `deployment`'s."""
    return WorkingCalendar(official=official_rules(shipped_decisions(), deployment))


@lru_cache(maxsize=1)
def vietnam_calendar() -> WorkingCalendar:
    """The calendar of the shipped decisions (no deployment file): for tests and benchmarks;
    a process's calendar is its runtime's (`runtime.calendar`)."""
    return calendar_of()


@dataclass(frozen=True)
class CalendarVersion:
    """One reading of the deployment's file: its decisions, the calendar, the fingerprint."""

    deployment: tuple[Decision, ...]
    calendar: WorkingCalendar
    fingerprint: str | None


class CalendarHolder:
    """The calendar in force in this process, swappable: `current` is what runtime.calendar
    returns. `deployment_file`: CHIDAO_CALENDAR_FILE (None: the shipped decisions only)."""

    def __init__(self, deployment_file: Path | None) -> None:
        self.deployment_file = deployment_file
        self._lock = threading.Lock()
        self.version = self.read()
        self.refused: str | None = None  # the fingerprint of a file refused at a reload

    @property
    def current(self) -> WorkingCalendar:
        return self.version.calendar

    def read(self) -> CalendarVersion:
        """The deployment's file as it is now (InvalidInput if it is broken)."""
        if self.deployment_file is None:
            return CalendarVersion((), vietnam_calendar(), None)
        decisions, fingerprint = read_calendar_file(self.deployment_file)
        return CalendarVersion(tuple(decisions), calendar_of(decisions), fingerprint)

    def fingerprint_now(self) -> str | None:
        """The file's fingerprint now, without parsing it."""
        if self.deployment_file is None:
            return None
        try:
            return hashlib.sha256(self.deployment_file.read_bytes()).hexdigest()
        except FileNotFoundError:
            return None

    def changed(self) -> bool:
        return self.fingerprint_now() != self.version.fingerprint

    def swap(self, version: CalendarVersion) -> None:
        with self._lock:
            self.version, self.refused = version, None
