"""Report commands: aggregate, report (rollup and .xlsx)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
import yaml

from cli.common import JSON, NOW, console, print_json, reports_errors, settings
from config.database import make_engine, reading
from domain.errors import InvalidInput
from flows.lookup import directive_by_ref


def register(app: typer.Typer) -> None:
    app.command("aggregate")(reports_errors(aggregate))
    app.command("report")(reports_errors(report))


def load_values(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput("values", f"cannot read '{path}': {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInput("values", f"'{path.name}' must map field keys to values")
    return data


def aggregate(now: str = NOW) -> None:
    """Pre-fill the upward reports of the levels whose cut-off has passed."""
    from flows.deadline_flows import aggregate_flow
    from flows.runner import run_flow

    result = run_flow(aggregate_flow, now=now)
    console.print(f"{result['created']} draft reports pre-filled,"
                  f" {result['updated']} brought up to date")


def report(ref: str, xlsx: Path = typer.Option(None, help="Write the consolidated workbook."),
           as_json: bool = JSON) -> None:
    """The consolidated report of a directive: figures per unit, subtotals, coverage."""
    from flows.report_export import consolidated, write_xlsx

    with reading(make_engine(settings().database_url)) as session:
        reports = consolidated(session, directive_by_ref(session, ref))
    if xlsx:
        write_xlsx(reports, xlsx)
        console.print(f"Wrote {xlsx} ({len(reports)} sheet(s))")
    data = [{"form": r.form.key, "period": r.period,
             "total": r.total.values, "coverage": f"{r.total.reported}/{r.total.expected}",
             "missing": r.total.missing,
             "units": [{"code": b.code, "status": b.status, "values": b.values,
                        "subtotal": b.subtotal.values if b.subtotal else None} for b in r.blocks]}
            for r in reports]
    if as_json:
        print_json(data)
    elif not xlsx:
        console.print_json(json.dumps(data, ensure_ascii=False, default=str))
