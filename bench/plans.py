"""The plans of what a piece of code asks the database: every SELECT on a table that a call
sends, then EXPLAIN (ANALYZE, BUFFERS) of it on PostgreSQL (in a transaction rolled back), to
see which indexes and how many pages a reading touches (bench/history.py --explain)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event


def sent_selects(engine: Engine, call: Callable[[], Any], table: str
                 ) -> list[tuple[str, Any]]:
    """(statement, parameters) of each SELECT naming `table` that `call()` sends."""
    seen: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().startswith("SELECT") and re.search(rf"\b{table}\b", statement):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return seen


def print_plans(engine: Engine, title: str, call: Callable[[], Any], table: str = "assignment",
                most: int = 4) -> None:
    """The analysed plans of the first `most` such statements, each under `title`."""
    with engine.connect() as conn:
        for statement, parameters in sent_selects(engine, call, table)[:most]:
            plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement,
                                        parameters).scalars().all()
            print(f"--- {title}: {statement[:300]}\n" + "\n".join(plan), flush=True)
        conn.rollback()
