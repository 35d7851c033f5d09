"""The Sở's specialist, in a real browser on the demo (09:00 25/03/2026), at 1366 and 390 px:
moves a deadline for a subtree picked by name, issues a directive through the form (after
fixing what the form refused), and another by importing a corpus file, correcting its draft."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from chidao.db.database import reading
from chidao.domain.directives import Directive
from tests.e2e.demo_site import WIDTHS, fits_phone, screenshot, sign_in
from tests.support.paths import CORPUS

ENGLISH = re.compile(r"\b(submitted|returned|accepted|queued|issued|received|overdue|pending|"
                     r"draft|True|False|None|action|report|plan|children|descendants)\b")
RAW_KEYS = ("SGDDT-AG", "UBND-KIENHAI", "UBND-PHUQUOC", "MN-HONTRE", "PVHXH-KIENHAI",
            "ke-hoach-trien-khai", "bao-cao-ket-qua", "people_committee", "nv-1")
NUMBERS = {"desktop": 0, "phone": 1}  # each width issues its own numbers


def check(page, name: str, width: str) -> None:
    """Vietnamese only, no raw keys, no sideways scroll on the phone; a screenshot."""
    text = page.inner_text("main")
    assert not ENGLISH.search(text), ENGLISH.search(text)
    assert not [k for k in RAW_KEYS if k in text], [k for k in RAW_KEYS if k in text]
    if width == "phone":
        assert fits_phone(page), page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, f"{name}-{WIDTHS[width]['width']}")


def plan_1039(site) -> int:
    with reading(site.engine) as session:
        return session.execute(select(Directive.id).where(
            Directive.number == "1039", Directive.symbol == "KH-SGDĐT")).scalar_one()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_gia_han_for_a_subtree_picked_by_name(demo_site, browser, width):
    page = sign_in(browser, demo_site, "chuyenvien.so", WIDTHS[width])
    page.goto(f"{demo_site.base}/directives/{plan_1039(demo_site)}")
    page.get_by_role("link", name="Gia hạn một nhiệm vụ cho một đơn vị").click()
    page.select_option("select[name=requirement]", "ke-hoach-trien-khai")
    page.fill("input[name=subtree]", "Phú Quốc")
    page.fill("input[name=new_due]", "31/02/2026")
    page.fill("input[name=reason]", "Đặc khu xin lùi hạn vì mưa bão")
    page.get_by_role("button", name="Gia hạn").click()
    assert "Ngày «31/02/2026» không có thật" in page.inner_text("main")
    assert page.input_value("input[name=subtree]") == "Phú Quốc"  # what was typed stays
    check(page, "gia-han-loi", width)
    page.fill("input[name=new_due]", "10/04/2026" if width == "desktop" else "13/04/2026")
    page.get_by_role("button", name="Gia hạn").click()
    notice = page.locator("p.notice").first.inner_text()
    assert re.match(r"Đã gia hạn «Xây dựng Kế hoạch .*» đến 1\d/04/2026 cho 1 đơn vị thuộc"
                    r" Ủy ban nhân dân đặc khu Phú Quốc\.", notice), notice
    check(page, "gia-han-xong", width)
    page.context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_issue_a_directive_through_the_form(demo_site, browser, width):
    number = f"{201 + NUMBERS[width]}/KH-SGDĐT"
    page = sign_in(browser, demo_site, "chuyenvien.so", WIDTHS[width])
    page.goto(f"{demo_site.base}/directives/new")
    assert page.input_value("input[name=issued_on]") == "25/03/2026"  # the demo's day
    page.fill("input[name=number_symbol]", number)
    page.fill("textarea[name=title]", "Kiểm tra cơ sở vật chất trước mùa mưa bão")
    page.select_option("select[name=based_on]", page.locator(
        "select[name=based_on] option", has_text="1039/KH-SGDĐT").first.get_attribute("value"))
    page.fill("textarea[name=req-0-title]", "Các trường báo cáo kết quả tự kiểm tra")
    page.select_option("select[name=req-0-kind]", "report")
    page.check("input[name=req-0-who][value=kind]")
    page.select_option("select[name=req-0-unit_kind]", "school")
    page.fill("input[name=req-0-due]", "28/03/2026")  # a Saturday: refused
    page.get_by_role("button", name="Thêm nhiệm vụ").click()
    page.fill("textarea[name=req-1-title]", "Đặc khu Kiên Hải xây dựng kế hoạch riêng")
    page.select_option("select[name=req-1-kind]", "plan")
    page.check("input[name=req-1-who][value=units]")
    units = page.locator("#f-req-1-units")
    units.locator("summary").click()
    units.locator("input[type=search]").fill("kien hai")  # typed without diacritics
    units.get_by_label("Ủy ban nhân dân đặc khu Kiên Hải").check()
    page.fill("input[name=req-1-due]", "03/04/2026")
    page.get_by_role("button", name="Ban hành", exact=True).click()
    main = page.inner_text("main")
    assert "Văn bản chưa ban hành: 1 chỗ cần sửa." in main
    assert main.count("Ngày 28/03/2026 là ngày nghỉ (thứ Bảy)") == 2  # summary, and the field
    assert page.input_value("textarea[name=req-1-title]").startswith("Đặc khu Kiên Hải")
    check(page, "ban-hanh-loi", width)
    page.fill("input[name=req-0-due]", "10/04/2026")
    page.get_by_role("button", name="Ban hành", exact=True).click()
    notice = page.locator("p.notice").first.inner_text()
    assert re.fullmatch(rf"Đã ban hành {number}, giao \d+ đơn vị\.", notice), notice
    assert f"{number}" in page.inner_text("h1")
    check(page, "ban-hanh-xong", width)
    page.context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_issue_by_importing_a_corpus_file(demo_site, browser, width):
    number = f"{301 + NUMBERS[width]}/KH-SGDĐT"
    page = sign_in(browser, demo_site, "chuyenvien.so", WIDTHS[width])
    page.goto(f"{demo_site.base}/directives/new")
    page.set_input_files("input[name=file]", str(CORPUS / "kh-ubnd-kien-hai-stem-2026.txt"))
    assert page.inner_text(".file-name") == "kh-ubnd-kien-hai-stem-2026.txt"
    page.get_by_role("button", name="Đọc tệp thành bản nháp").click()
    main = page.inner_text("main")
    assert "Bản nháp đọc từ tệp «kh-ubnd-kien-hai-stem-2026.txt»" in main
    assert "từ dòng 13: Căn cứ Kế hoạch số 1039/KH-SGDĐT" in main
    assert "từ dòng 58: 2. Các cơ sở giáo dục mầm non" in main
    assert page.input_value("input[name=number_symbol]") == "/KH-UBND"  # as in the file
    check(page, "nhap-tu-tep", width)
    page.fill("input[name=number_symbol]", number)  # the one correction: the Sở's number
    page.get_by_role("button", name="Ban hành", exact=True).click()
    notice = page.locator("p.notice").first.inner_text()
    assert re.fullmatch(rf"Đã ban hành {number}, giao \d+ đơn vị\.", notice), notice
    assert "Căn cứ: Kế hoạch số 1039/KH-SGDĐT ngày 26/02/2026" in page.inner_text("main")
    check(page, "nhap-tu-tep-xong", width)
    page.context.close()
