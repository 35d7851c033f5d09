"""A phone-sized Chromium (390 px) hands in files through the real form: a file whose bytes
are not what its name says is refused with the file named, a file over the limit is caught
before it is sent, genuine files are listed and download under their Vietnamese names; the
page never scrolls sideways. Screenshots (390 and 1366 px) go to test-artifacts/."""

from pathlib import Path

import pytest

from tests.e2e.browser_helpers import ARTIFACTS
from tests.web_fixtures import PASSWORD

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "attachments"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
WIDER_THAN_THE_SCREEN = """() => Array.from(document.querySelectorAll("body *"))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.tagName + " " + (e.textContent || "").slice(0, 40))"""


@pytest.fixture
def chromium(browser):
    return browser


def signed_in(chromium, base, width):
    page = chromium.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "hieutruong.hontre")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url(lambda url: url.startswith(base) and "/login" not in url)
    return page


def test_a_phone_attaches_files_and_sees_them_listed(web, engine, live_server, chromium,
                                                     tmp_path):
    from tests.integration.report_scenario import school_run

    ARTIFACTS.mkdir(exist_ok=True)
    web.app.state.settings = web.app.state.settings.model_copy(
        update={"attachment_max_bytes": 64 * 1024})
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    wide = signed_in(chromium, live_server, 1366)
    wide.goto(f"{live_server}/assignments/{run_id}")
    assert wide.is_visible("#files")
    wide.screenshot(path=str(ARTIFACTS / "upload-form-1366.png"), full_page=True)
    page = signed_in(chromium, live_server, 390)
    page.goto(f"{live_server}/assignments/{run_id}")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(WIDER_THAN_THE_SCREEN)

    big = tmp_path / "Ảnh hoạt động.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"x" * 100_000)
    page.set_input_files("#files", str(big))
    assert "'Ảnh hoạt động.pdf' quá lớn" in page.inner_text("#files-problem")
    page.click("button:has-text('Nộp')")  # stopped in the page: nothing is sent
    assert page.url.endswith(f"/assignments/{run_id}")
    assert "Chưa nộp lần nào" in page.content()

    fake = tmp_path / "Báo cáo tổng hợp.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 4000)
    page.fill("input[name=f_so_lop]", "6")
    page.fill("input[name=f_tre]", "150")
    page.set_input_files("#files", [str(FIXTURES / "bien-ban.docx"), str(fake)])
    page.click("button:has-text('Nộp')")
    assert "tệp 'Báo cáo tổng hợp.pdf': nội dung không phải tệp .pdf (tệp EXE)" in \
        page.inner_text("#upload-error")
    assert page.input_value("input[name=f_so_lop]") == "6"
    page.screenshot(path=str(ARTIFACTS / "upload-refused-390.png"), full_page=True)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(WIDER_THAN_THE_SCREEN)

    named = tmp_path / "Biên bản họp tổ chuyên môn tháng 5 năm 2026 (bản ký).pdf"
    named.write_bytes((FIXTURES / "bien-ban.pdf").read_bytes())
    page.set_input_files("#files", [str(FIXTURES / "so-lieu.xlsx"), str(named)])
    page.click("button:has-text('Nộp')")
    assert page.inner_text("#status") == "đã nộp"
    assert "Đã nộp kèm 2 tệp" in page.content()
    files = page.locator("#attachments a")
    assert files.all_inner_texts() == ["so-lieu.xlsx", named.name]
    page.screenshot(path=str(ARTIFACTS / "upload-listed-390.png"), full_page=True)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(WIDER_THAN_THE_SCREEN)

    with page.expect_download() as download:
        files.nth(1).click()
    assert download.value.suggested_filename == named.name
    assert Path(download.value.path()).read_bytes() == named.read_bytes()

    wide.goto(f"{live_server}/assignments/{run_id}")
    assert wide.locator("#attachments a").count() == 2
    wide.screenshot(path=str(ARTIFACTS / "upload-listed-1366.png"), full_page=True)
