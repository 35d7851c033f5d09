"""Scheduling: a few periodic jobs in APScheduler (embedded), or Prefect deployments (scale-out).

The scheduler holds two periodic jobs, never one job per deadline: deadlines are indexed rows
(`assignment.next_action_at`). Each worker keeps its own job-store table (two schedulers on one
job store double-fire and crash); correctness across workers comes from the DB claims, so two
workers running the same jobs never send anything twice.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from config.settings import Settings, get_settings
from domain.calendar import LOCAL_TZ

log = logging.getLogger("chidao.scheduler")


def sweep_job(database_url: str) -> dict[str, Any]:
    from flows.deadline_flows import sweep_flow
    from flows.runner import run_flow

    result: dict[str, Any] = run_flow(sweep_flow, database_url=database_url)
    log.info("sweep: %s runs examined, %s notifications", result["examined"],
             result["notifications"])
    return result


def deliver_job(database_url: str) -> dict[str, Any]:
    from flows.deadline_flows import deliver_flow
    from flows.runner import run_flow

    result: dict[str, Any] = run_flow(deliver_flow, database_url=database_url)
    log.info("deliver: %s", result)
    return result


def aggregate_job(database_url: str) -> dict[str, Any]:
    from flows.deadline_flows import aggregate_flow
    from flows.runner import run_flow

    result: dict[str, Any] = run_flow(aggregate_flow, database_url=database_url)
    log.info("aggregate: %s drafts", len(result["drafts"]))
    return result


def jobstore_table(worker_name: str) -> str:
    return "apscheduler_jobs_" + re.sub(r"[^a-z0-9]+", "_", worker_name.lower()).strip("_")


def build_scheduler(settings: Settings | None = None, *, blocking: bool) -> BaseScheduler:
    settings = settings or get_settings()
    store = SQLAlchemyJobStore(url=settings.database_url,
                               tablename=jobstore_table(settings.worker_name))
    kind = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = kind(
        jobstores={"default": store}, timezone=LOCAL_TZ,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    now = datetime.now(UTC)
    job = {"kwargs": {"database_url": settings.database_url}, "replace_existing": True,
           "next_run_time": now}
    scheduler.add_job(sweep_job, "interval", minutes=settings.sweep_every_minutes, id="sweep",
                      **job)
    scheduler.add_job(deliver_job, "interval", minutes=settings.deliver_every_minutes,
                      id="deliver", **job)
    scheduler.add_job(aggregate_job, "interval", minutes=settings.sweep_every_minutes,
                      id="aggregate", **job)
    return scheduler


def deployments(settings: Settings | None = None) -> list[Any]:
    """The flows as Prefect deployments with cron schedules, for `prefect server` + workers."""
    from flows.cascade import cascade
    from flows.deadline_flows import aggregate_flow, deliver_flow, sweep_flow

    settings = settings or get_settings()
    return [
        cascade.to_deployment(name="cascade"),
        sweep_flow.to_deployment(name="sweep", cron=f"*/{settings.sweep_every_minutes} * * * *"),
        deliver_flow.to_deployment(name="deliver",
                                   cron=f"*/{settings.deliver_every_minutes} * * * *"),
        aggregate_flow.to_deployment(name="aggregate",
                                     cron=f"*/{settings.sweep_every_minutes} * * * *"),
    ]
