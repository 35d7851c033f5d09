"""The front door: one Runtime per process, built from the settings by `build_runtime`, holding
what every entry point needs (the CLI, the web app, the scheduler, the Prefect flows, the
tests): the settings, the engine, the working calendar, the clock and the rules. Nothing else
builds an engine, a calendar or reads the wall clock, so a directive issued anywhere gets the
same deadline."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine

from ..db.database import make_engine
from ..domain.calendar import WorkingCalendar
from ..domain.errors import InvalidInput
from ..domain.rules import Rules
from .calendar_source import CalendarHolder
from .clock import Clock, FixedClock, clock_for
from .settings import Settings, settings_problem


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    calendars: CalendarHolder  # the calendar in force, swapped when the decisions change
    clock: Clock
    rules: Rules

    @property
    def calendar(self) -> WorkingCalendar:
        """The working calendar in force now (the package, the shipped decisions, the
        deployment's file as last read)."""
        return self.calendars.current

    def now(self) -> datetime:
        """The clock's instant, aware UTC."""
        return self.clock.now()

    def fixed_now(self) -> str | None:
        """The fixed instant as ISO text (for a flow run's `now` parameter); None: wall clock."""
        return self.clock.instant.isoformat() if isinstance(self.clock, FixedClock) else None

    def close(self) -> None:
        self.engine.dispose()


def load_settings(**overrides: Any) -> Settings:
    """The settings from the environment (and .env), `overrides` first. Impossible values stop
    here, at start-up: InvalidInput naming the variable (CHIDAO_SCHOOL_YEAR_END_DAY: ...)."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problem = settings_problem(exc)
        variable, _, message = problem.partition(": ")
        raise InvalidInput(variable, message) from None


def build_runtime(settings: Settings | None = None, *, now: str | None = None,
                  clock: Clock | None = None, pooled: bool = False) -> Runtime:
    """THE way to get an engine, a calendar, a clock and the rules. `now`: an operator's
    `--now` (ISO; absent = the wall clock), or give a `clock`. `pooled`: the web's engine,
    its pool sized by CHIDAO_DB_POOL_SIZE and its wait capped by CHIDAO_DB_WAIT_SECONDS. The
    calendar: the package under the shipped decisions under CHIDAO_CALENDAR_FILE's
    (chidao.config.calendar_source); a broken file stops here (InvalidInput naming it)."""
    settings = settings or load_settings()
    calendars = CalendarHolder(settings.calendar_file)
    if pooled:
        engine = make_engine(settings.database_url, pool_size=settings.db_pool_size,
                             pool_timeout=settings.db_wait_seconds)
    else:
        engine = make_engine(settings.database_url)
    return Runtime(settings=settings, engine=engine, calendars=calendars,
                   clock=clock or clock_for(now), rules=settings.rules())


@contextmanager
def opened_runtime(now: str | None = None, database_url: str | None = None) -> Iterator[Runtime]:
    """A runtime for one run of a Prefect flow (its process may run several): the settings
    from the environment, `database_url` first; the engine is closed at the end."""
    overrides = {"database_url": database_url} if database_url else {}
    runtime = build_runtime(load_settings(**overrides), now=now)
    try:
        yield runtime
    finally:
        runtime.close()
