"""Live deadlines: a deadline derived from another (before_parent) follows it when it moves,
unless a person set it by hand; a calendar decision and a closure move the open runs they
touch; every move leaves an audit event saying why, and the ladder follows."""

from datetime import date

from sqlalchemy import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref, unit_by_code
from chidao.domain.assignments import Assignment, AssignmentEvent
from chidao.domain.calendar import DayRule, WorkingCalendar
from chidao.domain.closures import Closure, ClosureKind
from chidao.notifications.sweep import sweep
from chidao.services.deadline_refresh import refresh_deadlines
from chidao.services.extend import extend_deadline
from tests.support.cascade import at, issue_data, seed_units

RULES = Settings().rules()


def so_plan() -> dict:
    return {"number_symbol": "60/KH-SGDĐT", "issuer": "SGDDT-AG", "issued_on": "2026-03-02",
            "title": "Báo cáo kết quả giáo dục STEM", "requirements": [{
                "key": "bao-cao-stem", "kind": "report", "title": "Báo cáo kết quả STEM",
                "to": {"children": {"kind": "people_committee"}}, "due": "2026-06-01"}]}


def commune_plan() -> dict:
    return {"number_symbol": "21/KH-UBND", "issuer": "UBND-KIENHAI", "issued_on": "2026-03-09",
            "title": "Báo cáo STEM của trường", "based_on": ["60/KH-SGDĐT"],
            "requirements": [{"key": "truong-bao-cao", "kind": "report",
                              "title": "Báo cáo kết quả STEM của trường",
                              "to": {"children": {"kind": "school"}},
                              "due": {"before_parent": "bao-cao-stem", "working_days": 5}}]}


def school_plan() -> dict:
    return {"number_symbol": "05/KH-MNHT", "issuer": "MN-HONTRE", "issued_on": "2026-03-16",
            "title": "Báo cáo STEM của tổ", "based_on": ["21/KH-UBND"],
            "requirements": [{"key": "to-bao-cao", "kind": "report", "title": "Báo cáo của tổ",
                              "to": {"children": {"kind": "team"}},
                              "due": {"before_parent": "truong-bao-cao", "working_days": 2}}]}


def dues(engine, ref: str) -> dict[str, date]:
    with transaction(engine) as session:
        directive = directive_by_ref(session, ref)
        rows = session.execute(
            select(Assignment.unit_id, Assignment.due_on)  # type: ignore[call-overload]
            .where(Assignment.directive_id == directive.id)).all()
        return {unit_by_id(session, uid): due for uid, due in rows}


def unit_by_id(session, uid: int) -> str:
    from chidao.domain.units import Unit
    return session.get(Unit, uid).code


def reasons(engine, ref: str, unit: str) -> list[str]:
    with transaction(engine) as session:
        directive = directive_by_ref(session, ref)
        unit_id = unit_by_code(session, unit).id
        run = session.execute(select(Assignment.id).where(  # type: ignore[call-overload]
            Assignment.directive_id == directive.id, Assignment.unit_id == unit_id)).scalar_one()
        return list(session.execute(select(AssignmentEvent.reason).where(  # type: ignore[call-overload]
            AssignmentEvent.assignment_id == run).order_by(AssignmentEvent.id)).scalars())


def extend(engine, ref: str, key: str, subtree: str, new_due: date, actor: str, when: str,
           reason: str) -> int:
    with transaction(engine) as session:
        return extend_deadline(session, directive_ref=ref, requirement_key=key,
                               subtree=subtree, new_due=new_due, actor=actor, reason=reason,
                               now=at(when), calendar=vietnam_calendar(), rules=RULES)


def cascade(engine) -> None:
    seed_units(engine)
    issue_data(engine, so_plan(), "2026-03-02T09:00")
    issue_data(engine, commune_plan(), "2026-03-09T09:00")
    issue_data(engine, school_plan(), "2026-03-16T09:00")


