"""The `cascade` Prefect flow: as a plain function and as a tracked run on a Prefect server."""

import pytest
from sqlmodel import func, select

from chidao.db.database import transaction
from chidao.domain.assignments import Assignment
from chidao.flows.cascade import cascade
from tests.support.cascade import seed_units
from tests.support.paths import EXAMPLES


def assignment_count(engine) -> int:
    with transaction(engine) as session:
        return session.exec(select(func.count()).select_from(Assignment)).one()


def test_flow_function_issues_and_is_idempotent(engine, db_url):
    seed_units(engine)
    file = str(EXAMPLES / "kh-1039-sgddt-stem.yaml")
    first = cascade.fn(file, now="2026-02-26T09:00", database_url=db_url)
    again = cascade.fn(file, now="2026-02-27T09:00", database_url=db_url)
    assert (first["created"], again["created"], again["total"]) == (6, 0, 6)
    assert assignment_count(engine) == 6


@pytest.fixture(scope="session")
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.mark.prefect
def test_flow_run_under_prefect_records_a_completed_run(prefect_server, engine, db_url):
    from prefect import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    seed_units(engine)
    state = cascade(str(EXAMPLES / "kh-1039-sgddt-stem.yaml"), now="2026-02-26T09:00",
                    database_url=db_url, return_state=True)
    assert state.is_completed()
    assert state.result()["created"] == 6
    assert assignment_count(engine) == 6

    async def runs():
        async with get_client() as client:
            return await client.read_flow_runs(
                flow_filter=FlowFilter(name=FlowFilterName(any_=["cascade"])),
                sort=FlowRunSort.ID_DESC, limit=10)

    import asyncio
    recorded = asyncio.run(runs())
    assert [r.state.type.value for r in recorded] == ["COMPLETED"]


@pytest.mark.prefect
def test_the_runner_records_a_flow_run_when_a_server_is_configured(prefect_server, runtime,
                                                                   engine, db_url, monkeypatch):
    """chidao.flows.runner.run_step: with PREFECT_API_URL the step runs as the Prefect flow,
    given the runtime's fixed instant and database (the CLI's `directive issue` path)."""
    import asyncio
    from dataclasses import replace

    from prefect import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.settings import PREFECT_API_URL

    from chidao.config.clock import clock_for
    from chidao.flows.runner import run_step

    async def cascade_runs() -> int:
        async with get_client() as client:
            return await client.count_flow_runs(flow_filter=FlowFilter(
                name=FlowFilterName(any_=["cascade"])))

    seed_units(engine)
    before = asyncio.run(cascade_runs())
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    at_issue = replace(runtime, clock=clock_for("2026-02-26T09:00"))
    result = run_step("cascade", at_issue, directive_file=str(EXAMPLES / "kh-1039-sgddt-stem.yaml"))
    assert (result["created"], result["total"]) == (6, 6)
    assert asyncio.run(cascade_runs()) == before + 1  # a tracked run, not the step alone
    with engine.connect() as conn:
        issued_at = conn.exec_driver_sql("SELECT issued_at FROM directive").scalar_one()
    assert str(issued_at).startswith("2026-02-26 02:00")  # 09:00 in Vietnam, stored as UTC
