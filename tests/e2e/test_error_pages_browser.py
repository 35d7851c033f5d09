"""The sign-in form, the password form and the error pages in a real browser, at 1366 px and
390 px: every problem listed, linked to its field, what was typed kept; in the layout; no
sideways scroll on a phone. Screenshots: test-artifacts/screenshots/forms-*."""

import pytest

from tests.e2e.axe_check import serious_violations
from tests.e2e.demo_site import PHONE, WIDTHS, fits_phone, screenshot, sign_in


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sign_in_form_lists_its_problems_and_keeps_the_name(demo_site, browser, width):
    page = browser.new_context(viewport=WIDTHS[width], locale="vi-VN").new_page()
    page.goto(f"{demo_site.base}/login")
    page.click("main form button")
    summary = page.locator(".form-errors li")
    assert summary.all_inner_texts() == ["Tên đăng nhập: chưa nhập", "Mật khẩu: chưa nhập"]
    page.click(".form-errors a[href='#f-password']")  # the summary leads to the field
    assert page.evaluate("document.activeElement.name") == "password"
    page.fill("input[name=username]", "hieutruong.hontre")
    page.fill("input[name=password]", "khong-dung-mat-khau")
    page.click("main form button")
    assert "Sai tên đăng nhập hoặc mật khẩu." in page.inner_text("main")
    assert page.input_value("input[name=username]") == "hieutruong.hontre"
    assert page.input_value("input[name=password]") == ""
    screenshot(page, f"forms-login-refused-{width}")
    found = serious_violations(page, "the refused sign-in form")
    assert not found, found
    assert WIDTHS[width] != PHONE or fits_phone(page)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_error_pages_are_in_the_layout(demo_site, browser, width):
    page = sign_in(browser, demo_site, "hieutruong.laison", WIDTHS[width])
    for path, status, text in (("/directives/abc", 404, "Không tìm thấy"),
                               ("/directives/999999", 404, "Không tìm thấy văn bản"),
                               ("/overdue?page=hai", 422, "Trang: phải là số nguyên")):
        response = page.goto(demo_site.base + path)
        assert response.status == status
        main = page.inner_text("main")
        assert text in main and "Mã yêu cầu" in main and "Số liệu tại" in main, main
        assert "Lại Sơn" in page.locator("header").inner_text()  # the signed-in layout
        assert WIDTHS[width] != PHONE or fits_phone(page)
    screenshot(page, f"forms-error-422-{width}")
    found = serious_violations(page, "the 422 page")
    assert not found, found
    page.goto(f"{demo_site.base}/account")
    page.fill("input[name=current]", "sai")
    page.fill("input[name=new]", "ngan")
    page.click("main form button")
    assert page.locator(".form-errors li").all_inner_texts() == [
        "Mật khẩu hiện tại: không đúng", "Mật khẩu mới: cần ít nhất 10 ký tự (đã nhập 4)"]
    assert page.get_attribute("input[name=new]", "aria-invalid") == "true"
    screenshot(page, f"forms-account-refused-{width}")
    found = serious_violations(page, "the refused password form")
    assert not found, found
    page.context.close()


def test_the_keyboard_reaches_the_content_first_and_sees_where_it_is(demo_site, browser):
    page = sign_in(browser, demo_site, "hieutruong.hontre", WIDTHS["desktop"])
    page.goto(f"{demo_site.base}/account")
    page.keyboard.press("Tab")
    skip = page.evaluate("({text: document.activeElement.textContent.trim(),"
                         " left: document.activeElement.getBoundingClientRect().left})")
    assert skip == {"text": "Chuyển đến nội dung chính", "left": skip["left"]}
    assert skip["left"] >= 0  # shown on screen while it has the focus
    page.keyboard.press("Tab")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert ring == "solid"  # the header's first link shows where the focus is
    screenshot(page, "forms-keyboard-focus-desktop")
    page.context.close()
