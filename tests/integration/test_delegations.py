"""Ủy quyền (chidao.services.delegations) and its commands: a user lends its rights to a user
of the same unit for a range of days; the delegate acts with both names recorded; it ends by
itself after its last day and can be revoked; every refusal names its field, nothing is
written; the audit trail lists it; `chidao delegate` and `chidao audit` on a real database."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.acting import command_line
from chidao.domain.assignments import AssignmentEvent
from chidao.domain.audit import AuditEvent
from chidao.domain.errors import InvalidInput
from chidao.domain.people import Delegation
from chidao.domain.permissions import Action, NotPermitted
from chidao.domain.status import Status
from chidao.services.accounts import add_user, user_named
from chidao.services.acting import actor_for, own_actor
from chidao.services.delegations import DelegationAsked, create_delegation, revoke_delegation
from tests.support.cascade import act, at, issue_data, runs, seed_units, small
from tests.support.cli import chidao, refused

PEOPLE = [("head.kh", "Lê Thị Ngọc Hân", "UBND-KIENHAI", "head"),
          ("deputy.kh", "Trương Văn Phúc", "UBND-KIENHAI", "staff"),
          ("admin.kh", "Quản Trị Kiên Hải", "UBND-KIENHAI", "admin"),
          ("head.pq", "Nguyễn Phú Quốc", "UBND-PHUQUOC", "head"),
          ("staff.pq", "Trần Văn Phú", "UBND-PHUQUOC", "staff")]
WEEK = DelegationAsked(from_username="head.kh", to_username="deputy.kh",
                       starts_on=date(2026, 3, 25), ends_on=date(2026, 3, 31), title="KT.",
                       reason="Nghỉ phép")


@pytest.fixture
def people(engine):
    seed_units(engine)
    with transaction(engine) as session:
        for username, name, unit, role in PEOPLE:
            add_user(session, username=username, full_name=name, unit_code=unit, role=role,
                     password="mat-khau-dai-du", now=at("2026-03-01T08:00"))
    return engine


def delegate(engine, asked=WEEK, by_user="head.kh", now="2026-03-25T09:00") -> int:
    with transaction(engine) as session:
        by = own_actor(session, user_named(session, by_user)) if by_user else command_line("")
        return create_delegation(session, asked, by=by, now=at(now)).id


def may_review(engine, username: str, now: str) -> str | None:
    """How the user would sign a review at `now` ("" for itself), None if it may not."""
    with transaction(engine) as session:
        try:
            actor = actor_for(session, user_named(session, username), Action.REVIEW,
                              now=at(now))
        except NotPermitted:
            return None
    return actor.behalf


def test_a_delegation_lends_the_right_for_its_days_only(people):
    assert may_review(people, "deputy.kh", "2026-03-25T09:00") is None
    number = delegate(people)
    assert may_review(people, "deputy.kh", "2026-03-25T08:00") == "KT. Lê Thị Ngọc Hân"
    assert may_review(people, "deputy.kh", "2026-03-31T23:30") == "KT. Lê Thị Ngọc Hân"
    assert may_review(people, "deputy.kh", "2026-04-01T00:10") is None  # ended by itself
    assert may_review(people, "staff.pq", "2026-03-26T09:00") is None  # another unit's staff
    [row] = [a for a in audit_rows(people) if a.action == "delegation.create"]
    assert (row.unit_code, row.person, row.subject_id) == ("UBND-KIENHAI", "Lê Thị Ngọc Hân",
                                                            str(number))
    assert "Trương Văn Phúc" in row.summary and "31/03/2026" in row.summary


def audit_rows(engine) -> list[AuditEvent]:
    with transaction(engine) as session:
        return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)))


def test_some_rights_only(people):
    delegate(people, DelegationAsked(**{**WEEK.__dict__, "actions": ["extend"]}))
    assert may_review(people, "deputy.kh", "2026-03-26T09:00") is None
    with transaction(people) as session:
        actor = actor_for(session, user_named(session, "deputy.kh"), Action.EXTEND,
                          now=at("2026-03-26T09:00"))
    assert actor.signed == "Trương Văn Phúc (KT. Lê Thị Ngọc Hân)"


def test_a_revoked_delegation_ends_at_once_and_is_audited(people):
    number = delegate(people)
    with transaction(people) as session:
        revoke_delegation(session, number, by=own_actor(session, user_named(session, "head.kh")),
                          now=at("2026-03-27T10:00"), reason="Đã đi làm lại")
    assert may_review(people, "deputy.kh", "2026-03-27T10:30") is None
    assert [a.action for a in audit_rows(people)][-2:] == ["delegation.create",
                                                           "delegation.revoke"]
    with transaction(people) as session, pytest.raises(InvalidInput) as again:
        revoke_delegation(session, number, by=command_line(""), now=at("2026-03-27T11:00"))
    assert again.value.field == "id" and "đã được thu hồi" in again.value.problem


def test_an_admin_sets_one_for_the_head_another_user_may_not(people):
    assert delegate(people, by_user="admin.kh") > 0
    asked = DelegationAsked(**{**WEEK.__dict__, "starts_on": date(2026, 4, 1),
                               "ends_on": date(2026, 4, 2)})
    for outsider in ("deputy.kh", "head.pq"):
        with transaction(people) as session, pytest.raises(InvalidInput) as refused_:
            create_delegation(session, asked, by=own_actor(session, user_named(session,
                                                                               outsider)),
                              now=at("2026-03-25T09:00"))
        assert refused_.value.field == "from"


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"to_username": "head.pq"}, "to", "không cùng đơn vị"),
    ({"to_username": "head.kh"}, "to", "chính mình"),
    ({"to_username": "nobody"}, "to", "không có người dùng"),
    ({"starts_on": date(2026, 3, 24)}, "starts_on", "đã qua"),
    ({"ends_on": date(2026, 3, 20)}, "ends_on", "trước ngày bắt đầu"),
    ({"ends_on": date(2027, 3, 26)}, "ends_on", "dài nhất 366 ngày"),
    ({"title": "TL."}, "title", "KT. (ký thay) hoặc Q. (quyền)"),
    ({"actions": ["manage_users"]}, "actions", "không có quyền"),
    ({"actions": ["fly"]}, "actions", "không phải một quyền"),
    ({"actions": ["submit"]}, "actions", "đã có sẵn"),
    ({"reason": "x" * 501}, "reason", "dài quá 500"),
])
def test_bad_input_names_the_field_and_writes_nothing(people, change, field, words):
    with transaction(people) as session, pytest.raises(InvalidInput) as refused_:
        create_delegation(session, DelegationAsked(**{**WEEK.__dict__, **change}),
                          by=command_line(""), now=at("2026-03-25T09:00"))
    assert refused_.value.field == field and words in refused_.value.problem
    with transaction(people) as session:
        assert session.exec(select(Delegation)).all() == []
    assert audit_rows(people) == [] or all(a.action != "delegation.create"
                                           for a in audit_rows(people))


def test_an_overlapping_delegation_to_the_same_person_is_refused(people):
    number = delegate(people)
    with transaction(people) as session, pytest.raises(InvalidInput) as refused_:
        create_delegation(session, DelegationAsked(**{**WEEK.__dict__,
                                                      "starts_on": date(2026, 3, 30),
                                                      "ends_on": date(2026, 4, 3)}),
                          by=command_line(""), now=at("2026-03-25T09:00"))
    assert refused_.value.field == "starts_on" and f"#{number}" in refused_.value.problem


def test_the_cli_delegates_acts_as_the_deputy_and_audits(people, db_url):
    # Kiên Hải's own report request to its schools; Hòn Tre hands it in
    kh = issue_data(people, small(number_symbol="56/KH-UBND", issuer="UBND-KIENHAI",
                                  requirements=[{**small()["requirements"][0],
                                                 "to": {"children": {}}}]),
                    "2026-03-03T09:00").key
    school = runs(people, kh)[("MN-HONTRE", "r", "")]
    act(people, school.id, Status.SUBMITTED, "MN-HONTRE")
    before = chidao("--db", db_url, "accept", str(school.id), "--unit", "UBND-KIENHAI",
                    "--as", "deputy.kh", "--now", "2026-03-25T10:00")
    refused(before, "as", "deputy.kh", "không có quyền")
    done = chidao("--db", db_url, "delegate", "add", "--from", "head.kh", "--to", "deputy.kh",
                  "--start", "25/03/2026", "--end", "31/03/2026", "--action", "review",
                  "--reason", "Nghỉ phép", "--now", "2026-03-25T09:00")
    assert done.exit_code == 0, done.output
    assert "signs KT. for head.kh" in done.output
    done = chidao("--db", db_url, "accept", str(school.id), "--unit", "UBND-KIENHAI",
                  "--as", "deputy.kh", "--now", "2026-03-25T10:00")
    assert done.exit_code == 0, done.output
    with transaction(people) as session:
        last = session.exec(select(AssignmentEvent).where(
            AssignmentEvent.assignment_id == school.id).order_by(AssignmentEvent.id)).all()[-1]
    assert (last.to_status, last.by_person, last.on_behalf_of) == (
        Status.ACCEPTED, "Trương Văn Phúc", "KT. Lê Thị Ngọc Hân")
    listed = json.loads(chidao("--db", db_url, "delegate", "list", "--unit", "UBND-KIENHAI",
                               "--json", "--now", "2026-03-26T09:00").output)
    assert [(d["from"], d["to"], d["actions"], d["state"]) for d in listed] == [
        ("head.kh", "deputy.kh", ["review"], "đang hiệu lực")]
    assert json.loads(chidao("--db", db_url, "delegate", "list", "--unit", "UBND-PHUQUOC",
                             "--json").output) == []
    trail = json.loads(chidao("--db", db_url, "audit", "--unit", "UBND-KIENHAI", "--since",
                              "25/03/2026", "--json").output)
    assert [(t["person"], t["on_behalf_of"], t["action"]) for t in trail][:2] == [
        ("Trương Văn Phúc", "KT. Lê Thị Ngọc Hân", "status.accepted"),
        ("dòng lệnh (quản trị)", "", "delegation.create")]
    sibling = json.loads(chidao("--db", db_url, "audit", "--unit", "UBND-PHUQUOC",
                                "--json").output)
    assert {(t["unit"], t["action"]) for t in sibling} == {("UBND-PHUQUOC", "user.add")}
    done = chidao("--db", db_url, "delegate", "revoke", str(listed[0]["id"]), "--now",
                  "2026-03-26T09:00")
    assert done.exit_code == 0, done.output


@pytest.mark.parametrize(("args", "needles"), [
    (["delegate", "add", "--from", "head.kh", "--to", "head.pq", "--start", "25/03/2026",
      "--end", "26/03/2026", "--now", "2026-03-25T09:00"], ["to", "không cùng đơn vị"]),
    (["delegate", "add", "--from", "head.kh", "--to", "deputy.kh", "--start", "31/02/2026",
      "--end", "26/03/2026"], ["start"]),
    (["delegate", "add", "--from", "head.kh", "--to", "deputy.kh", "--start", "25/03/2026",
      "--end", "26/03/2026", "--title", "TM.", "--now", "2026-03-25T09:00"], ["title"]),
    (["delegate", "revoke", "999"], ["id", "#999"]),
    (["delegate", "list", "--unit", "NOPE"], ["unit", "NOPE"]),
    (["audit", "--since", "hôm qua"], ["since"]),
    (["audit", "--since", "26/03/2026", "--until", "25/03/2026"], ["until"]),
])
def test_cli_bad_input_exits_2_naming_the_field(people, db_url, args, needles):
    refused(chidao("--db", db_url, *args), *needles)
    with transaction(people) as session:
        assert session.exec(select(Delegation)).all() == []
