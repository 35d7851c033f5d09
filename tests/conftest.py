"""Shared fixtures: a real SQLite file per test (copied from one migrated template), or a
PostgreSQL database per test under `bash run tests-postgres`. Fixtures only: the helpers tests
import live in tests/support/ (and a suite's own helper modules)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from chidao.config.runtime import Runtime, build_runtime, load_settings
from chidao.db.database import migrate
from chidao.domain.calendar import WorkingCalendar
from tests.support.postgres import POSTGRES, admin, database_url

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


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if POSTGRES:
        skip = pytest.mark.skip(reason="exercises SQLite files directly")
        demo = pytest.mark.skip(reason="the served demo is a SQLite file, as `chidao demo`"
                                       " makes it: its browser walks run in the SQLite phase")
        browser = pytest.mark.skip(reason="what a browser shows does not depend on the"
                                          " database: the browser tests run in the SQLite"
                                          " phase; every page's queries run here through"
                                          " tests/integration (route tables, scoping)")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)
            elif "demo_site" in getattr(item, "fixturenames", ()):
                item.add_marker(demo)
            elif "/tests/e2e/" in str(getattr(item, "path", "")):
                item.add_marker(browser)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    if POSTGRES:
        admin("DROP DATABASE IF EXISTS chidao_template WITH (FORCE)")
        admin("CREATE DATABASE chidao_template")
        migrate(database_url("chidao_template"))
        return "chidao_template"
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(template_db: Path | str, tmp_path: Path) -> Iterator[str]:
    if POSTGRES:
        name = f"t_{uuid.uuid4().hex[:16]}"
        admin(f"CREATE DATABASE {name} TEMPLATE {template_db}")
        yield database_url(name)
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
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


@pytest.fixture
def smtp() -> Iterator[Any]:
    from tests.smtp_server import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True, scope="session")
def attachments_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Files the commands a test runs keep (CHIDAO_ATTACHMENTS_DIR, default ./attachments: the
    demo keeps Kiên Hải's plan there) go to a temp folder, never into the checkout."""
    os.environ.setdefault("CHIDAO_ATTACHMENTS_DIR", str(tmp_path_factory.mktemp("attachments")))
