"""Prefect flow `cascade`: issue one directive file (all assignment rows in one bulk write)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import flow

from chidao.config.clock import resolve_now
from chidao.config.settings import get_settings
from chidao.db.database import make_engine, transaction
from chidao.domain.calendar import vietnam_calendar
from chidao.files.directive_files import load_directive_file
from chidao.services.issue import issue_directive


@flow(name="cascade", persist_result=False)
def cascade(
    directive_file: str, now: str | None = None, database_url: str | None = None
) -> dict[str, Any]:
    """Load, validate and issue a directive; one transaction, idempotent on re-run."""
    settings = get_settings()
    spec = load_directive_file(Path(directive_file))
    engine = make_engine(database_url or settings.database_url)
    try:
        with transaction(engine) as session:
            result = issue_directive(
                session, spec, now=resolve_now(now), calendar=vietnam_calendar(),
                school_year_end=(settings.school_year_end_month, settings.school_year_end_day),
            )
    finally:
        engine.dispose()
    return asdict(result)
