"""The two databases a benchmark can run on, behind one small interface: SQLite files in a
folder, or databases on a PostgreSQL server (copied with CREATE DATABASE … TEMPLATE). Each
gives SQLAlchemy URLs for chidao and plain DB-API connections (sqlite3 / psycopg) for the raw
baselines, with the driver's parameter marker and the value a timestamp column stores.

Every benchmark takes `--database sqlite|postgresql`; PostgreSQL needs `--postgres-url` or
CHIDAO_BENCH_POSTGRES_URL (a server URL whose user may create databases), which
`bash run bench` sets after starting a throwaway server on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from chidao.db.database import migrate
from chidao.domain.dbtypes import sqlite_utc_text

DATABASES = ("sqlite", "postgresql")


def add_database_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", choices=DATABASES, default="sqlite")
    parser.add_argument("--postgres-url", default=os.environ.get("CHIDAO_BENCH_POSTGRES_URL"),
                        help="postgresql+psycopg://user@127.0.0.1:port/postgres")


@contextmanager
def bench_databases(args: argparse.Namespace) -> Iterator[Databases]:
    """The databases chosen on the command line; all of them removed afterwards."""
    if args.database == "postgresql" and not args.postgres_url:
        raise SystemExit("--database postgresql needs --postgres-url or CHIDAO_BENCH_POSTGRES_URL"
                         " (bash run bench starts a server and sets it)")
    with tempfile.TemporaryDirectory(prefix="chidao-bench-") as tmp:
        dbs = (SqliteDatabases(Path(tmp)) if args.database == "sqlite"
               else PostgresDatabases(args.postgres_url))
        try:
            yield dbs
        finally:
            dbs.close()


class _Markers:
    marker: str

    def markers(self, count: int) -> str:
        """`count` parameter markers, comma-separated, for a VALUES list."""
        return ", ".join([self.marker] * count)


class SqliteDatabases(_Markers):
    kind = "sqlite"
    marker = "?"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def url(self, name: str) -> str:
        return f"sqlite:///{self.folder / name}.db"

    def create(self, name: str) -> str:
        migrate(self.url(name))
        return self.url(name)

    def copy(self, source: str, name: str) -> str:
        shutil.copy(self.folder / f"{source}.db", self.folder / f"{name}.db")
        return self.url(name)

    def drop(self, name: str) -> None:
        for suffix in (".db", ".db-wal", ".db-shm"):
            (self.folder / f"{name}{suffix}").unlink(missing_ok=True)

    def raw(self, name: str) -> Any:
        """A plain sqlite3 connection, in autocommit mode (callers say BEGIN/COMMIT), with the
        pragmas chidao's engine sets."""
        conn = sqlite3.connect(self.folder / f"{name}.db", isolation_level=None)
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
            conn.execute(f"PRAGMA {pragma}")
        return closing(conn)

    def stamp(self, moment: datetime) -> Any:
        return sqlite_utc_text(moment)

    def rows(self, rows: list[Any]) -> list[Any]:
        """Rows read with `raw`, ready to be written back with it."""
        return rows

    def settle(self, name: str) -> None:
        """Nothing: chidao does not ANALYZE its SQLite files, so neither does the benchmark."""

    def close(self) -> None:
        """The files go with the caller's temporary folder."""


class PostgresDatabases(_Markers):
    kind = "postgresql"
    marker = "%s"

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.prefix = f"bench_{uuid.uuid4().hex[:8]}_"
        self.created: list[str] = []

    def url(self, name: str) -> str:
        return self.server_url.rsplit("/", 1)[0] + f"/{self.prefix}{name}"

    def _admin(self, sql: str) -> None:
        engine = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(sql)
        engine.dispose()

    def create(self, name: str) -> str:
        self._admin(f"CREATE DATABASE {self.prefix}{name}")
        self.created.append(name)
        migrate(self.url(name))
        return self.url(name)

    def copy(self, source: str, name: str) -> str:
        self._admin(f"CREATE DATABASE {self.prefix}{name} TEMPLATE {self.prefix}{source}")
        self.created.append(name)
        return self.url(name)

    def drop(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {self.prefix}{name} WITH (FORCE)")

    def close(self) -> None:
        for name in self.created:
            self.drop(name)

    def raw(self, name: str) -> Any:
        """A plain psycopg connection, in autocommit mode (callers say BEGIN/COMMIT)."""
        import psycopg

        return closing(psycopg.connect(self.url(name).replace("+psycopg", ""), autocommit=True))

    def stamp(self, moment: datetime) -> Any:
        return moment

    def rows(self, rows: list[Any]) -> list[Any]:
        from psycopg.types.json import Jsonb

        return [tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in row)
                for row in rows]

    def settle(self, name: str) -> None:
        """After bulk loading: what autovacuum would soon do on a live server."""
        with self.raw(name) as conn:
            conn.execute("VACUUM ANALYZE")


Databases = SqliteDatabases | PostgresDatabases
