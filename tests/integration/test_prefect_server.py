"""Distributed mode: a real `prefect server` on 127.0.0.1 backed by PostgreSQL, and the flows
run by deployment, either served by `chidao deployments` or registered on a work pool by
`chidao deploy` and run by two `prefect worker` processes. Runs with `bash run tests-postgres`
(skipped on SQLite: the scale-out mode is a PostgreSQL one)."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from chidao.domain.notifications import notification_table
from tests.processes import started
from tests.smtp_server import free_port
from tests.support.cascade import issue_data, runs, seed_units, small
from tests.support.paths import EXAMPLES
from tests.support.postgres import POSTGRES, admin, database_url

pytestmark = pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL (bash run tests-postgres)")
BIN = Path(sys.executable).parent
CASCADE_KH_1039 = {"directive_file": str(EXAMPLES / "kh-1039-sgddt-stem.yaml"),
                   "now": "2026-02-26T09:00"}
POOL = "chidao-test"


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def running(command: list[str], env: dict[str, str], log: Path | None = None,
            cwd: Path | None = None) -> Iterator[subprocess.Popen]:
    """A subprocess for the duration of the block, stopped with every process it started
    (a worker's flow runs, a server's services) after it."""
    with started(command, env=env, cwd=cwd, log=log) as process:
        yield process


@contextmanager
def prefect_server_on(tmp_path: Path, *, scheduler: bool) -> Iterator[tuple[str, dict]]:
    """`prefect server start` on its own PostgreSQL database; its API URL and environment."""
    admin("DROP DATABASE IF EXISTS prefect_test WITH (FORCE)")
    admin("CREATE DATABASE prefect_test")
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false",
           "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": str(scheduler).lower(),
           "PREFECT_SERVER_DATABASE_CONNECTION_URL":
               database_url("prefect_test").replace("+psycopg", "+asyncpg")}
    env.pop("PREFECT_API_URL", None)
    env.pop("CHIDAO_DATABASE_URL", None)
    api = f"http://127.0.0.1:{port}/api"

    def healthy():
        try:
            return httpx.get(f"{api}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
    try:
        with running([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
                      "--port", str(port)], env, log=tmp_path / "prefect-server.log"):
            wait_for(healthy, 120, "the Prefect server")
            yield api, {**env, "PREFECT_API_URL": api}
    finally:
        admin("DROP DATABASE IF EXISTS prefect_test WITH (FORCE)")


@pytest.fixture
def prefect_server(tmp_path):
    # No scheduler service: the cron schedules are registered but create no runs, so a sweep at
    # the real clock cannot race the runs each test triggers.
    with prefect_server_on(tmp_path, scheduler=False) as server:
        yield server


@pytest.fixture
def scheduling_prefect_server(tmp_path):
    with prefect_server_on(tmp_path, scheduler=True) as server:
        yield server


def deployment(api: str, flow: str, name: str | None = None, seconds: float = 5) -> dict:
    """The deployment `flow/name` (chidao deploys each flow under the flow's own name)."""
    def found():
        response = httpx.get(f"{api}/deployments/name/{flow}/{name or flow}", timeout=5)
        return response.json() if response.status_code == 200 else None
    return wait_for(found, seconds, f"the {flow} deployment")


def run_deployment(api: str, deployment_id: str, parameters: dict, seconds: float = 120
                   ) -> dict:
    """Trigger a run of the deployment and wait for it to end; the run as the API shows it."""
    created = httpx.post(f"{api}/deployments/{deployment_id}/create_flow_run",
                         json={"parameters": parameters}, timeout=10).json()

    def finished():
        flow_run = httpx.get(f"{api}/flow_runs/{created['id']}", timeout=5).json()
        return flow_run if flow_run["state"]["type"] in ("COMPLETED", "FAILED",
                                                         "CRASHED") else None
    return wait_for(finished, seconds, "the flow run")


def online_workers(api: str, pool: str) -> list[str]:
    response = httpx.post(f"{api}/work_pools/{pool}/workers/filter", timeout=5, json={
        "workers": {"status": {"any_": ["ONLINE"]}}, "limit": 10, "offset": 0})
    return sorted(worker["name"] for worker in response.json())


def test_a_cascade_triggered_by_deployment_writes_the_runs(prefect_server, engine, db_url):
    api, env = prefect_server
    seed_units(engine)
    with running([str(BIN / "chidao"), "deployments"],
                 {**env, "CHIDAO_DATABASE_URL": db_url}):
        cascade = deployment(api, "cascade", seconds=90)
        flow_run = run_deployment(api, cascade["id"], CASCADE_KH_1039)
    assert flow_run["state"]["type"] == "COMPLETED"
    assert len(runs(engine, "2026:1039/KH-SGDĐT")) == 6


def test_workers_on_a_work_pool_run_the_deployed_flows(prefect_server, engine, db_url,
                                                       tmp_path):
    api, env = prefect_server
    seed_units(engine)
    subprocess.run([str(BIN / "chidao"), "deploy", "--pool", POOL], env=env, check=True,
                   capture_output=True, timeout=120)
    registered = {name: deployment(api, name)
                  for name in ("cascade", "sweep", "deliver", "aggregate")}
    assert {name: (d["work_pool_name"], d["entrypoint"], [s["schedule"]["cron"]
                                                          for s in d["schedules"]])
            for name, d in registered.items()} == {
        "cascade": (POOL, "chidao.flows.cascade.cascade", []),
        "sweep": (POOL, "chidao.flows.deadline_flows.sweep_flow", ["*/5 * * * *"]),
        "deliver": (POOL, "chidao.flows.deadline_flows.deliver_flow", ["*/2 * * * *"]),
        "aggregate": (POOL, "chidao.flows.deadline_flows.aggregate_flow", ["*/5 * * * *"])}
    # Only the workers know the chidao database, and they run outside the source tree: the
    # flow runs find the code as the installed package and the database in their environment.
    worker_env = {**env, "CHIDAO_DATABASE_URL": db_url, "PREFECT_WORKER_QUERY_SECONDS": "1"}
    with ExitStack() as workers:
        for name in ("worker-1", "worker-2"):
            workers.enter_context(running(
                [str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--type", "process",
                 "--name", name], worker_env, log=tmp_path / f"{name}.log", cwd=tmp_path))
        wait_for(lambda: online_workers(api, POOL) == ["worker-1", "worker-2"], 60,
                 "two workers online")
        cascade = run_deployment(api, registered["cascade"]["id"], CASCADE_KH_1039)
        sweep = run_deployment(api, registered["sweep"]["id"], {"now": "2026-03-10T09:00"})
    assert (cascade["state"]["type"], sweep["state"]["type"]) == ("COMPLETED", "COMPLETED")
    assert cascade["work_pool_name"] == POOL
    assert len(runs(engine, "2026:1039/KH-SGDĐT")) == 6
    with engine.connect() as conn:
        stages = conn.execute(select(notification_table.c.stage, notification_table.c.kind)
                              ).all()
    assert sorted(stages) == [("2026-03-19/d-7", "reminder")] * 3 + [("issued", "issued")] * 3


# The sweep flow served with a schedule of a few seconds (chidao's own are cron, every few
# minutes: a test of those would wait for the next minute boundary).
SERVE_SWEEP_EVERY_3S = """
from prefect import serve
from chidao.flows.deadline_flows import sweep_flow
serve(sweep_flow.to_deployment(name="sweep-every-3s", interval=3))
"""


def test_the_server_scheduler_creates_runs_that_complete(scheduling_prefect_server, engine,
                                                         db_url, tmp_path):
    """Prefect's scheduler service, not the test, creates the run (SQLAlchemy 2.1 broke it:
    "Can't evaluate bulk DML statement", and no scheduled run was ever created)."""
    api, env = scheduling_prefect_server
    seed_units(engine)
    issue_data(engine, small(), "2026-03-02T09:00")
    serve_env = {**env, "CHIDAO_DATABASE_URL": db_url, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    with running([sys.executable, "-c", SERVE_SWEEP_EVERY_3S], serve_env,
                 log=tmp_path / "serve.log", cwd=tmp_path):
        served = deployment(api, "sweep", "sweep-every-3s", seconds=60)

        def completed_scheduled_run():
            response = httpx.post(f"{api}/flow_runs/filter", timeout=5, json={
                "flow_runs": {"deployment_id": {"any_": [served["id"]]},
                              "state": {"type": {"any_": ["COMPLETED"]}}}, "limit": 5})
            return response.json()
        flow_runs = wait_for(completed_scheduled_run, 60, "a scheduled run to complete")
    assert all(run["auto_scheduled"] for run in flow_runs)
    with engine.connect() as conn:  # the sweep ran at the real clock: each run's latest stage
        written = conn.execute(select(func.count()).select_from(notification_table)).scalar_one()
    assert written == 3
