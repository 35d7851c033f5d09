"""What a digest carries and to whom, delivered through a real SMTP server on 127.0.0.1:
returns keep their reason beside a newer reminder, a closed run is never urged, a parent gets
one email listing its late children, escalation stops at the issuer."""

from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.db.database import transaction
from chidao.domain.notifications import MessageStatus, message_table
from chidao.domain.status import Status
from chidao.domain.units import unit_table
from chidao.files.unit_files import parse_unit_yaml
from chidao.notifications.deliver import deliver, smtp_mailer
from chidao.notifications.sweep import sweep
from chidao.services.units_import import import_units
from tests.integration.engine_helpers import days, engine_settings, tick
from tests.smtp_server import free_port
from tests.support.cascade import act, at, issue_data, runs, seed_units, small

PQ, SO, BO = ("ubnd.phuquoc@angiang.gov.vn", "vanthu.sgddt@angiang.gov.vn",
              "vanthu@moet.gov.vn")
KH = "ubnd.kienhai@angiang.gov.vn"
REASON = "Thiếu số liệu nhóm lớp độc lập"


def to(smtp, address):
    return [r for r in smtp.received if address in r.rcpt_tos]


def returned_on_friday_evening(engine, smtp):
    """Due Monday 16/03; handed in Thursday, returned Friday 17:50, after sending hours."""
    seed_units(engine)
    data = small()
    data["requirements"][0]["due"] = "2026-03-16"
    result = issue_data(engine, data, "2026-03-02T09:00")
    run = runs(engine, result.key)[("UBND-PHUQUOC", "r", "")]
    tick(engine, engine_settings(smtp), "2026-03-02T10:00")
    act(engine, run.id, Status.SUBMITTED, "UBND-PHUQUOC", when="2026-03-12T09:00")
    act(engine, run.id, Status.RETURNED, "SGDDT-AG", REASON, when="2026-03-13T17:50")
    for moment in ("2026-03-13T17:55", "2026-03-14T09:00", "2026-03-15T09:00"):
        assert tick(engine, engine_settings(smtp), moment).held  # swept, nothing sent
    smtp.received.clear()


def test_a_return_on_friday_evening_reaches_mondays_digest_with_its_reason(engine, smtp):
    returned_on_friday_evening(engine, smtp)
    tick(engine, engine_settings(smtp), "2026-03-16T07:35")  # the due-day stage is written
    (mail,) = to(smtp, PQ)
    assert mail.message["Subject"] == ("[chidao] Hôm nay (16/03/2026) là hạn chót"
                                       " — Ủy ban nhân dân đặc khu Phú Quốc")
    section, line = "Các nhiệm vụ đến hạn hôm nay (16/03/2026)", f"Lý do trả lại: {REASON}"
    assert section in mail.text and line in mail.text.split(section)[1]
    html = mail.message.get_body(preferencelist=("html",)).get_content()
    assert REASON in html


def test_a_reminder_sent_on_the_due_day_says_today_is_the_deadline(engine, smtp):
    returned_on_friday_evening(engine, smtp)
    settings = engine_settings(smtp)  # Monday's delivery runs before Monday's sweep
    deliver(engine, now=at("2026-03-16T07:31"), calendar=vietnam_calendar(), settings=settings,
            mailer=smtp_mailer(settings))
    (mail,) = to(smtp, PQ)
    assert "Còn 0 ngày" not in mail.text
    assert mail.message["Subject"].startswith("[chidao] Hôm nay (16/03/2026) là hạn chót")
    assert "Các nhiệm vụ đến hạn hôm nay (16/03/2026)" in mail.text
    assert f"Lý do trả lại: {REASON}" in mail.text


def urged_while_smtp_was_down(engine, smtp) -> dict:
    """Three communes due 31/03; the 01/04 urging is composed but cannot be sent."""
    seed_units(engine)
    result = issue_data(engine, small(), "2026-03-02T09:00")
    tick(engine, engine_settings(smtp), "2026-03-02T10:00")
    smtp.received.clear()
    down = engine_settings(SimpleNamespace(port=free_port()))  # nothing listens there
    report = tick(engine, down, "2026-04-01T07:35")
    assert report.sent == 0 and report.retrying == report.formed > 0
    return {code: run for (code, _, _), run in runs(engine, result.key).items()}


def test_an_urging_composed_before_the_run_was_accepted_is_never_sent(engine, smtp):
    run = urged_while_smtp_was_down(engine, smtp)["UBND-PHUQUOC"]
    act(engine, run.id, Status.SUBMITTED, "UBND-PHUQUOC", when="2026-04-01T09:00")
    act(engine, run.id, Status.ACCEPTED, "SGDDT-AG", when="2026-04-01T10:00")
    tick(engine, engine_settings(smtp), "2026-04-01T10:30")
    tick(engine, engine_settings(smtp), "2026-04-01T10:35")  # the Sở's digest, recomposed
    assert not [r for r in to(smtp, PQ) if "Đôn đốc" in r.message["Subject"]]
    (accepted,) = to(smtp, PQ)
    assert "xác nhận hoàn thành" in accepted.message["Subject"]
    assert "Đôn đốc" not in accepted.text and "quá hạn" not in accepted.text
    (copy,) = to(smtp, SO)
    assert "Kiên Hải" in copy.text and "Rạch Giá" in copy.text
    assert "Phú Quốc" not in copy.text
    assert len([r for r in to(smtp, KH) if "Đôn đốc" in r.message["Subject"]]) == 1
    m, u = message_table.c, unit_table.c
    with engine.connect() as conn:
        withdrawn = list(conn.execute(
            select(u.code).join(unit_table, u.id == m.to_unit_id)
            .where(m.status == MessageStatus.WITHDRAWN.value).order_by(u.code)).scalars())
    assert withdrawn == ["SGDDT-AG", "UBND-PHUQUOC"]  # the Sở's stale line, the stale urging


