"""The reads send a fixed number of SQL statements whatever the number of rows: the
consolidated report, the directive list, and the pages, counted (SQLAlchemy's
before_cursor_execute) in a province of 3 communes and in one of 30 of the same shape."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.settings import Settings
from chidao.db.database import reading
from chidao.domain.assignments import Assignment
from chidao.queries.listings import visible_directives
from chidao.queries.report_export import consolidated, report_data
from tests.integration.scaled_scenario import NOW, PASSWORD, build, so_directive, unit, user
from tests.statements import counted
from tests.web_fixtures import csrf_of

SMALL, LARGE = "A", "B"  # 3 and 30 communes of 3 schools


@pytest.fixture
def provinces(engine: Engine, db_url: str) -> tuple[Engine, str]:
    build(engine, SMALL, communes=3, schools=3)
    build(engine, LARGE, communes=30, schools=3)
    return engine, db_url


def report_statements(engine: Engine, prefix: str, reader: str | None) -> tuple[int, Any]:
    with reading(engine) as session:
        root = so_directive(session, prefix)
        who = unit(session, f"{prefix}-{reader}") if reader else None
        with counted(engine) as sent:
            reports = consolidated(session, root, now=NOW, calendar=vietnam_calendar(),
                                   reader=who)
        return sent.count, report_data(reports)


def test_the_consolidated_report_reads_in_a_fixed_number_of_statements(provinces):
    engine, _ = provinces
    counts = {}
    for reader in (None, "SO", "XA-01", "TR-01-1"):  # the Sở, a commune, a school
        small, small_data = report_statements(engine, SMALL, reader)
        large, large_data = report_statements(engine, LARGE, reader)
        counts[reader] = (small, large)
        if reader in (None, "SO"):  # a block per commune, its schools under it
            assert (len(small_data[0]["units"]), len(large_data[0]["units"])) == (3, 30)
            assert sum(len(b["reporters"]) for b in large_data[0]["units"]) == 20 * 3
            assert large_data[0]["flagged"]  # communes whose figures differ from their schools'
    print(f"consolidated report, statements (3 communes, 30): {counts}")  # shown with -s
    assert all(small == large for small, large in counts.values()), \
        f"reader: (statements for 3 communes, for 30): {counts}"


def test_the_directive_list_reads_in_a_fixed_number_of_statements(provinces):
    engine, _ = provinces
    counts, rows = {}, {}
    for username in ("so", "xa"):
        for prefix in (SMALL, LARGE):
            with reading(engine) as session:
                reader = user(session, f"{prefix.lower()}-{username}")
                with counted(engine) as sent:
                    rows[prefix, username] = visible_directives(session, reader, now=NOW,
                                                                soon=NOW, page=0)
                counts[prefix, username] = sent.count
    # the Sở's report and each commune's plan (every third commune has none)
    assert (len(rows[SMALL, "so"]), len(rows[LARGE, "so"])) == (1 + 2, 1 + 20)
    assert rows[LARGE, "so"][-1]["total"] == 30 and rows[LARGE, "so"][0]["total"] == 3
    print(f"directive list, statements: {counts}")
    assert counts[SMALL, "so"] == counts[LARGE, "so"], counts
    assert counts[SMALL, "xa"] == counts[LARGE, "xa"], counts


def page_paths(engine: Engine, prefix: str) -> dict[str, str]:
    """The pages a user of the Sở or of the first commune opens, by what they show."""
    with reading(engine) as session:
        root = so_directive(session, prefix)
        so, xa = unit(session, f"{prefix}-SO"), unit(session, f"{prefix}-XA-01")
        school = unit(session, f"{prefix}-TR-01-3")  # handed in and returned many times
        run = session.exec(select(Assignment).where(Assignment.unit_id == school.id)).one()
    return {"directives": "/directives", "directive": f"/directives/{root.id}",
            "report": f"/directives/{root.id}/report", "overdue": "/overdue",
            "unit in directive": f"/directives/{root.id}/units/{xa.id}",
            "assignment": f"/assignments/{run.id}", "tree": f"/units/{so.id}/tree",
            "inbox": f"/units/{xa.id}/inbox", "notifications": "/notifications"}


def page_statements(app: Any, engine: Engine, prefix: str, username: str) -> dict[str, int]:
    from fastapi.testclient import TestClient

    client = TestClient(app)
    login = client.post("/login", data={"username": f"{prefix.lower()}-{username}",
                                        "password": PASSWORD,
                                        "csrf": csrf_of(client.get("/login").text)},
                        follow_redirects=False)
    assert login.status_code == 303
    found = {}
    for name, path in page_paths(engine, prefix).items():
        with counted(app.state.engine) as sent:
            page = client.get(path)
        assert page.status_code in (200, 404), (path, page.text[:300])
        found[name] = (page.status_code, sent.count)
    return found


def test_the_pages_read_in_a_fixed_number_of_statements(provinces, tmp_path):
    from chidao.web.app import create_app

    engine, url = provinces
    app = create_app(Settings(database_url=url, secret_key="test-secret",
                              attachments_dir=str(tmp_path / "files")))
    try:
        for username in ("so", "xa"):
            small = page_statements(app, engine, SMALL, username)
            large = page_statements(app, engine, LARGE, username)
            print(f"pages of {username}, (status, statements): 3 communes {small}, 30 {large}")
            assert small == large, f"{username}: (status, statements) for 3 communes: {small}," \
                                   f" for 30: {large}"
    finally:
        app.state.engine.dispose()
    assert sum(status == 200 for status, _ in small.values()) >= 8  # the commune's own pages