def test_extending_a_parent_deadline_moves_the_derived_ones_down_the_chain(engine):
    cascade(engine)
    # As issued: 01/06 (Mon); the schools 5 working days before: Mon 25/05; the teams 2
    # before the school's: Thu 21/05.
    assert dues(engine, "21/KH-UBND") == {"MN-HONTRE": date(2026, 5, 25),
                                          "MN-LAISON": date(2026, 5, 25),
                                          "MN-ANSON": date(2026, 5, 25),
                                          "MN-NAMDU": date(2026, 5, 25)}
    assert set(dues(engine, "05/KH-MNHT").values()) == {date(2026, 5, 21)}
    # The commune gives Lại Sơn until Thu 28/05 by hand; then the Sở gives the commune 15/06.
    extend(engine, "21/KH-UBND", "truong-bao-cao", "MN-LAISON", date(2026, 5, 28),
           "UBND-KIENHAI", "2026-04-01T09:00", "Trường sửa chữa phòng học")
    extend(engine, "60/KH-SGDĐT", "bao-cao-stem", "UBND-KIENHAI", date(2026, 6, 15),
           "SGDDT-AG", "2026-04-02T09:00", "Đặc khu bị ảnh hưởng bão")
    # 15/06 (Mon) less 5 working days: Mon 08/06; less 2 more for the teams: Thu 04/06.
    assert dues(engine, "60/KH-SGDĐT")["UBND-KIENHAI"] == date(2026, 6, 15)
    assert dues(engine, "21/KH-UBND") == {"MN-HONTRE": date(2026, 6, 8),
                                          "MN-LAISON": date(2026, 5, 28),  # set by hand
                                          "MN-ANSON": date(2026, 6, 8),
                                          "MN-NAMDU": date(2026, 6, 8)}
    assert set(dues(engine, "05/KH-MNHT").values()) == {date(2026, 6, 4)}
    assert dues(engine, "60/KH-SGDĐT")["UBND-PHUQUOC"] == date(2026, 6, 1)
    why = reasons(engine, "21/KH-UBND", "MN-ANSON")
    assert why == ["Đổi hạn 25/05/2026 → 08/06/2026: theo hạn của đơn vị giao"
                   " (Đặc khu bị ảnh hưởng bão)"]
    assert reasons(engine, "21/KH-UBND", "MN-LAISON") == [
        "Gia hạn 25/05/2026 → 28/05/2026: Trường sửa chữa phòng học"]


def test_a_calendar_decision_moves_an_open_run_and_its_next_reminder(engine):
    seed_units(engine)
    data = so_plan()
    data.update(issued_on="2027-01-11", number_symbol="03/KH-SGDĐT")
    # Thursday 11/02/2027: the package's guess has Tết 2027 (Sat 06/02) off 04–10/02.
    data["requirements"][0]["due"] = "2027-02-11"
    issue_data(engine, data, "2027-01-11T09:00")
    assert set(dues(engine, "03/KH-SGDĐT").values()) == {date(2027, 2, 11)}
    decided = WorkingCalendar(official=[
        DayRule(date(2027, 2, d), True, "Quyết định (thử) 01/QĐ-TTg ngày 10/01/2027", "Tết")
        for d in (4, 5, 8, 9, 10, 11, 12)])  # the decision: off until Fri 12/02
    with transaction(engine) as session:
        moved = refresh_deadlines(session, calendar=decided, rules=RULES,
                                  now=at("2027-01-20T10:00"),
                                  reason="Lịch nghỉ Tết: Quyết định (thử) 01/QĐ-TTg")
    assert moved == 3  # the three communes
    # Off 04–12/02: the next working day after 11/02 is Monday 15/02.
    assert set(dues(engine, "03/KH-SGDĐT").values()) == {date(2027, 2, 15)}
    assert reasons(engine, "03/KH-SGDĐT", "UBND-KIENHAI")[-1] == (
        "Đổi hạn 11/02/2027 → 15/02/2027: Lịch nghỉ Tết: Quyết định (thử) 01/QĐ-TTg")
    with transaction(engine) as session:
        sweep(session, now=at("2027-01-20T10:00"), calendar=decided, send_at=RULES.send_from)
        run = session.execute(select(Assignment).where(  # type: ignore[call-overload]
            Assignment.unit_id == unit_by_code(session, "UBND-KIENHAI").id)).scalar_one()
        # The first reminder, 7 working days before Mon 15/02 on the decided calendar:
        # 03, 02, 01/02, 29, 28, 27, 26/01 -> Tue 26/01 at 07:30.
        assert run.next_action_at == at("2027-01-26T07:30")


def test_a_closure_gives_back_the_working_days_it_took(engine):
    cascade(engine)
    extend(engine, "21/KH-UBND", "truong-bao-cao", "MN-LAISON", date(2026, 5, 28),
           "UBND-KIENHAI", "2026-04-01T09:00", "Trường sửa chữa phòng học")
    with transaction(engine) as session:
        session.add(Closure(unit_id=unit_by_code(session, "UBND-KIENHAI").id,
                            kind=ClosureKind.SCHOOL, starts_on=date(2026, 5, 19),
                            ends_on=date(2026, 5, 21), reason="Bão số 3",
                            declared_by="SGDDT-AG", declared_at=at("2026-05-18T16:00")))
        session.flush()
        refresh_deadlines(session, calendar=vietnam_calendar(), rules=RULES,
                          now=at("2026-05-18T16:00"), reason="Nghỉ học do bão số 3")
    # Closed Tue 19 – Thu 21/05, three working days: the commune's 01/06 becomes Thu 04/06;
    # the schools' Mon 25/05 becomes Thu 28/05; the teams' 21/05 (the last closed day) gets
    # back 19, 20 and 21: Fri 22, Mon 25, Tue 26/05. Phú Quốc is not closed.
    assert dues(engine, "60/KH-SGDĐT") == {"UBND-KIENHAI": date(2026, 6, 4),
                                           "UBND-PHUQUOC": date(2026, 6, 1),
                                           "UBND-RACHGIA": date(2026, 6, 1)}
    # Lại Sơn's 28/05, set by hand before the closure was declared, gets its 3 days too.
    assert dues(engine, "21/KH-UBND") == {"MN-HONTRE": date(2026, 5, 28),
                                          "MN-LAISON": date(2026, 6, 2),
                                          "MN-ANSON": date(2026, 5, 28),
                                          "MN-NAMDU": date(2026, 5, 28)}
    assert set(dues(engine, "05/KH-MNHT").values()) == {date(2026, 5, 26)}
    # A day set by hand after the closure was declared already accounts for it.
    extend(engine, "21/KH-UBND", "truong-bao-cao", "MN-ANSON", date(2026, 5, 27),
           "UBND-KIENHAI", "2026-05-19T09:00", "Theo đề nghị của trường")
    assert dues(engine, "21/KH-UBND")["MN-ANSON"] == date(2026, 5, 27)


