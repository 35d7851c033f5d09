"""The mail preview page in a real browser (Debian's chromium) at 390 px and 1366 px:
the form, the mails per recipient, no sideways scroll on a phone; screenshots saved."""

import pytest

from tests.e2e.demo_site import PHONE, WIDTHS, fits_phone, screenshot
from tests.support.mail_preview import T, with_admins
from tests.web_fixtures import PASSWORD


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_preview_page_reads_on_a_phone_and_a_desktop(web, engine, server, browser, width):
    with_admins(web, engine)
    context = browser.new_context(viewport=WIDTHS[width], locale="vi-VN")
    page = context.new_page()
    page.goto(f"{server}/login")
    page.fill("input[name=username]", "quantri.so")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{server}/admin/preview")
    page.fill("input[name=at]", T)
    page.fill("input[name=unit]", "UBND-KIENHAI")
    page.click("button:has-text('Xem trước')")
    page.wait_for_url(lambda url: "unit=UBND-KIENHAI" in url)
    assert page.locator("section.recipient h2").all_inner_texts() == [
        "Gửi đến: ubnd.kienhai@angiang.gov.vn"]
    assert page.locator("article.mail-preview").count() >= 1
    assert "Kính gửi: Ủy ban nhân dân đặc khu Kiên Hải" in page.locator(
        "pre.mail-body").first.inner_text()
    page.locator("details.mail-html summary").first.click()
    frame = page.frame_locator("details.mail-html iframe").first
    assert "Kiên Hải" in frame.locator("body").inner_text()
    if WIDTHS[width] == PHONE:
        assert fits_phone(page)
    screenshot(page, f"mail-preview-{width}")
    context.close()
