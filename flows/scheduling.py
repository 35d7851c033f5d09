"""Scheduling: a few periodic jobs in APScheduler (embedded), or Prefect deployments (scale-out),
served in one process (`chidao deployments`) or on a work pool run by workers (`chidao deploy`).

The scheduler holds a few periodic jobs (and, with CHIDAO_CALENDAR_FILE, one reading the
deployment's day-off decisions again when they change), never one job per deadline: deadlines
are indexed rows (`assignment.next_action_at`). Each worker keeps its own job-store table (two
schedulers on one job store double-fire and crash); correctness across workers comes from the DB
claims, so two workers running the same jobs never send anything twice.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from ..config.runtime import Runtime, build_runtime, load_settings
from ..config.settings import Settings
from ..domain.calendar import LOCAL_TZ
from ..domain.errors import InvalidInput
from ..notifications.stopping import request_stop
from .runner import run_step

log = logging.getLogger("chidao.scheduler")


# The runtime of the process whose scheduler runs the jobs, by database URL: a job stored in
# the job store names only its function and database (a runtime cannot be pickled).
_runtimes: dict[str, Runtime] = {}


def _runtime_for(database_url: str) -> Runtime:
    runtime = _runtimes.get(database_url)
    if runtime is None:  # a job stored by another process: this one's settings, its database
        runtime = _runtimes[database_url] = build_runtime(load_settings(database_url=database_url))
    return runtime


def _run_job(name: str, database_url: str) -> dict[str, Any]:
    return run_step(name, _runtime_for(database_url))


def sweep_job(database_url: str) -> dict[str, Any]:
    result = _run_job("sweep", database_url)
    log.info("sweep: %s runs examined, %s notifications", result["examined"],
             result["notifications"])
    return result


def deliver_job(database_url: str) -> dict[str, Any]:
    result = _run_job("deliver", database_url)
    log.info("deliver: %s", result)
    return result


def aggregate_job(database_url: str) -> dict[str, Any]:
    result = _run_job("aggregate", database_url)
    log.info("aggregate: %s drafts", len(result["drafts"]))
    return result


def calendar_job(database_url: str) -> dict[str, Any]:
    """Read the deployment's calendar file again if it changed (CHIDAO_CALENDAR_FILE): the
    new decisions move the open runs they touch and are in force for the pages and the jobs
    of this process. Never raises: a broken file or a failed recompute is logged, the
    calendar in force stays, and the next check tries again."""
    from ..services.calendar_reload import reload_calendar

    runtime = _runtime_for(database_url)
    try:
        result = reload_calendar(runtime.calendars, runtime.engine, now=runtime.now(),
                                 rules=runtime.rules)
    except Exception:  # noqa: BLE001 - the scheduler must go on; the next check retries
        log.exception("calendar: reading the decisions again failed; the calendar in force"
                      " stays")
        return {"changed": False, "moved": 0, "problem": "recompute failed"}
    return {"changed": result.changed, "moved": result.moved, "reason": result.reason,
            "problem": result.problem}


def jobstore_table(worker_name: str) -> str:
    return "apscheduler_jobs_" + re.sub(r"[^a-z0-9]+", "_", worker_name.lower()).strip("_")


def build_scheduler(runtime: Runtime, *, blocking: bool) -> BaseScheduler:
    """The periodic jobs, run with `runtime` (its engine, calendar, clock and rules)."""
    settings = runtime.settings
    _runtimes[settings.database_url] = runtime
    store = SQLAlchemyJobStore(url=settings.database_url,
                               tablename=jobstore_table(settings.worker_name))
    kind = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = kind(
        jobstores={"default": store}, timezone=LOCAL_TZ,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    job = {"kwargs": {"database_url": settings.database_url}, "replace_existing": True,
           "next_run_time": runtime.now()}
    scheduler.add_job(sweep_job, "interval", minutes=settings.sweep_every_minutes, id="sweep",
                      **job)
    scheduler.add_job(deliver_job, "interval", minutes=settings.deliver_every_minutes,
                      id="deliver", **job)
    scheduler.add_job(aggregate_job, "interval", minutes=settings.sweep_every_minutes,
                      id="aggregate", **job)
    if settings.calendar_file is not None:
        scheduler.add_job(calendar_job, "interval", minutes=settings.calendar_check_minutes,
                          id="calendar", **job)
    return scheduler


def stop_scheduler(scheduler: BaseScheduler, grace_seconds: float) -> bool:
    """Fire no more jobs, ask the running ones to stop (they finish their step and release
    what they hold) and wait up to `grace_seconds` for them; False if one is still running."""
    request_stop()
    waiter = threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, daemon=True)
    waiter.start()
    waiter.join(grace_seconds)
    return not waiter.is_alive()


def deployment_crons(settings: Settings) -> dict[str, str | None]:
    """Each deployment's name (its flow's name) and cron schedule; None: runs on demand only."""
    sweep_cron = f"*/{settings.sweep_every_minutes} * * * *"
    return {"cascade": None, "sweep": sweep_cron,
            "deliver": f"*/{settings.deliver_every_minutes} * * * *", "aggregate": sweep_cron}


def _deployed_flows() -> dict[str, Any]:
    from .cascade import cascade
    from .deadline_flows import aggregate_flow, deliver_flow, sweep_flow

    return {"cascade": cascade, "sweep": sweep_flow, "deliver": deliver_flow,
            "aggregate": aggregate_flow}


def deployments(settings: Settings | None = None) -> list[Any]:
    """The flows as Prefect deployments with cron schedules, for `prefect serve` (one process).
    Their entrypoints are module paths too: a flow loaded from its file by path would have no
    package, and the rooms import one another relatively."""
    from prefect.types.entrypoint import EntrypointType

    crons = deployment_crons(settings or load_settings())
    return [flow.to_deployment(name=name, cron=crons[name],
                               entrypoint_type=EntrypointType.MODULE_PATH)
            for name, flow in _deployed_flows().items()]


def work_pool_deployments(pool: str, settings: Settings | None = None) -> list[Any]:
    """The same deployments on the work pool `pool`: their entrypoints are module paths
    (`chidao.flows.cascade.cascade`), so each `prefect worker` imports the flows from the chidao
    package installed beside it; no source directory is recorded, no image is built."""
    from prefect.types.entrypoint import EntrypointType

    crons = deployment_crons(settings or load_settings())
    return [flow.to_deployment(name=name, cron=crons[name], work_pool_name=pool,
                               entrypoint_type=EntrypointType.MODULE_PATH)
            for name, flow in _deployed_flows().items()]


def ensure_process_work_pool(name: str) -> bool:
    """Create the work pool `name` of type `process` unless it exists (True if created).
    A pool of another type is refused: its jobs would not run beside an installed chidao."""
    from prefect import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    with get_client(sync_client=True) as client:
        try:
            pool = client.read_work_pool(name)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(
                name=name, type=ProcessWorker.type,
                base_job_template=ProcessWorker.get_default_base_job_template()))
            return True
    if pool.type != ProcessWorker.type:
        raise InvalidInput("pool", f"work pool '{name}' is of type '{pool.type}', not 'process'")
    return False
