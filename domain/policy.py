"""The reminder / escalation ladder as data, and the pure decision of which stage is due."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from .calendar import WorkingCalendar
from .status import Status


class NotificationKind(StrEnum):
    ISSUED = "issued"
    REMINDER = "reminder"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    OVERDUE_COPY = "overdue_copy"  # the parent's copy of an urging: a line in its own digest
    RETURNED = "returned"
    ACCEPTED = "accepted"
    RECALLED = "recalled"  # the directive was withdrawn (thu hồi): the run closed
    AMENDED = "amended"  # the directive amended (sửa đổi, bổ sung): the run's changes
    ASSIGNED = "assigned"  # a person put on a run as its chủ trì (chidao.services.holders)
    LEAD_LATE = "lead_late"  # the head told: the chủ trì's own deadline passed

    @property
    def label(self) -> str:
        """What the notice says of its task, as the dashboard lists it."""
        return {"issued": "nhiệm vụ mới", "reminder": "nhắc hạn", "due_today": "hạn hôm nay",
                "overdue": "quá hạn", "escalation": "đơn vị trực thuộc quá hạn",
                "overdue_copy": "đơn vị trực thuộc quá hạn", "returned": "bị trả lại",
                "accepted": "được chấp nhận", "recalled": "văn bản bị thu hồi",
                "amended": "văn bản được sửa đổi, bổ sung",
                "assigned": "được giao chủ trì",
                "lead_late": "chủ trì trễ hạn cá nhân"}[self.value]


# Stages of the ladder that only say "this run is still open": a newer one replaces an older
# one of the same run waiting in the same digest, and none is sent once the unit has handed
# the run in or it was closed. Events (new task, return, acceptance) are never replaced.
LADDER_KINDS = frozenset({NotificationKind.REMINDER, NotificationKind.DUE_TODAY,
                          NotificationKind.OVERDUE, NotificationKind.OVERDUE_COPY,
                          NotificationKind.ESCALATION})
# Events (told even when the run is closed, never withdrawn): the issuer's decisions on a
# handed-in run, and what it did to the whole directive (a recall, an amendment).
STATUS_EVENTS = frozenset({NotificationKind.RETURNED, NotificationKind.ACCEPTED,
                           NotificationKind.RECALLED, NotificationKind.AMENDED})


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


def audience_unit(
    audience: Audience, unit_id: int, parent_id: int | None, grandparent_id: int | None,
    issuer_id: int,
) -> int | None:
    """The unit an audience names for a run of `unit_id`, never above the directive's issuer:
    the chain unit → parent → grandparent is cut at the issuer, which is then the top
    recipient (a grandparent escalation of a run whose parent issued the directive goes to
    the issuer). Without a grandparent the parent is the top of the tree."""
    chain = [u for u in (unit_id, parent_id, grandparent_id) if u is not None]
    if issuer_id in chain:
        chain = chain[:chain.index(issuer_id) + 1]
    if audience is Audience.UNIT:
        return unit_id
    above = chain[1:]
    if not above:
        return None
    return above[0] if audience is Audience.PARENT else above[-1]


def is_stale(kind: str, stage: str, status: Status, due_on: date) -> bool:
    """Whether a notification no longer has anything to say when it is about to go out:
    a return, an acceptance, a recall or an amendment always does; a new task or a ladder
    stage does not once the run is handed in, accepted, cancelled or waived, nor a ladder
    stage of a deadline that has since been moved (its key names the old due date)."""
    if kind in STATUS_EVENTS:
        return False
    if not status.awaits_unit:
        return True
    return kind in LADDER_KINDS and not stage.startswith(f"{due_on.isoformat()}/")


class _Notice(Protocol):
    @property
    def assignment_id(self) -> int: ...

    @property
    def kind(self) -> str: ...


N = TypeVar("N", bound=_Notice)


def digest_items(notices: Iterable[N]) -> list[N]:
    """What one recipient's digest lists, in the given (oldest first) order: every event,
    and of the ladder stages only the newest of each run."""
    notices = list(notices)
    newest = {n.assignment_id: i for i, n in enumerate(notices) if n.kind in LADDER_KINDS}
    return [n for i, n in enumerate(notices)
            if n.kind not in LADDER_KINDS or newest[n.assignment_id] == i]


def kind_on(kind: str, due_on: date, today: date) -> NotificationKind:
    """The kind a reminder has on the day it is sent: one written before the due day but
    sent on it is a due-today notice, and one sent after it an urging."""
    current = NotificationKind(kind)
    if current not in (NotificationKind.REMINDER, NotificationKind.DUE_TODAY):
        return current
    if due_on > today:
        return NotificationKind.REMINDER
    return NotificationKind.DUE_TODAY if due_on == today else NotificationKind.OVERDUE
