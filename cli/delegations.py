"""`chidao delegate add | list | revoke` (ủy quyền between users of one unit) and `chidao
audit` (who did what, for whom, in which unit). One-shot commands: no Prefect."""

from __future__ import annotations

from datetime import date

import typer

from ..domain.errors import InvalidInput
from .common import JSON, NOW, console, group, print_json, reports_errors, runtime

delegate_app = group("Delegations (ủy quyền): a user's rights lent to another user of the"
                     " same unit for a range of days.")


def register(app: typer.Typer) -> None:
    app.add_typer(delegate_app, name="delegate")
    app.command("audit")(audit)


def _day(text: str, field: str) -> date:
    from ..domain.specs import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise InvalidInput(field, str(exc)) from None


@delegate_app.command("add")
@reports_errors
def add(giver: str = typer.Option(..., "--from", help="Username lending its rights."),
        receiver: str = typer.Option(..., "--to", help="Username of the delegate (same unit)."),
        start: str = typer.Option(..., "--start", help="First day (dd/mm/yyyy), today or later."),
        end: str = typer.Option(..., "--end", help="Last day, inclusive (dd/mm/yyyy)."),
        action: list[str] = typer.Option(
            None, "--action", help="A right to lend (repeatable): receive, submit, review,"
                                   " extend, close, issue, …; none = every right."),
        title: str = typer.Option("KT.", help="KT. (ký thay) | Q. (quyền)."),
        reason: str = typer.Option("", help="Why: nghỉ phép, công tác…"),
        now: str = NOW) -> None:
    """Lend a user's rights to another user of its unit for a range of days."""
    from rich.markup import escape

    from ..db.database import transaction
    from ..domain.acting import command_line
    from ..services.delegations import DelegationAsked, create_delegation

    asked = DelegationAsked(from_username=giver, to_username=receiver,
                            starts_on=_day(start, "start"), ends_on=_day(end, "end"),
                            actions=action or [], title=title, reason=reason)
    rt = runtime(now)
    with transaction(rt.engine) as session:
        made = create_delegation(session, asked, by=command_line(""), now=rt.now())
        number, signs = made.id, made.title
    console.print(f"Delegation #{number}: {escape(receiver)} signs {signs} for"
                  f" {escape(giver)} from {asked.starts_on:%d/%m/%Y} to"
                  f" {asked.ends_on:%d/%m/%Y}", highlight=False)


@delegate_app.command("list")
@reports_errors
def list_delegations(unit: str = typer.Option(None, help="Only this unit's subtree."),
                     as_json: bool = JSON, now: str = NOW) -> None:
    """Delegations, newest first, with their state today."""
    from rich.markup import escape
    from rich.table import Table

    from ..db.database import reading
    from ..db.lookup import unit_by_code
    from ..queries.delegation_list import delegations_under

    rt = runtime(now)
    with reading(rt.engine) as session:
        under = unit_by_code(session, unit) if unit else None
        listed = delegations_under(session, under, rt.calendar.local_date(rt.now()))
    if as_json:
        print_json([d.as_json() for d in listed])
        return
    table = Table("#", "Unit", "From", "To", "Title", "From day", "To day", "Rights", "State")
    for d in listed:
        table.add_row(str(d.delegation.id), escape(d.unit_code), escape(d.from_username),
                      escape(d.to_username), d.delegation.title,
                      f"{d.delegation.starts_on:%d/%m/%Y}", f"{d.delegation.ends_on:%d/%m/%Y}",
                      escape(d.rights), d.state)
    console.print(table)


@delegate_app.command("revoke")
@reports_errors
def revoke(delegation_id: int = typer.Argument(..., metavar="ID"),
           reason: str = typer.Option("", help="Why it ends early."), now: str = NOW) -> None:
    """End a delegation before its last day."""
    from ..db.database import transaction
    from ..domain.acting import command_line
    from ..services.delegations import revoke_delegation

    rt = runtime(now)
    with transaction(rt.engine) as session:
        revoke_delegation(session, delegation_id, by=command_line(""), now=rt.now(),
                          reason=reason)
    console.print(f"Delegation #{delegation_id} revoked")


@reports_errors
def audit(unit: str = typer.Option(None, help="Only what this unit and those below it did."),
          since: str = typer.Option(None, help="From this day (dd/mm/yyyy)."),
          until: str = typer.Option(None, help="To this day, inclusive (dd/mm/yyyy)."),
          limit: int = typer.Option(500, min=1, max=100_000, help="At most this many rows."),
          as_json: bool = JSON) -> None:
    """The audit trail, newest first: who (and for whom), which unit, what."""
    from rich.markup import escape
    from rich.table import Table

    from ..db.database import reading
    from ..db.lookup import unit_by_code
    from ..queries.audit_trail import AuditFilter, audit_trail

    start = _day(since, "since") if since else None
    end = _day(until, "until") if until else None
    if start and end and end < start:
        raise InvalidInput("until", f"{end:%d/%m/%Y} is before --since {start:%d/%m/%Y}")
    rt = runtime()
    with reading(rt.engine) as session:
        under = unit_by_code(session, unit) if unit else None
        lines = audit_trail(session, AuditFilter(under, start, end, limit))
    if as_json:
        print_json([line.as_json() for line in lines])
        return
    table = Table("When", "Unit", "Who", "What")
    for line in lines:
        table.add_row(f"{rt.calendar.local_date(line.at):%d/%m/%Y} "
                      f"{line.at.astimezone(rt.calendar.tz):%H:%M}", escape(line.unit_code),
                      escape(line.who or "-"), escape(line.summary))
    console.print(table)
