"""Closures (nghỉ học / nghỉ làm việc) of a subtree: declared and lifted through the service,
the subtree's deadlines move and come back, its reminders pause (real SQLite, the sweep and
the delivery over real SMTP on 127.0.0.1), the neighbouring commune is untouched."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.domain.assignments import assignment_event_table
from chidao.domain.closures import Closure
from chidao.domain.errors import InvalidInput
from chidao.domain.notifications import notification_table
from chidao.domain.permissions import NotPermitted
from chidao.domain.units import unit_table
from chidao.services.closures import lift_closure
from tests.integration.closure_helpers import (
    KIENHAI,
    MAIL,
    NEIGHBOURS,
    deadlines,
    declare,
    mailed,
    to_schools,
)
from tests.integration.engine_helpers import engine_settings, tick
from tests.support.cascade import at, issue_data, runs, seed_units, snapshot


def test_a_closure_of_one_commune_moves_its_schools_deadlines_and_pauses_their_reminders(
        engine, smtp):
    seed_units(engine)
    key = issue_data(engine, to_schools("2026-03-20"), "2026-03-02T09:00").key
    settings = engine_settings(smtp)
    for day in (9, 10, 11, 12, 13):
        tick(engine, settings, f"2026-03-{day:02d}T09:00")
    assert {MAIL[s] for s in KIENHAI + NEIGHBOURS} <= mailed(smtp)  # the -7 reminder, 11/03
    closure_id, moved = declare(engine, "2026-03-13T15:00")
    assert moved == len(KIENHAI)
    due = deadlines(engine, key)
    # Mon 16 – Wed 18/03 closed: 3 working days back after Fri 20/03 -> Wed 25/03
    assert {due[s] for s in KIENHAI} == {date(2026, 3, 25)}
    assert {due[s] for s in NEIGHBOURS} == {date(2026, 3, 20)}
    with engine.connect() as conn:
        reasons = conn.execute(select(assignment_event_table.c.reason).where(
            assignment_event_table.c.reason.like("%Bão số 3%"))).scalars().all()
    assert len(reasons) == len(KIENHAI)
    assert all(r.startswith("Đổi hạn 20/03/2026 → 25/03/2026: nghỉ học 16/03–18/03/2026"
                            " (Bão số 3), Công văn 210/UBND-VP") for r in reasons), reasons
    for day in (16, 17, 18):  # every closed day, morning and afternoon
        for clock in ("07:45", "14:00"):
            smtp.received.clear()
            tick(engine, settings, f"2026-03-{day:02d}T{clock}")
            assert not mailed(smtp) & {MAIL[s] for s in KIENHAI + ["UBND-KIENHAI"]}, day
            if day == 17 and clock == "07:45":  # -3 working days before 20/03
                assert {MAIL[s] for s in NEIGHBOURS} <= mailed(smtp)
    smtp.received.clear()
    tick(engine, settings, "2026-03-19T07:45")  # reopened; their -3 falls on 20/03 now
    assert {MAIL[s] for s in NEIGHBOURS} <= mailed(smtp)  # the neighbours' -1
    assert not mailed(smtp) & {MAIL[s] for s in KIENHAI}
    smtp.received.clear()
    tick(engine, settings, "2026-03-20T07:45")
    assert {MAIL[s] for s in KIENHAI} <= mailed(smtp)
    stages = stage_keys(engine)
    assert ("MN-HONTRE", "2026-03-25/d-3") in stages
    # -7 before 25/03 is Mon 16/03 on the official calendar (closed) but 11/03 on the
    # school's own, already past: never written, not merely withheld by the outbox.
    assert ("MN-HONTRE", "2026-03-25/d-7") not in stages
    assert ("MN-DUONGDONG", "2026-03-20/d+0") in stages
    assert not {s for s in stages if s[0] in KIENHAI and s[1].startswith("2026-03-20/")
                and s[1] != "2026-03-20/d-7"}


def stage_keys(engine) -> set[tuple[str, str]]:
    n, u = notification_table.c, unit_table.c
    with engine.connect() as conn:
        return {tuple(r) for r in conn.execute(
            select(u.code, n.stage).join(unit_table, u.id == n.to_unit_id))}


def test_lifting_the_closure_moves_the_deadlines_back(engine):
    seed_units(engine)
    key = issue_data(engine, to_schools("2026-03-20"), "2026-03-02T09:00").key
    closure_id, _ = declare(engine, "2026-03-13T15:00")
    with transaction(engine) as session:
        closure, moved = lift_closure(session, closure_id=closure_id, reason="Bão đổi hướng",
                                      actor="SGDDT-AG", now=at("2026-03-14T10:00"),
                                      calendar=vietnam_calendar(), rules=Settings().rules())
        assert closure.lifted_at == at("2026-03-14T10:00")
    assert moved == len(KIENHAI)
    assert set(deadlines(engine, key).values()) == {date(2026, 3, 20)}
    with engine.connect() as conn:
        last = conn.execute(select(assignment_event_table.c.reason)
                            .order_by(assignment_event_table.c.id.desc())).scalars().first()
    assert last.startswith("Đổi hạn 25/03/2026 → 20/03/2026: hủy nghỉ học 16/03–18/03/2026")
    assert last.endswith(": Bão đổi hướng")
    with pytest.raises(InvalidInput, match="^closure: .*đã được hủy"):
        with transaction(engine) as session:
            lift_closure(session, closure_id=closure_id, reason="x", actor="SGDDT-AG",
                         now=at("2026-03-14T11:00"), calendar=vietnam_calendar(),
                         rules=Settings().rules())


def test_escalation_does_not_count_the_closed_days_and_queued_urging_is_withheld(
        engine, smtp):
    """A run already late when the storm comes keeps its deadline; its escalations are counted
    on the unit's calendar (closed days are not late days) and an escalation queued before the
    closure is not sent during it."""
    seed_units(engine)
    key = issue_data(engine, to_schools("2026-03-10"), "2026-03-02T09:00").key
    settings = engine_settings(smtp)
    tick(engine, settings, "2026-03-11T07:45")  # urging (+1), cc the commune
    with transaction(engine) as session:  # the sweep writes the +3 escalation; no delivery yet
        from chidao.notifications.sweep import sweep
        sweep(session, now=at("2026-03-13T07:40"), calendar=vietnam_calendar(),
              send_at=settings.send_from)
    declare(engine, "2026-03-13T07:50", starts_on=date(2026, 3, 13), ends_on=date(2026, 3, 17))
    assert set(deadlines(engine, key).values()) == {date(2026, 3, 10)}  # late already: stays
    smtp.received.clear()
    tick(engine, settings, "2026-03-13T08:00")
    assert MAIL["UBND-PHUQUOC"] in mailed(smtp)  # about Dương Đông, +3
    assert MAIL["UBND-KIENHAI"] not in mailed(smtp)  # about its schools: withheld
    for day in (16, 17, 18, 19, 20, 23, 24):
        tick(engine, settings, f"2026-03-{day:02d}T07:45")
    with engine.connect() as conn:
        n, u = notification_table.c, unit_table.c
        fired = {(code, stage): created for code, stage, created in conn.execute(
            select(u.code, n.stage, n.created_at).join(unit_table, u.id == n.to_unit_id))}
    # +7 to the Sở (grandparent = issuer): 19/03 for Dương Đông, on the official calendar;
    # 24/03 for Kiên Hải's schools (13, 16, 17/03 closed are not counted as late).
    sgd = [(c, s) for (c, s) in fired if c == "SGDDT-AG" and s == "2026-03-10/d+7"]
    assert sgd  # one row per run, all to the Sở
    with engine.connect() as conn:
        a = runs(engine, key)
        n = notification_table.c
        when = {code: conn.execute(select(n.created_at).where(
            n.assignment_id == a[(code, "r", "")].id, n.stage == "2026-03-10/d+7"))
            .scalar_one() for code in ("MN-DUONGDONG", "MN-HONTRE")}
    assert vietnam_calendar().local_date(when["MN-DUONGDONG"]) == date(2026, 3, 19)
    assert vietnam_calendar().local_date(when["MN-HONTRE"]) == date(2026, 3, 24)


def test_a_commune_declares_for_itself_but_not_for_its_neighbour(engine):
    seed_units(engine)
    issue_data(engine, to_schools("2026-03-20"), "2026-03-02T09:00")
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as refused:
        declare(engine, "2026-03-13T15:00", unit_code="UBND-PHUQUOC", actor="UBND-KIENHAI",
                role="head")
    assert refused.value.field == "unit"
    assert "Phú Quốc" in refused.value.problem and "UBND-PHUQUOC" in refused.value.problem
    with pytest.raises(InvalidInput, match="^unit: .*MN-DUONGDONG"):
        declare(engine, "2026-03-13T15:00", unit_code="MN-DUONGDONG", actor="MN-HONTRE",
                role="head")
    with pytest.raises(NotPermitted):
        declare(engine, "2026-03-13T15:00", actor="UBND-KIENHAI", role="staff")
    assert snapshot(engine) == before
    declare(engine, "2026-03-13T15:00", unit_code="MN-HONTRE", actor="UBND-KIENHAI",
            role="head")
    declare(engine, "2026-03-13T15:00", unit_code="MN-LAISON", actor="MN-LAISON", role="head")


@pytest.mark.parametrize(("over", "field", "words"), [
    ({"ends_on": date(2026, 3, 15)}, "to", "trước ngày bắt đầu"),
    ({"ends_on": date(2026, 6, 30)}, "to", "quá 60 ngày"),
    ({"starts_on": date(1999, 3, 16)}, "from", "ngoài khoảng"),
    ({"reason": "   "}, "reason", "cần ghi lý do"),
    ({"reason": "bão\x00"}, "reason", "NUL"),
    ({"kind": "holiday"}, "kind", "nghỉ học"),
    ({"unit_code": "UBND-KHONGCO"}, "unit", "not a known unit"),
    ({"decision": "x" * 201}, "decision", "dài quá"),
])
def test_bad_input_names_the_field_and_writes_nothing(engine, over, field, words):
    seed_units(engine)
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as bad:
        declare(engine, "2026-03-13T15:00", **over)
    assert bad.value.field == field and words in bad.value.problem
    assert snapshot(engine) == before


def test_the_same_days_declared_twice_for_a_unit_are_refused(engine):
    seed_units(engine)
    first, _ = declare(engine, "2026-03-13T15:00")
    with pytest.raises(InvalidInput, match=f"^from: .*lịch nghỉ số {first}"):
        declare(engine, "2026-03-13T16:00", starts_on=date(2026, 3, 18),
                ends_on=date(2026, 3, 19))
    with transaction(engine) as session:
        assert len(session.exec(select(Closure)).all()) == 1


@pytest.mark.parametrize("in_list_max", [2000, 1])
def test_units_closed_on_a_day_with_few_or_many_units(engine, monkeypatch, in_list_max):
    """Past IN_LIST_MAX units every closure in force is loaded, then filtered: same answer."""
    from chidao.queries import closure_list, closures

    monkeypatch.setattr(closures, "IN_LIST_MAX", in_list_max)
    seed_units(engine)
    declare(engine, "2026-03-13T15:00")
    with transaction(engine) as session:
        ids = dict(session.exec(select(unit_table.c.code, unit_table.c.id)).all())
        asked = {ids[c] for c in ("MN-HONTRE", "UBND-KIENHAI", "MN-DUONGDONG", "SGDDT-AG")}
        assert closure_list.units_closed_on(session, asked, date(2026, 3, 17)) == {
            ids["MN-HONTRE"], ids["UBND-KIENHAI"]}
        assert closure_list.units_closed_on(session, asked, date(2026, 3, 19)) == set()
