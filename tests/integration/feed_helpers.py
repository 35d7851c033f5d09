"""Calendar feeds in tests: an app on the test database at a fixed moment, feed addresses made
through the service, and a fetched feed parsed with the `icalendar` library."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import Engine, select

from chidao.config.runtime import build_runtime
from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.db.lookup import unit_by_code
from chidao.domain.acting import command_line
from chidao.domain.assignments import assignment_table
from chidao.domain.status import AWAITING_UNIT
from chidao.domain.units import Unit
from chidao.services.feed_tokens import FeedOf, feed_address, reset_feed

PUBLIC_URL = "https://chidao.example.vn"
DOMAIN = "chidao.example.vn"
SECRET = "feed-test-secret"


def feed_settings(db_url: str, tmp_path: Any) -> Settings:
    return Settings(database_url=db_url, secret_key=SECRET, public_url=PUBLIC_URL,
                    mail_domain=DOMAIN, attachments_dir=str(tmp_path / "files"))


def feed_client(db_url: str, tmp_path: Any, now: str) -> TestClient:
    """The web app at the Vietnam-local moment `now` (its clock fixed)."""
    from chidao.web.app import create_app

    return TestClient(create_app(runtime=build_runtime(feed_settings(db_url, tmp_path),
                                                       now=now)))


def unit_of(engine: Engine, code: str) -> Unit:
    with transaction(engine) as session:
        unit = unit_by_code(session, code)
        session.expunge(unit)
        return unit


def address(engine: Engine, of: FeedOf, when: datetime, *, reset: bool = False) -> str:
    """The feed's path (/feeds/….ics), made (or reset) through the service."""
    change = reset_feed if reset else feed_address
    with transaction(engine) as session:
        made = change(session, of, by=command_line("SGDDT-AG"), secret_key=SECRET,
                      public_url=PUBLIC_URL, now=when)
    assert made.url.startswith(PUBLIC_URL + "/feeds/")
    return made.url.removeprefix(PUBLIC_URL)


@dataclass
class ParsedEvent:
    uid: str
    start: date
    end: date
    summary: str
    description: str
    sequence: int
    last_modified: datetime
    alarms: list[datetime]


def parsed(body: bytes) -> dict[str, ParsedEvent]:
    """UID -> the event, as a standard iCalendar parser reads the feed."""
    feed = Calendar.from_ical(body)
    events = {}
    for event in feed.walk("VEVENT"):
        uid = str(event["UID"])
        assert uid not in events, f"UID {uid} twice"
        events[uid] = ParsedEvent(
            uid, event.decoded("DTSTART"), event.decoded("DTEND"), str(event["SUMMARY"]),
            str(event["DESCRIPTION"]), int(event["SEQUENCE"]), event.decoded("LAST-MODIFIED"),
            [alarm.decoded("TRIGGER") for alarm in event.walk("VALARM")])
    return events


def open_runs_in_db(engine: Engine, unit_id: int) -> dict[int, date]:
    """run id -> deadline of the unit's runs awaiting it, read straight from the table."""
    a = assignment_table.c
    with transaction(engine) as session:
        rows = session.execute(select(a.id, a.due_on).where(
            a.unit_id == unit_id, a.status.in_([s.value for s in AWAITING_UNIT]))).all()
        return dict(rows)


def heavy_imports(args: list[str], env: dict[str, str], cwd: Any) -> set[str]:
    """Which of Prefect and Alembic the real command `chidao ARGS` imported (Python's
    import-time log; the command must succeed)."""
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    run_env = {**os.environ, **env, "PYTHONPROFILEIMPORTTIME": "1"}
    run_env.pop("PREFECT_API_URL", None)
    done = subprocess.run([str(Path(sys.executable).parent / "chidao"), *args], env=run_env,
                          cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    modules = re.findall(r"^import time:\s+\d+ \|\s+\d+ \| +(\S+)$", done.stderr, re.MULTILINE)
    assert "chidao.cli.feeds" in modules  # the log is there and the command is the one
    return {name.split(".")[0] for name in modules} & {"prefect", "alembic"}
