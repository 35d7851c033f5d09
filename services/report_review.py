"""Keep the latest submission and its aggregated values in step with the run's status."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from ..domain.assignments import Assignment
from ..domain.reports import Submission, SubmissionState, report_value_table
from ..domain.status import Status


def latest_submission(session: Session, assignment_id: int) -> Submission | None:
    return session.exec(select(Submission).where(Submission.assignment_id == assignment_id)
                        .order_by(col(Submission.version).desc())).first()


def on_status_change(session: Session, assignment: Assignment, target: Status,
                     reason: str) -> None:
    """Accepting counts the latest submission in the rollup; returning sends it back (its
    figures leave the provisional rollup too), and the next submission is the one judged on
    time or late."""
    if target not in (Status.ACCEPTED, Status.RETURNED) or assignment.id is None:
        return
    latest = latest_submission(session, assignment.id)
    if latest is None or latest.state != SubmissionState.SUBMITTED:
        return
    if target is Status.ACCEPTED:
        latest.state = SubmissionState.ACCEPTED.value
        session.execute(update(report_value_table)
                        .where(report_value_table.c.assignment_id == assignment.id)
                        .values(accepted=True))
    else:
        latest.state = SubmissionState.RETURNED.value
        latest.review_note = reason
        session.execute(delete(report_value_table)
                        .where(report_value_table.c.assignment_id == assignment.id))
    session.add(latest)


