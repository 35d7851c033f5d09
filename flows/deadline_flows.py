"""Prefect flows `sweep`, `deliver` and `aggregate`: the scheduled coarse steps, each a thin
wrapper around its step in chidao.flows.runner (which runs them directly without a server)."""

from __future__ import annotations

from typing import Any

from prefect import flow

# Absolute imports: Prefect loads a served flow's file by path (no package), unless its
# deployment names a module path (chidao's own do).
from chidao.config.runtime import opened_runtime
from chidao.flows.runner import aggregate_step, deliver_step, sweep_step


@flow(name="sweep", persist_result=False)
def sweep_flow(
    now: str | None = None, dry_run: bool = False, database_url: str | None = None
) -> dict[str, Any]:
    """Write the notifications due at `now` and move every examined run's next_action_at."""
    with opened_runtime(now, database_url) as runtime:
        return sweep_step(runtime, dry_run=dry_run)


@flow(name="aggregate", persist_result=False)
def aggregate_flow(now: str | None = None, database_url: str | None = None) -> dict[str, Any]:
    """Pre-fill the upward reports of every level whose cut-off has passed."""
    with opened_runtime(now, database_url) as runtime:
        return aggregate_step(runtime)


@flow(name="deliver", persist_result=False)
def deliver_flow(now: str | None = None, database_url: str | None = None) -> dict[str, Any]:
    """Group the outbox into digests and send what is due (within sending hours)."""
    with opened_runtime(now, database_url) as runtime:
        return deliver_step(runtime)
