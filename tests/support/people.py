"""Helpers of the people-in-units tests: Kiên Hải's STEM tasks and people, putting them on a
task, user and unit ids, a run's live holders, the mails that speak of a run."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.assignments import Assignment
from chidao.domain.directives import Requirement
from chidao.domain.holding import HolderChoice
from chidao.domain.people import HolderRole, TaskHolder
from chidao.domain.permissions import Action
from chidao.domain.units import Unit
from chidao.services.accounts import add_user, user_named
from chidao.services.acting import actor_for
from chidao.services.holders import assign_holders
from tests.integration.engine_helpers import engine_settings, tick
from tests.support.cascade import at, issue_file, runs, seed_units

BAO = "bao.dq@kienhai.angiang.gov.vn"
PEOPLE = [  # (login, full name, role, own address)
    ("chuyenvien.kienhai", "Lê Thị Ngọc Hân", "head", ""),
    ("chuyenvien2.kienhai", "Đặng Quốc Bảo", "staff", BAO),
    ("chuyenvien3.kienhai", "Huỳnh Thị Mai", "staff", ""),
]


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


def stem_task(engine, smtp) -> int:
    """The Sở's STEM plan (1039/KH-SGDĐT) issued 26/02; Kiên Hải's plan task is due 19/03.
    Its people are added; the issue notices are sent and forgotten."""
    seed_units(engine)
    issued = issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    with transaction(engine) as session:
        for username, name, role, email in PEOPLE:
            user = add_user(session, username=username, full_name=name, role=role,
                            unit_code="UBND-KIENHAI", password="mat-khau-thu-nghiem",
                            now=at("2026-02-26T08:00"))
            user.email = email
            session.add(user)
    tick(engine, engine_settings(smtp), "2026-02-26T10:00")
    smtp.received.clear()
    run = runs(engine, issued.key)[("UBND-KIENHAI", "ke-hoach-trien-khai", "")]
    assert run.due_on == date(2026, 3, 19)
    return run.id


def assign(engine, run_id: int, lead: str, *others: tuple[str, HolderRole],
           when: str = "2026-03-02T09:00", lead_due: date | None = date(2026, 3, 16)) -> None:
    with transaction(engine) as session:
        head = user_named(session, "chuyenvien.kienhai")
        by = actor_for(session, head, Action.ASSIGN, now=at(when))
        choices = [HolderChoice(user_named(session, lead).id, HolderRole.LEAD, lead_due,
                                "Soạn dự thảo, lấy ý kiến các trường")]
        choices += [HolderChoice(user_named(session, name).id, role) for name, role in others]
        assign_holders(session, run_id, choices, by=by, now=at(when))


def about(smtp, run_id: int):
    """The mails that speak of the run (other communes have the same STEM task)."""
    return [r for r in smtp.received if f"/assignments/{run_id}\n" in r.text]
