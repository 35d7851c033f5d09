"""Who acts is recorded: the person and unit on every status change and in the audit trail
(issuing, extending, closures, imports, accounts), a delegate with the name they stand in for;
a whole directive recalled at once; an admin imports and manages only below its own unit."""

from __future__ import annotations

import pytest
from sqlmodel import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.runtime import load_settings
from chidao.db.database import transaction
from chidao.domain.accounts import Role
from chidao.domain.acting import Actor
from chidao.domain.assignments import Assignment, AssignmentEvent
from chidao.domain.audit import AuditEvent
from chidao.domain.directives import Directive
from chidao.domain.errors import InvalidInput
from chidao.domain.notifications import Notification
from chidao.domain.permissions import NotPermitted
from chidao.domain.specs import parse_directive
from chidao.domain.status import Status
from chidao.files.unit_files import parse_unit_yaml
from chidao.services.accounts import add_user, change_role
from chidao.services.extend import extend_deadline
from chidao.services.issue import issue_directive
from chidao.services.recall import recall_directive
from chidao.services.status_changes import act_on_assignment
from chidao.services.units_import import import_units
from tests.support.cascade import act, at, issue_data, runs, seed_units, small

HEAD = Actor(unit_code="SGDDT-AG", person="Trần Minh Khoa", role=Role.HEAD, user_id=1)
DEPUTY = Actor(unit_code="SGDDT-AG", person="Lê Văn Phó", on_behalf_of="Trần Minh Khoa",
               title="KT.", role=Role.HEAD, user_id=2)


def _audit(engine, action: str) -> list[AuditEvent]:
    with transaction(engine) as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


def test_issue_and_extend_name_the_person_and_the_unit(engine):
    seed_units(engine)
    with transaction(engine) as session:
        done = issue_directive(session, parse_directive(small()), now=at("2026-03-02T09:00"),
                               calendar=vietnam_calendar(), rules=load_settings().rules(),
                               by=DEPUTY)
    [issued] = _audit(engine, "directive.issue")
    assert (issued.unit_code, issued.person, issued.on_behalf_of) == (
        "SGDDT-AG", "Lê Văn Phó", "KT. Trần Minh Khoa")
    assert issued.subject_id == str(done.directive_id) and "55/KH-SGDĐT" in issued.summary
    with transaction(engine) as session:
        moved = extend_deadline(session, directive_ref="55/KH-SGDĐT", requirement_key="r",
                                subtree="UBND-KIENHAI", new_due=at("2026-04-10T09:00").date(),
                                actor="", reason="Chờ số liệu", now=at("2026-03-05T09:00"),
                                calendar=vietnam_calendar(), rules=load_settings().rules(),
                                by=HEAD)
        events = session.exec(select(AssignmentEvent).where(
            AssignmentEvent.reason.contains("Gia hạn"))).all()  # type: ignore[attr-defined]
    assert moved == 1 and [e.by_person for e in events] == ["Trần Minh Khoa"]
    [extended] = _audit(engine, "deadline.extend")
    assert extended.person == "Trần Minh Khoa" and "10/04/2026" in extended.summary


def test_a_person_may_issue_only_for_their_own_unit(engine):
    seed_units(engine)
    other = Actor(unit_code="UBND-KIENHAI", person="Lê Thị Ngọc Hân", role=Role.HEAD, user_id=3)
    with transaction(engine) as session, pytest.raises(InvalidInput) as refused:
        issue_directive(session, parse_directive(small()), now=at("2026-03-02T09:00"),
                        calendar=vietnam_calendar(), rules=load_settings().rules(), by=other)
    assert refused.value.field == "issuer"


def test_a_delegate_review_records_both_names(engine):
    seed_units(engine)
    issue_data(engine, small(), "2026-03-02T09:00")
    run = runs(engine, "2026:55/KH-SGDĐT")[("UBND-KIENHAI", "r", "")]
    act(engine, run.id, Status.SUBMITTED, "UBND-KIENHAI")
    with transaction(engine) as session:
        act_on_assignment(session, run.id, Status.ACCEPTED, now=at("2026-03-06T09:00"),
                          by=DEPUTY)
        last = session.exec(select(AssignmentEvent).where(
            AssignmentEvent.assignment_id == run.id).order_by(
            AssignmentEvent.id.desc())).first()  # type: ignore[union-attr]
    assert (last.to_status, last.actor, last.by_person, last.on_behalf_of) == (
        Status.ACCEPTED, "SGDDT-AG", "Lê Văn Phó", "KT. Trần Minh Khoa")
    staff = Actor(unit_code="SGDDT-AG", person="Nhân viên", role=Role.STAFF, user_id=4)
    with transaction(engine) as session, pytest.raises(NotPermitted):
        act_on_assignment(session, run.id, Status.RETURNED, reason="x",
                          now=at("2026-03-06T09:00"), by=staff)


