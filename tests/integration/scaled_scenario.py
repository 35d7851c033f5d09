"""A province of any size: a Sở whose report cascades to `communes` communes of `schools`
schools each, with figures handed in, accepted and returned at every level. Two provinces of
the same shape and different sizes live side by side in one database (each under its own
prefix), so that a read's number of SQL statements can be compared between them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import yaml
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.db.lookup import unit_by_code
from chidao.domain.accounts import User
from chidao.domain.assignments import Assignment
from chidao.domain.directives import Directive
from chidao.domain.status import Status
from chidao.domain.units import Unit
from chidao.files.unit_files import parse_unit_yaml
from chidao.services.accounts import add_user
from chidao.services.report_submit import submit_report
from chidao.services.status_changes import act_on_assignment
from chidao.services.units_import import import_units
from tests.support.cascade import at, issue_data

PASSWORD = "mat-khau-thu-nghiem"
NOW = datetime(2026, 5, 28, 3, tzinfo=UTC)  # after the schools' deadline, before the Sở's
FORM = {
    "key": "tong-hop", "title": "Tổng hợp",
    "fields": [
        {"key": "so_lop", "label": "Số lớp", "type": "integer", "min": 0},
        {"key": "muc_do", "label": "Mức độ", "type": "choice", "choices": ["tốt", "khá"]},
        {"key": "ghi_chu", "label": "Ghi chú", "type": "text"},
    ],
}


def has_plan(i: int) -> bool:
    """Every third commune has not cascaded the report to its schools yet."""
    return i % 3 != 0


def build(engine: Engine, prefix: str, communes: int, schools: int) -> None:
    """The tree, the Sở's report ("{number}/KH-SGDĐT"), the communes' plans, the figures,
    and a user per level: `{prefix}-so`, `{prefix}-xa` (the first commune) and
    `{prefix}-truong` (its first school)."""
    so = f"{prefix}-SO"
    tree = [{"code": so, "name": f"Sở Giáo dục và Đào tạo {prefix}", "kind": "department",
             "symbol": "SGDĐT", "children": [
                 {"code": f"{prefix}-XA-{i:02}", "name": f"Ủy ban nhân dân xã {prefix} {i:02}",
                  "kind": "people_committee", "symbol": "UBND", "children": [
                      {"code": f"{prefix}-TR-{i:02}-{j}", "name": f"Trường {prefix} {i:02}-{j}",
                       "kind": "school"} for j in range(1, schools + 1)]}
                 for i in range(1, communes + 1)]}]
    with transaction(engine) as session:
        import_units(session, parse_unit_yaml(yaml.safe_dump(tree, allow_unicode=True)),
                     now=at("2026-02-01T08:00"))
    issue_data(engine, {
        "key": f"{prefix}-so", "number_symbol": "1/KH-SGDĐT", "issuer": so,
        "issued_on": "2026-03-02", "title": "Báo cáo tổng hợp", "forms": [FORM],
        "requirements": [{"key": "bao-cao", "kind": "report", "form": "tong-hop",
                          "title": "Báo cáo của xã",
                          "to": {"children": {"kind": "people_committee"}},
                          "due": "2026-05-29"}]}, "2026-03-02T09:00")
    for i in filter(has_plan, range(1, communes + 1)):
        issue_data(engine, {
            "key": f"{prefix}-xa-{i}", "number_symbol": f"{i}/KH-UBND",
            "issuer": f"{prefix}-XA-{i:02}", "issued_on": "2026-03-09",
            "title": f"Báo cáo của trường, xã {i:02}", "based_on": [f"{prefix}-so"],
            "requirements": [{"key": "truong", "kind": "report", "form": "tong-hop",
                              "title": "Báo cáo của trường", "to": {"children": {}},
                              "due": {"before_parent": "bao-cao", "working_days": 5}}]},
            "2026-03-09T09:00")
    with transaction(engine) as session:
        _hand_in(session, unit_by_code(session, so), resubmits=communes)
        for user, unit in (("so", so), ("xa", f"{prefix}-XA-01"), ("truong", f"{prefix}-TR-01-1")):
            add_user(session, username=f"{prefix.lower()}-{user}", full_name=user,
                     unit_code=unit, role="head", password=PASSWORD, now=at("2026-03-01T08:00"))


def _hand_in(session: Session, so: Unit, resubmits: int) -> None:
    """Schools: the first of each commune accepted, the second handed in, the third returned
    after handing in (the first commune's third school `resubmits` times over); communes:
    every other one handed in (its figures differ from its schools'), and of those every
    other one accepted by the Sở."""
    runs = session.exec(select(Assignment, Unit).join(
        Unit, col(Unit.id) == col(Assignment.unit_id)).where(
        col(Unit.path).startswith(so.path)).order_by(col(Unit.path))).all()
    issuers = {d.id: d.issuer_id for d in session.exec(select(Directive))}
    codes = {u.id: u.code for u in session.exec(select(Unit))}
    for n, (run, unit) in enumerate(runs):
        if unit.kind == "school":
            _school(session, run, unit.code, codes[unit.parent_id],
                    resubmits if unit.code.endswith("-01-3") else 1)
        elif n % 2:
            _report(session, run, unit.code, {"so_lop": n}, "2026-05-27T09:00")
            if n % 4 == 1:
                _act(session, run, Status.ACCEPTED, codes[issuers[run.directive_id]])


def _school(session: Session, run: Assignment, code: str, commune: str, returns: int) -> None:
    j = int(code[-1])
    for time in range(returns if j % 3 == 0 else 1):  # a minute to hand in, one to return
        _report(session, run, code, {"so_lop": j + time, "muc_do": "tốt" if j % 2 else "khá",
                                     "ghi_chu": f"Ghi chú {code}"}, _minute(2 * time))
        if j % 3 == 1:
            _act(session, run, Status.ACCEPTED, commune)
        elif j % 3 == 0:
            _act(session, run, Status.RETURNED, commune, f"Số liệu chưa khớp ({time + 1})",
                 when=_minute(2 * time + 1))


def _minute(minutes: int) -> str:
    return f"2026-05-19T{8 + minutes // 60:02}:{minutes % 60:02}"


def _report(session: Session, run: Assignment, code: str, values: dict[str, Any],
            when: str) -> None:
    submit_report(session, run.id or 0, unit_code=code, values=values, now=at(when),
                  settings=Settings())


def _act(session: Session, run: Assignment, target: Status, by: str, reason: str = "",
         when: str = "2026-05-21T09:00") -> None:
    act_on_assignment(session, run.id or 0, target, unit_code=by, reason=reason, now=at(when))


def user(session: Session, name: str) -> User:
    return session.exec(select(User).where(User.username == name)).one()


def unit(session: Session, code: str) -> Unit:
    return unit_by_code(session, code)


def so_directive(session: Session, prefix: str) -> Directive:
    return session.exec(select(Directive).where(Directive.key == f"{prefix}-so")).one()
