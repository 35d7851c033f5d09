"""The consolidated report of a directive's cascade: per form, the units that report to the
directive's issuer with their figures, each followed by its own reporters and their subtotal,
with coverage; as data and as an .xlsx workbook (openpyxl)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlmodel import Session

from domain.assignments import assignment_table
from domain.directives import Directive, requirement_table
from domain.forms import FormSpec
from domain.reports import ReportForm, SubmissionState
from domain.status import Status
from domain.units import Unit, subtree_bounds, unit_table
from flows.forms_store import form_spec
from flows.report_review import latest_submission
from flows.rollup import NodeTotals, rollup
from flows.status_tree import cascade_directives

_a, _r, _u = assignment_table.c, requirement_table.c, unit_table.c


@dataclass
class Block:
    """One reporting unit under the root: its own figures, then its reporters' subtotal."""

    code: str
    name: str
    status: str
    values: dict[str, Any]
    children: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list)
    subtotal: NodeTotals | None = None


@dataclass
class FormReport:
    form: FormSpec
    period: str
    blocks: list[Block]
    total: NodeTotals


def consolidated(session: Session, root: Directive) -> list[FormReport]:
    directives = cascade_directives(session, root)
    by_directive = {d.id: d for d in directives}
    reqs = session.execute(
        select(_r.id, _r.directive_id, _r.form_id).where(
            _r.directive_id.in_(list(by_directive)), _r.form_id.is_not(None))).all()
    reports = []
    for req_id, _, form_id in [r for r in reqs if r[1] == root.id]:
        form = form_spec(session.get(ReportForm, form_id))  # type: ignore[arg-type]
        lower = [r[0] for r in reqs if r[1] != root.id and r[2] is not None
                 and session.get(ReportForm, r[2]).key == form.key]  # type: ignore[union-attr]
        for period in _periods(session, req_id):
            reports.append(_form_report(session, root, req_id, lower, period, form))
    return reports


def _periods(session: Session, requirement_id: int) -> list[str]:
    return list(session.execute(select(_a.period).where(_a.requirement_id == requirement_id)
                                .distinct().order_by(_a.period)).scalars())


def _form_report(session: Session, root: Directive, req_id: int, lower: list[int],
                 period: str, form: FormSpec) -> FormReport:
    issuer = session.get(Unit, root.issuer_id)
    assert issuer is not None
    blocks = []
    for run_id, unit_id, code, name, status in session.execute(
            select(_a.id, _u.id, _u.code, _u.name, _a.status)
            .join(unit_table, _u.id == _a.unit_id)
            .where(_a.requirement_id == req_id, _a.period == period).order_by(_u.path)):
        latest = latest_submission(session, run_id)
        block = Block(code, name, Status(status).label, _shown(latest))
        if lower:
            unit = session.get(Unit, unit_id)
            assert unit is not None
            block.subtotal = rollup(session, requirement_ids=lower, period=period, node=unit,
                                    form=form, provenance=True)[0]
            block.children = _rows(session, lower, period, unit)
        blocks.append(block)
    total = rollup(session, requirement_ids=[req_id], period=period, node=issuer, form=form,
                   provenance=True)[0]
    return FormReport(form, period, blocks, total)


def _shown(submission: Any) -> dict[str, Any]:
    if submission is None or submission.state == SubmissionState.DRAFT:
        return {}
    return dict(submission.values)


def _rows(session: Session, requirement_ids: list[int], period: str,
          unit: Unit) -> list[tuple[str, str, str, dict[str, Any]]]:
    low, high = subtree_bounds(unit.path)
    rows = []
    for run_id, code, name, status in session.execute(
            select(_a.id, _u.code, _u.name, _a.status).join(unit_table, _u.id == _a.unit_id)
            .where(_a.requirement_id.in_(requirement_ids), _a.period == period,
                   _u.path > low, _u.path < high).order_by(_u.path)):
        rows.append((code, name, Status(status).label, _shown(latest_submission(session, run_id))))
    return rows


def write_xlsx(reports: list[FormReport], path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for report in reports:
        title = f"{report.form.key}{'-' + report.period if report.period else ''}"[:31]
        sheet = book.create_sheet(title)
        keys = [f.key for f in report.form.fields]
        sheet.append(["Mã đơn vị", "Đơn vị", "Trạng thái", *[f.label for f in report.form.fields],
                      "Đã báo cáo / phải báo cáo"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for block in report.blocks:
            sheet.append([block.code, block.name, block.status,
                          *[_cell(block.values.get(k)) for k in keys], ""])
            for code, name, status, values in block.children:
                sheet.append([code, "    " + name, status, *[_cell(values.get(k)) for k in keys]])
            if block.subtotal is not None:
                _total_row(sheet, f"Cộng các đơn vị thuộc {block.name}", block.subtotal, keys)
        _total_row(sheet, "TỔNG CỘNG", report.total, keys)
    book.save(path)


def _total_row(sheet: Any, label: str, totals: NodeTotals, keys: list[str]) -> None:
    sheet.append(["", label, "", *[_cell(totals.values.get(k)) for k in keys],
                  f"{totals.reported}/{totals.expected}"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _cell(value: Any) -> Any:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return value
