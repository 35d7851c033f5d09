"""Statuses are `Status` members from the database to the page, stored as the same text as
before; the read models carry dates and enums, and only their JSON form carries ISO text."""

from datetime import date

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import StatementError
from sqlmodel import col
from sqlmodel import select as model_select

from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref, unit_by_code
from chidao.domain.assignments import Assignment, AssignmentEvent, assignment_table
from chidao.domain.directives import DocType, RequirementKind
from chidao.domain.status import Status
from chidao.domain.timeliness import Timeliness
from chidao.queries.inbox import unit_assignments
from chidao.queries.status_tree import status_tree
from chidao.services.status_changes import act_on_assignment
from tests.support.cascade import at, issue_file, seed_units, snapshot


@pytest.fixture
def issued(engine) -> int:
    """The Sở's plan issued to the communes; Rạch Giá has received its plan run."""
    seed_units(engine)
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    with transaction(engine) as session:
        rach_gia = unit_by_code(session, "UBND-RACHGIA")
        run = session.exec(model_select(Assignment).where(
            Assignment.unit_id == rach_gia.id).order_by(col(Assignment.id))).first()
        assert run is not None and run.id is not None
        act_on_assignment(session, run.id, Status.RECEIVED, unit_code="UBND-RACHGIA",
                          reason="", now=at("2026-03-02T08:30"))
        return run.id


def test_the_orm_and_core_queries_return_status_members(engine, issued):
    with transaction(engine) as session:
        run = session.get(Assignment, issued)
        assert run is not None and type(run.status) is Status and run.status is Status.RECEIVED
        (event,) = session.exec(model_select(AssignmentEvent).where(
            AssignmentEvent.assignment_id == issued)).all()
        assert (type(event.from_status), type(event.to_status)) == (Status, Status)
        assert (event.from_status, event.to_status) == (Status.ISSUED, Status.RECEIVED)
        statuses = session.execute(select(assignment_table.c.status)).scalars().all()
        assert {type(s) for s in statuses} == {Status}
        assert sorted(set(statuses)) == [Status.ISSUED, Status.RECEIVED]


def test_the_stored_text_is_the_plain_value_as_before(engine, issued):
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT status FROM assignment WHERE id = :id"),
                              {"id": issued}).scalar_one()
        events = conn.execute(text("SELECT from_status, to_status FROM assignment_event")).all()
    assert type(stored) is str and stored == "received"
    assert [tuple(e) for e in events] == [("issued", "received")]
    assert all(type(v) is str for e in events for v in e)


def test_a_text_that_is_no_status_is_refused_and_nothing_is_written(engine, issued):
    before = snapshot(engine)
    with pytest.raises(StatementError, match="'done' is not a valid Status"), \
            transaction(engine) as session:
        session.execute(update(assignment_table).values(status="done"))
    assert snapshot(engine) == before


def test_the_inbox_carries_dates_and_enums_and_its_json_iso_text(engine, issued, calendar):
    with transaction(engine) as session:
        rows = unit_assignments(session, unit_by_code(session, "UBND-RACHGIA"),
                                now=at("2026-03-20T09:00"), calendar=calendar)
    plan = next(r for r in rows if r.id == issued)
    assert plan.due_on == date(2026, 3, 19) and plan.status is Status.RECEIVED
    assert plan.kind is RequirementKind.PLAN
    assert plan.timeliness is Timeliness.OVERDUE and plan.progress is Timeliness.OVERDUE
    assert plan.as_json() == {
        "id": issued, "directive": "2026:1039/KH-SGDĐT", "number_symbol": "1039/KH-SGDĐT",
        "kind": "plan", "title": plan.title, "period": "", "due_on": "2026-03-19",
        "status": "received", "timeliness": "overdue", "completion": None}
    assert all(type(v) in (int, str, type(None)) for v in plan.as_json().values())


def test_the_cascade_tree_carries_dates_and_enums(engine, issued, calendar):
    with transaction(engine) as session:
        tree = status_tree(session, directive_by_ref(session, "1039/KH-SGDĐT"),
                           now=at("2026-03-20T09:00"), calendar=calendar)
    assert tree.issued_on == date(2026, 2, 26) and tree.doc_type is DocType.KH
    rach_gia = next(u for u in tree.units if u.code == "UBND-RACHGIA")
    plan = next(r for r in rach_gia.assignments if r.id == issued)
    assert (plan.status, plan.timeliness, plan.completion) == (
        Status.RECEIVED, Timeliness.OVERDUE, None)
    assert rach_gia.counts == {"total": 2, "received": 1, "issued": 1, "overdue": 1,
                               "on_track": 1}
    shown = tree.as_json()
    assert shown["issued_on"] == "2026-02-26" and shown["doc_type"] == "KH"
    unit = next(u for u in shown["units"] if u["code"] == "UBND-RACHGIA")
    run = next(r for r in unit["assignments"] if r["id"] == issued)
    assert (run["due_on"], run["status"], run["status_label"]) == (
        "2026-03-19", "received", "đã tiếp nhận")
    assert type(run["status"]) is str
