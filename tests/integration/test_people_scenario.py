"""People in units, end to end through a real SMTP server on 127.0.0.1: the Kiên Hải head puts
a specialist in charge of the STEM plan task (chủ trì) with a co-operator (phối hợp); the
specialist gets the task's notice and its reminders in person, the head (the unit's mailbox)
the urging after the deadline naming the specialist, the Sở the escalation; the audit names
each person and the unit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.audit import AuditEvent
from chidao.domain.holding import HolderChoice
from chidao.domain.notifications import Notification
from chidao.domain.people import HolderRole, TaskHolder
from chidao.domain.permissions import Action, NotPermitted
from chidao.services.accounts import user_named
from chidao.services.acting import actor_for
from chidao.services.holders import assign_holders
from tests.integration.engine_helpers import engine_settings, tick
from tests.support.cascade import at
from tests.support.people import BAO, about, assign, stem_task

KH, SO = "ubnd.kienhai@angiang.gov.vn", "vanthu.sgddt@angiang.gov.vn"

HOLDERS = AuditEvent.action.startswith("holder.")  # type: ignore[attr-defined]


def to(smtp, address):
    return [r for r in smtp.received if address in r.rcpt_tos]


def test_the_lead_gets_the_reminders_in_person_and_the_head_the_urging(engine, smtp):
    run_id = stem_task(engine, smtp)
    assign(engine, run_id, "chuyenvien2.kienhai",
           ("chuyenvien3.kienhai", HolderRole.COOPERATE))

    tick(engine, engine_settings(smtp), "2026-03-02T09:05")  # told of the task, in person
    (told,) = smtp.received
    assert told.rcpt_tos == [BAO]
    assert told.message["Subject"] == ("[chidao] Anh/chị được giao chủ trì 1 nhiệm vụ"
                                       " — Đặng Quốc Bảo (Ủy ban nhân dân đặc khu Kiên Hải)")
    assert "Hạn của anh/chị (chủ trì): 16/03/2026" in told.text
    assert "Ghi chú: Soạn dự thảo, lấy ý kiến các trường" in told.text
    smtp.received.clear()

    tick(engine, engine_settings(smtp), "2026-03-16T07:35")  # d-3: the reminder moment
    (reminder,) = about(smtp, run_id)
    assert reminder.rcpt_tos == [BAO]  # the specialist, not the unit's mailbox
    assert reminder.message["Subject"].startswith("[chidao] Nhắc việc: 1 nhiệm vụ")
    assert reminder.text.startswith(
        "Kính gửi: Đặng Quốc Bảo (Ủy ban nhân dân đặc khu Kiên Hải)")
    assert "Hạn: 19/03/2026" in reminder.text
    assert not to(smtp, KH)  # nothing for the head while the lead holds it
    smtp.received.clear()

    tick(engine, engine_settings(smtp), "2026-03-17T07:35")  # the lead's own deadline passed
    (late,) = about(smtp, run_id)
    assert late.rcpt_tos == [KH]  # the head is told, once
    assert late.message["Subject"] == ("[chidao] Người chủ trì chưa xong việc đúng hạn của cá"
                                       " nhân — Ủy ban nhân dân đặc khu Kiên Hải")
    assert ("Đặng Quốc Bảo (chủ trì) chưa xong việc, hạn của cá nhân 16/03/2026."
            " Còn 2 ngày làm việc (hạn của đơn vị).") in late.text
    smtp.received.clear()
    tick(engine, engine_settings(smtp), "2026-03-17T10:00")
    assert not about(smtp, run_id)

    tick(engine, engine_settings(smtp), "2026-03-20T07:35")  # a working day late: urging
    (urging,) = to(smtp, KH)
    assert urging.message["Subject"] == ("[chidao] Đôn đốc: nhiệm vụ đã quá hạn"
                                         " — Ủy ban nhân dân đặc khu Kiên Hải")
    assert urging.text.startswith("Kính gửi: Ủy ban nhân dân đặc khu Kiên Hải\n")
    assert "Chủ trì: Đặng Quốc Bảo" in urging.text
    assert not to(smtp, BAO)
    smtp.received.clear()

    tick(engine, engine_settings(smtp), "2026-03-25T07:35")  # three late: the Sở is told
    (escalation,) = to(smtp, SO)
    assert "Ủy ban nhân dân đặc khu Kiên Hải" in escalation.text
    assert "Chủ trì: Đặng Quốc Bảo" in escalation.text
    assert not to(smtp, BAO)


def test_the_audit_names_each_person_and_the_unit(engine, smtp):
    run_id = stem_task(engine, smtp)
    assign(engine, run_id, "chuyenvien2.kienhai",
           ("chuyenvien3.kienhai", HolderRole.COOPERATE))
    assign(engine, run_id, "chuyenvien3.kienhai", when="2026-03-05T10:00", lead_due=None)
    with transaction(engine) as session:
        rows = session.exec(select(AuditEvent).where(HOLDERS)
                            .order_by(AuditEvent.id)).all()
        holders = session.exec(select(TaskHolder).order_by(TaskHolder.id)).all()
    assert [(r.action, r.detail["person"], r.detail["role"]) for r in rows] == [
        ("holder.assign", "Đặng Quốc Bảo", "lead"),
        ("holder.assign", "Huỳnh Thị Mai", "cooperate"),
        ("holder.remove", "Đặng Quốc Bảo", "lead"),
        ("holder.change", "Huỳnh Thị Mai", "lead"),
    ]
    assert {(r.unit_code, r.person, r.subject_id) for r in rows} == {
        ("UBND-KIENHAI", "Lê Thị Ngọc Hân", str(run_id))}
    assert rows[0].summary == (f"Lê Thị Ngọc Hân giao Đặng Quốc Bảo (chuyenvien2.kienhai,"
                               f" Ủy ban nhân dân đặc khu Kiên Hải) nhiệm vụ số {run_id}:"
                               " chủ trì, hạn 16/03/2026")
    # the record stays whole: the old rows are kept, removed
    assert [(HolderRole(h.role).value, h.user_id, h.removed_at is None) for h in holders] == [
        ("lead", _user_id(engine, "chuyenvien2.kienhai"), False),
        ("cooperate", _user_id(engine, "chuyenvien3.kienhai"), False),
        ("lead", _user_id(engine, "chuyenvien3.kienhai"), True)]


def test_a_new_lead_takes_over_the_reminders_and_without_one_they_go_to_the_unit(
        engine, smtp):
    run_id = stem_task(engine, smtp)
    assign(engine, run_id, "chuyenvien2.kienhai")
    assign(engine, run_id, "chuyenvien3.kienhai", when="2026-03-10T10:00", lead_due=None)
    tick(engine, engine_settings(smtp), "2026-03-10T10:05")
    # Bảo, taken off before his notice was mailed, is not told of a task he no longer holds
    assert not to(smtp, BAO)
    (told,) = about(smtp, run_id)  # her new task and its d-7 reminder, in one mail
    assert "Anh/chị được giao chủ trì thực hiện các nhiệm vụ sau:" in told.text
    assert told.text.startswith("Kính gửi: Huỳnh Thị Mai (Ủy ban nhân dân đặc khu Kiên Hải)")
    smtp.received.clear()
    tick(engine, engine_settings(smtp), "2026-03-16T07:35")
    # Huỳnh Thị Mai has no address of her own: the unit's mailbox, addressed to her, in a
    # mail of her own (the unit's digest is another message)
    (reminder,) = about(smtp, run_id)
    assert reminder.rcpt_tos == [KH]
    assert reminder.text.startswith("Kính gửi: Huỳnh Thị Mai (Ủy ban nhân dân đặc khu Kiên Hải)")
    assert not to(smtp, BAO)
    with transaction(engine) as session:  # nobody: the ladder is the unit's again
        by = actor_for(session, user_named(session, "chuyenvien.kienhai"), Action.ASSIGN,
                       now=at("2026-03-17T08:00"))
        assign_holders(session, run_id, [], by=by, now=at("2026-03-17T08:00"))
    smtp.received.clear()
    tick(engine, engine_settings(smtp), "2026-03-18T07:35")
    (reminder,) = about(smtp, run_id)
    assert reminder.rcpt_tos == [KH]
    assert reminder.text.startswith("Kính gửi: Ủy ban nhân dân đặc khu Kiên Hải\n")
    with transaction(engine) as session:
        personal = session.exec(select(Notification.stage, Notification.to_user_id)
                                .where(Notification.assignment_id == run_id,
                                       Notification.kind == "reminder")).all()
    mai = _user_id(engine, "chuyenvien3.kienhai")
    # d-7 was written at 10:05 on 10/03, after the new lead was put on at 10:00
    assert sorted(personal) == [("2026-03-19/d-1", None), ("2026-03-19/d-3", mai),
                                ("2026-03-19/d-7", mai)]


def _user_id(engine, username: str) -> int:
    with transaction(engine) as session:
        return user_named(session, username).id


@pytest.mark.parametrize("kind", ["reminder", "due_today"])
def test_only_the_personal_stages_go_to_the_lead(engine, smtp, kind):
    """The urging and the escalations are never written to a person."""
    run_id = stem_task(engine, smtp)
    assign(engine, run_id, "chuyenvien2.kienhai")
    for moment in ("2026-03-16T07:35", "2026-03-19T07:35", "2026-03-20T07:35",
                   "2026-03-25T07:35"):
        tick(engine, engine_settings(smtp), moment)
    with transaction(engine) as session:
        rows = session.exec(select(Notification.kind, Notification.to_user_id)
                            .where(Notification.assignment_id == run_id)).all()
    bao = _user_id(engine, "chuyenvien2.kienhai")
    assert (kind, bao) in rows
    assert {k for k, who in rows if who == bao} == {"assigned", "reminder", "due_today"}
    assert {k for k, who in rows if who is None} >= {"issued", "overdue", "escalation"}


def test_a_staff_member_lent_the_right_assigns_and_the_record_names_both(engine, smtp):
    from chidao.domain.people import Delegation

    run_id = stem_task(engine, smtp)
    with transaction(engine) as session:
        head, deputy = (user_named(session, n) for n in ("chuyenvien.kienhai",
                                                          "chuyenvien3.kienhai"))
        session.add(Delegation(from_user_id=head.id, to_user_id=deputy.id, actions=["assign"],
                               starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 6),
                               title="KT.", created_at=at("2026-03-01T08:00")))
    with transaction(engine) as session:
        by = actor_for(session, user_named(session, "chuyenvien3.kienhai"), Action.ASSIGN,
                       now=at("2026-03-03T09:00"))
        bao = user_named(session, "chuyenvien2.kienhai")
        assign_holders(session, run_id, [HolderChoice(bao.id, HolderRole.LEAD)], by=by,
                       now=at("2026-03-03T09:00"))
    with transaction(engine) as session:
        (row,) = session.exec(select(AuditEvent).where(HOLDERS)).all()
        (holder,) = session.exec(select(TaskHolder)).all()
    assert (row.person, row.on_behalf_of) == ("Huỳnh Thị Mai", "KT. Lê Thị Ngọc Hân")
    assert holder.assigned_by == "Huỳnh Thị Mai (KT. Lê Thị Ngọc Hân)"
    with transaction(engine) as session, pytest.raises(NotPermitted):  # the week is over
        actor_for(session, user_named(session, "chuyenvien3.kienhai"), Action.ASSIGN,
                  now=at("2026-03-09T09:00"))


