"""Drive the deadline engine in-process at chosen moments (sweep, then deliver)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.notifications.deliver import DeliveryReport, deliver, smtp_mailer
from chidao.notifications.sweep import sweep
from tests.support.cascade import at


def engine_settings(smtp: Any | None, **over: Any) -> Settings:
    values: dict[str, Any] = {"mail_domain": "test.chidao.vn", "smtp_concurrency": 2}
    if smtp is not None:
        values |= {"smtp_host": "127.0.0.1", "smtp_port": smtp.port}
    return Settings(**(values | over))


def tick(engine: Engine, settings: Settings, moment: str) -> DeliveryReport:
    now, cal = at(moment), vietnam_calendar()
    with transaction(engine) as session:
        sweep(session, now=now, calendar=cal, send_at=settings.send_from)
    return deliver(engine, now=now, calendar=cal, settings=settings, mailer=smtp_mailer(settings))


def days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
