"""The PostgreSQL server of `bash run tests-postgres` (CHIDAO_TEST_POSTGRES_URL): each test gets
its own database on it, made from a migrated template."""

from __future__ import annotations

import os

from sqlalchemy import create_engine

POSTGRES = os.environ.get("CHIDAO_TEST_POSTGRES_URL")


def admin(sql: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE) on the server."""
    assert POSTGRES is not None
    engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(sql)
    engine.dispose()


def database_url(name: str) -> str:
    """The URL of database `name` on the same server."""
    assert POSTGRES is not None
    return POSTGRES.rsplit("/", 1)[0] + f"/{name}"
