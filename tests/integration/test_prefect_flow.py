"""The `cascade` Prefect flow: as a plain function and as a tracked run on a Prefect server."""

import pytest
from sqlmodel import func, select

from chidao.db.database import transaction
from chidao.domain.assignments import Assignment
from chidao.flows.cascade import cascade
from tests.conftest import EXAMPLES, seed_units


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
