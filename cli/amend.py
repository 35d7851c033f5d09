"""`chidao amend FILE [--apply]`: what a changed directive file changes in the directive
issued under its key (per unit, in words), applied with --apply in one transaction;
`chidao recall DIRECTIVE --reason TEXT`: the whole directive withdrawn (thu hồi). One-shot
commands acting as the operator for the directive's issuer; no Prefect import."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import JSON, NOW, console, print_json, reports_errors, runtime


def register(app: typer.Typer) -> None:
    app.command("amend")(amend)
    app.command("recall")(recall)


@reports_errors
def amend(file: Path = typer.Argument(..., help="The changed directive file (YAML)."),
          apply: bool = typer.Option(False, "--apply", help="Apply the changes (else: only"
                                     " show them, nothing is written)."),
          expect: str = typer.Option(None, "--expect", help="Apply only if the changes are"
                                     " still those of the preview with this fingerprint."),
          now: str = NOW, as_json: bool = JSON) -> None:
    """Amend (sửa đổi, bổ sung) an issued directive from its changed file: show what changes
    per unit (runs added, closed as thu hồi, kept, deadlines moved, titles, forms); --apply
    applies it, with the audit and a notice to each unit whose tasks change."""
    from rich.markup import escape

    from ..db.database import transaction
    from ..domain.acting import command_line
    from ..domain.amendment import amendment_lines
    from ..files.directive_files import load_directive_file
    from ..services.amend import amend_directive

    rt = runtime(now)
    spec = load_directive_file(file, rt.settings.directive_max_bytes)
    with transaction(rt.engine) as session:
        amendment = amend_directive(session, spec, by=command_line(spec.issuer), now=rt.now(),
                                    calendar=rt.calendar, rules=rt.rules, apply=apply,
                                    expect=expect)
    if as_json:
        print_json(amendment.as_json())
        return
    for line in amendment_lines(amendment):
        console.print(escape(line), highlight=False)
    if amendment.empty:
        return
    if amendment.applied:
        console.print(f"Đã áp dụng: văn bản {escape(amendment.number_symbol)} sửa đổi lần"
                      f" {amendment.revision + 1}.", highlight=False)
    else:
        console.print(f"Chưa áp dụng (mã xem trước {amendment.fingerprint()}): chạy lại với"
                      " --apply để áp dụng.", highlight=False)


@reports_errors
def recall(directive: str = typer.Argument(..., help="The directive: its key, id or number"
                                           " and symbol (\"55/KH-SGDĐT\")."),
           reason: str = typer.Option(..., "--reason", help="Why it is recalled (required)."),
           now: str = NOW) -> None:
    """Recall (thu hồi) a whole directive: its open runs close as thu hồi with the reason,
    handed-in and finished ones stay, each unit is told; nothing is deleted."""
    from rich.markup import escape

    from ..db.database import transaction
    from ..db.lookup import directive_by_ref
    from ..domain.acting import command_line
    from ..domain.units import Unit
    from ..services.recall import recall_directive

    rt = runtime(now)
    with transaction(rt.engine) as session:
        found = directive_by_ref(session, directive, field="directive")
        issuer = session.get(Unit, found.issuer_id)
        assert issuer is not None and found.id is not None
        closed = recall_directive(session, found.id, by=command_line(issuer.code),
                                  reason=reason, now=rt.now())
        label = found.number_symbol
    console.print(f"Đã thu hồi văn bản {escape(label)}: {closed} nhiệm vụ đang mở được đóng"
                  " (thu hồi).", highlight=False)
