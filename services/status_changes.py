"""The one place a status changes: check who acts, apply the transition, store the audit row."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ..db.lookup import assignment_by_id, unit_by_code
from ..domain.accounts import Role
from ..domain.acting import Actor
from ..domain.assignments import Assignment, AssignmentEvent, transition
from ..domain.directives import Directive
from ..domain.errors import InvalidInput
from ..domain.notifications import Notification
from ..domain.permissions import OPERATOR, Action, require
from ..domain.policy import NotificationKind
from ..domain.status import BY_ASSIGNEE, BY_ISSUER, Status
from ..domain.text import free_text
from ..domain.units import Unit
from .report_review import on_status_change

_ACTIONS = {Status.RECEIVED: Action.RECEIVE, Status.SUBMITTED: Action.SUBMIT}


def action_for_status(target: Status) -> Action:
    """The right needed to move a run into `target` (receive, submit; the rest: review)."""
    return _ACTIONS.get(target, Action.REVIEW)
# The issuer's decisions on a handed-in run that the unit is told about by mail.
_NOTICES = {Status.RETURNED: NotificationKind.RETURNED, Status.ACCEPTED: NotificationKind.ACCEPTED}


def change_status(
    session: Session, assignment: Assignment, target: Status, *,
    actor: str, reason: str = "", now: datetime, by_person: str = "", on_behalf_of: str = "",
) -> list[AssignmentEvent]:
    """Apply `target`; submitting a run never received records the receipt first."""
    steps = [target]
    if target is Status.SUBMITTED and assignment.status == Status.ISSUED:
        steps = [Status.RECEIVED, Status.SUBMITTED]
    events = []
    for step in steps:
        event = transition(assignment, step, actor=actor, reason=reason, now=now,
                           by_person=by_person, on_behalf_of=on_behalf_of)
        session.add(event)
        events.append(event)
    on_status_change(session, assignment, target, reason)
    notice = _NOTICES.get(target)
    if notice is not None:  # a line of the unit's next digest, with the reason
        assert assignment.id is not None
        session.add(Notification(
            assignment_id=assignment.id, stage=f"{notice.value}@{now.isoformat()}",
            kind=notice.value, to_unit_id=assignment.unit_id, note=reason, created_at=now))
    session.add(assignment)
    session.flush()
    return events


def act_on_assignment(
    session: Session, assignment_id: int, target: Status, *,
    unit_code: str = "", reason: str = "", now: datetime, role: Role | str = OPERATOR,
    by_person: str = "", on_behalf_of: str = "", by: Actor | None = None,
) -> Assignment:
    """A unit acts on an assignment: its own (receive, submit) or one it issued (the rest),
    by a user whose `role` may (the CLI acts as OPERATOR). `by`, when given, is who acts
    (its unit, person, delegation and rights), over unit_code/role/by_person/on_behalf_of."""
    if by is not None:
        unit_code, role, by_person, on_behalf_of = by.unit_code, by.role, by.person, by.behalf
    require(role, action_for_status(target))
    reason = free_text(reason, "reason")
    assignment = assignment_by_id(session, assignment_id)
    actor = unit_by_code(session, unit_code)
    owner = session.get(Unit, assignment.unit_id)
    issuer = session.get(Unit, session.get(Directive, assignment.directive_id).issuer_id)  # type: ignore[union-attr]
    assert owner is not None and issuer is not None
    if target in BY_ASSIGNEE and actor.id != owner.id:
        raise InvalidInput(
            "unit", f"assignment {assignment_id} belongs to '{owner.code}' ({owner.name}),"
            f" not '{actor.code}'")
    if target in BY_ISSUER and actor.id != issuer.id:
        raise InvalidInput(
            "unit", f"only the issuer '{issuer.code}' ({issuer.name}) may set '{target}'"
            f" on assignment {assignment_id}, not '{actor.code}'")
    change_status(session, assignment, target, actor=actor.code, reason=reason, now=now,
                  by_person=by_person, on_behalf_of=on_behalf_of)
    return assignment
