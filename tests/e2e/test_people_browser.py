"""People in units in a real browser, on the demo at its story moment (25/03/2026): Đặng Quốc
Bảo leads Kiên Hải's STEM report (chủ trì) with Huỳnh Thị Mai (phối hợp) since the story's
12/03; the head moves his own deadline (a date after the unit's is refused); Bảo finds it
under "Việc của tôi"; the head sees who holds what. Every page
fits a 390 px phone; screenshots at 390 and 1366 px in test-artifacts/screenshots/."""

from __future__ import annotations

from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.assignments import Assignment
from chidao.domain.directives import Requirement
from chidao.domain.units import Unit
from tests.e2e.demo_site import PHONE, WIDTHS, fits_phone, screenshot, sign_in


def stem_report(site) -> tuple[int, int]:
    """(Kiên Hải's STEM report run, the unit's id)."""
    with transaction(site.engine) as session:
        run_id, unit_id = session.exec(
            select(Assignment.id, Unit.id)
            .join(Requirement, Requirement.id == Assignment.requirement_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(Unit.code == "UBND-KIENHAI", Requirement.key == "bao-cao-ket-qua")).one()
    return int(run_id), int(unit_id)


def row(page, name: str):
    return page.locator("fieldset.holder-row", has_text=name)


def test_the_head_assigns_the_stem_report_and_the_specialist_finds_it(demo_site, browser):
    run_id, unit_id = stem_report(demo_site)
    head = sign_in(browser, demo_site, "chuyenvien.kienhai")
    head.goto(f"{demo_site.base}/assignments/{run_id}")
    assert head.locator("#holders h2").inner_text() == "Người thực hiện"
    # the demo story put them on it on 12/03 (chidao.demo.people_story); the head changes it
    assert "Đặng Quốc Bảo · chủ trì · hạn 02/06/2026" in head.locator(".holder-list").inner_text()
    head.click("text=Giao việc trong đơn vị")  # the form, folded once people hold it
    row(head, "Đặng Quốc Bảo").locator("select").select_option("lead")
    row(head, "Đặng Quốc Bảo").locator("input[name^=due_]").fill("31/07/2026")  # too late
    row(head, "Huỳnh Thị Mai").locator("select").select_option("cooperate")
    head.click("text=Lưu giao việc")
    assert "không được sau hạn của đơn vị (23/06/2026)" in head.locator(
        "#holder-error").inner_text()
    row(head, "Đặng Quốc Bảo").locator("input[name^=due_]").fill("15/06/2026")
    head.click("text=Lưu giao việc")
    head.wait_for_url(f"**/assignments/{run_id}#holders")
    listed = head.locator(".holder-list").inner_text()
    assert "Đặng Quốc Bảo · chủ trì · hạn 15/06/2026" in listed
    assert "Huỳnh Thị Mai · phối hợp · hạn 23/06/2026" in listed
    for width, size in WIDTHS.items():
        head.set_viewport_size(size)
        head.goto(f"{demo_site.base}/assignments/{run_id}#holders")
        head.click("text=Giao việc trong đơn vị")  # the form, folded once people hold it
        assert head.locator("fieldset.holder-row").count() == 4  # the unit's four users
        screenshot(head, f"people-run-{width}")
        if size == PHONE:
            assert fits_phone(head)
        head.goto(f"{demo_site.base}/units/{unit_id}/people")
        assert "Đặng Quốc Bảo" in head.locator("#people").inner_text()
        screenshot(head, f"people-unit-{width}")
        if size == PHONE:
            assert fits_phone(head)

    bao = sign_in(browser, demo_site, "chuyenvien2.kienhai", viewport=PHONE)
    bao.locator(".menu-button").click()
    bao.click("text=Việc của tôi")
    bao.wait_for_url("**/me")
    card = bao.locator(f"#held-{run_id}")
    assert "Vai trò: chủ trì" in card.inner_text()
    assert "hạn của anh/chị 15/06/2026 (đơn vị: 23/06/2026)" in card.inner_text()
    assert fits_phone(bao)
    screenshot(bao, "people-me-phone")
    bao.set_viewport_size(WIDTHS["desktop"])
    screenshot(bao, "people-me-desktop")
    bao.goto(f"{demo_site.base}/assignments/{run_id}")
    assert bao.locator("text=Lưu giao việc").count() == 0  # staff: reads, may not assign
