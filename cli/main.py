"""chidao: issue directives down the chain, track every unit's run, report back up."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import typer

from ..domain.errors import InvalidInput
from ..domain.status import Status
from .acting import AS_USER
from .amend import register as register_amend_commands
from .calendar import calendar_app
from .closures import register as register_closure_commands
from .common import JSON, NOW, console, group, print_json, reports_errors, runtime, settings
from .delegations import register as register_delegation_commands
from .documents import register as register_document_commands
from .engine import register as register_engine_commands
from .errors import CommandGroup
from .feeds import register as register_feed_commands
from .reports import register as register_report_commands
from .rollups import register as register_rollup_commands
from .status import register as register_status_command
from .users import users_app

# Each command imports what it uses in its body: `chidao --help` and `chidao X --help` load
# neither the database layer nor rich (tests/integration/test_cli_imports.py).
app = typer.Typer(help="chidao — giao nhiệm vụ theo văn bản chỉ đạo, theo dõi hạn, tổng hợp.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False, cls=CommandGroup,
                  rich_markup_mode=None)
db_app = group("Database schema.")
units_app = group("Organisation tree (đơn vị).")
directive_app = group("Directives (văn bản chỉ đạo).")
app.add_typer(db_app, name="db")
app.add_typer(units_app, name="units")
app.add_typer(directive_app, name="directive")
app.add_typer(users_app, name="users")
app.add_typer(calendar_app, name="calendar")
register_engine_commands(app)
register_report_commands(app)
register_document_commands(app)
register_closure_commands(app)
register_rollup_commands(app)
register_feed_commands(app)
register_amend_commands(app)
register_delegation_commands(app)
register_status_command(app)


@app.callback()
def main(database_url: str = typer.Option(
        None, "--db", help="Database URL (default: $CHIDAO_DATABASE_URL or sqlite:///chidao.db)."),
) -> None:
    if database_url:
        os.environ["CHIDAO_DATABASE_URL"] = database_url


@db_app.command("init")
def db_init() -> None:
    """Create or upgrade the schema (Alembic migrations)."""
    from ..db.database import migrate

    url = settings().database_url
    migrate(url)
    console.print(f"Schema is up to date at {url}")


@units_app.command("import")
@reports_errors
def units_import(file: Path, now: str = NOW) -> None:
    """Import units from YAML or CSV; re-import updates in place. All or nothing."""
    from ..db.database import transaction
    from ..files.unit_files import read_unit_file
    from ..services.units_import import import_units

    rt = runtime(now)
    rows = read_unit_file(file, rt.settings.units_file_max_bytes)
    with transaction(rt.engine) as session:
        result = import_units(session, rows, now=rt.now())
    console.print(f"{result.created} created, {result.updated} updated, {result.total} units")


@directive_app.command("issue")
@reports_errors
def directive_issue(file: Path, now: str = NOW) -> None:
    """Issue a directive file and cascade it to its target units (idempotent)."""
    from ..flows.runner import run_step

    result = run_step("cascade", runtime(now), directive_file=str(file))
    console.print(f"Directive {result['key']}: {result['created']} new assignments,"
                  f" {result['total']} in all; plan runs fulfilled: {result['fulfilled'] or '-'}")


@directive_app.command("attach")
@reports_errors
def directive_attach(ref: str, file: Path, now: str = NOW) -> None:
    """Keep a file of a directive (the signed document as issued, an annex): it opens from the
    directive's page; a .txt or .docx also shows its text there. Attaching it again is a no-op."""
    from ..db.database import transaction
    from ..db.lookup import directive_by_ref
    from ..services.directive_documents import attach_document
    from ..services.report_submit import Upload

    rt = runtime(now)
    try:
        handle = file.open("rb")
    except OSError as exc:
        raise InvalidInput("file", f"cannot read '{file}': {exc.strerror}") from None
    with handle, transaction(rt.engine) as session:
        directive = directive_by_ref(session, ref)
        kept = attach_document(session, directive.id or 0, Upload(file.name, handle),
                               settings=rt.settings, now=rt.now())
        console.print(f"{directive.number_symbol}: tệp {kept.name} ({kept.size:,} byte)"
                      f"{', có toàn văn' if kept.text else ''}")


@app.command("assignments")
@reports_errors
def assignments(unit: str = typer.Option(..., "--unit", help="Unit code."), now: str = NOW,
                as_json: bool = JSON, all_: bool = typer.Option(False, "--all")) -> None:
    """A unit's assignments (its inbox), soonest deadline first."""
    from ..db.database import reading
    from ..db.lookup import unit_by_code
    from ..queries.inbox import unit_assignments
    from .render import assignment_table

    rt = runtime(now)
    with reading(rt.engine) as session:
        rows = unit_assignments(session, unit_by_code(session, unit), now=rt.now(),
                                calendar=rt.calendar, include_closed=all_,
                                soon_working_days=rt.rules.due_soon_working_days)
    if as_json:
        print_json([row.as_json() for row in rows])
    else:
        console.print(assignment_table(rows))


def _act(assignment_id: int, target: Status, unit: str, reason: str, now: str | None,
         as_user: str | None = None) -> None:
    from ..db.database import transaction
    from ..services.status_changes import act_on_assignment, action_for_status
    from .acting import acting_as

    rt = runtime(now)
    with transaction(rt.engine) as session:
        by = acting_as(session, as_user, unit, action_for_status(target), now=rt.now())
        done = act_on_assignment(session, assignment_id, target, unit_code=unit,
                                 reason=reason, now=rt.now(), by=by)
    console.print(f"Assignment {assignment_id}: {done.status.label}")


