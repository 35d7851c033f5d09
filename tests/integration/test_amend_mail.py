"""What a unit receives when the directive it works under is amended or recalled: the digest
through a real SMTP server on 127.0.0.1, read as text (and its HTML part)."""

from __future__ import annotations

from sqlmodel import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.runtime import load_settings
from chidao.db.database import transaction
from chidao.domain.acting import command_line
from chidao.domain.directives import Directive
from chidao.domain.specs import parse_directive
from chidao.services.amend import amend_directive
from tests.integration.engine_helpers import engine_settings, tick
from tests.support.amend_scene import KEY, amended, seed
from tests.support.cascade import at

KH, PQ, RG = ("ubnd.kienhai@angiang.gov.vn", "ubnd.phuquoc@angiang.gov.vn",
              "ubnd.rachgia@angiang.gov.vn")


def mails_to(smtp, address):
    return [r for r in smtp.received if address in r.rcpt_tos]


def amended_and_delivered(engine, smtp):
    seed(engine)
    tick(engine, engine_settings(smtp), "2026-03-06T10:00")  # the new tasks' notices go
    smtp.received.clear()
    with transaction(engine) as session:
        amend_directive(session, parse_directive(amended()), by=command_line("SGDDT-AG"),
                        now=at("2026-03-09T10:00"), calendar=vietnam_calendar(),
                        rules=load_settings().rules(), apply=True)
    tick(engine, engine_settings(smtp), "2026-03-09T10:05")


def test_each_unit_is_told_its_own_changes(engine, smtp):
    amended_and_delivered(engine, smtp)
    (kienhai,) = mails_to(smtp, KH)
    assert kienhai.message["Subject"] == ("[chidao] Văn bản được sửa đổi, bổ sung — Ủy ban"
                                          " nhân dân đặc khu Kiên Hải")
    text = kienhai.text.split("Văn bản được sửa đổi, bổ sung; thay đổi đối với đơn vị:")[1]
    for line in ("Đổi hạn nhiệm vụ «Báo cáo kết quả kiểm tra»: 31/03/2026 → 15/04/2026.",
                 "Đổi tên nhiệm vụ: «Tự kiểm tra phòng học» → «Tự kiểm tra phòng học, mái,"
                 " cây xanh».",
                 "Thu hồi nhiệm vụ «Báo cáo nhanh» (trước đó: chưa tiếp nhận): thu hồi do sửa đổi"
                 " văn bản."):
        assert line in text, text
    assert "Cắt tỉa cây xanh" not in kienhai.text  # Phú Quốc's new task
    html = kienhai.message.get_body(preferencelist=("html",)).get_content()
    assert "Đổi hạn nhiệm vụ «Báo cáo kết quả kiểm tra»: 31/03/2026 → 15/04/2026" in html


def test_a_task_added_by_the_amendment_is_told_once_as_such(engine, smtp):
    amended_and_delivered(engine, smtp)
    (rachgia,) = mails_to(smtp, RG)
    assert ("Bổ sung nhiệm vụ «Tự kiểm tra phòng học, mái, cây xanh», hạn 10/04/2026."
            in rachgia.text)
    assert "Đơn vị được giao nhiệm vụ mới" not in rachgia.text  # no second notice of it
    assert "Giữ lại" not in rachgia.text  # a kept run is not a change: no notice of it
    (phuquoc,) = mails_to(smtp, PQ)
    assert "Bổ sung nhiệm vụ «Cắt tỉa cây xanh», hạn 20/04/2026." in phuquoc.text
    assert ("Thu hồi nhiệm vụ «Tự kiểm tra phòng học» (trước đó: đã tiếp nhận): thu hồi do sửa đổi"
            " văn bản.") in phuquoc.text


def test_a_recall_reaches_each_unit_with_its_reason(engine, smtp):
    from chidao.services.recall import recall_directive

    seed(engine)
    tick(engine, engine_settings(smtp), "2026-03-06T10:00")
    smtp.received.clear()
    reason = "Ban hành nhầm đối tượng"
    with transaction(engine) as session:
        directive_id = session.exec(select(Directive.id).where(Directive.key == KEY)).one()
        recall_directive(session, directive_id or 0, by=command_line("SGDDT-AG"),
                         reason=reason, now=at("2026-03-09T10:00"))
    tick(engine, engine_settings(smtp), "2026-03-09T10:05")
    (kienhai,) = mails_to(smtp, KH)
    assert kienhai.message["Subject"] == ("[chidao] Văn bản đã bị thu hồi — Ủy ban nhân dân"
                                          " đặc khu Kiên Hải")
    text = kienhai.text.split("Văn bản đã bị thu hồi, các nhiệm vụ sau dừng thực hiện:")[1]
    assert text.count(f"Lý do thu hồi: {reason}") == 1  # once for the directive
    for title in ("Báo cáo kết quả kiểm tra", "Tự kiểm tra phòng học", "Báo cáo nhanh"):
        assert f"· Nhiệm vụ: {title} · Trạng thái: thu hồi" in text  # all closed now
    assert "Các nhiệm vụ khác đang mở" not in kienhai.text
    (rachgia,) = mails_to(smtp, RG)  # its handed-in x closed too; its accepted r untouched
    assert rachgia.text.count(f"Lý do thu hồi: {reason}") == 1
    html = rachgia.message.get_body(preferencelist=("html",)).get_content()
    assert f"Lý do thu hồi: <strong>{reason}</strong>" in html
