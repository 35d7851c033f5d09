"""`chidao status REF`: how a directive's cascade stands, at any size. By default one line per
level of the unit tree below the issuer (units, runs, received, handed in, accepted, late);
`--depth N` the tree of counts N levels down, `--unit CODE` one branch, `--late` the late
units, `--tree` every unit and run, printed as the rows are read. The figures are the cascade
page's (chidao.queries.status_summary). Like before, the command reads as the operator of the
database: no `--as`, no scope narrower than the whole directive.

The queries are imported inside the command: `chidao --help` stays light."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

import typer

from .common import JSON, NOW, reports_errors, runtime

UNIT = typer.Option(None, "--unit", metavar="CODE",
                    help="Focus on this unit's branch (a unit of the tree).")
DEPTH = typer.Option(None, "--depth", metavar="N",
                     help="The tree of counts, N levels below the focus.")
LATE = typer.Option(False, "--late", help="Only the late units: code, name, deadline, days late.")
TREE = typer.Option(False, "--tree", help="Every unit and run of the tree (streamed).")


def register(app: typer.Typer) -> None:
    app.command("status")(status)


@reports_errors
def status(ref: str = typer.Argument(..., help="The directive: key, id or number/symbol."),
           unit: str = UNIT, depth: int = DEPTH, late: bool = LATE, tree: bool = TREE,
           now: str = NOW, as_json: bool = JSON) -> None:
    """A directive's cascade: per level by default; --depth, --unit, --late, --tree (--depth
    also bounds --late and --tree). With --json: an object (the summary), else an array of
    rows, streamed."""
    from ..db.database import reading
    from ..db.lookup import directive_by_ref
    from ..domain.errors import InvalidInput
    from ..domain.units import Unit
    from ..queries import status_summary as q
    from . import status_text as text

    if depth is not None and depth < 1:
        raise InvalidInput("depth", f"{depth} is not a number of levels (1 or more)")
    if late and tree:
        raise InvalidInput("late", "--late lists units; it does not go with --tree")
    rt = runtime(now)
    at = rt.now()
    soon = q.soon_until(at, rt.calendar, rt.rules.due_soon_working_days)
    with reading(rt.engine) as session:
        root = directive_by_ref(session, ref)
        focus = q.status_focus(session, root, unit)
        issuer = session.get(Unit, root.issuer_id)
        head = text.Heading(root, issuer.name if issuer else "", focus, at)
        if late:
            rows = q.late_units(session, focus, now=at, calendar=rt.calendar, depth=depth)
            _emit(text.json_array(rows) if as_json else text.late_lines(head, rows))
        elif tree or depth is not None:
            listed = (q.tree_rows if tree else q.node_rows)(session, focus, now=at, soon=soon,
                                                            depth=depth)
            _emit(text.json_array(listed) if as_json else text.tree_lines(head, listed))
        else:
            levels = q.level_summary(session, focus, now=at, soon=soon)
            _emit(text.summary_json(head, levels) if as_json
                  else text.summary_lines(head, levels))


def _emit(lines: Iterable[str]) -> None:
    """Each line written as it is made; a reader that stops early (`| head`) ends it."""
    out = sys.stdout
    try:
        for line in lines:
            out.write(line + "\n")
        out.flush()
    except BrokenPipeError:
        try:  # Python flushes stdout again on exit: point it at nothing first
            os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
        except (OSError, ValueError):
            pass
        raise typer.Exit(1) from None
