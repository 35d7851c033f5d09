"""The calendar feed page in a real browser (Chromium) at 390 px and 1366 px, for a school's
head: make both addresses, reset the school's, and the address shown answers the feed. The
page fits the width and axe-core finds nothing serious. Screenshots go to
test-artifacts/calendar-feeds-*.png."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.e2e.axe_check import serious_violations
from tests.e2e.browser_helpers import ARTIFACTS, log_in


@pytest.mark.parametrize("width", (390, 1366))
def test_a_head_makes_and_resets_the_feed_addresses(web, server, browser, width):
    page = log_in(browser, server, "hieutruong.hontre")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server}/account")
    page.click("a[href='/account/calendar']")
    page.click("#feed-person button:has-text('Tạo địa chỉ lịch')")
    page.click("#feed-unit button:has-text('Tạo địa chỉ lịch')")
    school = page.input_value("#feed-unit-url")
    page.click("#feed-unit button:has-text('Đặt lại địa chỉ')")
    assert "địa chỉ cũ đã ngừng hoạt động" in page.inner_text("main")
    new = page.input_value("#feed-unit-url")
    assert new != school and new.endswith(".ics")
    assert page.get_attribute("#feed-unit a[role=button]", "href").startswith("webcal://")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"calendar-feeds-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    problems = serious_violations(page, f"calendar feeds at {width} px")
    assert not problems, problems
    client = TestClient(web.app)
    path = new.split("127.0.0.1:8000", 1)[1]
    assert client.get(path).headers["content-type"] == "text/calendar; charset=utf-8"
    assert client.get(school.split("127.0.0.1:8000", 1)[1]).status_code == 404
