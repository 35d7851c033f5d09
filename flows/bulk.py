"""Bulk INSERT ... ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert_missing(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], unique: Sequence[str]
) -> None:
    """Insert `rows` in one executemany; rows whose unique key already exists are skipped."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(table).on_conflict_do_nothing(index_elements=list(unique))
    session.execute(statement, list(rows))
