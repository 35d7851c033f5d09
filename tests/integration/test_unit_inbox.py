"""A principal's day on the web, in-process: lands on "Việc của đơn vị", receives a task in
one tap, reads the directive behind it and its "Căn cứ"; the commune returns without a reason
and is told so in Vietnamese, keeping what it typed."""

import re

from sqlmodel import select

from chidao.db.database import reading, transaction
from chidao.db.lookup import directive_by_ref
from chidao.domain.assignments import Assignment
from chidao.domain.status import Status
from chidao.domain.units import Unit
from tests.support.cascade import runs
from tests.web_fixtures import csrf_of


def unit_id(engine, code: str) -> int:
    with reading(engine) as session:
        return session.exec(select(Unit.id).where(Unit.code == code)).one()


def directive_id(engine, ref: str) -> int:
    with reading(engine) as session:
        return directive_by_ref(session, ref).id


def test_a_principal_lands_on_the_units_tasks_and_the_department_on_its_directives(web, engine):
    hon_tre = web.client()
    page = hon_tre.get("/login")
    landed = hon_tre.post("/login", data={"username": "hieutruong.hontre",
                                          "password": "mat-khau-thu-nghiem",
                                          "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert landed.headers["location"] == f"/units/{unit_id(engine, 'MN-HONTRE')}/inbox"
    assert hon_tre.get("/", follow_redirects=False).headers["location"] == landed.headers[
        "location"]
    assert web.client("chuyenvien.so").get("/", follow_redirects=False).headers[
        "location"] == "/directives"


def test_the_inbox_lists_open_tasks_soonest_first_with_the_deadline_in_words(web, engine):
    page = web.client("hieutruong.hontre").get(f"/units/{unit_id(engine, 'MN-HONTRE')}/inbox")
    assert page.status_code == 200
    open_part = page.text.split('id="open"')[1].split("</section>")[0]
    assert "Ủy ban nhân dân đặc khu Kiên Hải" in open_part  # who gave it, by name
    assert "ngày làm việc" in open_part or "hạn hôm nay" in open_part
    assert "Tiếp nhận" in open_part
    dues = [line.split("hạn ")[1][:10] for line in open_part.split('class="muted">· ')[1:]]
    days = [tuple(reversed(d.split("/"))) for d in dues]
    assert days == sorted(days) and len(days) >= 2


def test_receive_in_one_tap_returns_to_the_inbox_with_a_confirmation(web, engine):
    run = runs(engine, "kh-kien-hai-stem-2026")[("MN-HONTRE", "mn-bao-cao", "")]
    assert run.status is Status.ISSUED
    client = web.client("hieutruong.hontre")
    inbox = client.get(f"/units/{unit_id(engine, 'MN-HONTRE')}/inbox")
    back = client.post(f"/assignments/{run.id}/receive", data={"csrf": csrf_of(inbox.text)})
    assert back.status_code == 200 and back.url.path.endswith("/inbox")
    assert "Đã tiếp nhận nhiệm vụ" in back.text
    with reading(engine) as session:
        assert session.get(Assignment, run.id).status is Status.RECEIVED
    again = client.post(f"/assignments/{run.id}/receive", data={"csrf": csrf_of(inbox.text)})
    assert again.status_code == 409
    other = web.client("hieutruong.laison")  # not its task: refused, nothing changes
    refused = other.post(f"/assignments/{run.id}/receive",
                         data={"csrf": csrf_of(other.get("/notifications").text)})
    assert refused.status_code == 404


def test_the_directive_that_gave_the_task_and_what_it_cites_open_for_the_school(web, engine):
    client = web.client("hieutruong.hontre")
    kien_hai = client.get(f"/directives/{directive_id(engine, 'kh-kien-hai-stem-2026')}")
    assert kien_hai.status_code == 200
    cited = client.get(f"/directives/{directive_id(engine, '1039/KH-SGDĐT')}")
    assert cited.status_code == 200, cited.text[:300]
    other = web.client("chuyenvien.camau")  # another province: still not found
    assert other.get(f"/directives/{directive_id(engine, '1039/KH-SGDĐT')}"
                     ).status_code == 404


def handed_in(web, engine) -> int:
    from tests.integration.report_scenario import school_run

    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    school = web.client("hieutruong.hontre")
    page = school.get(f"/assignments/{run_id}")
    sent = school.post(f"/assignments/{run_id}/submit", data={
        "csrf": csrf_of(page.text), "f_so_lop": "6", "f_tre": "150", "f_goc_stem": "có"})
    assert sent.status_code == 200 and "Đã nộp" in sent.text
    return run_id


def test_a_return_needs_a_reason_said_in_vietnamese_keeping_what_was_typed(web, engine):
    run_id = handed_in(web, engine)
    commune = web.client("chuyenvien.kienhai")
    csrf = csrf_of(commune.get(f"/assignments/{run_id}").text)
    empty = commune.post(f"/assignments/{run_id}/review",
                         data={"csrf": csrf, "action": "return", "reason": "  "})
    assert empty.status_code == 422
    assert "Lý do trả lại: chưa nhập" in empty.text and 'id="review-form"' in empty.text
    assert "a reason is required" not in empty.text
    long = "Thiếu số liệu. " * 700
    refused = commune.post(f"/assignments/{run_id}/review",
                           data={"csrf": csrf, "action": "return", "reason": long})
    assert refused.status_code == 422 and "Lý do: dài quá" in refused.text
    assert long.strip() in refused.text  # the reason as typed, to shorten
    with reading(engine) as session:
        assert session.get(Assignment, run_id).status is Status.SUBMITTED


def test_review_confirms_and_the_school_sees_the_reason_names_and_vietnamese_history(web, engine):
    run_id = handed_in(web, engine)
    commune = web.client("chuyenvien.kienhai")
    csrf = csrf_of(commune.get(f"/assignments/{run_id}").text)
    back = commune.post(f"/assignments/{run_id}/review", data={
        "csrf": csrf, "action": "return", "reason": "Số lớp chưa đúng"})
    assert "Đã trả lại báo cáo của Trường Mầm non Hòn Tre, lý do: Số lớp chưa đúng" in back.text
    page = web.client("hieutruong.hontre").get(f"/assignments/{run_id}").text
    returned = page.split('id="returned"')[1].split("</section>")[0]
    assert "Trả lại: Số lớp chưa đúng" in returned and "chuyenvien.kienhai" in returned
    history = page.split('id="history"')[1]
    assert "chưa tiếp nhận → đã tiếp nhận" in history and "đã nộp → trả lại" in history
    assert "Ủy ban nhân dân đặc khu Kiên Hải" in history and "Trường Mầm non Hòn Tre" in history
    figures = page.split('id="submission-1"')[1].split("</article>")[0]
    assert "Số lớp tổ chức hoạt động STEM" in figures and "6 lớp" in figures
    assert "Có" in figures and "so_lop" not in figures and "True" not in figures
    for english in ("submitted", "returned", "received", "issued"):
        assert f">{english}<" not in page and f"{english} →" not in page
    accepted = commune.post(f"/assignments/{run_id}/review",
                            data={"csrf": csrf, "action": "accept", "reason": ""})
    assert accepted.status_code == 422  # returned, not handed in again: nothing to accept
    assert "đang ở trạng thái “trả lại”" in accepted.text


def test_a_plan_task_handed_in_by_issuing_a_plan_links_that_plan(web, engine):
    run = runs(engine, "kh-kien-hai-stem-2026")[("MN-HONTRE", "mn-ke-hoach", "")]
    assert run.status is Status.SUBMITTED and run.fulfilled_by_id is not None
    page = web.client("hieutruong.hontre").get(f"/assignments/{run.id}").text
    fulfilled = page.split('id="fulfilled"')[1].split("</section>")[0]
    assert f'href="/directives/{run.fulfilled_by_id}">12/KH-MNHT</a>' in fulfilled
    assert "Chưa nộp lần nào" not in page


def test_the_notifications_page_says_mail_states_in_vietnamese_and_links_the_tasks(web, engine):
    from chidao.config.calendar_source import vietnam_calendar
    from chidao.config.settings import Settings
    from chidao.notifications.deliver import deliver
    from chidao.notifications.sweep import sweep
    from tests.support.cascade import at

    now = at("2026-03-19T08:00")
    with transaction(engine) as session:
        sweep(session, now=now, calendar=vietnam_calendar(), send_at=Settings().send_from)
    deliver(engine, now=now, calendar=vietnam_calendar(), settings=Settings(), mailer=None)
    run = runs(engine, "kh-kien-hai-stem-2026")[("MN-HONTRE", "mn-bao-cao", "")]
    page = web.client("hieutruong.hontre").get("/notifications").text
    shown = re.sub(r"<[^>]+>", " ", page)
    assert "Chờ gửi" in shown and "queued" not in shown
    assert f'<a href="/assignments/{run.id}">{run_title(engine, run)}</a>' in page


def run_title(engine, run) -> str:
    from chidao.domain.directives import Requirement

    with reading(engine) as session:
        return session.get(Requirement, run.requirement_id).title
