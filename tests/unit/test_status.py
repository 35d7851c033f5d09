"""The status table, and the one function that changes status and produces the audit row."""

from datetime import UTC, date, datetime, timedelta

import pytest

from chidao.domain.assignments import Assignment, transition
from chidao.domain.errors import InvalidInput
from chidao.domain.status import CLOSED, TRANSITIONS, Status, can_transition

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 19, 17, 0, tzinfo=UTC)


def run(status: Status = Status.ISSUED) -> Assignment:
    return Assignment(
        id=7, requirement_id=1, directive_id=1, unit_id=3, due_on=date(2026, 3, 19), due_at=DUE,
        status=status, status_changed_at=T0, created_at=T0, next_action_at=DUE,
    )


def test_the_table_is_the_documented_workflow():
    assert TRANSITIONS[Status.ISSUED] == {Status.RECEIVED, Status.CANCELLED, Status.WAIVED}
    assert TRANSITIONS[Status.RECEIVED] == {Status.SUBMITTED, Status.CANCELLED, Status.WAIVED}
    assert TRANSITIONS[Status.SUBMITTED] == {
        Status.ACCEPTED, Status.RETURNED, Status.CANCELLED, Status.WAIVED}
    assert TRANSITIONS[Status.RETURNED] == {Status.SUBMITTED, Status.CANCELLED, Status.WAIVED}
    for closed in CLOSED:
        assert TRANSITIONS[closed] == frozenset()


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_transition_follows_the_table_for_every_pair(current: Status, target: Status):
    assignment = run(current)
    reason = "lý do"
    if can_transition(current, target):
        event = transition(assignment, target, actor="X", reason=reason, now=T0)
        assert (event.from_status, event.to_status) == (current, target)
        assert assignment.status == target
    else:
        with pytest.raises(InvalidInput) as exc:
            transition(assignment, target, actor="X", reason=reason, now=T0)
        assert exc.value.field == "status"
        assert assignment.status == current


def test_audit_row_says_who_when_from_to_why():
    assignment = run(Status.SUBMITTED)
    later = T0 + timedelta(days=2)
    event = transition(assignment, Status.RETURNED, actor="UBND-KIENHAI",
                       reason="Thiếu số liệu", now=later)
    assert (event.assignment_id, event.actor, event.at, event.reason) == (
        7, "UBND-KIENHAI", later, "Thiếu số liệu")
    assert assignment.status_changed_at == later


def test_returning_without_a_reason_is_refused():
    with pytest.raises(InvalidInput) as exc:
        transition(run(Status.SUBMITTED), Status.RETURNED, actor="X", reason=" ", now=T0)
    assert exc.value.field == "reason"


def test_a_returned_run_is_judged_at_its_resubmission():
    assignment = run(Status.RECEIVED)
    transition(assignment, Status.SUBMITTED, actor="S", reason="", now=T0)
    assert assignment.submitted_at == T0
    transition(assignment, Status.RETURNED, actor="C", reason="sai", now=T0 + timedelta(days=1))
    assert assignment.submitted_at is None
    assert assignment.next_action_at == T0 + timedelta(days=1)  # owed again: sweep looks now
    transition(assignment, Status.SUBMITTED, actor="S", reason="", now=T0 + timedelta(days=2))
    assert assignment.submitted_at == T0 + timedelta(days=2)
    assert assignment.next_action_at is None


def test_closed_runs_leave_the_deadline_index():
    assignment = run(Status.RECEIVED)
    transition(assignment, Status.WAIVED, actor="C", reason="Trường sáp nhập", now=T0)
    assert assignment.next_action_at is None
