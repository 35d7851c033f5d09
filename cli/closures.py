"""`chidao closure add | list | lift`: a unit and its subtree closed (nghỉ học / nghỉ làm việc)
for a range of days; their deadlines move in the same transaction. One-shot commands."""

from __future__ import annotations

from datetime import date

import typer

from ..domain.errors import InvalidInput
from .common import JSON, NOW, console, group, print_json, reports_errors, runtime

closure_app = group("Closures (nghỉ học / nghỉ làm việc) of a unit and its subtree.")


def register(app: typer.Typer) -> None:
    app.add_typer(closure_app, name="closure")


def _day(text: str, field: str) -> date:
    from ..domain.specs import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise InvalidInput(field, str(exc)) from None


@closure_app.command("add")
@reports_errors
def add(unit: str = typer.Argument(..., help="Unit code: it and every unit below it close."),
        starts: str = typer.Option(..., "--from", help="First day closed (dd/mm/yyyy)."),
        ends: str = typer.Option(..., "--to", help="Last day closed, inclusive (dd/mm/yyyy)."),
        reason: str = typer.Option(..., help="Why: storm, flood, epidemic…"),
        kind: str = typer.Option("school", help="school (nghỉ học) | work (nghỉ làm việc)."),
        decision: str = typer.Option("", help="The decision: 'Công văn 210/UBND-VP …'."),
        actor: str = typer.Option(None, help="The unit declaring (default: the top unit)."),
        now: str = NOW) -> None:
    """Declare a closure; the subtree's open deadlines move by the working days it takes."""
    from rich.markup import escape

    from ..db.database import transaction
    from ..services.closures import declare_closure

    starts_on, ends_on = _day(starts, "from"), _day(ends, "to")
    rt = runtime(now)
    with transaction(rt.engine) as session:
        closure, moved = declare_closure(
            session, unit_code=unit, kind=kind, starts_on=starts_on, ends_on=ends_on,
            reason=reason, decision=decision, actor=actor, now=rt.now(),
            calendar=rt.calendar, rules=rt.rules)
        label, number = closure.label, closure.id
    console.print(f"Closure #{number}: {escape(unit)} {escape(label)}; {moved} open runs"
                  " moved", highlight=False)


@closure_app.command("list")
@reports_errors
def list_closures(unit: str = typer.Option(None, help="Only those over this unit's subtree."),
                  as_json: bool = JSON) -> None:
    """Closures declared (lifted ones too), newest first."""
    from rich.markup import escape
    from rich.table import Table

    from ..db.database import reading
    from ..db.lookup import unit_by_code
    from ..domain.closures import ClosureKind
    from ..queries.closure_list import closures_listed

    rt = runtime()
    with reading(rt.engine) as session:
        under = unit_by_code(session, unit) if unit else None
        listed = closures_listed(session, under)
    if as_json:
        print_json([{"id": c.closure.id, "unit": c.unit_code, "kind": c.closure.kind.value,
                     "from": c.closure.starts_on, "to": c.closure.ends_on,
                     "reason": c.closure.reason, "decision": c.closure.decision,
                     "declared_by": c.closure.declared_by,
                     "lifted_at": c.closure.lifted_at} for c in listed])
        return
    table = Table("#", "Unit", "Kind", "From", "To", "Reason", "Decision", "By", "Lifted")
    for c in listed:
        table.add_row(str(c.closure.id), escape(c.unit_code), ClosureKind(c.closure.kind).label,
                      f"{c.closure.starts_on:%d/%m/%Y}", f"{c.closure.ends_on:%d/%m/%Y}",
                      escape(c.closure.reason), escape(c.closure.decision),
                      escape(c.closure.declared_by),
                      f"{rt.calendar.local_date(c.closure.lifted_at):%d/%m/%Y}"
                      if c.closure.lifted_at else "")
    console.print(table)


@closure_app.command("lift")
@reports_errors
def lift(closure_id: int = typer.Argument(..., metavar="ID"),
         reason: str = typer.Option(..., help="Why the closure is lifted."),
         actor: str = typer.Option(None, help="The unit lifting (default: the top unit)."),
         now: str = NOW) -> None:
    """Lift a closure: its days are working days again and the deadlines move back."""
    from rich.markup import escape

    from ..db.database import transaction
    from ..services.closures import lift_closure

    rt = runtime(now)
    with transaction(rt.engine) as session:
        closure, moved = lift_closure(session, closure_id=closure_id, reason=reason,
                                      actor=actor, now=rt.now(), calendar=rt.calendar,
                                      rules=rt.rules)
        label = closure.label
    console.print(f"Closure #{closure_id} lifted ({escape(label)}); {moved} open runs moved"
                  " back", highlight=False)
