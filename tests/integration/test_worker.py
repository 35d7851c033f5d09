"""`chidao worker` runs the embedded scheduler; `deployments` exposes the same flows to a
Prefect server with cron schedules."""

import os
import signal
import subprocess
import time

from sqlalchemy import func, select

from config.settings import Settings
from domain.notifications import notification_table
from flows.scheduling import deployments
from tests.conftest import issue_data, seed_units
from tests.integration.test_cascade import small
from tests.integration.test_cli import CHIDAO


def test_worker_sweeps_on_start_and_stops_on_ctrl_c(engine, db_url, tmp_path):
    seed_units(engine)
    issue_data(engine, small(), "2026-03-02T09:00")
    env = {**os.environ, "CHIDAO_DATABASE_URL": db_url, "CHIDAO_WORKER_NAME": "test-worker"}
    env.pop("PREFECT_API_URL", None)
    worker = subprocess.Popen([CHIDAO, "worker"], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        written = 0
        while time.monotonic() < deadline and written < 3:
            time.sleep(0.2)
            with engine.connect() as conn:
                written = conn.execute(select(func.count()).select_from(
                    notification_table)).scalar_one()
    finally:
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=30)
    assert written == 3, output
    assert "sweep: 3 runs examined, 3 notifications" in output


def test_deployments_carry_cron_schedules():
    built = {d.name: d for d in deployments(Settings(sweep_every_minutes=5,
                                                     deliver_every_minutes=2))}
    assert set(built) == {"cascade", "sweep", "deliver", "aggregate"}
    crons = {name: [s.schedule.cron for s in d.schedules] for name, d in built.items()
             if d.schedules}
    assert crons == {"sweep": ["*/5 * * * *"], "deliver": ["*/2 * * * *"],
                     "aggregate": ["*/5 * * * *"]}
