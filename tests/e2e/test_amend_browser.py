"""Amend and recall from the directive page in a real browser at 390 px and 1366 px, as the
Sở's head: the changed YAML pasted, the preview per unit, «Áp dụng»; the recall's confirmation
(how many open tasks close), the reason required, then «Đã thu hồi» on the page and in the
list. Screenshots in test-artifacts/amend-*.png; nothing scrolls sideways; axe-core clean."""

from __future__ import annotations

import yaml
from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.directives import Directive
from tests.e2e.axe_check import BAD, readable, run_axe
from tests.e2e.browser_helpers import ARTIFACTS, log_in
from tests.support.amend_scene import KEY, amended, seed

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
REASON = "Ban hành nhầm đối tượng, sẽ thay bằng văn bản khác"


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"amend-{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (name, width)
    bad = [v for v in run_axe(page) if v["impact"] in BAD]
    assert not bad, readable(bad, name)


def open_directive(browser, server, viewport, did):
    page = log_in(browser, server, "chuyenvien.so")
    page.set_viewport_size(viewport)
    page.goto(f"{server}/directives/{did}")
    return page


def test_amend_and_recall_at_both_sizes(web, server, browser, engine):
    ARTIFACTS.mkdir(exist_ok=True)
    seed(engine, units=False)
    with transaction(engine) as session:
        did = session.exec(select(Directive.id).where(Directive.key == KEY)).one()
    changed = yaml.safe_dump(amended(), allow_unicode=True, sort_keys=False)
    for size, viewport in SIZES.items():
        page = open_directive(browser, server, viewport, did)
        shot(page, f"directive-{size}")
        page.click("a:has-text('Sửa đổi, bổ sung')")
        page.wait_for_url(f"**/directives/{did}/amend")
        assert "55/KH-SGDĐT" in page.locator("textarea[name=yaml]").input_value()
        shot(page, f"form-{size}")
        page.fill("textarea[name=yaml]", changed)
        page.click("button:has-text('Xem trước các thay đổi')")
        counts = page.locator("#amend-counts").inner_text()
        assert "3 đơn vị có thay đổi: 2 nhiệm vụ bổ sung, 2 thu hồi" in counts, counts
        shot(page, f"preview-{size}")
        if size == "desktop":
            page.click("button:has-text('Áp dụng')")
            page.wait_for_url(f"**/directives/{did}")
            assert "Đã sửa đổi, bổ sung văn bản 55/KH-SGDĐT (lần 2)" in page.content()
            shot(page, f"applied-{size}")
        page.close()
    for size, viewport in SIZES.items():
        page = open_directive(browser, server, viewport, did)
        page.click("a:has-text('Thu hồi văn bản')")
        page.wait_for_url(f"**/directives/{did}/recall")
        confirm = page.locator("#recall-confirm").inner_text()
        assert "nhiệm vụ đang mở" in confirm and "sẽ được đóng" in confirm, confirm
        shot(page, f"recall-confirm-{size}")
        if size == "desktop":
            page.click("button:has-text('Thu hồi văn bản, đóng')")  # no reason: not sent
            assert page.url.endswith("/recall")
            page.fill("textarea[name=reason]", REASON)
            page.click("button:has-text('Thu hồi văn bản, đóng')")
            page.wait_for_url(f"**/directives/{did}")
        page.close()
    for size, viewport in SIZES.items():
        page = open_directive(browser, server, viewport, did)
        recalled = page.locator("#recalled").inner_text()
        assert "Đã thu hồi" in recalled and REASON in recalled, recalled
        assert page.locator("#amend-actions").count() == 0
        shot(page, f"recalled-{size}")
        page.goto(f"{server}/directives")
        assert "Đã thu hồi" in page.locator(".recalled:visible").first.inner_text()
        shot(page, f"list-{size}")
        page.close()