def test_a_task_issued_to_a_closed_unit_gets_the_closed_days_back(engine):
    seed_units(engine)
    with transaction(engine) as session:
        session.add(Closure(unit_id=unit_by_code(session, "UBND-KIENHAI").id,
                            kind=ClosureKind.WORK, starts_on=date(2026, 5, 19),
                            ends_on=date(2026, 5, 21), reason="Bão số 3",
                            declared_by="SGDDT-AG", declared_at=at("2026-05-15T16:00")))
    data = so_plan()
    data.update(issued_on="2026-05-18")
    data["requirements"][0]["due"] = "2026-05-22"
    issue_data(engine, data, "2026-05-18T09:00")
    # Fri 22/05 plus the three closed working days: Mon 25, Tue 26, Wed 27/05.
    assert dues(engine, "60/KH-SGDĐT") == {"UBND-KIENHAI": date(2026, 5, 27),
                                           "UBND-PHUQUOC": date(2026, 5, 22),
                                           "UBND-RACHGIA": date(2026, 5, 22)}
    assert reasons(engine, "60/KH-SGDĐT", "UBND-KIENHAI") == [
        "Đổi hạn 22/05/2026 → 27/05/2026: đơn vị nghỉ: nghỉ làm việc 19/05–21/05/2026"
        " (Bão số 3)"]


def test_the_days_a_late_unit_was_closed_are_not_counted_late(engine):
    from chidao.queries.overdue import late_runs
    seed_units(engine)
    data = so_plan()
    data.update(issued_on="2026-05-18")
    data["requirements"][0]["due"] = "2026-05-22"
    issue_data(engine, data, "2026-05-18T09:00")
    with transaction(engine) as session:  # closed after the deadline: it stays 22/05
        session.add(Closure(unit_id=unit_by_code(session, "UBND-KIENHAI").id,
                            kind=ClosureKind.WORK, starts_on=date(2026, 5, 26),
                            ends_on=date(2026, 5, 27), reason="Lũ", declared_by="SGDDT-AG",
                            declared_at=at("2026-05-26T07:00")))
        session.flush()
        refresh_deadlines(session, calendar=vietnam_calendar(), rules=RULES,
                          now=at("2026-05-26T07:00"), reason="Nghỉ do lũ")
        late, _more = late_runs(session, unit_by_code(session, "SGDDT-AG"),
                                now=at("2026-05-29T10:00"), calendar=vietnam_calendar(), page=0)
    days = {run.unit: run.days for run in late}
    # 25, 26, 27, 28, 29/05 are five working days after Fri 22/05; Kiên Hải was closed on two.
    assert days["Ủy ban nhân dân đặc khu Kiên Hải"] == 3
    assert days["Ủy ban nhân dân đặc khu Phú Quốc"] == 5


def test_a_closed_units_inbox_counts_its_working_days_without_the_closed_ones(engine):
    from chidao.queries.inbox import unit_assignments
    seed_units(engine)
    data = so_plan()
    data.update(issued_on="2026-05-18")
    data["requirements"][0]["due"] = "2026-05-29"
    issue_data(engine, data, "2026-05-18T09:00")
    with transaction(engine) as session:
        session.add(Closure(unit_id=unit_by_code(session, "UBND-KIENHAI").id,
                            kind=ClosureKind.WORK, starts_on=date(2026, 5, 20),
                            ends_on=date(2026, 5, 21), reason="Bão", declared_by="SGDDT-AG",
                            declared_at=at("2026-05-19T07:00")))
        session.flush()
        refresh_deadlines(session, calendar=vietnam_calendar(), rules=RULES,
                          now=at("2026-05-19T07:00"), reason="Nghỉ do bão")
        words = {code: [r.deadline for r in unit_assignments(
            session, unit_by_code(session, code), now=at("2026-05-19T09:00"),
            calendar=vietnam_calendar())] for code in ("UBND-KIENHAI", "UBND-PHUQUOC")}
    # Tue 19/05: Phú Quốc has 20, 21, 22, 25, 26, 27, 28, 29/05 left; Kiên Hải, closed on 20
    # and 21, is due Tue 02/06: 22, 25, 26, 27, 28, 29/05, 01, 02/06 — eight, not ten.
    assert words == {"UBND-KIENHAI": ["còn 8 ngày làm việc"],
                     "UBND-PHUQUOC": ["còn 8 ngày làm việc"]}
