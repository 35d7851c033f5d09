"""Prefect flows `sweep`, `deliver` and `aggregate`: the scheduled coarse steps."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect import flow

from chidao.config.clock import resolve_now
from chidao.config.settings import get_settings
from chidao.db.database import make_engine, transaction
from chidao.domain.calendar import vietnam_calendar
from chidao.notifications.deliver import deliver, smtp_mailer
from chidao.notifications.sweep import sweep
from chidao.services.aggregate import aggregate


@flow(name="sweep", persist_result=False)
def sweep_flow(
    now: str | None = None, dry_run: bool = False, database_url: str | None = None
) -> dict[str, Any]:
    """Write the notifications due at `now` and move every examined run's next_action_at."""
    settings = get_settings()
    engine = make_engine(database_url or settings.database_url)
    try:
        with transaction(engine) as session:
            report = sweep(session, now=resolve_now(now), calendar=vietnam_calendar(),
                           send_at=settings.send_from, dry_run=dry_run)
            if dry_run:
                session.rollback()
    finally:
        engine.dispose()
    return {"examined": report.examined, "notifications": len(report.notifications),
            "dry_run": dry_run, "due": [list(map(str, n[:5])) for n in report.notifications]}


@flow(name="aggregate", persist_result=False)
def aggregate_flow(now: str | None = None, database_url: str | None = None) -> dict[str, Any]:
    """Pre-fill the upward reports of every level whose cut-off has passed."""
    settings = get_settings()
    engine = make_engine(database_url or settings.database_url)
    try:
        with transaction(engine) as session:
            done = aggregate(session, now=resolve_now(now))
    finally:
        engine.dispose()
    return {"drafts": done.drafts, "created": len(done.created), "updated": len(done.updated)}


@flow(name="deliver", persist_result=False)
def deliver_flow(now: str | None = None, database_url: str | None = None) -> dict[str, Any]:
    """Group the outbox into digests and send what is due (within sending hours)."""
    settings = get_settings()
    engine = make_engine(database_url or settings.database_url)
    try:
        report = deliver(engine, now=resolve_now(now), calendar=vietnam_calendar(),
                         settings=settings, mailer=smtp_mailer(settings))
    finally:
        engine.dispose()
    return asdict(report)
