"""Bulk writes straight to the driver's executemany, in the caller's transaction.

Values are converted with the columns' own bind processors (so storage is exactly what the ORM
writes), each distinct value once; inserts are `INSERT ... ON CONFLICT DO NOTHING` (SQLite
≥ 3.24 and PostgreSQL), so a re-run writes nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlmodel import Session

_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_fanout(
    session: Session, table: Table, common: Mapping[str, Any], column: str,
    values: Sequence[Any], unique: Sequence[str],
) -> None:
    """One row per value of `column`, every other column from `common`."""
    if not values:
        return
    connection = session.connection()
    names = [*common, column]
    shared = _bound(table, list(common), [tuple(common.values())], connection)[0]
    variable = _bound(table, [column], [(v,) for v in values], connection)
    connection.exec_driver_sql(_insert_sql(connection, table, names, unique),
                               [(*shared, *value) for value in variable])


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
    unique: Sequence[str],
) -> None:
    """Rows given as tuples in `columns` order."""
    if not rows:
        return
    connection = session.connection()
    connection.exec_driver_sql(_insert_sql(connection, table, columns, unique),
                               _bound(table, columns, rows, connection))


def update_rows(
    session: Session | Connection, table: Table, set_columns: Sequence[str],
    where_columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
) -> None:
    """UPDATE ... SET set_columns WHERE where_columns; each tuple holds the set then the where
    values."""
    if not rows:
        return
    connection = session if isinstance(session, Connection) else session.connection()
    quote, marker = _syntax(connection)
    sql = (
        f"UPDATE {quote(table.name)} SET {', '.join(f'{quote(c)} = {marker}' for c in set_columns)}"
        f" WHERE {' AND '.join(f'{quote(c)} = {marker}' for c in where_columns)}"
    )
    connection.exec_driver_sql(sql, _bound(table, [*set_columns, *where_columns], rows, connection))


def _syntax(connection: Connection) -> tuple[Any, str]:
    return connection.dialect.identifier_preparer.quote, _MARKERS[connection.dialect.paramstyle]


def _insert_sql(
    connection: Connection, table: Table, columns: Sequence[str], unique: Sequence[str]
) -> str:
    quote, marker = _syntax(connection)
    return (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)})"
        f" VALUES ({', '.join([marker] * len(columns))})"
        f" ON CONFLICT ({', '.join(quote(u) for u in unique)}) DO NOTHING"
    )


def _bound(
    table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
    connection: Connection,
) -> list[tuple[Any, ...]]:
    dialect = connection.dialect
    processors = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    if not any(processors):
        return list(rows)
    caches: list[dict[Any, Any]] = [{} for _ in columns]

    def convert(i: int, value: Any) -> Any:
        processor = processors[i]
        if processor is None or value is None:
            return value
        cache = caches[i]
        if value not in cache:
            cache[value] = processor(value)
        return cache[value]

    return [tuple(convert(i, v) for i, v in enumerate(row)) for row in rows]
