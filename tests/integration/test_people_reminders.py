"""The ladder of a run that has a chủ trì: the head told once when the chủ trì's own deadline
passes (not before the send hour, not once the run is handed in), and the sweep reading the
leads with the due runs, in bulk."""

from __future__ import annotations

from sqlmodel import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.db.database import transaction
from chidao.domain.holding import HolderChoice
from chidao.domain.notifications import Notification
from chidao.domain.people import HolderRole
from chidao.domain.permissions import Action
from chidao.domain.status import Status
from chidao.notifications.sweep import sweep
from chidao.services.accounts import add_user, user_named
from chidao.services.acting import actor_for
from chidao.services.holders import assign_holders
from tests.integration.engine_helpers import engine_settings, tick
from tests.statements import counted
from tests.support.cascade import act, at
from tests.support.people import assign, stem_task


def test_the_head_is_told_of_a_late_lead_once_not_before_the_send_hour_nor_once_handed_in(
        engine, smtp):
    run_id = stem_task(engine, smtp)
    assign(engine, run_id, "chuyenvien2.kienhai")  # own deadline 16/03
    tick(engine, engine_settings(smtp), "2026-03-17T06:00")
    late = [n for n in _notices(engine, run_id) if n[0] == "lead_late"]
    assert late == []  # before the send hour
    tick(engine, engine_settings(smtp), "2026-03-17T07:35")
    tick(engine, engine_settings(smtp), "2026-03-18T07:35")
    late = [n for n in _notices(engine, run_id) if n[0] == "lead_late"]
    assert len(late) == 1 and late[0][1] is None  # once, to the unit's mailbox


def test_no_late_lead_notice_once_the_unit_has_handed_the_run_in(engine, smtp):

    run_id = stem_task(engine, smtp)
    assign(engine, run_id, "chuyenvien2.kienhai")
    act(engine, run_id, Status.SUBMITTED, "UBND-KIENHAI", when="2026-03-16T15:00")
    tick(engine, engine_settings(smtp), "2026-03-17T07:35")
    assert [n for n in _notices(engine, run_id) if n[0] == "lead_late"] == []


def _notices(engine, run_id: int) -> list[tuple[str, int | None]]:
    with transaction(engine) as session:
        return list(session.exec(select(Notification.kind, Notification.to_user_id)
                                 .where(Notification.assignment_id == run_id)).all())


def test_the_sweep_reads_the_leads_in_bulk(engine, smtp):
    """As many statements with a lead on every commune's run as with none: the leads come
    with the due runs, not one query per run."""

    run_id = stem_task(engine, smtp)
    settings = engine_settings(smtp)
    with counted(engine) as without, transaction(engine) as session:
        report = sweep(session, now=at("2026-03-10T07:35"), calendar=vietnam_calendar(),
                       send_at=settings.send_from)  # d-7, nobody holds anything
    assert len(report.notifications) == 3
    communes = {"UBND-PHUQUOC": "chuyenvien.phuquoc", "UBND-RACHGIA": "chuyenvien.rachgia"}
    with transaction(engine) as session:
        for code, login in communes.items():
            add_user(session, username=login, full_name=login, role="head", unit_code=code,
                     password="mat-khau-thu-nghiem", now=at("2026-03-10T08:00"))
    assign(engine, run_id, "chuyenvien2.kienhai", lead_due=None)
    for code, login in communes.items():
        with transaction(engine) as session:
            user = user_named(session, login)
            by = actor_for(session, user, Action.ASSIGN, now=at("2026-03-10T09:00"))
            assign_holders(session, stem_task_id(session, code),
                           [HolderChoice(user.id, HolderRole.LEAD)], by=by,
                           now=at("2026-03-10T09:00"))
    with transaction(engine) as session:  # the "assigned" notices, out of the way
        sweep(session, now=at("2026-03-10T09:05"), calendar=vietnam_calendar(),
              send_at=settings.send_from)
    with counted(engine) as with_leads, transaction(engine) as session:
        report = sweep(session, now=at("2026-03-16T07:35"), calendar=vietnam_calendar(),
                       send_at=settings.send_from)  # d-3, every run has a lead
    assert sorted(row[-1] is not None for row in report.notifications) == [True] * 3
    assert with_leads.count == without.count, f"{without}\n---\n{with_leads}"


def stem_task_id(session, code: str) -> int:
    from chidao.domain.assignments import Assignment
    from chidao.domain.directives import Requirement
    from chidao.domain.units import Unit

    return session.exec(
        select(Assignment.id).join(Requirement, Requirement.id == Assignment.requirement_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Unit.code == code, Requirement.key == "ke-hoach-trien-khai")).one()
