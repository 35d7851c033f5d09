"""Deadline-engine commands: sweep, deliver, outbox, extend, worker, serve, deployments, deploy."""

from __future__ import annotations

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
    startup_done,
)
from .preview import HTML, UNIT, preview, show


def register(app: typer.Typer) -> None:
    app.command("sweep")(reports_errors(sweep))
    app.command("deliver")(reports_errors(deliver))
    app.command("preview")(reports_errors(preview))
    app.command("outbox")(reports_errors(outbox))
    app.command("extend")(reports_errors(extend))
    app.command("worker")(worker)
    app.command("serve")(serve)
    app.command("deployments")(serve_deployments)
    app.command("deploy")(reports_errors(deploy))


def sweep(now: str = NOW, dry_run: bool = typer.Option(False, "--dry-run"),
          as_json: bool = JSON) -> None:
    """Write the reminders and escalations due at --now (idempotent)."""
    from ..db.database import reading
    from ..flows.runner import run_step
    from ..notifications.due_words import describe_due, due_line

    rt = runtime(now)
    result = run_step("sweep", rt, dry_run=dry_run)
    with reading(rt.engine) as session:  # the ids named: units, tasks, stages in words
        result["due"] = describe_due(session, result["due"])
    if as_json:
        print_json(result)
        return
    paused = (f", {result['paused']} paused (their unit is closed today)"
              if result.get("paused") else "")
    console.print(f"{result['examined']} runs examined, {result['notifications']} notifications"
                  f"{paused}{' (dry run: nothing written)' if dry_run else ''}")
    for entry in result["due"]:
        console.print(f"  {due_line(entry)}", markup=False, highlight=False, soft_wrap=True)


def deliver(now: str = NOW, dry_run: bool = typer.Option(
        False, "--dry-run", help="Show what would be sent now (as `chidao preview`, without"
                                 " the sweep); nothing is sent or written."),
            unit: str = UNIT, html: bool = HTML, as_json: bool = JSON) -> None:
    """Group due notifications into digests and send them (CHIDAO_SMTP_HOST), else keep them."""
    from ..flows.runner import run_step

    if dry_run:
        show(runtime(now), unit, as_json, sweep_first=False, html=html)
        return
    if unit is not None:
        raise InvalidInput("unit", "only with --dry-run (a delivery sends to every unit)")
    result = run_step("deliver", runtime(now))
    if as_json:
        print_json(result)
    else:
        console.print(f"{result['formed']} digests formed, {result['sent']} sent,"
                      f" {result['retrying']} to retry, {result['failed']} failed"
                      f"{'; ' + result['held'] if result['held'] else ''}")


def outbox(status: str = typer.Option(None, help="queued | sending | sent | failed | withdrawn"),
           show: int = typer.Option(None, help="Print one message as it will be sent."),
           limit: int = typer.Option(50), as_json: bool = JSON) -> None:
    """The outbox: digests waiting, sent and failed (with the SMTP reply or error)."""
    from rich.markup import escape
    from rich.table import Table
    from sqlalchemy import func, select

    from ..db.database import reading
    from ..domain.notifications import message_body_table, message_table, notification_table
    from ..domain.units import unit_table

    with reading(runtime().engine) as session:
        if show is not None:
            body = session.execute(select(message_body_table.c.body).where(
                message_body_table.c.message_id == show)).scalar_one_or_none()
            if body is None:
                raise InvalidInput("show", f"message {show} does not exist or is not composed")
            from email import message_from_bytes, policy

            email = message_from_bytes(body, policy=policy.default)
            for header in ("Message-ID", "Date", "From", "To", "Cc", "Subject"):
                if email[header]:
                    console.print(f"{header}: {email[header]}", markup=False, highlight=False)
            text = email.get_body(preferencelist=("plain",))
            console.print("", text.get_content() if text else "", markup=False,
                          highlight=False)
            return
        m, u = message_table.c, unit_table.c
        query = (select(m.id, m.status, u.name, m.attempts, m.subject, m.smtp_reply,
                        m.last_error, m.created_at)
                 .join(unit_table, u.id == m.to_unit_id).order_by(m.id.desc()).limit(limit))
        if status:
            query = query.where(m.status == status)
        rows = [dict(r._mapping) for r in session.execute(query)]
        pending = session.execute(select(func.count()).where(
            notification_table.c.message_id.is_(None))).scalar_one()
    if as_json:
        print_json({"pending_notifications": pending, "messages": rows})
        return
    table = Table("#", "Trạng thái", "Gửi đến", "Lần thử", "Tiêu đề / lỗi")
    for r in rows:
        table.add_row(str(r["id"]), r["status"], escape(r["name"]), str(r["attempts"]),
                      escape(r["subject"] or r["last_error"]))
    console.print(table)
    console.print(f"{pending} notifications not yet grouped into a digest")


