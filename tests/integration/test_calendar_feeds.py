"""Calendar feeds (ICS): a school's feed lists exactly its open deadlines as a standard
iCalendar parser reads them, follows an extension and a closure, rings at the reminder
ladder's moments on the unit's own calendar, a person's feed lists exactly the runs they hold
with their own deadline, and an address not in force answers a bare 404."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.runtime import load_settings
from chidao.db.database import transaction
from chidao.domain.assignments import assignment_table
from chidao.domain.audit import AuditEvent
from chidao.domain.directives import directive_table
from chidao.domain.feeds import FeedToken
from chidao.domain.people import HolderRole, TaskHolder
from chidao.domain.status import Status
from chidao.services.accounts import user_named
from chidao.services.closures import declare_closure
from chidao.services.extend import extend_deadline
from chidao.services.feed_tokens import FeedOf
from chidao.services.status_changes import act_on_assignment
from tests.integration.feed_helpers import (
    DOMAIN,
    PUBLIC_URL,
    address,
    feed_client,
    open_runs_in_db,
    parsed,
    unit_of,
)
from tests.statements import counted
from tests.support.cascade import at, issue_data

NOW = "2026-03-12T09:00"


def kien_hai_task(due: str, *, to: list[str], number: str = "30/KH-UBND",
                  reminders: dict | None = None) -> dict:
    requirement = {"key": "r", "kind": "report", "title": "Báo cáo an toàn thực phẩm",
                   "to": {"units": to}, "due": due}
    if reminders is not None:
        requirement["reminders"] = reminders
    return {"number_symbol": number, "issuer": "UBND-KIENHAI", "issued_on": "2026-03-02",
            "title": "Kiểm tra bếp ăn bán trú", "requirements": [requirement]}


def run_of(engine, unit_id: int, number_symbol: str) -> int:
    a, d = assignment_table.c, directive_table.c
    with transaction(engine) as session:
        return session.execute(select(a.id).join(directive_table, d.id == a.directive_id).where(
            a.unit_id == unit_id, (d.number + "/" + d.symbol) == number_symbol)).scalar_one()


def test_a_schools_feed_lists_exactly_its_open_deadlines(web, engine, db_url, tmp_path):
    school = unit_of(engine, "MN-HONTRE")
    issue_data(engine, kien_hai_task("2026-03-31", to=["MN-HONTRE", "MN-LAISON"]),
               "2026-03-02T09:00")
    issue_data(engine, kien_hai_task("2026-03-20", to=["MN-HONTRE"], number="32/KH-UBND"),
               "2026-03-02T09:00")
    handed_in = run_of(engine, school.id, "32/KH-UBND")  # submitted: no longer owed
    with transaction(engine) as session:
        act_on_assignment(session, handed_in, Status.RECEIVED, unit_code="MN-HONTRE",
                          now=at("2026-03-11T08:00"))
        act_on_assignment(session, handed_in, Status.SUBMITTED, unit_code="MN-HONTRE",
                          now=at("2026-03-11T09:00"))
    path = address(engine, FeedOf(school.id, None, "MN-HONTRE"), at(NOW))

    response = feed_client(db_url, tmp_path, NOW).get(path)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    events = parsed(response.content)
    lines = response.content.decode("utf-8").split("\r\n")  # CRLF, as RFC 5545 says
    for line in ("METHOD:PUBLISH", "X-WR-CALNAME:Hạn nhiệm vụ – Trường Mầm non Hòn Tre",
                 "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"):
        assert line in lines, line
    triggers = [line for line in lines if line.startswith("TRIGGER")]
    assert triggers and all(re.fullmatch(r"TRIGGER;VALUE=DATE-TIME:\d{8}T\d{6}Z", t)
                            for t in triggers)  # absolute, in UTC: the same instant anywhere
    expected = open_runs_in_db(engine, school.id)
    assert handed_in not in expected and len(expected) >= 2
    assert {uid: (e.start, e.end) for uid, e in events.items()} == {
        f"chidao-run-{rid}@{DOMAIN}": (due, due + timedelta(days=1))
        for rid, due in expected.items()}
    other = next(rid for rid in open_runs_in_db(engine, unit_of(engine, "MN-LAISON").id))
    assert f"chidao-run-{other}@{DOMAIN}" not in events  # another school's run
    food = next(e for e in events.values() if "an toàn thực phẩm" in e.summary)
    assert food.summary == "Hạn nộp: Báo cáo an toàn thực phẩm (30/KH-UBND)"
    assert "Đơn vị thực hiện: Trường Mầm non Hòn Tre" in food.description
    assert "Trạng thái: chưa tiếp nhận" in food.description
    assert "Văn bản: 30/KH-UBND – Kiểm tra bếp ăn bán trú" in food.description
    assert "Hạn: hết ngày 31/03/2026" in food.description
    rid = int(food.uid.split("-")[2].split("@")[0])
    assert f"{PUBLIC_URL}/assignments/{rid}" in food.description


def test_after_an_extension_and_a_closure_the_feed_shows_the_new_date(web, engine, db_url,
                                                                      tmp_path):
    school = unit_of(engine, "MN-HONTRE")
    result = issue_data(engine, kien_hai_task("2026-03-31", to=["MN-HONTRE"]),
                        "2026-03-02T09:00")
    path = address(engine, FeedOf(school.id, None, "MN-HONTRE"), at(NOW))
    client = feed_client(db_url, tmp_path, NOW)
    uid = next(uid for uid, e in parsed(client.get(path).content).items()
               if "an toàn thực phẩm" in e.summary)
    before = parsed(client.get(path).content)[uid]
    assert before.start == date(2026, 3, 31)

    settings = load_settings()
    with transaction(engine) as session:
        extend_deadline(session, directive_ref=result.key, requirement_key="r",
                        subtree="MN-HONTRE", new_due=date(2026, 4, 10), actor="UBND-KIENHAI",
                        reason="Trường xin gia hạn", now=at("2026-03-12T10:00"),
                        calendar=vietnam_calendar(), rules=settings.rules())
    extended = parsed(client.get(path).content)[uid]
    assert (extended.start, extended.end) == (date(2026, 4, 10), date(2026, 4, 11))
    assert extended.sequence == before.sequence + 1
    assert extended.last_modified == at("2026-03-12T10:00")

    # Closed on Thursday 9 and Friday 10 April (a flood): the school gets back the two working
    # days, its deadline goes to Tuesday 14 (as the table now says).
    with transaction(engine) as session:
        declare_closure(session, unit_code="MN-HONTRE", kind="school",
                        starts_on=date(2026, 4, 9), ends_on=date(2026, 4, 10), reason="Ngập",
                        actor="UBND-KIENHAI", now=at("2026-03-12T11:00"),
                        calendar=vietnam_calendar(), rules=settings.rules())
    closed = parsed(client.get(path).content)[uid]
    assert closed.start == date(2026, 4, 14) == open_runs_in_db(engine, school.id)[
        int(uid.split("-")[2].split("@")[0])]
    assert closed.sequence == extended.sequence + 1


def test_valarms_ring_at_the_ladders_reminders_on_the_units_calendar(web, engine, db_url,
                                                                     tmp_path):
    """Due Tuesday 31/03/2026; the default ladder reminds 7, 3 and 1 working days before and
    on the day, at CHIDAO_SEND_FROM (07:30 Vietnam = 00:30 UTC). The school is closed on
    26–27/03, which are then not working days of its own calendar."""
    school = unit_of(engine, "MN-HONTRE")
    issue_data(engine, kien_hai_task("2026-03-31", to=["MN-HONTRE"]), "2026-03-02T09:00")
    issue_data(engine, kien_hai_task("2026-03-31", to=["MN-HONTRE"], number="31/KH-UBND",
                                     reminders={"before": [2], "on_due_day": False}),
               "2026-03-02T09:00")
    path = address(engine, FeedOf(school.id, None, "MN-HONTRE"), at(NOW))

    def alarms(now: str) -> dict[str, list[datetime]]:
        events = parsed(feed_client(db_url, tmp_path, now).get(path).content)
        return {e.summary.split("(")[1].rstrip(")"): sorted(e.alarms) for e in events.values()
                if "an toàn thực phẩm" in e.summary}

    def utc(day: int, month: int = 3) -> datetime:
        return datetime(2026, month, day, 0, 30, tzinfo=UTC)

    assert alarms("2026-03-02T10:00") == {
        "30/KH-UBND": [utc(20), utc(26), utc(30), utc(31)],
        "31/KH-UBND": [utc(27)],  # its own ladder: 2 working days before only
    }
    assert alarms("2026-03-26T09:00") == {"30/KH-UBND": [utc(30), utc(31)],
                                          "31/KH-UBND": [utc(27)]}  # none already past
    # Closed 26-27/03: the deadlines move two working days, to Thursday 02/04, and the
    # ladder counts back on the school's calendar, where 26 and 27 are not working days.
    with transaction(engine) as session:
        declare_closure(session, unit_code="MN-HONTRE", kind="school",
                        starts_on=date(2026, 3, 26), ends_on=date(2026, 3, 27), reason="Dịch",
                        actor="UBND-KIENHAI", now=at("2026-03-02T12:00"),
                        calendar=vietnam_calendar(), rules=load_settings().rules())
    assert open_runs_in_db(engine, school.id)[run_of(engine, school.id, "30/KH-UBND")] \
        == date(2026, 4, 2)
    assert alarms("2026-03-02T13:00") == {
        "30/KH-UBND": [utc(20), utc(30), utc(1, 4), utc(2, 4)],  # open calendar: 24/03 first
        "31/KH-UBND": [utc(31)],
    }


def test_a_persons_feed_lists_exactly_the_runs_they_hold(web, engine, db_url, tmp_path):
    school = unit_of(engine, "MN-HONTRE")
    issue_data(engine, kien_hai_task("2026-03-31", to=["MN-HONTRE"]), "2026-03-02T09:00")
    issue_data(engine, kien_hai_task("2026-04-03", to=["MN-HONTRE"], number="33/KH-UBND"),
               "2026-03-02T09:00")
    runs = sorted(open_runs_in_db(engine, school.id).items())
    assert len(runs) >= 4, runs
    (lead, lead_due), (helper, helper_due), (watched, _), (dropped, _) = runs[:4]
    with transaction(engine) as session:
        me = user_named(session, "hieutruong.hontre").id
        other = user_named(session, "hieutruong.laison").id
        when = at("2026-03-11T08:00")
        session.add_all([
            TaskHolder(assignment_id=lead, user_id=me, role=HolderRole.LEAD,
                       due_on=lead_due - timedelta(days=3), assigned_at=when),
            TaskHolder(assignment_id=helper, user_id=me, role=HolderRole.COOPERATE,
                       assigned_at=when),
            TaskHolder(assignment_id=watched, user_id=me, role=HolderRole.WATCH,
                       assigned_at=when),
            TaskHolder(assignment_id=dropped, user_id=me, role=HolderRole.LEAD,
                       assigned_at=when, removed_at=at("2026-03-11T09:00")),
            TaskHolder(assignment_id=dropped, user_id=other, role=HolderRole.LEAD,
                       assigned_at=at("2026-03-11T09:00")),
        ])
    path = address(engine, FeedOf(None, me, "hieutruong.hontre"), at(NOW))

    events = parsed(feed_client(db_url, tmp_path, "2026-03-02T10:00").get(path).content)

    uid = f"-user-{me}@{DOMAIN}"
    assert set(events) == {f"chidao-run-{rid}{uid}" for rid in (lead, helper, watched)}
    mine = events[f"chidao-run-{lead}{uid}"]
    assert mine.start == lead_due - timedelta(days=3)  # the personal deadline
    assert "Vai trò của bạn: chủ trì" in mine.description
    assert f"hạn của đơn vị: hết ngày {lead_due:%d/%m/%Y}" in mine.description
    due_day = vietnam_calendar().roll_forward(mine.start)  # its due-day alarm, 07:30
    assert max(mine.alarms) == datetime.combine(due_day, time(0, 30), UTC)
    assert events[f"chidao-run-{helper}{uid}"].start == helper_due  # no own deadline
    assert events[f"chidao-run-{helper}{uid}"].alarms
    assert events[f"chidao-run-{watched}{uid}"].alarms == []  # để biết: no alarm

    with transaction(engine) as session:  # a held run handed in leaves the feed
        act_on_assignment(session, helper, Status.RECEIVED, unit_code="MN-HONTRE",
                          now=at("2026-03-11T10:00"))
        act_on_assignment(session, helper, Status.SUBMITTED, unit_code="MN-HONTRE",
                          now=at("2026-03-11T11:00"))
    later = parsed(feed_client(db_url, tmp_path, "2026-03-12T10:00").get(path).content)
    assert set(later) == {f"chidao-run-{rid}{uid}" for rid in (lead, watched)}


def test_a_wrong_or_revoked_token_answers_a_bare_404(web, engine, db_url, tmp_path):
    school = unit_of(engine, "MN-HONTRE")
    of = FeedOf(school.id, None, "đơn vị MN-HONTRE")
    first = address(engine, of, at(NOW))
    assert address(engine, of, at("2026-03-12T10:00")) == first  # shown again, not remade
    client = feed_client(db_url, tmp_path, NOW)
    assert client.get(first).status_code == 200
    token = first.removeprefix("/feeds/").removesuffix(".ics")
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    new = address(engine, of, at("2026-03-12T11:00"), reset=True)
    assert new != first
    answers = [client.get(p) for p in (f"/feeds/{wrong}.ics", first, "/feeds/x.ics",
                                       f"/feeds/{token}x.ics", f"/feeds/{token}")]
    assert [r.status_code for r in answers] == [404] * 5
    assert {r.text for r in answers[:4]} == {"Not Found"}  # the same answer, no hint
    assert client.get(new).status_code == 200
    assert client.head(new).status_code == 200 and client.head(first).status_code == 404
    with transaction(engine) as session:
        rows = session.exec(select(FeedToken).order_by(FeedToken.id)).scalars().all()
        audit = [(e.action, e.subject_id) for e in session.exec(
            select(AuditEvent).where(AuditEvent.action.like("feed.%"))).scalars()]
        assert token not in str([(r.token_sha256, r.created_by) for r in rows])
        assert [r.revoked_at is not None for r in rows] == [True, False]
        assert audit == [("feed.create", str(rows[0].id)), ("feed.reset", str(rows[1].id))]


def test_the_feed_reads_in_a_fixed_number_of_statements(web, engine, db_url, tmp_path):
    """No statement per run: a school with many more runs costs the same statements."""
    school = unit_of(engine, "MN-HONTRE")
    path = address(engine, FeedOf(school.id, None, "MN-HONTRE"), at(NOW))
    client = feed_client(db_url, tmp_path, NOW)
    app_engine = client.app.state.engine

    def statements() -> tuple[int, int]:
        with counted(app_engine) as sent:
            body = client.get(path).content
        return sent.count, len(parsed(body))

    few, few_runs = statements()
    for n in range(12):
        issue_data(engine, kien_hai_task(f"2026-04-{n + 1:02d}", to=["MN-HONTRE"],
                                         number=f"{40 + n}/KH-UBND"), "2026-03-02T09:00")
    many, many_runs = statements()
    assert many_runs == few_runs + 12
    assert many == few <= 6, (few, many)
