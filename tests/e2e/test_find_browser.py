"""Finding things on the served demo, in a real browser at 1366 px and 390 px: a directive
searched by words typed without accents, opened, its text read and its file opened, its
report opened; units found by name. Every page: no horizontal scroll on the phone, no English
status word, no raw field key, unit names rather than codes."""

from __future__ import annotations

import re

import pytest

from tests.e2e.demo_site import WIDTHS, fits_phone, screenshot, sign_in

ENGLISH = re.compile(r"\b(submitted|returned|accepted|received|issued|queued|True|False|None)\b")
RAW = ("so_lop", "goc_stem", "muc_do", "{'", "['", "MN-LAISON", "UBND-KIENHAI", "SGDDT-AG")


def check_page(page, width: str, name: str) -> str:
    screenshot(page, f"find-{name}-{width}")
    words = page.inner_text("main")
    if width == "phone":
        assert fits_phone(page), f"{name}: wider than the phone"
    assert not ENGLISH.search(words), f"{name}: {ENGLISH.search(words)}"
    assert not [k for k in RAW if k in words], f"{name}: {[k for k in RAW if k in words]}"
    return words


def search(page, site, words: str) -> None:
    page.goto(f"{site.base}/directives")
    page.fill("#q", words)
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_load_state("load")


def open_the_plans_text_and_file(page, width: str, who: str) -> None:
    words = check_page(page, width, f"{who}-directive")
    assert "Nội dung văn bản" in words and "Trường Mầm non Lại Sơn" in words
    page.get_by_text("Xem toàn văn").click()
    assert page.get_by_text("I. MỤC ĐÍCH YÊU CẦU").is_visible()
    check_page(page, width, f"{who}-directive-text")
    link = page.locator("#directive-files a").first
    assert link.inner_text() == "kh-ubnd-kien-hai-stem-2026.txt"
    response = page.request.get(page.url.split("/directives")[0] + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"].startswith("text/plain")
    assert "Căn cứ Kế hoạch số 1039/KH-SGDĐT" in response.text()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_so_finds_a_directive_by_words_and_opens_it(demo_site, browser, width):
    page = sign_in(browser, demo_site, "chuyenvien.so", WIDTHS[width])
    search(page, demo_site, "giao duc mam non")
    words = check_page(page, width, "so-search")
    assert "1039/KH-SGDĐT" in words and "/KH-UBND" in words
    page.locator("main a:visible", has_text="1039/KH-SGDĐT").first.click()
    page.wait_for_load_state("load")
    words = check_page(page, width, "so-1039")
    assert "Xây dựng Kế hoạch triển khai thực hiện giáo dục STEM" in words
    page.locator("main a:visible", has_text="Báo cáo tổng hợp").first.click()
    page.wait_for_load_state("load")
    check_page(page, width, "so-report")
    search(page, demo_site, "kh-ubnd stem")
    page.locator("main a:visible", has_text="/KH-UBND").first.click()
    page.wait_for_load_state("load")
    open_the_plans_text_and_file(page, width, "so")
    tree = page.locator("#site-menu a[href$='/tree']")
    page.goto(f"{demo_site.base}{tree.get_attribute('href')}")
    page.fill("#unit-q", "lai son")
    page.locator("form[role=search] button").click()
    page.wait_for_load_state("load")
    words = check_page(page, width, "so-units")
    assert "Trường Mầm non Lại Sơn" in page.inner_text("#unit-results")
    page.goto(f"{demo_site.base}/overdue")
    assert "Trường Mầm non" in check_page(page, width, "so-overdue")
    page.context.close()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_principal_finds_the_communes_plan_not_the_sibling_schools(demo_site, browser,
                                                                     width):
    page = sign_in(browser, demo_site, "hieutruong.laison", WIDTHS[width])
    search(page, demo_site, "12/KH-MNHT")  # Hòn Tre's own plan: not Lại Sơn's to read
    assert "Không tìm thấy văn bản nào phù hợp" in check_page(page, width, "laison-sibling")
    search(page, demo_site, "ke hoach stem")
    page.locator("main a:visible", has_text="Văn bản đến").click()
    page.wait_for_load_state("load")
    words = check_page(page, width, "laison-incoming")
    assert "/KH-UBND" in words and "Ủy ban nhân dân đặc khu Kiên Hải" in words
    page.locator("main a:visible", has_text="/KH-UBND").first.click()
    page.wait_for_load_state("load")
    open_the_plans_text_and_file(page, width, "laison")
    page.locator("#no-units a").click()  # its own part of the plan
    page.wait_for_load_state("load")
    own = check_page(page, width, "laison-own-part").lower()
    assert "chưa tiếp nhận" in own  # its report, not yet received (its plan was handed in)
    page.go_back()
    page.locator("main a:visible", has_text="Báo cáo tổng hợp").first.click()
    page.wait_for_load_state("load")
    check_page(page, width, "laison-report")
    page.context.close()
