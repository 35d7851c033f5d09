"""What a digest email says, as plain data, and the pure builder of its template context."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ..domain.calendar import WorkingCalendar
from ..domain.directives import RequirementKind
from ..domain.policy import LADDER_KINDS, NotificationKind, kind_on
from ..domain.status import Status
from ..queries.closure_notices import ClosureNotice

# Most urgent first: the subject of a digest is that of its most urgent kind.
KIND_ORDER = [NotificationKind.ESCALATION, NotificationKind.OVERDUE, NotificationKind.DUE_TODAY,
              NotificationKind.RECALLED, NotificationKind.AMENDED, NotificationKind.RETURNED,
              NotificationKind.OVERDUE_COPY, NotificationKind.LEAD_LATE,
              NotificationKind.REMINDER, NotificationKind.ASSIGNED,
              NotificationKind.ISSUED, NotificationKind.ACCEPTED]


@dataclass(frozen=True)
class Recipient:
    code: str
    name: str
    emails: list[str]


@dataclass(frozen=True)
class Person:
    """One person of the recipient unit a message is for (a run's chủ trì): mailed at their
    own address, or at the unit's, addressed to them, when they have none."""

    name: str
    username: str
    email: str


@dataclass(frozen=True)
class Item:
    """One notification: a run of `unit_name` under a directive, at one ladder stage."""

    assignment_id: int
    kind: str
    note: str
    unit_code: str
    unit_name: str
    number_symbol: str
    directive_title: str
    issuer_name: str
    requirement_title: str
    requirement_kind: str
    period: str
    due_on: date
    status: Status
    lead: str = ""  # the run's chủ trì, named to the unit's mailbox
    lead_due: date | None = None  # the chủ trì's own deadline, told in their own mail


@dataclass(frozen=True)
class OpenTask:
    assignment_id: int
    number_symbol: str
    requirement_title: str
    period: str
    due_on: date
    status: Status


@dataclass
class Outgoing:
    id: int
    header_id: str
    to: Recipient
    cc: Recipient | None
    attempts: int = 0
    items: list[Item] = field(default_factory=list)
    open_tasks: list[OpenTask] = field(default_factory=list)
    # closures in force or upcoming over the recipient or within its subtree
    closures: list[ClosureNotice] = field(default_factory=list)
    person: Person | None = None  # a person of `to` (their open tasks are the ones they hold)


def task_link(public_url: str, assignment_id: int) -> str:
    """The absolute address of a task's page on the dashboard (CHIDAO_PUBLIC_URL)."""
    return f"{public_url.rstrip('/')}/assignments/{assignment_id}"


def digest_context(message: Outgoing, *, now: datetime, cal: WorkingCalendar,
                   public_url: str = "http://127.0.0.1:8000") -> dict[str, Any]:
    """Template context: sections per kind (most urgent first), dates as dd/mm/yyyy, and each
    task's absolute link."""
    today = cal.local_date(now)
    sections = _sections(message.items, today, cal)
    for section in sections:
        for entry in section["entries"]:
            entry["link"] = task_link(public_url, entry["assignment_id"])
    listed = {i.assignment_id for i in message.items}
    return {
        "to": message.to, "cc": message.cc, "person": message.person, "sections": sections,
        "main_kind": sections[0]["kind"] if sections else NotificationKind.REMINDER.value,
        "count": len(sections[0]["entries"]) if sections else 0,
        "open_tasks": [{"number_symbol": t.number_symbol, "title": t.requirement_title,
                        "period": t.period, "due": f"{t.due_on:%d/%m/%Y}",
                        "status": t.status.label, "overdue": t.due_on < today,
                        "link": task_link(public_url, t.assignment_id)}
                       for t in message.open_tasks if t.assignment_id not in listed],
        "closures": [_closure(c) for c in message.closures if c.ends_on >= today],
        "today": f"{today:%d/%m/%Y}",
        "sent_at": f"{now.astimezone(cal.tz):%H:%M %d/%m/%Y}",
    }


def _closure(notice: ClosureNotice) -> dict[str, Any]:
    """A closure as the digest tells it: what is closed, when, why; deadlines and reminders."""
    return {"state": notice.state, "what": notice.what, "span": notice.span, "why": notice.why,
            "consequence": notice.consequence, "in_force": notice.in_force}


def _sections(items: list[Item], today: date, cal: WorkingCalendar) -> list[dict[str, Any]]:
    """One section per kind as of `today`, most urgent first. A return of a run that also has
    a reminder here is told on the reminder's line, with its reason: each run listed once,
    under its most pressing heading."""
    reminded = {i.assignment_id for i in items if i.kind in LADDER_KINDS}
    returns: dict[int, list[str]] = defaultdict(list)
    shown = []
    for i in items:
        if i.kind == NotificationKind.RETURNED and i.assignment_id in reminded:
            returns[i.assignment_id].append(i.note)
        else:
            shown.append(i)
    sections = []
    for kind in KIND_ORDER:
        entries = [_item(i, today, cal, returns[i.assignment_id] if i.kind in LADDER_KINDS
                         else []) for i in shown if kind_on(i.kind, i.due_on, today) is kind]
        if entries:
            sections.append({"kind": kind.value, "entries": entries})
    return sections


def _item(item: Item, today: date, cal: WorkingCalendar, returns: list[str]) -> dict[str, Any]:
    gap = working_gap(cal, today, item.due_on)
    return {
        "assignment_id": item.assignment_id, "unit": item.unit_name, "unit_code": item.unit_code,
        "number_symbol": item.number_symbol, "directive_title": item.directive_title,
        "issuer": item.issuer_name, "title": item.requirement_title,
        "what": RequirementKind(item.requirement_kind).label, "period": item.period,
        "due": f"{item.due_on:%d/%m/%Y}", "status": item.status.label,
        "days_left": max(gap, 0), "days_late": max(-gap, 0) if item.due_on < today else 0,
        "deadline": deadline_phrase(item.due_on, today, cal), "note": item.note,
        "returns": returns, "lead": item.lead,
        "lead_due": f"{item.lead_due:%d/%m/%Y}" if item.lead_due else "",
    }


@lru_cache(maxsize=4096)
def working_gap(cal: WorkingCalendar, today: date, due_on: date) -> int:
    """Working days from `today` to `due_on`, counted once per calendar and pair of days (the
    digests of a delivery share a few deadlines; a calendar never changes once made)."""
    return cal.working_days_between(today, due_on)


def deadline_phrase(due_on: date, today: date, cal: WorkingCalendar) -> str:
    """Where the deadline stands on the day the digest is sent, as a sentence start."""
    if due_on == today:
        return "Hôm nay là hạn chót"
    gap = working_gap(cal, today, due_on)
    if due_on > today:
        return f"Còn {gap} ngày làm việc" if gap else "Hạn chót là ngày nghỉ sắp tới"
    return f"Đã quá hạn {-gap} ngày làm việc" if gap else "Đã quá hạn"
