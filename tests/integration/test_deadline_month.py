"""A simulated month of the deadline engine against a real SMTP server on 127.0.0.1."""

from collections import Counter, defaultdict
from datetime import date
from email.utils import parsedate_to_datetime

from chidao.config.calendar_source import vietnam_calendar
from chidao.domain.status import Status
from tests.integration.engine_helpers import days, engine_settings, tick
from tests.support.cascade import act, issue_data, issue_file, runs, seed_units, small

SO = "vanthu.sgddt@angiang.gov.vn"
BO = "vanthu@moet.gov.vn"
KH, PQ, RG = ("ubnd.kienhai@angiang.gov.vn", "ubnd.phuquoc@angiang.gov.vn",
              "ubnd.rachgia@angiang.gov.vn")


def simulate(engine, smtp, first: date, last: date, events=None):
    """Sweep + deliver at 07:35 and 14:00 every day (weekends and holidays too)."""
    events = events or {}
    settings = engine_settings(smtp)
    for day in days(first, last):
        for clock in ("07:35", "14:00"):
            moment = f"{day.isoformat()}T{clock}"
            if moment in events:
                events[moment]()
            tick(engine, settings, moment)


def mail_log(smtp):
    """{local date: Counter((subject word, to, cc, number of items))}."""
    cal = vietnam_calendar()
    log = defaultdict(Counter)
    for r in smtp.received:
        sent = parsedate_to_datetime(r.message["Date"]).astimezone(cal.tz).date()
        subject = r.message["Subject"].split("] ")[1].split(" — ")[0]
        subject = subject.split(":")[0].split(" (")[0]
        items = r.text.count("Hạn:")
        log[sent][(subject, r.message["To"], r.message.get("Cc"), items)] += 1
    return log


def test_a_month_of_reminders_urging_and_escalation(engine, smtp):
    seed_units(engine)
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    data = small(number_symbol="55/KH-SGDĐT", title="Báo cáo số liệu trường lớp",
                 issued_on="2026-03-02")
    data["requirements"][0]["due"] = "2026-03-19"  # same day as 1039's plans: one digest
    rg_runs = []

    def rach_gia_hands_in():
        for key in ("2026:1039/KH-SGDĐT", "2026:55/KH-SGDĐT"):
            run = next(a for (u, k, _), a in runs(engine, key).items()
                       if u == "UBND-RACHGIA" and k in ("ke-hoach-trien-khai", "r"))
            rg_runs.append(act(engine, run.id, Status.SUBMITTED, "UBND-RACHGIA",
                               when="2026-03-12T10:00"))

    simulate(engine, smtp, date(2026, 2, 26), date(2026, 3, 31), {
        "2026-03-02T14:00": lambda: issue_data(engine, data, "2026-03-02T09:00"),
        "2026-03-12T14:00": rach_gia_hands_in,
    })
    log = mail_log(smtp)
    issued = "Nhiệm vụ mới được giao"
    remind, today, urge, late = ("Nhắc việc", "Hôm nay", "Đôn đốc",
                                 "Báo cáo đơn vị chậm thực hiện nhiệm vụ")
    copies = "Đơn vị trực thuộc quá hạn"
    two_communes = lambda kind, n: Counter({(kind, KH, None, n): 1, (kind, PQ, None, n): 1})  # noqa: E731
    assert dict(log) == {
        date(2026, 2, 26): Counter({(issued, KH, None, 2): 1, (issued, PQ, None, 2): 1,
                                    (issued, RG, None, 2): 1}),
        date(2026, 3, 2): Counter({(issued, KH, None, 1): 1, (issued, PQ, None, 1): 1,
                                   (issued, RG, None, 1): 1}),
        # Both directives' tasks due 19/03 in one digest per commune.
        date(2026, 3, 10): two_communes(remind, 2) + Counter({(remind, RG, None, 2): 1}),
        date(2026, 3, 16): two_communes(remind, 2),
        date(2026, 3, 18): two_communes(remind, 2),
        date(2026, 3, 19): two_communes(today, 2),
        # Each commune is urged; the Sở gets one digest listing the four late runs.
        date(2026, 3, 20): two_communes(urge, 2) + Counter({(copies, SO, None, 4): 1}),
        date(2026, 3, 24): Counter({(late, SO, None, 4): 1}),
        # The Sở issued both directives: escalation stops there, the Bộ is never told.
        date(2026, 3, 30): Counter({(late, SO, None, 4): 1}),
    }
    assert all(a.status == "submitted" for a in rg_runs)


def test_escalation_of_a_sở_directive_names_the_late_units_to_the_sở_not_the_bộ(engine, smtp):
    seed_units(engine)
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    simulate(engine, smtp, date(2026, 3, 30), date(2026, 3, 30))
    assert not [r for r in smtp.received if BO in r.rcpt_tos]
    (mail,) = [r for r in smtp.received if r.rcpt_tos == [SO]]
    assert mail.message["Subject"].startswith("[chidao] Báo cáo đơn vị chậm thực hiện")
    for name in ("Ủy ban nhân dân đặc khu Kiên Hải", "Ủy ban nhân dân đặc khu Phú Quốc",
                 "Ủy ban nhân dân phường Rạch Giá"):
        assert name in mail.text
    assert "Quá hạn 7 ngày làm việc" in mail.text
    html = mail.message.get_body(preferencelist=("html",)).get_content()
    assert "<table" in html and "Kiên Hải" in html


def test_nobody_is_emailed_during_tet_and_it_goes_out_after(engine, smtp):
    seed_units(engine)
    data = small(issued_on="2026-02-10")
    data["requirements"][0]["due"] = "2026-02-24"
    issue_data(engine, data, "2026-02-10T09:00")
    simulate(engine, smtp, date(2026, 2, 14), date(2026, 2, 22))
    assert smtp.received == []
    simulate(engine, smtp, date(2026, 2, 23), date(2026, 2, 23))
    # Stages missed over Tết collapse: one digest per commune, the latest reminder only.
    assert len(smtp.received) == 3
    for mail in smtp.received:
        assert "Nhắc việc" in mail.message["Subject"]
        assert mail.text.count("Hạn:") == 1 and "Còn 1 ngày làm việc" in mail.text
