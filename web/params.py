"""Path and query parameters with their ranges: an id past what the database holds, or a page
far past any list, is a 422 naming the parameter, not an OverflowError."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_ID = 2**63 - 1  # a BIGINT; SQLite's INTEGER alike
MAX_PAGE = 100_000  # 100 rows a page: ten million rows

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
PageNumber = Annotated[int, Query(ge=0, le=MAX_PAGE)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
