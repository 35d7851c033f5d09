"""The Lịch nghỉ page in a real browser at 390 px and 1366 px: a Sở specialist and a commune
specialist reach it from their unit page and declare a closure (the commune's, with a bad date
first: the Vietnamese message, then fixed); a school of another commune neither sees the
neighbour's page nor a link to it. Screenshots in test-artifacts/closure-form-*.png."""

from __future__ import annotations

from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.units import Unit
from tests.e2e.axe_check import BAD, readable, run_axe
from tests.e2e.browser_helpers import ARTIFACTS, log_in

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def unit_id(engine, code: str) -> int:
    with transaction(engine) as session:
        return int(session.exec(select(Unit.id).where(Unit.code == code)).one())


def shot(page, name: str) -> None:
    """A screenshot; nothing scrolls sideways; no serious or critical axe-core finding."""
    page.screenshot(path=str(ARTIFACTS / f"closure-form-{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (name, width)
    bad = [v for v in run_axe(page) if v["impact"] in BAD]
    assert not bad, readable(bad, name)


def fill(page, start: str, end: str, reason: str) -> None:
    page.fill("input[name=from]", start)
    page.fill("input[name=to]", end)
    page.fill("#f-reason", reason)
    page.fill("input[name=decision]", "Công văn 210/UBND-VP ngày 03/04/2026")
    page.click("button:has-text('Công bố lịch nghỉ')")


def test_a_commune_declares_from_its_unit_page_at_both_sizes(server, browser, engine):
    ARTIFACTS.mkdir(exist_ok=True)
    commune = unit_id(engine, "UBND-KIENHAI")
    for size, viewport in SIZES.items():
        page = log_in(browser, server, "chuyenvien.kienhai")
        page.set_viewport_size(viewport)
        page.goto(f"{server}/units/{commune}/tree")
        shot(page, f"commune-tree-{size}")
        page.click("a:has-text('Lịch nghỉ')")
        page.wait_for_url(f"**/units/{commune}/closures")
        start = "06/04/2026" if size == "phone" else "20/04/2026"
        fill(page, start, "01/04/2026", "Bão số 3")
        alert = page.locator(".form-errors").inner_text()
        assert "Đến ngày: ngày kết thúc 01/04/2026 trước ngày bắt đầu" in alert, alert
        assert page.locator("#f-to").get_attribute("aria-invalid") == "true"
        shot(page, f"commune-error-{size}")
        fill(page, start, start[:1] + str(int(start[1]) + 2) + start[2:], "Bão số 3")
        assert "Đã công bố nghỉ học" in page.locator(".notice").inner_text()
        shot(page, f"commune-declared-{size}")
        page.close()


def test_the_so_declares_for_a_school_and_lifts_it(server, browser, engine):
    ARTIFACTS.mkdir(exist_ok=True)
    school = unit_id(engine, "MN-DUONGDONG")
    for size, viewport in SIZES.items():
        page = log_in(browser, server, "chuyenvien.so")
        page.set_viewport_size(viewport)
        page.goto(f"{server}/units/{school}/closures")
        start = "11/05/2026" if size == "phone" else "18/05/2026"
        page.select_option("select[name=kind]", "work")
        fill(page, start, start, "Ngập sân trường")
        assert "Đã công bố nghỉ làm việc" in page.locator(".notice").inner_text()
        shot(page, f"so-declared-{size}")
        entry = page.locator("#closures li").filter(has_text=start).first
        entry.locator("summary").click()
        entry.locator("button").click()  # no reason: refused in Vietnamese
        assert "Lý do hủy: chưa nhập" in page.locator(".form-errors").inner_text()
        shot(page, f"so-lift-error-{size}")
        entry = page.locator("#closures li").filter(has_text=start).first
        entry.locator("input[name=reason]").fill("Nước đã rút")
        entry.locator("button").click()
        assert "Đã hủy nghỉ làm việc" in page.locator(".notice").inner_text()
        page.close()


def test_a_school_of_another_commune_cannot_reach_the_neighbour(server, browser, engine):
    ARTIFACTS.mkdir(exist_ok=True)
    neighbour = unit_id(engine, "UBND-PHUQUOC")
    for size, viewport in SIZES.items():
        page = log_in(browser, server, "hieutruong.hontre")
        page.set_viewport_size(viewport)
        response = page.goto(f"{server}/units/{neighbour}/closures")
        assert response.status == 404
        shot(page, f"school-neighbour-404-{size}")
        page.goto(f"{server}/units/{unit_id(engine, 'MN-HONTRE')}/closures")
        assert page.locator("button:has-text('Công bố lịch nghỉ')").count() == 1  # its own
        assert "Phú Quốc" not in page.content()
        shot(page, f"school-own-{size}")
        page.close()