def test_a_digest_given_back_whose_runs_all_closed_meanwhile_is_never_sent(engine, smtp):
    runs_by_unit = urged_while_smtp_was_down(engine, smtp)
    act(engine, runs_by_unit["UBND-PHUQUOC"].id, Status.SUBMITTED, "UBND-PHUQUOC",
        when="2026-04-01T09:00")
    tick(engine, engine_settings(smtp), "2026-04-01T10:30")  # the Sở's digest given back
    assert to(smtp, SO) == []
    for code in ("UBND-KIENHAI", "UBND-RACHGIA"):
        act(engine, runs_by_unit[code].id, Status.SUBMITTED, code, when="2026-04-01T10:31")
    tick(engine, engine_settings(smtp), "2026-04-01T10:35")  # nothing left to say to the Sở
    assert to(smtp, SO) == []
    m, u = message_table.c, unit_table.c
    with engine.connect() as conn:
        statuses = set(conn.execute(select(m.status).join(unit_table, u.id == m.to_unit_id)
                                    .where(u.code == "SGDDT-AG")).scalars())
    assert statuses == {MessageStatus.WITHDRAWN.value}


def test_a_reminder_written_before_the_run_was_handed_in_is_not_sent(engine, smtp):
    seed_units(engine)
    result = issue_data(engine, small(), "2026-03-02T09:00")  # due 31/03: d-3 on 26/03
    run = runs(engine, result.key)[("UBND-PHUQUOC", "r", "")]
    tick(engine, engine_settings(smtp), "2026-03-02T10:00")
    with transaction(engine) as session:
        sweep(session, now=at("2026-03-26T07:30"), calendar=vietnam_calendar(),
              send_at=engine_settings(smtp).send_from)
    act(engine, run.id, Status.SUBMITTED, "UBND-PHUQUOC", when="2026-03-26T07:31")
    smtp.received.clear()
    report = tick(engine, engine_settings(smtp), "2026-03-26T07:32")
    assert to(smtp, PQ) == [] and report.sent == 2  # Kiên Hải and Rạch Giá are reminded


def twenty_schools(engine) -> list[str]:
    codes = [f"MN-KH-{i:02d}" for i in range(1, 21)]
    text = "".join(
        f"- {{code: {c}, name: Trường Mầm non số {i} Kiên Hải, kind: school,"
        f" parent: UBND-KIENHAI, emails: [mn{i:02d}.kienhai@angiang.edu.vn]}}\n"
        for i, c in enumerate(codes, 1))
    with transaction(engine) as session:
        import_units(session, parse_unit_yaml(text), now=at("2026-03-01T08:00"))
    return codes


def test_twenty_late_schools_give_the_commune_one_email_listing_all_of_them(engine, smtp):
    seed_units(engine)
    codes = twenty_schools(engine)
    data = small(title="Báo cáo số trẻ")
    data["requirements"][0]["to"] = {"units": codes}
    issue_data(engine, data, "2026-03-02T09:00")  # the Sở's directive, due 31/03
    settings = engine_settings(smtp)
    tick(engine, settings, "2026-03-02T10:00")
    smtp.received.clear()
    tick(engine, settings, "2026-04-01T07:35")  # d+1: each school urged
    (commune,) = to(smtp, KH)
    assert len(smtp.received) == 21
    assert commune.rcpt_tos == [KH]
    assert "Đơn vị trực thuộc quá hạn (20 nhiệm vụ)" in commune.message["Subject"]
    for i in range(1, 21):
        assert f"Trường Mầm non số {i} Kiên Hải (MN-KH-{i:02d})" in commune.text
    assert all(len(r.rcpt_tos) == 1 for r in smtp.received)  # no school mail copies the commune
    smtp.received.clear()
    tick(engine, settings, "2026-04-03T07:35")  # d+3: escalation to the commune, one email
    (escalation,) = smtp.received
    assert escalation.rcpt_tos == [KH] and escalation.text.count("Hạn:") == 20


def test_escalation_of_a_sở_directive_stops_at_the_sở(engine, smtp):
    seed_units(engine)
    issue_data(engine, small(), "2026-03-02T09:00")  # the Sở's directive to its communes
    settings = engine_settings(smtp)
    for day in days(date(2026, 4, 1), date(2026, 4, 20)):
        tick(engine, settings, f"{day.isoformat()}T07:35")
    assert to(smtp, BO) == []
    late = [r for r in to(smtp, SO) if "chậm thực hiện" in r.message["Subject"]]
    assert len(late) == 3  # d+3, d+7 and d+12: each listing the three communes
    assert all(r.text.count("Hạn:") == 3 for r in late)
