"""Units act on runs: only their own (receive, submit) or those they issued (accept, return...)."""

import pytest
from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.assignments import Assignment, AssignmentEvent
from chidao.domain.errors import InvalidInput
from chidao.domain.status import Status
from tests.support.cascade import SEED, WHEN, act, at, issue_file, runs, seed_units, snapshot


@pytest.fixture
def seeded(engine):
    seed_units(engine)
    issue_file(engine, SEED[0], WHEN[0])
    return runs(engine, "2026:1039/KH-SGDĐT")


def events(engine, assignment_id):
    with transaction(engine) as session:
        return [(e.actor, e.from_status, e.to_status, e.reason) for e in session.exec(
            select(AssignmentEvent).where(AssignmentEvent.assignment_id == assignment_id)
            .order_by(AssignmentEvent.id))]


def test_submit_receive_return_resubmit_accept_with_audit_trail(engine, seeded):
    run = seeded[("UBND-RACHGIA", "bao-cao-ket-qua", "")]
    act(engine, run.id, Status.SUBMITTED, "UBND-RACHGIA", "Báo cáo số 12/BC-UBND")
    act(engine, run.id, Status.RETURNED, "SGDDT-AG", "Thiếu số liệu lớp độc lập")
    act(engine, run.id, Status.SUBMITTED, "UBND-RACHGIA", "Bổ sung số liệu",
        when="2026-03-09T09:00")
    done = act(engine, run.id, Status.ACCEPTED, "SGDDT-AG", when="2026-03-10T09:00")
    assert done.status == "accepted" and done.next_action_at is None
    assert done.submitted_at == at("2026-03-09T09:00")  # judged at the resubmission
    assert events(engine, run.id) == [
        ("UBND-RACHGIA", "issued", "received", "Báo cáo số 12/BC-UBND"),
        ("UBND-RACHGIA", "received", "submitted", "Báo cáo số 12/BC-UBND"),
        ("SGDDT-AG", "submitted", "returned", "Thiếu số liệu lớp độc lập"),
        ("UBND-RACHGIA", "returned", "submitted", "Bổ sung số liệu"),
        ("SGDDT-AG", "submitted", "accepted", ""),
    ]


def test_a_unit_cannot_submit_someone_elses_assignment(engine, seeded):
    run = seeded[("UBND-RACHGIA", "bao-cao-ket-qua", "")]
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as exc:
        act(engine, run.id, Status.SUBMITTED, "UBND-KIENHAI")
    assert exc.value.field == "unit"
    assert "UBND-RACHGIA" in exc.value.problem
    assert snapshot(engine) == before


def test_a_school_cannot_accept_its_own_submission(engine, seeded):
    run = seeded[("UBND-RACHGIA", "bao-cao-ket-qua", "")]
    act(engine, run.id, Status.SUBMITTED, "UBND-RACHGIA")
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as exc:
        act(engine, run.id, Status.ACCEPTED, "UBND-RACHGIA")
    assert exc.value.field == "unit"
    assert snapshot(engine) == before


def test_a_transition_not_in_the_table_changes_nothing(engine, seeded):
    run = seeded[("UBND-PHUQUOC", "ke-hoach-trien-khai", "")]
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as exc:
        act(engine, run.id, Status.ACCEPTED, "SGDDT-AG")
    assert exc.value.field == "status"
    assert "issued" in exc.value.problem and "accepted" in exc.value.problem
    assert snapshot(engine) == before


def test_unknown_assignment_and_unknown_unit_are_named(engine, seeded):
    with pytest.raises(InvalidInput) as exc:
        act(engine, 99999, Status.RECEIVED, "UBND-PHUQUOC")
    assert exc.value.field == "assignment"
    run = seeded[("UBND-PHUQUOC", "ke-hoach-trien-khai", "")]
    with pytest.raises(InvalidInput) as exc:
        act(engine, run.id, Status.RECEIVED, "KHONG-CO")
    assert exc.value.field == "unit"


def test_waiving_needs_a_reason_and_closes_the_run(engine, seeded):
    run = seeded[("UBND-PHUQUOC", "bao-cao-ket-qua", "")]
    with pytest.raises(InvalidInput) as exc:
        act(engine, run.id, Status.WAIVED, "SGDDT-AG")
    assert exc.value.field == "reason"
    act(engine, run.id, Status.WAIVED, "SGDDT-AG", "Đã báo cáo chung với đợt kiểm tra")
    with transaction(engine) as session:
        stored = session.get(Assignment, run.id)
    assert stored.status == "waived" and stored.next_action_at is None
