"""Cascades on a test database: the example province seeded, directives issued at a given
Vietnam-local time, their runs read back and acted on, every row snapshotted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import yaml
from sqlalchemy import Engine, MetaData, select
from sqlmodel import col
from sqlmodel import select as model_select

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.clock import resolve_now
from chidao.config.runtime import load_settings
from chidao.db.database import transaction
from chidao.domain.assignments import Assignment
from chidao.domain.directives import Directive, Requirement
from chidao.domain.specs import parse_directive
from chidao.domain.status import Status
from chidao.domain.units import Unit
from chidao.files.unit_files import parse_unit_yaml, read_unit_file
from chidao.services.issue import IssueResult, issue_directive
from chidao.services.status_changes import act_on_assignment
from chidao.services.units_import import import_units
from tests.support.paths import EXAMPLES

# The An Giang cascade of the examples: the Sở's plan, then two answers below it.
SEED = ["kh-1039-sgddt-stem.yaml", "kh-ubnd-kien-hai-stem.yaml", "kh-mn-hon-tre-stem.yaml"]
WHEN = ["2026-02-26T09:00", "2026-03-10T10:00", "2026-03-18T14:00"]
SCHOOLS = 120  # seed_many_schools' default
T0 = "2026-03-03T09:00"  # a sweep after seed_many_schools' directive


def at(text: str) -> datetime:
    """A Vietnam-local ISO time as aware UTC."""
    return resolve_now(text)


def seed_units(engine: Engine) -> None:
    with transaction(engine) as session:
        import_units(session, read_unit_file(EXAMPLES / "units.yaml"), now=at("2026-02-01T08:00"))


def issue_file(engine: Engine, name: str, when: str) -> IssueResult:
    return issue_data(engine, yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8")), when)


def issue_data(engine: Engine, data: dict[str, Any], when: str) -> IssueResult:
    with transaction(engine) as session:
        return issue_directive(session, parse_directive(data), now=at(when),
                               calendar=vietnam_calendar(), rules=load_settings().rules())


def small(**over: Any) -> dict[str, Any]:
    """A one-requirement report from the Sở to its communes (keys in `over` replace its own)."""
    data: dict[str, Any] = {
        "number_symbol": "55/KH-SGDĐT", "issuer": "SGDDT-AG", "issued_on": "2026-03-02",
        "title": "Kiểm tra", "requirements": [{
            "key": "r", "kind": "report", "title": "Báo cáo",
            "to": {"children": {"kind": "people_committee"}}, "due": "2026-03-31"}]}
    data.update(over)
    return data


def seed_many_schools(engine: Engine, n: int = SCHOOLS) -> None:
    """The example province plus `n` schools under its communes, each sent `small()`."""
    seed_units(engine)
    communes = ["UBND-KIENHAI", "UBND-PHUQUOC", "UBND-RACHGIA"]
    yaml_rows = "".join(
        f"- {{code: T{i:03d}, name: Trường Mầm non thử {i}, kind: school,"
        f" parent: {communes[i % 3]}, emails: [t{i:03d}@truong.edu.vn]}}\n" for i in range(n))
    with transaction(engine) as session:
        import_units(session, parse_unit_yaml(yaml_rows), now=at("2026-03-01T08:00"))
    data = small(number_symbol="77/KH-SGDĐT", title="Báo cáo đầu năm")
    data["requirements"][0]["to"] = {"descendants": {"kind": "school"}, "exclude": [
        "MN-HONTRE", "MN-LAISON", "MN-ANSON", "MN-NAMDU", "MN-DUONGDONG", "MN-RACHGIA"]}
    issue_data(engine, data, "2026-03-02T09:00")


def runs(engine: Engine, directive_key: str) -> dict[tuple[str, str, str], Assignment]:
    """(unit code, requirement key, period) -> run, for one directive."""
    with transaction(engine) as session:
        rows = session.exec(
            model_select(Unit.code, Requirement.key, Assignment)
            .join(Unit, col(Unit.id) == col(Assignment.unit_id))
            .join(Requirement, col(Requirement.id) == col(Assignment.requirement_id))
            .join(Directive, col(Directive.id) == col(Assignment.directive_id))
            .where(Directive.key == directive_key)).all()
    return {(code, key, a.period): a for code, key, a in rows}


def act(engine: Engine, assignment_id: int, target: Status, unit: str, reason: str = "",
        when: str = "2026-03-05T09:00") -> Assignment:
    """Unit `unit` moves a run to `target` at `when` (Vietnam-local)."""
    with transaction(engine) as session:
        return act_on_assignment(session, assignment_id, target, unit_code=unit,
                                 reason=reason, now=at(when))


SESSION_BOOKKEEPING = frozenset({"user_session"})  # a login or a page view, not a command's data


def snapshot(engine: Engine, ignore: frozenset[str] = SESSION_BOOKKEEPING,
             ) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the sign-in bookkeeping (a test that signs in to send a
    refused request creates a session): compare before/after to prove nothing was written."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {name: sorted(map(tuple, conn.execute(select(table))), key=repr)
                for name, table in meta.tables.items() if name not in ignore}
