"""The one place that decides "Prefect or direct": a step (one use case and its transactions)
runs as a tracked Prefect flow run when a Prefect server is configured (PREFECT_API_URL), else
in this process with the caller's runtime. Prefect is imported only in the first case: one-shot
commands and the embedded scheduler do not pay its ~1 s import nor wait ~8 s for an ephemeral
server. The flows (chidao.flows.cascade, chidao.flows.deadline_flows) run these same steps."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict
from importlib import import_module
from pathlib import Path
from typing import Any

from ..config.runtime import Runtime
from ..db.database import transaction
from ..notifications.deliver import deliver, smtp_mailer
from ..notifications.sweep import sweep
from ..services.aggregate import aggregate
from ..services.issue import issue_directive_file


def cascade_step(runtime: Runtime, directive_file: str) -> dict[str, Any]:
    """Load, validate and issue a directive; one transaction, idempotent on re-run."""
    with transaction(runtime.engine) as session:
        result = issue_directive_file(
            session, Path(directive_file), now=runtime.now(), calendar=runtime.calendar,
            rules=runtime.rules, max_bytes=runtime.settings.directive_max_bytes)
    return asdict(result)


def sweep_step(runtime: Runtime, dry_run: bool = False) -> dict[str, Any]:
    """Write the notifications due now and move every examined run's next_action_at."""
    with transaction(runtime.engine) as session:
        report = sweep(session, now=runtime.now(), calendar=runtime.calendar,
                       send_at=runtime.rules.send_from, dry_run=dry_run)
        if dry_run:
            session.rollback()
    return {"examined": report.examined, "notifications": len(report.notifications),
            "paused": report.paused, "dry_run": dry_run,
            "due": [list(map(str, n[:5])) for n in report.notifications]}


def aggregate_step(runtime: Runtime) -> dict[str, Any]:
    """Pre-fill the upward reports of every level whose cut-off has passed."""
    with transaction(runtime.engine) as session:
        done = aggregate(session, now=runtime.now())
    return {"drafts": done.drafts, "created": len(done.created), "updated": len(done.updated)}


def deliver_step(runtime: Runtime) -> dict[str, Any]:
    """Group the outbox into digests and send what is due (within sending hours)."""
    report = deliver(runtime.engine, now=runtime.now(), calendar=runtime.calendar,
                     settings=runtime.settings, mailer=smtp_mailer(runtime.settings))
    return asdict(report)


# step name (= the Prefect flow's name): (its flow, as module:attribute; the step run directly)
STEPS: dict[str, tuple[str, Callable[..., dict[str, Any]]]] = {
    "cascade": ("chidao.flows.cascade:cascade", cascade_step),
    "sweep": ("chidao.flows.deadline_flows:sweep_flow", sweep_step),
    "aggregate": ("chidao.flows.deadline_flows:aggregate_flow", aggregate_step),
    "deliver": ("chidao.flows.deadline_flows:deliver_flow", deliver_step),
}


def tracked() -> bool:
    """A Prefect server is configured: steps run as flow runs it records."""
    return bool(os.environ.get("PREFECT_API_URL"))


def run_step(name: str, runtime: Runtime, **parameters: Any) -> dict[str, Any]:
    """Run the step `name` with the runtime's clock and database: a Prefect flow run (its own
    runtime, built from the same settings) when tracked(), else here with `runtime`."""
    flow_path, step = STEPS[name]
    if not tracked():
        return step(runtime, **parameters)
    module, _, attribute = flow_path.partition(":")
    flow = getattr(import_module(module), attribute)
    result: dict[str, Any] = flow(now=runtime.fixed_now(),
                                  database_url=runtime.settings.database_url, **parameters)
    return result
