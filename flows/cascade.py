"""Prefect flow `cascade`: issue one directive file (chidao.services.issue.issue_directive_file,
all assignment rows in one bulk write)."""

from __future__ import annotations

from typing import Any

from prefect import flow

# Absolute imports: Prefect loads a served flow's file by path (no package), unless its
# deployment names a module path (chidao's own do).
from chidao.config.runtime import opened_runtime
from chidao.flows.runner import cascade_step


@flow(name="cascade", persist_result=False)
def cascade(
    directive_file: str, now: str | None = None, database_url: str | None = None
) -> dict[str, Any]:
    """Load, validate and issue a directive; one transaction, idempotent on re-run."""
    with opened_runtime(now, database_url) as runtime:
        return cascade_step(runtime, directive_file)
