"""Engine factory and schema migration. Connections open only when a function is called."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlmodel import Session

if TYPE_CHECKING:  # Alembic loads only in the functions that migrate (~0.1 s a command)
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Connections beyond the web's pool_size, for what runs outside the request gate (an error
# page looking up the signed-in user's menu) so that it never waits behind the requests.
OVERFLOW = 4


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event emits BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # Writers take the write lock up front (BEGIN IMMEDIATE): two processes claiming work
    # queue behind busy_timeout instead of failing on a stale snapshot. Readers stay deferred.
    read_only = connection.get_execution_options().get("read_only", False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str, pool_size: int | None = None,
                pool_timeout: float | None = None) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL, a busy timeout, immediate writes.
    Given `pool_size`, the pool holds that many connections plus OVERFLOW, and a caller waits
    at most `pool_timeout` seconds for one (sqlalchemy.exc.TimeoutError after that)."""
    pool: dict[str, Any] = {}
    if pool_size is not None and not _in_memory(url):
        pool = {"pool_size": pool_size, "max_overflow": OVERFLOW,
                "pool_timeout": pool_timeout if pool_timeout is not None else 30}
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # PostgreSQL: READ COMMITTED; readers never wait for writers (MVCC), so reads need no
    # special transaction here.
    return create_engine(url, pool_pre_ping=True, **pool)


def _in_memory(url: str) -> bool:
    return url.startswith("sqlite") and (url in ("sqlite://", "sqlite:///") or ":memory:" in url)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def schema_head() -> str:
    """The newest migration's revision, known without Alembic: each file in
    migrations/versions is named after its revision ("0015_people_audit_feeds.py" is "0015")
    and the revisions are numbered in order (tests/unit/test_schema_head.py checks both
    against Alembic's own reading of the chain)."""
    names = (path.name.partition("_")[0] for path in (MIGRATIONS_DIR / "versions").glob("*.py")
             if path.name[:1].isdigit())
    return max(names, key=int)


def stored_revisions(url: str) -> set[str]:
    """The revisions recorded in the database's alembic_version table; empty if it has none
    (no schema yet) or cannot be read."""
    from sqlalchemy.exc import DBAPIError

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            return {row[0] for row in rows}
    except DBAPIError:
        return set()
    finally:
        engine.dispose()


def migrate(url: str, revision: str = "head") -> None:
    """Bring the schema at `url` up to `revision` (creates the SQLite file if needed). A
    schema already at the head is left as it is without loading Alembic (~0.1 s)."""
    if revision == "head" and stored_revisions(url) == {schema_head()}:
        return
    from alembic import command

    command.upgrade(alembic_config(url), revision)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One session, one transaction: committed if the block returns, rolled back if it raises."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only session (no write lock on SQLite)."""
    with Session(engine.execution_options(read_only=True), expire_on_commit=False) as session, \
            session.begin():
        yield session
