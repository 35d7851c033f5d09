"""The reminder / escalation ladder as data, and the pure decision of which stage is due."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from domain.calendar import WorkingCalendar


class NotificationKind(StrEnum):
    ISSUED = "issued"
    REMINDER = "reminder"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    RETURNED = "returned"


class Audience(StrEnum):
    UNIT = "unit"
    PARENT = "parent"
    GRANDPARENT = "grandparent"


@dataclass(frozen=True)
class Rung:
    offset: int  # working days from the deadline: -3 = three working days before
    kind: NotificationKind
    to: Audience
    cc: Audience | None = None


class PolicySpec(BaseModel):
    """`reminders:` in a directive or a requirement; keys left out keep the default ladder:
    remind 7, 3 and 1 working days before and on the due day; urge the unit (cc its parent)
    1 working day after; tell the parent after 3 and the grandparent after 7; then repeat the
    top rung every 5 working days until the run is closed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    before: list[int] = Field(default_factory=lambda: [7, 3, 1])
    on_due_day: bool = True
    overdue_after: int | None = Field(default=1, ge=1)
    escalate_parent_after: int | None = Field(default=3, ge=1)
    escalate_grandparent_after: int | None = Field(default=7, ge=1)
    repeat_every: int = Field(default=5, ge=0)

    def rungs(self) -> tuple[Rung, ...]:
        rungs = [Rung(-n, NotificationKind.REMINDER, Audience.UNIT) for n in self.before if n > 0]
        if self.on_due_day:
            rungs.append(Rung(0, NotificationKind.DUE_TODAY, Audience.UNIT))
        if self.overdue_after:
            rungs.append(Rung(self.overdue_after, NotificationKind.OVERDUE, Audience.UNIT,
                              Audience.PARENT))
        if self.escalate_parent_after:
            rungs.append(Rung(self.escalate_parent_after, NotificationKind.ESCALATION,
                              Audience.PARENT))
        if self.escalate_grandparent_after:
            rungs.append(Rung(self.escalate_grandparent_after, NotificationKind.ESCALATION,
                              Audience.GRANDPARENT))
        by_offset = {r.offset: r for r in rungs}  # a later rule wins a shared day
        return tuple(by_offset[o] for o in sorted(by_offset))


def merge_policies(*layers: dict[str, Any] | None) -> dict[str, Any]:
    """Directive-level then requirement-level overrides, validated, as a stored dict."""
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update(layer or {})
    return PolicySpec.model_validate(merged).model_dump()


@dataclass(frozen=True)
class Stage:
    key: str  # unique per run: the dedupe key of its notification
    kind: NotificationKind
    to: Audience
    cc: Audience | None
    fire_at: datetime


@dataclass(frozen=True)
class Decision:
    send: Stage | None  # the latest stage due (earlier missed ones are skipped)
    cursor: datetime | None  # fire time of the last stage dealt with
    next_action_at: datetime | None  # when the sweep must look again; None = never


def ladder(
    due_on: date, created_at: datetime, policy: PolicySpec, cal: WorkingCalendar,
    send_at: time,
) -> Iterator[Stage]:
    """Every stage of a run in firing order: 'issued', the rungs, then repeats without end."""
    finite = [Stage("issued", NotificationKind.ISSUED, Audience.UNIT, None, created_at)]
    rungs = policy.rungs()
    for rung in rungs:
        day = cal.add_working_days(due_on, rung.offset)
        finite.append(Stage(f"{due_on}/d{rung.offset:+d}", rung.kind, rung.to, rung.cc,
                            cal.at_local(day, send_at)))
    yield from sorted(finite, key=lambda s: s.fire_at)
    if not (policy.repeat_every and rungs and rungs[-1].offset > 0):
        return
    top, offset = rungs[-1], rungs[-1].offset
    while True:
        offset += policy.repeat_every
        day = cal.add_working_days(due_on, offset)
        yield Stage(f"{due_on}/d{offset:+d}", top.kind, top.to, top.cc, cal.at_local(day, send_at))


def decide(
    due_on: date, created_at: datetime, cursor: datetime | None, policy: PolicySpec,
    cal: WorkingCalendar, send_at: time, now: datetime,
) -> Decision:
    """Which stage to send now (only the latest due one) and when to look next."""
    send: Stage | None = None
    for stage in ladder(due_on, created_at, policy, cal, send_at):
        if cursor is not None and stage.fire_at <= cursor:
            continue
        if stage.fire_at > now:
            return Decision(send, send.fire_at if send else cursor, stage.fire_at)
        send = stage
    return Decision(send, send.fire_at if send else cursor, None)


def in_sending_hours(now: datetime, cal: WorkingCalendar, start: time, end: time) -> bool:
    """Mail goes out on working days, between `start` and `end` local time."""
    local = now.astimezone(cal.tz)
    return cal.is_working_day(local.date()) and start <= local.time() < end