def extend(ref: str, requirement: str = typer.Option(..., help="Requirement key."),
           subtree: str = typer.Option(..., help="Unit code: it and every unit below it."),
           to: str = typer.Option(..., help="New deadline (dd/mm/yyyy or YYYY-MM-DD)."),
           unit: str = typer.Option(..., "--unit", help="The issuing unit acting."),
           reason: str = typer.Option(..., help="Why."), now: str = NOW) -> None:
    """Move a deadline for a subtree (gia hạn); reminders follow the new date."""
    from ..db.database import transaction
    from ..domain.specs import parse_day
    from ..services.extend import extend_deadline

    try:
        new_due = parse_day(to)
    except ValueError as exc:
        raise InvalidInput("to", str(exc)) from None
    rt = runtime(now)
    with transaction(rt.engine) as session:
        moved = extend_deadline(session, directive_ref=ref, requirement_key=requirement,
                                subtree=subtree, new_due=new_due, actor=unit, reason=reason,
                                now=rt.now(), calendar=rt.calendar, rules=rt.rules)
    console.print(f"{moved} runs now due {new_due:%d/%m/%Y} (rolled to a working day if needed)")


def _log_to_stderr() -> None:
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")


def worker() -> None:
    """Run the scheduler headless: sweep and deliver every few minutes, until SIGTERM or Ctrl-C
    (it stops within 5 s: a running job finishes its step and releases what it holds)."""
    from .lifecycle import run_worker

    rt = runtime()  # bad settings stop here, before anything starts (exit 2)
    _log_to_stderr()
    s = rt.settings
    console.print(f"chidao worker '{s.worker_name}': sweep every {s.sweep_every_minutes} min,"
                  f" deliver every {s.deliver_every_minutes} min")
    run_worker(rt)


def serve(host: str = typer.Option("127.0.0.1"), port: int = typer.Option(8000)) -> None:
    """The dashboard on http://HOST:PORT and, in the same process, the scheduler, until SIGTERM
    or Ctrl-C (it stops within 5 s: requests in flight get 3 s)."""
    from ..web.app import create_app
    from .lifecycle import run_server

    # One runtime for the pages and the scheduler: the web's pooled engine (its overflow serves
    # the jobs); bad settings stop here, before anything starts (exit 2).
    rt = runtime(pooled=True)
    _log_to_stderr()
    console.print(f"chidao: http://{host}:{port}  (Ctrl-C to stop)")
    run_server(create_app(runtime=rt, serve_host=host), host, port, rt)


def serve_deployments() -> None:
    """Serve cascade, sweep, deliver and aggregate from this process (needs PREFECT_API_URL).

    To run them on several machines, see `chidao deploy`."""
    from prefect import serve as prefect_serve

    from ..flows.scheduling import deployments

    startup_done()  # (it serves until stopped: the garbage collector on)
    prefect_serve(*deployments())


def deploy(pool: str = typer.Option("chidao", "--pool", help="The work pool (type process).")
           ) -> None:
    """Register cascade, sweep, deliver and aggregate on a work pool (needs PREFECT_API_URL).

    The pool (type process) is created if missing; `prefect worker start --pool POOL`, on any
    machine with chidao installed and CHIDAO_DATABASE_URL set, runs the flows."""
    from prefect.settings import PREFECT_API_URL

    from ..flows.scheduling import (
        deployment_crons,
        ensure_process_work_pool,
        work_pool_deployments,
    )

    if not PREFECT_API_URL.value():  # else Prefect would deploy to a throwaway ephemeral server
        raise InvalidInput("PREFECT_API_URL", "not set: export the Prefect server's API URL")
    created = ensure_process_work_pool(pool)
    # Each deployment is applied on its own: prefect.deploy() first lists the pool's workers
    # with a request that Prefect 3.8.8's own server rejects (422: limit/offset null).
    for deployment in work_pool_deployments(pool, settings()):
        deployment.apply()
    crons = deployment_crons(settings())
    console.print(f"work pool '{pool}' ({'created' if created else 'existing'}): " + ", ".join(
        f"{name} ({cron or 'on demand'})" for name, cron in crons.items()), highlight=False)
    console.print(f"run them with: prefect worker start --pool {pool}  (on each machine, with"
                  " chidao installed and CHIDAO_DATABASE_URL set)", highlight=False)
