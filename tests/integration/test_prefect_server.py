"""Distributed mode: a real `prefect server` on 127.0.0.1 backed by PostgreSQL, `chidao
deployments` serving the flows, and a cascade triggered by deployment. Runs with
`bash run tests-postgres` (skipped on SQLite: the scale-out mode is a PostgreSQL one)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import EXAMPLES, POSTGRES, _admin, _pg_url, seed_units
from tests.integration.test_cascade import runs
from tests.smtp_server import free_port

pytestmark = pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL (bash run tests-postgres)")
BIN = Path(sys.executable).parent


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def prefect_server(tmp_path):
    _admin("DROP DATABASE IF EXISTS prefect_test WITH (FORCE)")
    _admin("CREATE DATABASE prefect_test")
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false",
           "PREFECT_SERVER_DATABASE_CONNECTION_URL":
               _pg_url("prefect_test").replace("+psycopg", "+asyncpg")}
    env.pop("PREFECT_API_URL", None)
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    api = f"http://127.0.0.1:{port}/api"

    def healthy():
        try:
            return httpx.get(f"{api}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
    try:
        wait_for(healthy, 120, "the Prefect server")
        yield api, env
    finally:
        server.terminate()
        server.wait(timeout=30)
        _admin("DROP DATABASE IF EXISTS prefect_test WITH (FORCE)")


def test_a_cascade_triggered_by_deployment_writes_the_runs(prefect_server, engine, db_url):
    api, env = prefect_server
    seed_units(engine)
    served = subprocess.Popen([str(BIN / "chidao"), "deployments"],
                              env={**env, "PREFECT_API_URL": api, "CHIDAO_DATABASE_URL": db_url},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def deployment():
            response = httpx.get(f"{api}/deployments/name/cascade/cascade", timeout=5)
            return response.json() if response.status_code == 200 else None
        found = wait_for(deployment, 90, "the cascade deployment")
        created = httpx.post(f"{api}/deployments/{found['id']}/create_flow_run", json={
            "parameters": {"directive_file": str(EXAMPLES / "kh-1039-sgddt-stem.yaml"),
                           "now": "2026-02-26T09:00"}}, timeout=10).json()

        def finished():
            state = httpx.get(f"{api}/flow_runs/{created['id']}", timeout=5).json()["state"]
            return state["type"] if state["type"] in ("COMPLETED", "FAILED", "CRASHED") else None
        assert wait_for(finished, 120, "the flow run") == "COMPLETED"
    finally:
        served.terminate()
        served.wait(timeout=30)
    assert len(runs(engine, "2026:1039/KH-SGDĐT")) == 6
