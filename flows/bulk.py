"""Bulk fan-out insert: one row per target, every other column shared; duplicates skipped.

Column values are converted once with the column types' own bind processors (so storage is
exactly what the ORM would write), then the rows go to the driver's executemany in a single
`INSERT ... ON CONFLICT DO NOTHING` (SQLite ≥ 3.24 and PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlmodel import Session

_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_fanout(
    session: Session, table: Table, common: Mapping[str, Any], column: str,
    values: Sequence[Any], unique: Sequence[str],
) -> None:
    """INSERT one row per value of `column` (the rest from `common`), skipping existing keys."""
    if not values:
        return
    connection = session.connection()
    dialect = connection.dialect
    names = [*common, column]
    quote = dialect.identifier_preparer.quote
    marker = _MARKERS[dialect.paramstyle]
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)})"
        f" VALUES ({', '.join([marker] * len(names))})"
        f" ON CONFLICT ({', '.join(quote(u) for u in unique)}) DO NOTHING"
    )
    shared = tuple(_bind(table, name, value, dialect) for name, value in common.items())
    variable = [_bind(table, column, value, dialect) for value in values]
    connection.exec_driver_sql(sql, [(*shared, value) for value in variable])


def _bind(table: Table, name: str, value: Any, dialect: Any) -> Any:
    processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    return processor(value) if processor is not None and value is not None else value
