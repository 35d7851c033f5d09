"""Closures in a real browser (Chromium), at 390 px and 1366 px, for a Sở specialist, a commune
specialist, a principal of the closed commune and one of the next commune: the banner is seen
where it should be and nowhere else, the closed units carry a worded mark, the page still fits
a phone and axe-core finds nothing serious. Screenshots go to test-artifacts/closures-*.png."""

from __future__ import annotations

import pytest

from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref
from tests.e2e.axe_check import serious_violations
from tests.e2e.browser_helpers import ARTIFACTS, log_in
from tests.support.closure_scene import NEIGHBOUR, close_units, fix_clock, unit_id

WIDTHS = (390, 1366)
STORM = "Đang nghỉ học: Ủy ban nhân dân đặc khu Kiên Hải và"


@pytest.fixture
def closed_site(web, engine, server):
    close_units(engine)
    fix_clock(web.app)
    with transaction(engine) as session:
        ids = {code: unit_id(session, code) for code in (
            "SGDDT-AG", "UBND-KIENHAI", "MN-HONTRE", "MN-DUONGDONG")}
        cascade = int(directive_by_ref(session, "1039/KH-SGDĐT").id or 0)
    return server, ids, cascade


def visit(page, url: str, name: str, width: int) -> list[str]:
    """The page at `url`: it fits the width, has no serious axe finding, is saved; the text
    of its visible banners."""
    page.goto(url)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"closures-{name}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
    problems = serious_violations(page, f"{name} at {width} px")
    assert not problems, problems
    banners = page.locator(".closure-banner")
    return [" ".join(banners.nth(i).inner_text().split()) for i in range(banners.count())
            if banners.nth(i).is_visible()]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_closure_is_seen_by_its_readers_and_not_by_the_neighbour(closed_site, browser,
                                                                     width):
    base, ids, cascade = closed_site
    pages = {
        "chuyenvien.so": [("so-directives", "/directives"),
                          ("so-tree", f"/units/{ids['SGDDT-AG']}/tree"),
                          ("so-cascade", f"/directives/{cascade}/cascade"),
                          ("so-directive", f"/directives/{cascade}")],
        "chuyenvien.kienhai": [("commune-tree", f"/units/{ids['UBND-KIENHAI']}/tree"),
                               ("commune-cascade", f"/directives/{cascade}/cascade")],
        "hieutruong.hontre": [("school-inbox", f"/units/{ids['MN-HONTRE']}/inbox")],
        NEIGHBOUR: [("neighbour-inbox", f"/units/{ids['MN-DUONGDONG']}/inbox"),
                    ("neighbour-overdue", "/overdue")],
    }
    for username, visits in pages.items():
        page = log_in(browser, base, username)
        page.set_viewport_size({"width": width, "height": 844})
        for name, path in visits:
            seen = visit(page, base + path, name, width)
            if username == NEIGHBOUR:
                assert seen == [] and page.locator(".closure-mark").count() == 0, name
                continue
            assert seen and seen[0].startswith(STORM), (name, seen)
            assert "nhắc hạn tạm dừng" in seen[0]
            if name == "school-inbox":
                assert len(seen) == 1  # Lại Sơn's own closure is not Hòn Tre's business
            if name.endswith(("tree", "cascade", "directive")):
                marks = page.locator(".closure-mark")
                assert marks.count() and marks.first.is_visible()
                assert marks.first.inner_text().strip().startswith("Đang nghỉ học")
        page.close()
