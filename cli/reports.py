"""Report commands: aggregate, draft (a pre-filled report before it is handed in), report
(consolidated, accepted and provisional side by side, and .xlsx)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ..domain.errors import InvalidInput
from .common import (
    JSON,
    NOW,
    console,
    print_json,
    reports_errors,
    runtime,
    settings,
)


def register(app: typer.Typer) -> None:
    app.command("aggregate")(reports_errors(aggregate))
    app.command("report")(reports_errors(report))
    app.command("draft")(reports_errors(draft))


def load_values(path: Path) -> dict[str, Any]:
    from ..domain.yaml_input import load_bounded
    from ..files.input_files import read_input_text

    limit = settings().values_file_max_bytes
    data = load_bounded(read_input_text(path, limit, "values"), "values", limit)
    if not isinstance(data, dict):
        raise InvalidInput("values", f"'{path.name}' must map field keys to values")
    return data


def aggregate(now: str = NOW) -> None:
    """Pre-fill the upward reports of the levels whose cut-off has passed."""
    from ..flows.runner import run_step

    result = run_step("aggregate", runtime(now))
    console.print(f"{result['created']} draft reports pre-filled,"
                  f" {result['updated']} brought up to date")


def report(ref: str, xlsx: Path = typer.Option(None, help="Write the consolidated workbook."),
           now: str = NOW, as_json: bool = JSON) -> None:
    """The consolidated report of a directive: per unit its figures accepted and provisional
    side by side, its reporters' live subtotal, coverage, and flags where they differ."""
    from ..db.database import reading
    from ..db.lookup import directive_by_ref
    from ..files.report_workbook import write_xlsx
    from ..queries.report_export import consolidated, report_data

    rt = runtime(now)
    with reading(rt.engine) as session:
        reports = consolidated(session, directive_by_ref(session, ref), now=rt.now(),
                               calendar=rt.calendar,
                               soon_working_days=rt.rules.due_soon_working_days)
    if xlsx:
        write_xlsx(reports, xlsx)
        console.print(f"Wrote {xlsx} ({max(len(reports), 1)} sheet(s))")
    if as_json:
        print_json(report_data(reports))
    elif not xlsx:
        for line in report_lines(reports):
            console.print(line, highlight=False, markup=False)


def report_lines(reports: list[Any]) -> list[str]:
    """Plain text: per form, each unit's figures (đã duyệt | tạm tính) and its flags."""
    from ..domain.forms import Aggregate
    from ..queries.report_export import coverage, shown

    if not reports:
        return ["No report form in this directive: nothing to consolidate."]
    lines = []
    for r in reports:
        lines.append(f"== {r.form.title}{' — kỳ ' + r.period if r.period else ''}"
                     f" (đã duyệt | tạm tính) ==")
        for b in r.blocks:
            lines.append(f"{b.row.name} [{b.row.status}]")
            for f in r.form.fields:
                mine = [shown((v or {}).get(f.key)) or "-" for v in (b.row.accepted,
                                                                    b.row.provisional)]
                live = shown(b.live.accepted.values.get(f.key)) \
                    if b.live and f.how is not Aggregate.CONCAT else ""
                lines.append(f"  {f.label}: {mine[0]} | {mine[1]}"
                             + (f"   (cấp dưới: {live})" if live else ""))
            lines += [f"  {flag.text}" for flag in b.flags]
        lines.append(f"Tổng cộng: đã báo cáo {coverage(r.total.accepted)} (đã duyệt),"
                     f" {coverage(r.total.provisional)} (tạm tính)")
        lines += [f"  {f.label}: {shown(r.total.accepted.values.get(f.key)) or '-'} |"
                  f" {shown(r.total.provisional.values.get(f.key)) or '-'}"
                  for f in r.form.fields]
        if r.flagged:
            lines.append(f"⚠ khác tổng cấp dưới: {', '.join(r.flagged)}")
    return lines


def draft(assignment_id: int,
          unit: str = typer.Option(None, "--unit", help="Check the run is this unit's."),
          as_json: bool = JSON) -> None:
    """A pre-filled upward report before it is handed in: figures, who is counted, changes."""
    from ..db.database import reading
    from ..db.lookup import assignment_by_id, unit_by_code
    from ..services.drafts import current_draft

    with reading(runtime().engine) as session:
        run = assignment_by_id(session, assignment_id)
        if unit is not None and unit_by_code(session, unit).id != run.unit_id:
            raise InvalidInput("unit", f"assignment {assignment_id} is not {unit}'s")
        shown_draft = current_draft(session, run)
    if as_json:
        print_json(shown_draft)
    elif shown_draft is None:
        console.print(f"Assignment {assignment_id} has no draft (not pre-filled yet, or"
                      " already handed in).")
    else:
        console.print(f"Draft of assignment {assignment_id} (computed"
                      f" {shown_draft['computed_at'] or '?'}):", highlight=False, markup=False)
        for key, value in shown_draft["values"].items():
            console.print(f"{key}: {value}", highlight=False, markup=False)
        console.print(shown_draft["note"], highlight=False, markup=False)
