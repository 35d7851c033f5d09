"""Ủy quyền in a real browser at 390 px and 1366 px, on the served demo (clock at 09:00
25/03/2026): the Kiên Hải head reaches the page from the menu, sends a form with a past day
(the Vietnamese message at the field), then delegates; the delegate sees the banner and the
"Chấp nhận" button on a school's handed-in report; the head reads the audit page. Nothing
scrolls sideways, no serious axe-core finding. Screenshots: delegation-*.png."""

from __future__ import annotations

from sqlmodel import col, select

from chidao.db.database import transaction
from chidao.domain.assignments import Assignment
from chidao.domain.status import Status
from chidao.domain.units import Unit
from tests.e2e.axe_check import BAD, readable, run_axe
from tests.e2e.demo_site import DESKTOP, PHONE, screenshot, sign_in

SIZES = {"phone": PHONE, "desktop": DESKTOP}
# (delegate, full name, first day, last day) per size: two delegations that do not overlap
COVER = {"phone": ("phochutich.kienhai", "Trương Văn Phúc", "25/03/2026", "31/03/2026"),
         "desktop": ("chuyenvien2.kienhai", "Đặng Quốc Bảo", "25/03/2026", "27/03/2026")}


def shot(page, name: str) -> None:
    screenshot(page, f"delegation-{name}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (name, width)
    bad = [v for v in run_axe(page) if v["impact"] in BAD]
    assert not bad, readable(bad, name)


def handed_in_school_run(engine) -> int:
    with transaction(engine) as session:
        school = session.exec(select(Unit.id).where(Unit.code == "MN-HONTRE")).one()
        return int(session.exec(select(Assignment.id).where(
            Assignment.unit_id == school, Assignment.status == Status.SUBMITTED)
            .order_by(col(Assignment.id))).first())


def test_the_head_delegates_and_the_delegate_sees_it(demo_site, browser):
    run = handed_in_school_run(demo_site.engine)
    for size, viewport in SIZES.items():
        login, name, first, last = COVER[size]
        head = sign_in(browser, demo_site, "chuyenvien.kienhai", viewport)
        if size == "phone":
            head.click("button.menu-button")
        head.click("#site-menu a:has-text('Ủy quyền')")
        head.wait_for_url("**/delegations")
        head.select_option("select[name=to]", login)
        head.fill("input[name=starts_on]", "24/03/2026")
        head.fill("input[name=ends_on]", last)
        head.check("input[name=actions][value=review]")
        head.fill("input[name=reason]", "Nghỉ phép")
        head.click("form[action='/delegations'] button[type=submit]")
        alert = head.locator(".form-errors").inner_text()
        assert "Từ ngày: ngày bắt đầu 24/03/2026 đã qua" in alert, alert
        assert head.locator("#f-starts_on").get_attribute("aria-invalid") == "true"
        assert head.locator("input[name=actions][value=review]").is_checked()
        shot(head, f"form-error-{size}")
        head.fill("input[name=starts_on]", first)
        head.click("form[action='/delegations'] button[type=submit]")
        assert "Đã ủy quyền (KT.)" in head.locator(".notice").inner_text()
        assert name in head.locator(".delegation-list").first.inner_text() or \
            name in head.content()
        shot(head, f"given-{size}")
        delegate = sign_in(browser, demo_site, login, viewport)
        delegate.goto(f"{demo_site.base}/assignments/{run}")
        banner = delegate.locator(".delegation-banner").inner_text()
        assert "Bạn đang được ủy quyền (KT.) thay Lê Thị Ngọc Hân đến " + last in banner
        assert delegate.locator("button[value=accept]").count() == 1
        shot(delegate, f"delegate-run-{size}")
        head.goto(f"{demo_site.base}/audit")
        assert f"Ủy quyền (KT. ký thay) cho {name}" in head.locator("#audit").inner_text()
        shot(head, f"audit-{size}")
        head.context.close()
        delegate.context.close()
