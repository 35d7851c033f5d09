"""Shared fixtures: a real SQLite file per test (copied from one migrated template)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, MetaData, create_engine, select

from chidao.config.clock import resolve_now
from chidao.config.runtime import Runtime, build_runtime, load_settings
from chidao.db.database import migrate, transaction
from chidao.domain.calendar import WorkingCalendar, vietnam_calendar
from chidao.domain.specs import parse_directive
from chidao.files.unit_files import read_unit_file
from chidao.services.issue import IssueResult, issue_directive
from chidao.services.units_import import import_units

# Prefect (imported by some tests) must not phone home nor write into the user's ~/.prefect.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="chidao-prefect-"))

pytest_plugins = ["tests.web_fixtures"]


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind() -> Iterator[None]:
    """After the last test: any process the tests started and left running is killed, and the
    session fails (each test stops its own processes; see tests/processes.py)."""
    yield
    from tests.processes import descendants

    left = {pid: _command_line(pid) for pid in descendants(os.getpid())}
    for pid in left:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
    if left:
        pytest.fail(f"processes left behind by the tests (killed): {list(left.values())}")


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return str(pid)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "demo" / "examples" / "an-giang"
# The corpus lives beside the repository (../shared/corpus); a copy in tests/fixtures keeps the
# tests runnable from a clone that has no shared/ next to it.
CORPUS = next(p for p in (ROOT.parent / "shared" / "corpus", ROOT / "tests" / "fixtures" / "corpus")
              if p.is_dir())


# `bash run tests-postgres` sets this: every test then gets its own PostgreSQL database.
POSTGRES = os.environ.get("CHIDAO_TEST_POSTGRES_URL")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if POSTGRES:
        skip = pytest.mark.skip(reason="exercises SQLite files directly")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)


def _admin(sql: str) -> None:
    assert POSTGRES is not None
    engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(sql)
    engine.dispose()


def _pg_url(name: str) -> str:
    assert POSTGRES is not None
    return POSTGRES.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    if POSTGRES:
        _admin("DROP DATABASE IF EXISTS chidao_template WITH (FORCE)")
        _admin("CREATE DATABASE chidao_template")
        migrate(_pg_url("chidao_template"))
        return "chidao_template"
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(template_db: Path | str, tmp_path: Path) -> Iterator[str]:
    if POSTGRES:
        name = f"t_{uuid.uuid4().hex[:16]}"
        _admin(f"CREATE DATABASE {name} TEMPLATE {template_db}")
        yield _pg_url(name)
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return
    path = tmp_path / "chidao.db"
    shutil.copy(template_db, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def runtime(db_url: str) -> Iterator[Runtime]:
    """The front door (chidao.config.runtime) on the test's database; the wall clock (tests
    give their instants to the use cases)."""
    built = build_runtime(load_settings(database_url=db_url))
    yield built
    built.close()


@pytest.fixture
def engine(runtime: Runtime) -> Engine:
    return runtime.engine


@pytest.fixture
def calendar(runtime: Runtime) -> WorkingCalendar:
    return runtime.calendar


def at(text: str) -> datetime:
    """A Vietnam-local ISO time as aware UTC."""
    return resolve_now(text)


def seed_units(engine: Engine) -> None:
    with transaction(engine) as session:
        import_units(session, read_unit_file(EXAMPLES / "units.yaml"), now=at("2026-02-01T08:00"))


def issue_file(engine: Engine, name: str, when: str) -> IssueResult:
    return issue_data(engine, yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8")), when)


def issue_data(engine: Engine, data: dict[str, Any], when: str) -> IssueResult:
    with transaction(engine) as session:
        return issue_directive(session, parse_directive(data), now=at(when),
                               calendar=vietnam_calendar(), rules=load_settings().rules())


SESSION_BOOKKEEPING = frozenset({"user_session"})  # a login or a page view, not a command's data


def snapshot(engine: Engine, ignore: frozenset[str] = SESSION_BOOKKEEPING,
             ) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the sign-in bookkeeping (a test that signs in to send a
    refused request creates a session): compare before/after to prove nothing was written."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {name: sorted(map(tuple, conn.execute(select(table))), key=repr)
                for name, table in meta.tables.items() if name not in ignore}


@pytest.fixture
def smtp() -> Iterator[Any]:
    from tests.smtp_server import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()
