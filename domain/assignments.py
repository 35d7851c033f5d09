"""Assignments (giao nhiệm vụ): one unit's copy of one requirement per period = a workflow run."""

from datetime import date, datetime

from sqlalchemy import Column, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from .dbtypes import EnumText, UTCDateTime
from .errors import InvalidInput
from .status import NEEDS_REASON, TRANSITIONS, Status, can_transition

# The partial indexes of migration 0017: only the runs still open, so that years of closed
# runs (history) cost the sweep and a unit's inbox nothing. A query uses such an index only
# when its WHERE implies the predicate: `next_action_at <= :now` implies WATCHED; the open-run
# one must be repeated as written, with constants (chidao.queries.inbox.open_run).
WATCHED_PREDICATE = text("next_action_at IS NOT NULL")
OPEN_RUN_PREDICATE = text("status NOT IN ('accepted', 'cancelled', 'waived')")


class Assignment(SQLModel, table=True):
    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("requirement_id", "unit_id", "period", name="uq_assignment_run"),
        Index("ix_assignment_unit_status", "unit_id", "status"),
        Index("ix_assignment_next_action_at", "next_action_at",
              postgresql_where=WATCHED_PREDICATE, sqlite_where=WATCHED_PREDICATE),
        Index("ix_assignment_open_unit", "unit_id", "due_on", "id",
              postgresql_where=OPEN_RUN_PREDICATE, sqlite_where=OPEN_RUN_PREDICATE),
    )

    id: int | None = Field(default=None, primary_key=True)
    requirement_id: int = Field(foreign_key="requirement.id")
    directive_id: int = Field(foreign_key="directive.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    period: str = Field(default="", sa_column=Column(String(32), nullable=False))
    due_on: date
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # A deadline a person set by hand (an extension), as they gave it, and when: it stays
    # when what it was derived from moves (chidao.services.deadline_refresh); None = the
    # requirement's rule gives the deadline.
    due_hand_on: date | None = None
    due_hand_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    status: Status = Field(sa_column=Column(EnumText(Status, 16), nullable=False))
    status_changed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    submitted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    # A `plan` assignment is fulfilled by the unit's own directive citing the parent one.
    fulfilled_by_id: int | None = Field(default=None, foreign_key="directive.id", index=True)
    next_action_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    # The reminder ladder: fire time and key of the last stage the sweep dealt with.
    stage_cursor: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    last_stage: str | None = Field(default=None, sa_column=Column(String(64)))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class AssignmentEvent(SQLModel, table=True):
    """Audit row of one status change: who, when, from, to, why."""

    __tablename__ = "assignment_event"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    actor: str
    from_status: Status = Field(sa_column=Column(EnumText(Status), nullable=False))
    to_status: Status = Field(sa_column=Column(EnumText(Status), nullable=False))
    reason: str = ""
    # The person who acted (full name as it was then), when a signed-in user did; "" for the
    # command line and for what chidao does itself. `actor` is the unit's code.
    by_person: str = Field(default="", sa_column=Column(String(200), nullable=False,
                                                         server_default=""))
    # When a delegate acted (ủy quyền): how they signed and for whom, "KT. Lê Thị Ngọc Hân"
    # (chidao.domain.acting.Actor.behalf); by_person is the delegate; "" = for oneself.
    on_behalf_of: str = Field(default="", sa_column=Column(String(200), nullable=False,
                                                           server_default=""))


assignment_table = SQLModel.metadata.tables["assignment"]
assignment_event_table = SQLModel.metadata.tables["assignment_event"]


def next_action_at(status: Status, now: datetime) -> datetime | None:
    """When the deadline engine must look at a run: at once while the unit owes it (the sweep
    then works out the ladder), never once it is handed in or closed."""
    return now if status.awaits_unit else None


def transition(
    assignment: Assignment, target: Status, *, actor: str, reason: str, now: datetime,
    by_person: str = "", on_behalf_of: str = "",
) -> AssignmentEvent:
    """Move `assignment` to `target` if the table allows it; return the audit row to store."""
    current = assignment.status
    if not can_transition(current, target):
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none"
        raise InvalidInput(
            "status",
            f"cannot go from '{current}' ({current.label}) to '{target}' ({target.label});"
            f" allowed: {allowed}",
        )
    if target in NEEDS_REASON and not reason.strip():
        raise InvalidInput("reason", f"a reason is required to set '{target}' ({target.label})")
    assignment.status = target
    assignment.status_changed_at = now
    if target is Status.SUBMITTED and assignment.submitted_at is None:
        assignment.submitted_at = now
    if target is Status.RETURNED:  # on time or late is judged again at the resubmission
        assignment.submitted_at = None
    assignment.next_action_at = next_action_at(target, now)
    assert assignment.id is not None, "a stored assignment"
    return AssignmentEvent(
        assignment_id=assignment.id, at=now, actor=actor,
        from_status=current, to_status=target, reason=reason, by_person=by_person,
        on_behalf_of=on_behalf_of,
    )

