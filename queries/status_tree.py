"""The cascade tree of one directive: its runs per unit, the plans units issued in response
(and their runs, to any depth), with counts rolled up at every node."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col
from sqlmodel import select as model_select

from chidao.domain.assignments import assignment_table
from chidao.domain.calendar import WorkingCalendar
from chidao.domain.directives import Citation, Directive, requirement_table
from chidao.domain.status import Status
from chidao.domain.timeliness import TimelinessJudge, completion
from chidao.domain.units import Unit, unit_table

_a, _r, _u = assignment_table.c, requirement_table.c, unit_table.c


def status_tree(
    session: Session, root: Directive, *, now: datetime, calendar: WorkingCalendar,
    soon_working_days: int = 3,
) -> dict[str, Any]:
    directives, children = _directive_tree(session, root)
    judge = TimelinessJudge(now, calendar, soon_working_days)
    runs = _runs_by_directive(session, list(directives), judge)
    units = {u.id: u for u in session.exec(model_select(Unit).where(
        col(Unit.id).in_({d.issuer_id for d in directives.values()})))}
    return _directive_node(root, directives, children, runs, units)


def cascade_directives(session: Session, root: Directive) -> list[Directive]:
    """`root` and every directive issued down the cascade from it, top-down."""
    return list(_directive_tree(session, root)[0].values())


def _directive_tree(
    session: Session, root: Directive
) -> tuple[dict[int, Directive], dict[int, list[Directive]]]:
    assert root.id is not None
    directives = {root.id: root}
    children: dict[int, list[Directive]] = {}
    frontier = [root.id]
    while frontier:
        rows = session.exec(
            model_select(Citation.cited_id, Directive)
            .join(Directive, col(Directive.id) == col(Citation.directive_id))
            .where(col(Citation.cited_id).in_(frontier))
            .order_by(col(Directive.issued_on), col(Directive.id))
        ).all()
        frontier = []
        for cited_id, child in rows:
            if child.id is None or child.id in directives or cited_id is None:
                continue
            directives[child.id] = child
            children.setdefault(cited_id, []).append(child)
            frontier.append(child.id)
    return directives, children


def _runs_by_directive(
    session: Session, directive_ids: list[int], judge: TimelinessJudge
) -> dict[int, list[dict[str, Any]]]:
    rows = session.execute(
        select(_a.id, _a.directive_id, _a.period, _a.due_on, _a.due_at, _a.status,
               _a.submitted_at, _a.fulfilled_by_id, _r.key, _r.kind, _r.title,
               _u.id.label("unit_id"), _u.code, _u.name, _u.kind.label("unit_kind"))
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(unit_table, _u.id == _a.unit_id)
        .where(_a.directive_id.in_(directive_ids))
        .order_by(_u.id, _r.id, _a.period)
    ).mappings()
    result: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        status = Status(row["status"])
        timeliness = judge.timeliness(status, row["due_on"], row["due_at"])
        done = completion(row["submitted_at"], row["due_at"])
        result.setdefault(row["directive_id"], []).append({
            "id": row["id"], "unit": {"id": row["unit_id"], "code": row["code"],
                                      "name": row["name"], "kind": row["unit_kind"]},
            "requirement": row["key"], "kind": row["kind"], "title": row["title"],
            "period": row["period"], "due_on": row["due_on"].isoformat(),
            "status": status.value, "status_label": status.label,
            "timeliness": timeliness.value if timeliness else None,
            "completion": done.value if done else None,
            "fulfilled_by": row["fulfilled_by_id"],
        })
    return result


def _directive_node(
    directive: Directive, directives: dict[int, Directive],
    children: dict[int, list[Directive]], runs: dict[int, list[dict[str, Any]]],
    units: dict[int | None, Unit],
) -> dict[str, Any]:
    assert directive.id is not None
    unit_nodes: dict[int, dict[str, Any]] = {}
    for run in runs.get(directive.id, []):
        unit = run.pop("unit")
        node = unit_nodes.setdefault(unit["id"], {**unit, "assignments": [], "directives": []})
        node["assignments"].append(run)
    loose: list[dict[str, Any]] = []
    for child in children.get(directive.id, []):
        child_node = _directive_node(child, directives, children, runs, units)
        parent = unit_nodes.get(child.issuer_id)
        (parent["directives"] if parent else loose).append(child_node)
    for node in unit_nodes.values():
        node["counts"] = _counts(node["assignments"], node["directives"])
    issuer = units[directive.issuer_id]
    unit_list = list(unit_nodes.values())
    return {
        "id": directive.id, "key": directive.key, "number_symbol": directive.number_symbol,
        "doc_type": directive.doc_type, "title": directive.title,
        "issued_on": directive.issued_on.isoformat(), "school_year": directive.school_year,
        "issuer": {"code": issuer.code, "name": issuer.name},
        "units": unit_list, "directives": loose,
        "counts": _counts([], [*unit_list, *loose]),
    }


def _counts(runs: list[dict[str, Any]], nodes: list[dict[str, Any]]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for run in runs:
        counts["total"] += 1
        counts[run["status"]] += 1
        for key in ("timeliness", "completion"):
            if run[key]:
                counts[run[key]] += 1
    for node in nodes:
        counts.update(node["counts"])
    return dict(counts)
