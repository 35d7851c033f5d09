"""A sweep's notifications in words: the run's unit and task, the stage as the ladder names it,
and who it goes to (for `chidao sweep --dry-run` and its --json)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from ..domain.assignments import assignment_table
from ..domain.directives import directive_table, format_number_symbol, requirement_table
from ..domain.policy import NotificationKind
from ..domain.units import unit_table

_a, _r, _d, _u = assignment_table.c, requirement_table.c, directive_table.c, unit_table.c
_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}/d([+-]\d+)(/cc)?$")


def stage_words(kind: str, stage: str) -> str:
    """The ladder stage of a notification in Vietnamese, e.g. 'nhắc hạn 3 ngày làm việc trước
    hạn', 'quá hạn 1 ngày làm việc: đôn đốc đơn vị', 'báo cáo lên cấp trên: …'."""
    match = _OFFSET.match(stage)
    days = abs(int(match.group(1))) if match else 0
    late = f"quá hạn {days} ngày làm việc"
    words = {
        NotificationKind.ISSUED.value: "nhiệm vụ mới được giao",
        NotificationKind.REMINDER.value: f"nhắc hạn {days} ngày làm việc trước hạn",
        NotificationKind.DUE_TODAY.value: "nhắc hạn: hôm nay là hạn chót",
        NotificationKind.OVERDUE.value: f"{late}: đôn đốc đơn vị",
        NotificationKind.ESCALATION.value: f"báo cáo lên cấp trên: đơn vị {late}",
        NotificationKind.OVERDUE_COPY.value: f"bản sao gửi cấp trên: đơn vị {late}",
        NotificationKind.RETURNED.value: "báo cáo bị trả lại",
        NotificationKind.ACCEPTED.value: "báo cáo được chấp nhận",
    }
    if kind in words:
        return words[kind]
    try:  # a kind added since: its label, else its name
        return NotificationKind(kind).label
    except ValueError:
        return kind


def describe_due(session: Session, due: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """Each (run id, stage, kind, to unit id, cc unit id) with named fields: the run's unit
    (code, name), its task (requirement, directive number, due date), the stage in words and
    the recipient units (code, name)."""
    run_ids = {int(d[0]) for d in due}
    unit_ids = {int(u) for d in due for u in (d[3], d[4]) if _given(u)}
    runs = {row.id: row for row in session.execute(
        select(_a.id, _a.due_on, _a.period, _u.code, _u.name, _r.title, _r.key, _d.number,
               _d.symbol, _d.title.label("directive_title"))
        .join(unit_table, _u.id == _a.unit_id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(directive_table, _d.id == _a.directive_id)
        .where(_a.id.in_(run_ids)))} if run_ids else {}
    units = {uid: {"code": code, "name": name} for uid, code, name in session.execute(
        select(_u.id, _u.code, _u.name).where(_u.id.in_(unit_ids)))} if unit_ids else {}
    return [_described(d, runs.get(int(d[0])), units) for d in due]


def _given(value: Any) -> bool:
    return value is not None and str(value) not in ("", "None")


def _described(due: Sequence[Any], run: Any, units: dict[int, dict[str, str]]
               ) -> dict[str, Any]:
    run_id, stage, kind, to, cc = due[:5]
    task = None if run is None else {
        "requirement": run.title, "requirement_key": run.key, "period": run.period,
        "directive": format_number_symbol(run.number, run.symbol),
        "directive_title": run.directive_title, "due_on": run.due_on.isoformat()}
    return {
        "run": int(run_id),
        "unit": None if run is None else {"code": run.code, "name": run.name},
        "task": task, "stage": str(stage), "kind": str(kind),
        "stage_words": stage_words(str(kind), str(stage)),
        "to": units.get(int(to)) if _given(to) else None,
        "cc": units.get(int(cc)) if _given(cc) else None,
    }


def due_line(entry: dict[str, Any]) -> str:
    """One notification as a line of `chidao sweep`."""
    unit, task, to = entry["unit"] or {}, entry["task"] or {}, entry["to"] or {}
    cc = f"; cc {entry['cc']['code']} ({entry['cc']['name']})" if entry["cc"] else ""
    due = "/".join(reversed(task.get("due_on", "").split("-")))
    return (f"{unit.get('code', '?')} ({unit.get('name', '?')}) — "
            f"“{task.get('requirement', '?')}”, văn bản {task.get('directive', '?')}"
            f"{', kỳ ' + task['period'] if task.get('period') else ''}, hạn {due}: "
            f"{entry['stage_words']} → gửi {to.get('code', '?')} ({to.get('name', '?')}){cc}")
