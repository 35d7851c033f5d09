"""Every email links to its task: through a real SMTP server on 127.0.0.1, each digest a unit
receives (issued, reminder, due today, overdue, escalation, returned, accepted, and the other
open tasks it lists) carries, in its text and its HTML, the absolute address of each task it
speaks of under CHIDAO_PUBLIC_URL — that unit's own task, or for a parent the late child's."""

import re
from datetime import date

from sqlmodel import select

from chidao.db.database import reading
from chidao.domain.status import Status
from chidao.domain.units import Unit
from tests.integration.engine_helpers import days, engine_settings, tick
from tests.support.cascade import act, issue_data, runs, seed_units, small

PUBLIC = "https://chidao.angiang.edu.vn"
LINK = re.compile(re.escape(PUBLIC) + r"/assignments/(\d+)")
SECTIONS = {  # the heading each kind of notice opens its section with
    "issued": "Đơn vị được giao nhiệm vụ mới", "reminder": "Các nhiệm vụ sắp đến hạn",
    "due_today": "Các nhiệm vụ đến hạn hôm nay", "overdue": "Các nhiệm vụ đã quá hạn",
    "escalation": "Các đơn vị chưa hoàn thành nhiệm vụ đúng hạn",
    "returned": "Sản phẩm bị trả lại", "accepted": "Các nhiệm vụ đã được xác nhận hoàn thành"}


def addresses(engine) -> dict[str, str]:
    with reading(engine) as session:
        return {email: code for code, emails in session.exec(select(Unit.code, Unit.emails))
                for email in emails}


def html_of(mail) -> str:
    return mail.message.get_body(preferencelist=("html",)).get_content()


def test_each_digest_links_each_task_it_names_for_the_unit_it_goes_to(engine, smtp):
    seed_units(engine)
    result = issue_data(engine, small(), "2026-03-02T09:00")
    owned = {code: run.id for (code, _, _), run in runs(engine, result.key).items()}
    settings = engine_settings(smtp, public_url=PUBLIC + "/")  # kept without the slash
    tick(engine, settings, "2026-03-02T10:00")
    act(engine, owned["UBND-KIENHAI"], Status.SUBMITTED, "UBND-KIENHAI", when="2026-03-10T09:00")
    act(engine, owned["UBND-KIENHAI"], Status.RETURNED, "SGDDT-AG", "Thiếu số liệu",
        when="2026-03-11T09:00")
    act(engine, owned["UBND-PHUQUOC"], Status.SUBMITTED, "UBND-PHUQUOC", when="2026-03-10T09:00")
    act(engine, owned["UBND-PHUQUOC"], Status.ACCEPTED, "SGDDT-AG", when="2026-03-11T09:30")
    for day in days(date(2026, 3, 3), date(2026, 4, 20)):
        tick(engine, settings, f"{day.isoformat()}T07:35")
    unit_of, seen = addresses(engine), set()
    assert smtp.received
    for mail in smtp.received:
        (address,) = [a for a in mail.rcpt_tos if a in unit_of][:1]
        code, text, html = unit_of[address], mail.text, html_of(mail)
        linked = [int(i) for i in LINK.findall(text)]
        items = [line for line in text.splitlines() if line.startswith("- ")]
        assert len(linked) == len(items) > 0, text  # one link under each task named
        assert set(linked) == {int(i) for i in LINK.findall(html)}, html
        if code in owned:  # a commune: its own task, and nobody else's
            assert set(linked) == {owned[code]}, (code, text)
        else:  # the Sở, told of its late communes: their tasks
            assert code == "SGDDT-AG" and set(linked) <= set(owned.values()), text
        seen |= {kind for kind, heading in SECTIONS.items() if heading in text}
    assert seen == set(SECTIONS), seen
