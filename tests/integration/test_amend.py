"""Amending an issued directive from its changed file (chidao.services.amend): the preview
lists exactly the changes, per unit, and writes nothing; applying makes them (runs, statuses,
deadlines, revision, audit, notices); what may not change is refused by name."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.runtime import load_settings
from chidao.db.database import transaction
from chidao.domain.acting import command_line
from chidao.domain.amendment import AMEND_CANCEL_REASON, Amendment
from chidao.domain.assignments import AssignmentEvent
from chidao.domain.audit import AuditEvent
from chidao.domain.directives import Directive, Requirement
from chidao.domain.errors import InvalidInput
from chidao.domain.notifications import Notification
from chidao.domain.specs import parse_directive
from chidao.domain.status import Status
from chidao.domain.units import Unit
from chidao.services.amend import amend_directive
from tests.support.amend_scene import EXPECTED, KEY, amended, seed
from tests.support.cascade import at, runs, snapshot

NOW = "2026-03-09T10:00"


def amend(engine, data, *, apply=False, unit="SGDDT-AG", expect=None) -> Amendment:
    with transaction(engine) as session:
        return amend_directive(session, parse_directive(data), by=command_line(unit),
                               now=at(NOW), calendar=vietnam_calendar(),
                               rules=load_settings().rules(), apply=apply, expect=expect)


def listed(amendment: Amendment) -> list[tuple[str, str, str, str, str]]:
    return sorted((c.unit_name, c.kind.value, c.requirement_key, c.old, c.new)
                  for c in amendment.runs)


def test_the_preview_lists_exactly_the_changes_per_unit_and_writes_nothing(engine):
    seed(engine)
    before = snapshot(engine)
    preview = amend(engine, amended())
    assert listed(preview) == EXPECTED
    assert [u.unit_code for u in preview.by_unit()] == ["UBND-KIENHAI", "UBND-PHUQUOC",
                                                       "UBND-RACHGIA"]
    assert {f.field for f in preview.fields} == {
        "requirements[r].due", "requirements[k].title", "requirements[k].to",
        "requirements[m]", "requirements[x]"}
    assert sorted(f.words for f in preview.fields) == [
        "Bỏ nhiệm vụ: Báo cáo nhanh",
        "Bổ sung nhiệm vụ: Cắt tỉa cây xanh",
        "Nhiệm vụ «Báo cáo kết quả kiểm tra»: thời hạn: 31/03/2026 → 15/04/2026",
        "Nhiệm vụ «Tự kiểm tra phòng học»: tên: Tự kiểm tra phòng học → Tự kiểm tra phòng"
        " học, mái, cây xanh",
        "Nhiệm vụ «Tự kiểm tra phòng học»: đơn vị thực hiện: Ủy ban nhân dân đặc khu Kiên Hải,"
        " Ủy ban nhân dân đặc khu Phú Quốc → Ủy ban nhân dân đặc khu Kiên Hải, Ủy ban nhân dân"
        " phường Rạch Giá"]
    assert not preview.applied and not preview.empty
    assert snapshot(engine) == before


def test_applying_makes_the_changes_the_preview_listed(engine):
    seed(engine)
    old = runs(engine, KEY)
    preview = amend(engine, amended())
    applied = amend(engine, amended(), apply=True, expect=preview.fingerprint())
    assert applied.applied and listed(applied) == EXPECTED
    new = runs(engine, KEY)
    assert set(old) <= set(new), "nothing is deleted"
    assert set(new) - set(old) == {("UBND-PHUQUOC", "m", ""), ("UBND-RACHGIA", "k", "")}
    assert new[("UBND-PHUQUOC", "m", "")].due_on == date(2026, 4, 20)
    assert new[("UBND-RACHGIA", "k", "")].due_on == date(2026, 4, 10)
    for unit in ("UBND-KIENHAI", "UBND-PHUQUOC"):
        assert new[(unit, "r", "")].due_on == date(2026, 4, 15)
    assert new[("UBND-RACHGIA", "r", "")].due_on == date(2026, 3, 31)  # accepted: as it was
    assert new[("UBND-RACHGIA", "r", "")].status is Status.ACCEPTED
    assert new[("UBND-PHUQUOC", "k", "")].status is Status.CANCELLED
    assert new[("UBND-KIENHAI", "x", "")].status is Status.CANCELLED
    assert new[("UBND-RACHGIA", "x", "")].status is Status.SUBMITTED  # kept
    with transaction(engine) as session:
        directive = session.exec(select(Directive).where(Directive.key == KEY)).one()
        assert directive.revision == 2
        k = session.exec(select(Requirement).where(Requirement.key == "k")).one()
        assert k.title == "Tự kiểm tra phòng học, mái, cây xanh"
        assert session.exec(select(Requirement).where(Requirement.key == "x")).one()
        cancels = session.exec(select(AssignmentEvent).where(
            AssignmentEvent.to_status == Status.CANCELLED)).all()
        assert sorted(e.assignment_id for e in cancels) == sorted(
            [old[("UBND-PHUQUOC", "k", "")].id, old[("UBND-KIENHAI", "x", "")].id])
        assert {e.reason for e in cancels} == {AMEND_CANCEL_REASON}
        audits = session.exec(select(AuditEvent).where(
            AuditEvent.action == "directive.amend")).all()
        assert len(audits) == 1 and audits[0].subject_id == str(directive.id)
        assert audits[0].unit_code == "SGDDT-AG"
        assert audits[0].detail["fingerprint"] == preview.fingerprint()
        notices = session.exec(select(Notification).where(Notification.kind == "amended")).all()
        codes = {u.id: u.code for u in session.exec(select(Unit))}
        told = sorted((codes[n.to_unit_id], n.stage) for n in notices)
        assert told == [("UBND-KIENHAI", "amended/r2")] * 3 + [("UBND-PHUQUOC", "amended/r2")] \
            * 3 + [("UBND-RACHGIA", "amended/r2")]
        note = next(n.note for n in notices
                    if n.assignment_id == old[("UBND-KIENHAI", "r", "")].id)
        assert note == "Đổi hạn nhiệm vụ «Báo cáo kết quả kiểm tra»: 31/03/2026 → 15/04/2026"


def test_a_second_apply_of_the_same_file_changes_nothing(engine):
    seed(engine)
    amend(engine, amended(), apply=True)
    before = snapshot(engine)
    again = amend(engine, amended(), apply=True)
    assert again.empty and not again.applied
    assert again.runs == () and again.fields == ()
    assert snapshot(engine) == before


def test_an_apply_whose_changes_differ_from_the_preview_is_refused(engine):
    seed(engine)
    preview = amend(engine, amended())
    found = runs(engine, KEY)
    from tests.support.cascade import act
    act(engine, found[("UBND-KIENHAI", "x", "")].id or 0, Status.SUBMITTED, "UBND-KIENHAI",
        when="2026-03-09T09:00")
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as refused:
        amend(engine, amended(), apply=True, expect=preview.fingerprint())
    assert refused.value.field == "fingerprint"
    assert snapshot(engine) == before


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d.update(issuer="UBND-KIENHAI"), "issuer"),
    (lambda d: d.update(key="kh-55", number_symbol="56/KH-SGDĐT"), "key"),
    (lambda d: d.update(issued_on="2026-03-03"), "issued_on"),
    (lambda d: d.update(based_on=["Kế hoạch 1/KH-UBND"]), "based_on"),
    (lambda d: d["requirements"][1].update(kind="report"), "requirements[1].kind"),
    (lambda d: d.update(number_symbol="57/KH-SGDĐT"), "number_symbol"),
])
def test_what_cannot_be_amended_is_refused_naming_the_field(engine, change, field):
    seed(engine)
    data = amended()
    change(data)
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as refused:
        amend(engine, data, apply=True)
    assert refused.value.field == field, refused.value
    assert snapshot(engine) == before


def test_only_the_issuer_amends(engine):
    seed(engine)
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as refused:
        amend(engine, amended(), apply=True, unit="UBND-KIENHAI")
    assert refused.value.field == "issuer"
    assert snapshot(engine) == before


def test_deadlines_move_in_each_units_own_calendar(engine):
    """Phú Quốc is closed Mon 13 – Tue 14/04/2026 (declared before the amendment): its moved
    deadline and its new task each get the two working days back; Kiên Hải's do not."""
    from chidao.services.closures import declare_closure

    seed(engine)
    with transaction(engine) as session:
        declare_closure(session, unit_code="UBND-PHUQUOC", kind="work",
                        starts_on=date(2026, 4, 13), ends_on=date(2026, 4, 14),
                        reason="Bão số 1", actor=None, now=at("2026-03-06T09:00"),
                        calendar=vietnam_calendar(), rules=load_settings().rules())
    applied = amend(engine, amended(), apply=True)
    moved = {(c.unit_code, c.kind.value, c.requirement_key): c.new for c in applied.runs}
    assert moved[("UBND-KIENHAI", "moved", "r")] == "15/04/2026"
    assert moved[("UBND-PHUQUOC", "moved", "r")] == "17/04/2026"
    assert moved[("UBND-PHUQUOC", "added", "m")] == "22/04/2026"
    new = runs(engine, KEY)
    assert new[("UBND-PHUQUOC", "r", "")].due_on == date(2026, 4, 17)
    assert new[("UBND-PHUQUOC", "m", "")].due_on == date(2026, 4, 22)


def test_a_unit_an_amendment_took_a_task_from_cannot_be_given_it_back_under_its_key(engine):
    seed(engine)
    amend(engine, amended(), apply=True)
    back = amended()
    back["requirements"][1]["to"] = {"units": ["UBND-KIENHAI", "UBND-PHUQUOC"]}
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as refused:
        amend(engine, back, apply=True)
    assert refused.value.field == "requirements"
    assert "Ủy ban nhân dân đặc khu Phú Quốc" in refused.value.problem
    assert snapshot(engine) == before
