"""A principal's and a commune's walk through the served demo (09:00 25/03/2026) at 1366 and
390 px: the principal lands on "Việc của đơn vị", taps Tiếp nhận, hands in figures with a PDF
and downloads it back; the commune returns it with a reason (first forgetting the reason); the
principal reads the reason and hands in again; the commune accepts. Every page: no English
status words, no raw field keys, no sideways scroll on the phone; screenshots saved."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.demo_site import WIDTHS, fits_phone, screenshot, sign_in
from tests.support.cascade import issue_data

ATTACHMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "attachments"
ENGLISH = re.compile(r"\b(submitted|returned|accepted|received|issued|queued|sending|sent|"
                     r"failed|withdrawn|True|False|None)\b")
FORM = {"key": "stem-thang", "title": "Báo cáo nhanh STEM", "fields": [
    {"key": "so_lop", "label": "Số lớp tổ chức hoạt động STEM", "type": "integer",
     "unit": "lớp", "required": True, "min": 0},
    {"key": "goc_stem", "label": "Có góc STEM", "type": "boolean"},
    {"key": "muc_do", "label": "Mức độ thực hiện", "type": "choice",
     "choices": ["tốt", "khá", "đạt"]}]}
KEYS = re.compile(r"\b(so_lop|goc_stem|muc_do|stem-thang|bao-cao-nhanh)\b")
PRINCIPAL = {"desktop": ("hieutruong.hontre", "Trường Mầm non Hòn Tre"),
             "phone": ("hieutruong.laison", "Trường Mầm non Lại Sơn")}
TITLE = "Báo cáo nhanh hoạt động STEM tháng 3"


@pytest.fixture(scope="module")
def quick_report(demo_site):
    """Kiên Hải asks its two schools for figures (issued the day before the story's moment,
    due Friday 27/03: two working days left)."""
    issue_data(demo_site.engine, {
        "key": "bc-nhanh-stem-kien-hai", "number_symbol": "31/KH-UBND",
        "issuer": "UBND-KIENHAI", "issued_on": "2026-03-24", "title": TITLE,
        "based_on": ["kh-kien-hai-stem-2026"], "forms": [FORM],
        "requirements": [{"key": "bao-cao-nhanh", "kind": "report", "form": "stem-thang",
                          "title": TITLE, "to": {"units": ["MN-HONTRE", "MN-LAISON"]},
                          "due": "2026-03-27"}]}, "2026-03-24T10:00")


def checked(page, name: str, width: str) -> str:
    """The page's visible text, once it is checked and photographed."""
    text = page.inner_text("body")
    assert not ENGLISH.findall(text), (name, ENGLISH.findall(text))
    assert not KEYS.findall(text), (name, KEYS.findall(text))
    if width == "phone":
        assert fits_phone(page), (name, page.evaluate("document.documentElement.scrollWidth"))
    screenshot(page, f"unit-walk-{name}-{width}")
    return text


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_principal_and_commune_walk(demo_site, quick_report, browser, width, tmp_path):
    username, school = PRINCIPAL[width]
    principal = sign_in(browser, demo_site, username, WIDTHS[width])
    assert re.search(r"/units/\d+/inbox$", principal.url), principal.url
    text = checked(principal, "inbox", width)
    assert "Việc của đơn vị" in text and school in text
    card = principal.locator("article.task", has_text=TITLE)
    assert "còn 2 ngày làm việc" in card.inner_text()
    assert "Ủy ban nhân dân đặc khu Kiên Hải" in card.inner_text()

    card.get_by_role("button", name="Tiếp nhận").click()
    expect(principal.locator(".notice")).to_contain_text(f"Đã tiếp nhận nhiệm vụ “{TITLE}”")
    card = principal.locator("article.task", has_text=TITLE)
    expect(card.locator(".status")).to_have_text("Đã tiếp nhận")
    checked(principal, "inbox-received", width)

    card.get_by_role("link", name=TITLE).click()
    run_url = principal.url
    principal.fill("input[name=f_so_lop]", "6")
    principal.select_option("select[name=f_goc_stem]", "có")
    principal.select_option("select[name=f_muc_do]", "tốt")
    pdf = tmp_path / "Báo cáo STEM tháng 3.pdf"
    pdf.write_bytes((ATTACHMENTS / "bien-ban.pdf").read_bytes())
    principal.set_input_files("#files", str(pdf))
    principal.get_by_role("button", name="Nộp", exact=True).click()
    expect(principal.locator("#status")).to_have_text("đã nộp")
    expect(principal.locator(".notice")).to_contain_text("Đã nộp kèm 1 tệp")
    figures = principal.locator("#submission-1").inner_text()
    assert "Số lớp tổ chức hoạt động STEM" in figures and "6 lớp" in figures
    assert "Có góc STEM" in figures and "Có" in figures
    with principal.expect_download() as download:
        principal.locator("#attachments a", has_text=pdf.name).click()
    assert Path(download.value.path()).read_bytes() == pdf.read_bytes()
    checked(principal, "submitted", width)

    commune = sign_in(browser, demo_site, "chuyenvien.kienhai", WIDTHS[width])
    assert "Chờ đơn vị duyệt" in checked(commune, "commune-inbox", width)
    commune.locator("#reviews a", has_text=f"{school}: {TITLE}").click()
    assert commune.url == run_url
    commune.get_by_role("button", name="Trả lại").click()  # no reason: refused, in Vietnamese
    expect(commune.locator("#review-error")).to_contain_text("Lý do trả lại: chưa nhập")
    checked(commune, "return-refused", width)
    commune.fill("textarea[name=reason]", "Số lớp chưa khớp với sổ theo dõi")
    commune.get_by_role("button", name="Trả lại").click()
    expect(commune.locator("#status")).to_have_text("trả lại")
    expect(commune.locator(".notice")).to_contain_text(
        f"Đã trả lại báo cáo của {school}, lý do: Số lớp chưa khớp với sổ theo dõi")
    checked(commune, "returned", width)

    principal.goto(run_url)
    returned = principal.locator("#returned").inner_text()
    assert "Trả lại: Số lớp chưa khớp với sổ theo dõi" in returned
    assert "Ủy ban nhân dân đặc khu Kiên Hải" in returned
    history = principal.locator("#history").inner_text()
    assert "chưa tiếp nhận → đã tiếp nhận" in history and "đã nộp → trả lại" in history
    checked(principal, "returned-seen", width)
    principal.fill("input[name=f_so_lop]", "7")
    principal.get_by_role("button", name="Nộp", exact=True).click()
    expect(principal.locator("#status")).to_have_text("đã nộp")

    commune.goto(run_url)
    commune.get_by_role("button", name="Chấp nhận").click()
    expect(commune.locator("#status")).to_have_text("đã hoàn thành")
    expect(commune.locator(".notice")).to_contain_text(f"Đã chấp nhận báo cáo của {school}")
    checked(commune, "accepted", width)

    principal.goto(f"{demo_site.base}/")
    principal.locator("#closed summary").click()
    assert TITLE in principal.locator("#closed").inner_text()
    principal.goto(f"{demo_site.base}/notifications")
    assert "Thông báo" in checked(principal, "notifications", width)
    principal.context.close()
    commune.context.close()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_cited_plan_opens_for_the_school(demo_site, browser, width):
    page = sign_in(browser, demo_site, "hieutruong.hontre", WIDTHS[width])
    page.locator("article.task", has_text="Kiểm tra, đánh giá và báo cáo kết quả").first \
        .get_by_role("link", name=re.compile("KH-UBND")).click()
    page.get_by_role("link", name="1039/KH-SGDĐT").first.click()
    assert "Không tìm thấy" not in page.inner_text("main")
    assert "1039/KH-SGDĐT" in checked(page, "cited-plan", width)
    page.context.close()
