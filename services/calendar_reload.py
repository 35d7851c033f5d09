"""A new day-off decision takes effect without a restart: the scheduler reads the deployment's
calendar file again when it changed (`reload_calendar`), or an operator adds a decision with
`chidao calendar add` (`add_decision`); either way the open runs whose deadlines the decision
moves are recomputed (chidao.services.deadline_refresh) in one transaction, with the decision
as the audit reason, and the process's calendar is swapped."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from ..config.calendar_source import (
    CalendarHolder,
    CalendarVersion,
    calendar_of,
    parse_calendar_text,
    shipped_decisions,
)
from ..db.database import transaction
from ..domain.errors import InvalidInput
from ..domain.official_days import Decision
from ..domain.rules import Rules
from ..files.calendar_file import replace_file, with_decision
from .deadline_refresh import refresh_deadlines

log = logging.getLogger("chidao.calendar")


@dataclass(frozen=True)
class CalendarReload:
    changed: bool  # a new calendar is in force
    moved: int = 0  # open runs whose deadline moved
    reason: str = ""  # "Lịch nghỉ: Quyết định …" (empty: no day changed)
    problem: str | None = None  # the file was refused; the calendar in force stays


def change_reason(old: CalendarVersion, new: CalendarVersion) -> str:
    """"Lịch nghỉ: <the decisions whose days changed>"; empty if no day changed."""
    before, after = old.calendar.official, new.calendar.official
    days = sorted(d for d in before.keys() | after.keys() if before.get(d) != after.get(d))
    sources: list[str] = []
    for day in days:
        rule = after.get(day)
        source = rule.source if rule is not None else f"bỏ {before[day].source}"
        if source not in sources:
            sources.append(source)
    return f"Lịch nghỉ: {'; '.join(sources)}" if sources else ""


def reload_calendar(holder: CalendarHolder, engine: Engine, *, now: datetime,
                    rules: Rules) -> CalendarReload:
    """Read the deployment's file again if it changed; recompute the runs its decisions move
    and swap the calendar in. A broken file is refused (logged once per problem): the
    calendar in force stays, and the scheduler goes on."""
    try:
        if not holder.changed():
            return CalendarReload(False)
        version = holder.read()
    except (InvalidInput, OSError) as exc:
        problem = str(exc)
        if holder.refused != problem:
            log.error("calendar file refused, the calendar in force stays: %s", problem)
            holder.refused = problem
        return CalendarReload(False, problem=problem)
    before = holder.version
    reason = change_reason(before, version)
    # In force before the runs move, so a sweep running meanwhile already reads the new days;
    # put back if the recompute fails (the next check then tries again).
    holder.swap(version)
    moved = 0
    try:
        if reason:
            with transaction(engine) as session:
                moved = refresh_deadlines(session, calendar=version.calendar, rules=rules,
                                          now=now, reason=reason)
    except BaseException:
        holder.swap(before)
        raise
    log.info("calendar file %s read again: %s; %d open runs moved", holder.deployment_file,
             reason or "no day changed", moved)
    return CalendarReload(True, moved, reason)


def apply_in_force(holder: CalendarHolder, engine: Engine, *, now: datetime,
                   rules: Rules) -> CalendarReload:
    """The calendar in force (the decisions shipped with this version of chidao and the
    deployment's file) applied to every open run, in one transaction: after an upgrade that
    ships new decisions, or a file edited while no worker ran. Runs already right are left
    alone; each moved one names the decisions of the last year and after."""
    today = holder.current.local_date(now)
    recent = [d.source for d in (*shipped_decisions(), *holder.version.deployment)
              if any(day >= today - timedelta(days=366) for day in (*d.off, *d.working))]
    reason = "Lịch nghỉ đang áp dụng" + (f": {'; '.join(dict.fromkeys(recent))}"
                                          if recent else "")
    with transaction(engine) as session:
        moved = refresh_deadlines(session, calendar=holder.current, rules=rules, now=now,
                                  reason=reason)
    return CalendarReload(False, moved, reason)


def add_decision(holder: CalendarHolder, engine: Engine, decision: Decision, *,
                 now: datetime, rules: Rules) -> CalendarReload:
    """Append `decision` to the deployment's file and recompute the runs it moves: one
    transaction (the file is replaced just before the commit, and put back if it fails)."""
    path = holder.deployment_file
    if path is None:
        raise InvalidInput("CHIDAO_CALENDAR_FILE", "not set: the deployment's calendar file"
                                                   " (a path) receives the decision")
    text = with_decision(path, decision)
    decisions = parse_calendar_text(text, f"calendar file {path}")
    version = CalendarVersion(tuple(decisions), calendar_of(decisions),
                              hashlib.sha256(text.encode("utf-8")).hexdigest())
    reason = change_reason(holder.version, version)
    old = path.read_bytes() if path.exists() else None
    written = False
    try:
        with transaction(engine) as session:
            moved = refresh_deadlines(session, calendar=version.calendar, rules=rules,
                                      now=now, reason=reason) if reason else 0
            replace_file(path, text)
            written = True
    except BaseException:
        if written:
            _put_back(path, old)
        raise
    holder.swap(version)
    return CalendarReload(True, moved, reason)


def _put_back(path: Path, old: bytes | None) -> None:
    if old is None:
        path.unlink(missing_ok=True)
    else:
        replace_file(path, old.decode("utf-8-sig"))
