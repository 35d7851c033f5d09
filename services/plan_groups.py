"""The "I. TỔ CHỨC THỰC HIỆN" of a draft plan: each group of the unit's sub-units with only
the part that concerns it, and the leadership lines (the rule: services/plan_document.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum

from sqlalchemy import select
from sqlmodel import Session

from ..domain.assignments import assignment_table
from ..domain.child_deadlines import Deadlines
from ..domain.citing import subject
from ..domain.directives import Directive, RequirementKind, requirement_table
from ..domain.signing import SigningForm
from ..domain.units import Unit, UnitKind, unit_table
from .document_parts import sentence_title

_a, _r, _u = assignment_table.c, requirement_table.c, unit_table.c
_COLLECTIVE_GROUPS = {UnitKind.SCHOOL: "Các cơ sở giáo dục mầm non",
                      UnitKind.INDEPENDENT_CLASS: "Các cơ sở giáo dục mầm non",
                      UnitKind.PEOPLE_COMMITTEE: "Ủy ban nhân dân các xã, phường, đặc khu",
                      UnitKind.DEPARTMENT: "Các Sở Giáo dục và Đào tạo"}
FALLBACK = "Phối hợp thực hiện các nội dung của Kế hoạch theo phân công"


class Role(IntEnum):  # also the order of the groups in the plan
    ADVISER = 0  # the Phòng: advises, guides, synthesises
    ISSUER = 1  # schools, classes, UBNDs: make their own plan and report
    TEAM = 2  # a professional team (tổ chuyên môn): carries out and reports
    SUPPORT = 3  # the school's Tổ Văn phòng: synthesises the report


@dataclass(frozen=True)
class Task:
    kind: RequirementKind
    title: str
    due: date


@dataclass
class Group:
    name: str
    role: Role = Role.ISSUER
    unit_ids: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _role(kind: UnitKind, name: str) -> Role:
    if kind is UnitKind.OFFICE:
        return Role.ADVISER
    if kind is UnitKind.TEAM:
        return Role.SUPPORT if "văn phòng" in name.casefold() else Role.TEAM
    return Role.ISSUER


def _by(day: date | None) -> str:
    return f", hoàn thành trước {day:%d/%m/%Y}" if day else ", khẩn trương hoàn thành"


def group_children(session: Session, unit: Unit, directive: Directive, own: list[Task],
                   deadlines: Deadlines) -> list[Group]:
    groups: dict[str, Group] = {}
    for uid, name, kind_text in session.execute(
            select(_u.id, _u.name, _u.kind).where(_u.parent_id == unit.id).order_by(_u.name)):
        kind = UnitKind(kind_text)
        label = _COLLECTIVE_GROUPS.get(kind, name)
        groups.setdefault(label, Group(label, _role(kind, name))).unit_ids.append(uid)
    adviser = next((g.name for g in groups.values() if g.role is Role.ADVISER), None)
    to_unit = f"{unit.name}" + (f" (qua {adviser})" if adviser else "")
    for group in groups.values():
        group.lines += [_part(group.role, task, to_unit, unit.name, deadlines) for task in own]
        group.lines += _direct(session, directive, group)
        group.lines = [line for line in group.lines if line] or [FALLBACK]
    return sorted(groups.values(), key=lambda g: g.role)


def _part(role: Role, task: Task, to_unit: str, unit_name: str,
          deadlines: Deadlines) -> str:
    """What `task` (one of the unit's own) asks of a group in `role`; "" for nothing."""
    if task.kind is RequirementKind.PLAN:
        return {Role.ADVISER: f"Tham mưu {unit_name} chỉ đạo, hướng dẫn các đơn vị triển khai"
                              " thực hiện Kế hoạch này; theo dõi, kiểm tra việc thực hiện",
                Role.ISSUER: "Xây dựng kế hoạch của đơn vị để triển khai thực hiện Kế hoạch "
                             f"này{_by(deadlines.before(task.due, task.title))}; tổ chức "
                             "thực hiện theo kế hoạch",
                Role.TEAM: "Triển khai các nội dung của Kế hoạch trong tổ theo phân công",
                Role.SUPPORT: ""}[role]
    if task.kind is RequirementKind.REPORT:
        if role in (Role.ADVISER, Role.SUPPORT):
            half = deadlines.before(task.due, task.title, max(1, deadlines.days_before // 2))
            return (f"Tham mưu, tổng hợp báo cáo của {unit_name}{_by(half)}: "
                    f"{subject(task.title)}")
        return (f"{task.title}, gửi về {to_unit}"
                f"{_by(deadlines.before(task.due, task.title))}")
    if role is Role.ADVISER:
        return f"Tham mưu, hướng dẫn, kiểm tra việc thực hiện: {subject(task.title)}"
    if role is Role.SUPPORT:
        return ""
    return f"{task.title}{_by(deadlines.before(task.due, task.title))}"


def _direct(session: Session, directive: Directive, group: Group) -> list[str]:
    """The directive's requirements assigned directly to the group's units (their dates)."""
    rows = session.execute(
        select(_r.title, _a.due_on).join(requirement_table, _r.id == _a.requirement_id)
        .where(_a.directive_id == directive.id, _a.unit_id.in_(group.unit_ids))
        .distinct().order_by(_a.due_on, _r.title)).all()
    return [f"{title}, hoàn thành trước {due:%d/%m/%Y}" for title, due in rows]


def leadership_lines(form: SigningForm, own: list[Task], deadlines: Deadlines) -> list[Group]:
    """The head's and the deputy's parts (a school's, or a unit with no sub-units)."""
    reports = [t for t in own if t.kind is RequirementKind.REPORT]
    head = Group(sentence_title(form.head), lines=[
        "Chỉ đạo chung việc triển khai thực hiện Kế hoạch; phân công nhiệm vụ cho các bộ "
        "phận, cá nhân",
        *[f"Duyệt, ký và gửi báo cáo đúng thời hạn ({t.due:%d/%m/%Y}): {subject(t.title)}"
          for t in reports]])
    if not form.deputy:
        return [head]
    half = max(1, deadlines.days_before // 2)
    deputy = Group(sentence_title(form.deputy), lines=[
        "Trực tiếp chỉ đạo, hướng dẫn, kiểm tra việc tổ chức thực hiện các nội dung của Kế "
        "hoạch",
        *[f"Tổng hợp báo cáo, trình {sentence_title(form.head)}"
          f"{_by(deadlines.before(t.due, t.title, half))}: {subject(t.title)}"
          for t in reports]])
    return [head, deputy]
