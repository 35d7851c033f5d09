"""Documents on the served demo (09:00 25/03/2026) at 1366 and 390 px: the commune's officer
opens "Thông tin trên văn bản" from the unit page, is told in Vietnamese what is wrong with a
too-long title, sets the unit's place name and reads it in the preview of the header; the
principal downloads the school's draft plan (.docx, opened with python-docx) and previews it;
the commune drafts its urging letter from the cascade view. Every page fits the phone, has
no serious axe-core violation, and is photographed."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.e2e.axe_check import serious_violations
from tests.e2e.demo_site import WIDTHS, fits_phone, screenshot, sign_in
from tests.support.cascade import runs

KH_KIENHAI = "kh-kien-hai-stem-2026"
PLACE = {"desktop": "Hòn Tre", "phone": "Lại Sơn"}  # islands of Kiên Hải


def checked(page, name: str, width: str) -> str:
    """The page's text once it fits the phone, passes axe-core and is photographed."""
    if width == "phone":
        assert fits_phone(page), (name, page.evaluate("document.documentElement.scrollWidth"))
    problems = serious_violations(page, f"{name} ({width})")
    assert not problems, problems
    screenshot(page, f"documents-{name}-{width}")
    return page.inner_text("main")


def docx_text(path: Path) -> str:
    document = Document(str(path))
    lines = [p.text for p in document.paragraphs]
    lines += [p.text for table in document.tables for row in table.rows for cell in row.cells
              for p in cell.paragraphs]
    return "\n".join(lines)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_commune_sets_its_place_name_and_sees_it_in_the_preview(demo_site, browser, width):
    page = sign_in(browser, demo_site, "chuyenvien.kienhai", WIDTHS[width])
    menu = page.locator(".menu-button")
    if menu.is_visible():
        menu.click()
    page.get_by_role("link", name="Đơn vị", exact=True).click()
    page.get_by_role("link", name="Thông tin trên văn bản").click()
    text = checked(page, "settings", width)
    assert "Ủy ban nhân dân đặc khu Kiên Hải" in text and "Văn bản sẽ in như sau" in text
    assert "ỦY BAN NHÂN DÂN ĐẶC KHU KIÊN HẢI" in page.locator("#preview").inner_text()

    page.fill("#f-head_title", "Chủ tịch " * 30)
    page.get_by_role("button", name="Lưu thông tin trên văn bản").click()
    summary = page.locator(".form-errors")
    expect(summary).to_contain_text("Chức danh người đứng đầu: dài 269 ký tự, tối đa 200 ký tự")
    assert page.locator("#f-head_title").get_attribute("aria-invalid") == "true"
    checked(page, "settings-refused", width)

    page.fill("#f-head_title", "")
    page.fill("#f-place_name", PLACE[width])
    page.get_by_role("button", name="Lưu thông tin trên văn bản").click()
    expect(page.locator(".notice[role=status]")).to_contain_text(
        "Đã lưu thông tin trên văn bản: địa danh.")
    expect(page.locator("#f-place_name")).to_have_value(PLACE[width])
    expect(page.locator("#preview-place")).to_contain_text(f"{PLACE[width]}, ngày")
    checked(page, "settings-saved", width)
    page.context.close()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_principal_downloads_and_previews_the_draft_plan(demo_site, browser, width):
    plan = runs(demo_site.engine, KH_KIENHAI)[("MN-HONTRE", "mn-ke-hoach", "")]
    page = sign_in(browser, demo_site, "hieutruong.hontre", WIDTHS[width])
    page.goto(f"{demo_site.base}/assignments/{plan.id}")
    checked(page, "task", width)
    with page.expect_download() as download:
        page.get_by_role("link", name="Dự thảo kế hoạch (.docx)").click()
    assert download.value.suggested_filename == "Dự-thảo-KH-MN-HONTRE.docx"
    text = docx_text(Path(download.value.path()))
    assert "TRƯỜNG MẦM NON HÒN TRE" in text and "KẾ HOẠCH" in text

    page.locator("#plan-draft").get_by_role("link", name="Xem trước").click()
    expect(page.locator("h1")).to_have_text("Dự thảo kế hoạch")
    shown = page.frame_locator("#document-preview").locator("body").inner_text()
    assert "TRƯỜNGMẦMNONHÒNTRE" in "".join(shown.split())  # lines break where NĐ 30 wants
    checked(page, "plan-preview", width)
    page.context.close()


def test_the_commune_drafts_its_urging_letter_from_the_cascade(demo_site, browser):
    """At 09:00 25/03 An Sơn's plan (due 24/03) is late under Kiên Hải's plan."""
    own = runs(demo_site.engine, KH_KIENHAI)[("MN-ANSON", "mn-ke-hoach", "")].directive_id
    page = sign_in(browser, demo_site, "chuyenvien.kienhai", WIDTHS["phone"])
    page.goto(f"{demo_site.base}/directives/{own}/cascade")
    urging = page.locator("#urging")
    expect(urging).to_contain_text("Công văn đôn đốc (.docx)")
    checked(page, "cascade", "phone")
    with page.expect_download() as download:
        urging.get_by_role("link", name="Công văn đôn đốc (.docx)").click()
    text = docx_text(Path(download.value.path()))
    assert "Trường Mầm non An Sơn" in text and "ỦY BAN NHÂN DÂN ĐẶC KHU KIÊN HẢI" in text
    urging.get_by_role("link", name="Xem trước").click()
    expect(page.locator("h1")).to_have_text("Dự thảo công văn đôn đốc")
    checked(page, "letter-preview", "phone")
    page.context.close()
