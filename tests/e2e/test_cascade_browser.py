"""The Sở reads the cascade view of KH 1039 in a real browser, on a desktop and on a phone: the
summary per level and the on-time chart, then down the tree to a school of Kiên Hải, the late
units only, and the consolidated report as a workbook. The expected late units come from the
CLI's status tree (chidao.queries.status_tree), computed apart from the page's queries."""

import io
import re

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from chidao.config.clock import parse_instant
from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref, unit_by_code
from chidao.domain.timeliness import Timeliness
from chidao.domain.units import Unit
from chidao.queries.status_tree import DirectiveNode, status_tree
from tests.e2e.demo_site import STORY_MOMENT, WIDTHS, fits_phone, screenshot, sign_in

ENGLISH = re.compile(r"\b(submitted|returned|accepted|received|issued|queued|True|False|"
                     r"None|overdue|due_soon)\b")


def late_units_below(site, code: str) -> set[str]:
    """Names of the children of `code` with an overdue run in their subtree, from the status
    tree of KH 1039 (every plan citing it nested under the unit that issued it)."""
    with transaction(site.engine) as session:
        tree = status_tree(session, directive_by_ref(session, "1039/KH-SGDĐT"),
                           now=parse_instant(STORY_MOMENT), calendar=site.runtime.calendar)
        parent = unit_by_code(session, code)
        units = session.exec(select(Unit)).all()
    path = {u.id: u.path for u in units}
    children = [u for u in units if u.parent_id == parent.id]
    return {child.name for child in children
            if any(path[late].startswith(child.path) for late in _overdue_units(tree))}


def _overdue_units(node: DirectiveNode):
    """Ids of the units holding an overdue run, anywhere in the tree."""
    for unit in node.units:
        if any(r.timeliness is Timeliness.OVERDUE for r in unit.assignments):
            yield unit.id
        for plan in unit.directives:
            yield from _overdue_units(plan)
    for plan in node.directives:
        yield from _overdue_units(plan)


def no_english(page) -> None:
    text = page.inner_text("main")
    assert not ENGLISH.search(text), ENGLISH.search(text)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_so_reads_kh_1039_down_to_a_school_of_kien_hai(demo_site, browser, width,
                                                       tmp_path):
    page = sign_in(browser, demo_site, "chuyenvien.so", WIDTHS[width])
    with transaction(demo_site.engine) as session:
        kh = directive_by_ref(session, "1039/KH-SGDĐT").id
    page.goto(f"{demo_site.base}/directives/{kh}")
    with page.expect_navigation():
        page.click("text=Tiến độ triển khai ở mọi cấp")
    assert page.url.endswith(f"/directives/{kh}/cascade")
    # the summary: three levels (communes; their Phòng and schools; the school's teams)
    communes = page.locator("#level-1")
    assert "UBND xã/phường/đặc khu: 3 đơn vị" in communes.inner_text()
    assert "Đã ban hành kế hoạch: 1/3" in communes.inner_text()  # Kiên Hải issued its plan
    # Rạch Giá is late; Phú Quốc was given until 27/03: due soon
    assert "Trễ hạn: 1 đơn vị · sắp đến hạn: 1" in communes.inner_text()
    assert "Phòng / Trường: 5 đơn vị" in page.inner_text("#level-2")
    assert "Đã ban hành kế hoạch: 2/4" in page.inner_text("#level-2")  # Hòn Tre, Lại Sơn
    assert page.locator("svg.chart circle").count() == 2  # the two deadlines passed by 25/03
    assert "Tỷ lệ nộp đúng hạn" in page.locator("svg.chart title").first.text_content()
    no_english(page)
    screenshot(page, f"cascade-so-{width}")
    if width == "phone":
        assert fits_phone(page)

    with page.expect_navigation():
        page.click("table.units >> text=Ủy ban nhân dân đặc khu Kiên Hải")
    rows = page.locator("tr.unit")
    names = {rows.nth(i).locator("td").first.inner_text().split("\n")[0]
             for i in range(rows.count())}
    assert {"Trường Mầm non Hòn Tre", "Trường Mầm non Lại Sơn",
            "Phòng Văn hóa - Xã hội đặc khu Kiên Hải"} <= names
    assert "Ủy ban nhân dân đặc khu Phú Quốc" not in names
    # Lại Sơn has nobody below it with a task: no drill-down link; Hòn Tre has its teams
    assert page.locator("table.units a", has_text="Trường Mầm non Lại Sơn").count() == 0
    with page.expect_navigation():
        page.click("table.units >> text=Trường Mầm non Hòn Tre")
    trail = page.inner_text("nav.trail")
    assert re.search(r"Sở Giáo dục và Đào tạo tỉnh An Giang\s*›?\s*Ủy ban nhân dân đặc khu Kiên"
                     r" Hải\s*›?\s*Trường Mầm non Hòn Tre", trail), trail
    assert "Tổ chuyên môn Nhà trẻ" in page.inner_text("table.units")
    no_english(page)
    screenshot(page, f"cascade-hontre-{width}")
    if width == "phone":
        assert fits_phone(page)

    with page.expect_navigation():
        page.click("nav.trail >> text=Ủy ban nhân dân đặc khu Kiên Hải")
    with page.expect_navigation():
        page.click("text=Chỉ đơn vị trễ hạn")
    assert "late=1" in page.url
    rows = page.locator("tr.unit")
    shown = {rows.nth(i).locator("td").first.inner_text().split("\n")[0]
             for i in range(rows.count())}
    assert shown == late_units_below(demo_site, "UBND-KIENHAI")
    assert shown and "Trường Mầm non Lại Sơn" not in shown
    for i in range(rows.count()):
        assert int(rows.nth(i).locator("td[data-label='Trễ hạn']").inner_text().split()[0]) > 0
    no_english(page)
    screenshot(page, f"cascade-late-{width}")
    if width == "phone":
        assert fits_phone(page)

    with page.expect_download() as download:
        page.click("text=Tải báo cáo tổng hợp (.xlsx)")
    saved = tmp_path / "bao-cao.xlsx"
    download.value.save_as(saved)
    book = load_workbook(io.BytesIO(saved.read_bytes()))
    assert book.sheetnames and book.active.max_row >= 1
    assert any(cell.value for row in book.active.iter_rows() for cell in row)
    page.context.close()