UNIT = typer.Option(..., "--unit", help="Code of the unit acting.")
REASON = typer.Option("", "--reason", help="Why (required to return, cancel or waive).")


@app.command("receive")
@reports_errors
def receive(assignment_id: int, unit: str = UNIT, now: str = NOW,
            as_user: str = AS_USER) -> None:
    """The unit acknowledges an assignment (tiếp nhận)."""
    _act(assignment_id, Status.RECEIVED, unit, "", now, as_user)


@app.command("submit")
@reports_errors
def submit(assignment_id: int, unit: str = UNIT, note: str = typer.Option("", "--note"),
           values: Path = typer.Option(None, help="YAML or JSON file of the form's fields."),
           attach: list[Path] = typer.Option(
               None, exists=True, dir_okay=False, readable=True,
               help="A file to attach (repeatable); its size and content are checked."),
           now: str = NOW, as_user: str = AS_USER) -> None:
    """The unit hands in its assignment (nộp): figures for a report form, files, or the
    pre-filled draft as it stands."""
    from contextlib import ExitStack

    from ..db.database import transaction
    from ..domain.permissions import Action
    from ..services.report_submit import Upload, submit_report
    from .acting import acting_as
    from .reports import load_values

    rt = runtime(now)
    figures = load_values(values) if values else None
    with ExitStack() as opened, transaction(rt.engine) as session:
        by = acting_as(session, as_user, unit, Action.SUBMIT, now=rt.now())
        uploads = [Upload(p.name, opened.enter_context(p.open("rb"))) for p in attach or []]
        done = submit_report(session, assignment_id, unit_code=unit, values=figures, note=note,
                             uploads=uploads, now=rt.now(), settings=rt.settings, by=by)
    console.print(f"Assignment {assignment_id}: đã nộp (bản {done.version})")


@app.command("accept")
@reports_errors
def accept(assignment_id: int, unit: str = UNIT, note: str = typer.Option("", "--note"),
           now: str = NOW, as_user: str = AS_USER) -> None:
    """The issuing unit accepts a submission (hoàn thành)."""
    _act(assignment_id, Status.ACCEPTED, unit, note, now, as_user)


@app.command("return")
@reports_errors
def return_(assignment_id: int, unit: str = UNIT, reason: str = REASON, now: str = NOW,
            as_user: str = AS_USER) -> None:
    """The issuing unit returns a submission for correction (trả lại)."""
    _act(assignment_id, Status.RETURNED, unit, reason, now, as_user)


@app.command("cancel")
@reports_errors
def cancel(assignment_id: int, unit: str = UNIT, reason: str = REASON, now: str = NOW,
           as_user: str = AS_USER) -> None:
    """The issuing unit withdraws an assignment (thu hồi)."""
    _act(assignment_id, Status.CANCELLED, unit, reason, now, as_user)


@app.command("waive")
@reports_errors
def waive(assignment_id: int, unit: str = UNIT, reason: str = REASON, now: str = NOW,
          as_user: str = AS_USER) -> None:
    """The issuing unit exempts a unit from an assignment (miễn)."""
    _act(assignment_id, Status.WAIVED, unit, reason, now, as_user)


@app.command("demo")
@reports_errors
def demo(db: Path = typer.Option(Path("chidao-demo.db"), help="SQLite file (recreated)."),
         now: str = typer.Option("2026-03-25T09:00", help="The moment the tree is shown at."),
         as_json: bool = JSON,
         serve: bool = typer.Option(False, help="Then serve the dashboard on 127.0.0.1."),
         port: int = typer.Option(8000),
         scale: str = typer.Option("province", help="province (An Giang) | national")) -> None:
    """Seed An Giang from the corpus, cascade KH 1039/KH-SGDĐT three levels, show the tree;
    with --serve, open the dashboard with demo accounts."""
    from ..config.clock import parse_instant
    from ..demo.scenario import (
        DEMO_PASSWORD,
        add_demo_users,
        add_national_users,
        fresh_database,
        run_demo,
        run_national_demo,
    )

    if scale not in ("province", "national"):
        raise InvalidInput("scale", f"'{scale}' is not province or national")
    story = now if scale == "province" else "2026-02-26T09:00"
    story_at = parse_instant(story)
    # The story's moments are given to each step; the runtime's clock stands still at the
    # story's moment: it dates the demo accounts and serves the dashboard (a banner says so),
    # so the deadline colours tell the story instead of the months since.
    rt = runtime(story, pooled=serve, database_url=fresh_database(db))
    if scale == "national":
        run_national_demo(rt, now=story_at, log=console.print)
    else:
        tree = run_demo(rt, now=story_at, log=console.print)
        if as_json:
            print_json(tree.as_json())
        else:
            from .render import cascade_tree

            console.print(cascade_tree(tree))
    if serve:
        from ..web.app import create_app
        from .lifecycle import run_server

        users = add_demo_users(rt) if scale == "province" else add_national_users(rt)
        console.print(f"\nDashboard: http://127.0.0.1:{port}  — password for every demo"
                      f" account: {DEMO_PASSWORD}")
        for username, unit in users:
            console.print(f"  {username:22} {unit}", highlight=False)
        run_server(create_app(runtime=rt), "127.0.0.1", port, None)


def run() -> None:
    """The `chidao` program (pyproject's [project.scripts]): the app in a process of its own.
    Its start allocates about a million objects (SQLAlchemy, pydantic, the tables), none of
    them garbage, so the garbage collector stays off until the command has imported what it
    runs on (chidao.cli.common.startup_done turns it on); at the end everything is frozen, so
    that the interpreter's last collection does not walk it all again. Together ~0.2 s of CPU
    a command (bench/cli_start.py)."""
    gc.disable()
    try:
        app()
    finally:
        gc.freeze()
