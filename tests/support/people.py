"""Helpers of the people-in-units tests: Kiên Hải's STEM report run, user and unit ids, the
run's live holders."""

from __future__ import annotations

from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.assignments import Assignment
from chidao.domain.directives import Requirement
from chidao.domain.people import TaskHolder
from chidao.domain.units import Unit
from chidao.services.accounts import user_named


def kienhai_report(engine) -> int:
    with transaction(engine) as session:
        return session.exec(
            select(Assignment.id).join(Requirement, Requirement.id == Assignment.requirement_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(Unit.code == "UBND-KIENHAI", Requirement.key == "bao-cao-ket-qua")).one()


def ids(engine, *usernames: str) -> list[int]:
    with transaction(engine) as session:
        return [user_named(session, name).id for name in usernames]


def unit_id(engine, code: str) -> int:
    with transaction(engine) as session:
        return session.exec(select(Unit.id).where(Unit.code == code)).one()


def live_holders(engine, run_id: int) -> list[tuple[int, str]]:
    with transaction(engine) as session:
        return sorted((h.user_id, h.role) for h in session.exec(select(TaskHolder).where(
            TaskHolder.assignment_id == run_id, TaskHolder.removed_at.is_(None))))