def test_recall_closes_the_open_runs_keeps_the_done_ones_and_tells_each_unit(engine):
    seed_units(engine)
    issue_data(engine, small(), "2026-03-02T09:00")
    by_unit = {code: run for (code, _k, _p), run in runs(engine, "2026:55/KH-SGDĐT").items()}
    assert len(by_unit) >= 3
    done_unit, *open_units = sorted(by_unit)
    act(engine, by_unit[done_unit].id, Status.SUBMITTED, done_unit)
    act(engine, by_unit[done_unit].id, Status.ACCEPTED, "SGDDT-AG")
    with transaction(engine) as session:
        directive_id = by_unit[done_unit].directive_id
        closed = recall_directive(session, directive_id, by=DEPUTY,
                                  reason="Ban hành nhầm đối tượng", now=at("2026-03-09T08:00"))
        statuses = {run.unit_id: run.status for run in session.exec(
            select(Assignment).where(Assignment.directive_id == directive_id))}
        notices = session.exec(select(Notification).where(
            Notification.kind == "recalled")).all()
        directive = session.get(Directive, directive_id)
        assert directive is not None
        assert directive.recalled_at is not None
        assert directive.recall_reason == "Ban hành nhầm đối tượng"
    assert closed == len(open_units)
    assert statuses[by_unit[done_unit].unit_id] is Status.ACCEPTED
    assert all(statuses[by_unit[u].unit_id] is Status.CANCELLED for u in open_units)
    assert sorted(n.to_unit_id for n in notices) == sorted(by_unit[u].unit_id
                                                           for u in open_units)
    [audit] = _audit(engine, "directive.recall")
    assert audit.on_behalf_of == "KT. Trần Minh Khoa"
    with transaction(engine) as session, pytest.raises(InvalidInput) as again:
        recall_directive(session, directive_id, by=HEAD, reason="lần hai",
                         now=at("2026-03-09T09:00"))
    assert again.value.field == "directive"


def test_only_the_issuer_recalls(engine):
    seed_units(engine)
    done = issue_data(engine, small(), "2026-03-02T09:00")
    commune = Actor(unit_code="UBND-KIENHAI", person="Lê Thị Ngọc Hân", role=Role.HEAD,
                    user_id=3)
    with transaction(engine) as session, pytest.raises(InvalidInput) as refused:
        recall_directive(session, done.directive_id, by=commune, reason="x",
                         now=at("2026-03-09T08:00"))
    assert refused.value.field == "unit"


def test_an_admin_imports_units_only_below_its_own_unit(engine):
    seed_units(engine)
    admin = Actor(unit_code="UBND-KIENHAI", person="Quản trị Kiên Hải", role=Role.ADMIN,
                  user_id=5)
    below = parse_unit_yaml("- {code: MN-MOI, name: Trường Mầm non Mới, kind: school,"
                            " parent: UBND-KIENHAI, emails: [moi@truong.edu.vn]}\n")
    with transaction(engine) as session:
        assert import_units(session, below, now=at("2026-03-01T08:00"), by=admin).created == 1
    elsewhere = parse_unit_yaml("- {code: MN-KHAC, name: Trường Mầm non Khác, kind: school,"
                                " parent: UBND-PHUQUOC, emails: [khac@truong.edu.vn]}\n")
    with transaction(engine) as session, pytest.raises(InvalidInput) as refused:
        import_units(session, elsewhere, now=at("2026-03-01T08:00"), by=admin)
    assert refused.value.field == "units[0].code"
    [imported] = _audit(engine, "units.import")[-1:]
    assert imported.person == "Quản trị Kiên Hải" and "1 đơn vị mới" in imported.summary


def test_account_changes_are_audited_and_scoped(engine):
    seed_units(engine)
    admin = Actor(unit_code="UBND-KIENHAI", person="Quản trị Kiên Hải", role=Role.ADMIN,
                  user_id=99)
    now = at("2026-03-01T08:00")
    with transaction(engine) as session:
        add_user(session, username="gv.hontre", full_name="Giáo viên Hòn Tre",
                 unit_code="MN-HONTRE", role="staff", password="mat-khau-dai-1", now=now,
                 email="GV@Hontre.edu.vn", by=admin)
        user = change_role(session, username="gv.hontre", role="head", now=now, by=admin)
        assert (user.role, user.email) == ("head", "gv@hontre.edu.vn")
    with transaction(engine) as session, pytest.raises(InvalidInput) as refused:
        add_user(session, username="gv.khac", full_name="Khác", unit_code="UBND-PHUQUOC",
                 role="staff", password="mat-khau-dai-1", now=now, by=admin)
    assert refused.value.field == "unit"
    [role] = _audit(engine, "user.role")
    assert role.person == "Quản trị Kiên Hải" and "chuyên viên → lãnh đạo đơn vị" in role.summary
    assert len(_audit(engine, "user.add")) == 1


def test_a_recalled_directive_is_neither_extended_nor_cited(engine):
    seed_units(engine)
    done = issue_data(engine, small(), "2026-03-02T09:00")
    with transaction(engine) as session:
        recall_directive(session, done.directive_id, by=HEAD, reason="Ban hành nhầm",
                         now=at("2026-03-03T08:00"))
    with transaction(engine) as session, pytest.raises(InvalidInput) as extended:
        extend_deadline(session, directive_ref="55/KH-SGDĐT", requirement_key="r",
                        subtree="UBND-KIENHAI", new_due=at("2026-04-10T09:00").date(),
                        actor="", reason="x", now=at("2026-03-05T09:00"),
                        calendar=vietnam_calendar(), rules=load_settings().rules(), by=HEAD)
    assert extended.value.field == "directive"
    plan = {"number_symbol": "08/KH-UBND", "issuer": "UBND-KIENHAI", "issued_on": "2026-03-04",
            "title": "Triển khai", "based_on": ["55/KH-SGDĐT"], "requirements": []}
    with transaction(engine) as session, pytest.raises(InvalidInput) as cited:
        issue_directive(session, parse_directive(plan), now=at("2026-03-04T09:00"),
                        calendar=vietnam_calendar(), rules=load_settings().rules())
    assert cited.value.field == "based_on[0]"
