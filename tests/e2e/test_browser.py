"""A real browser (Debian's chromium, driven by Playwright) against the real server on
127.0.0.1: a principal submits, the commune returns it, the principal resubmits, the
commune accepts, the Sở sees its rollup change. Screenshots go to test-artifacts/."""

from playwright.sync_api import expect

from tests.e2e.browser_helpers import ARTIFACTS, log_in, report_directive_id


def test_submit_return_resubmit_accept_and_the_rollup_changes(server, browser, engine):
    from tests.integration.report_scenario import school_run

    ARTIFACTS.mkdir(exist_ok=True)
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    principal = log_in(browser, server, "hieutruong.hontre")
    principal.click("text=Việc của đơn vị")
    principal.screenshot(path=str(ARTIFACTS / "inbox.png"), full_page=True)
    principal.goto(f"{server}/assignments/{run_id}")
    principal.fill("input[name=f_so_lop]", "40")
    principal.fill("input[name=f_tre]", "150")
    principal.click("button:has-text('Nộp')")
    expect(principal.locator("#status")).to_have_text("đã nộp")

    commune = log_in(browser, server, "chuyenvien.kienhai")
    commune.goto(f"{server}/assignments/{run_id}")
    commune.fill("[name=reason]", "Số lớp chưa đúng")
    commune.click("button:has-text('Trả lại')")
    expect(commune.locator("#status")).to_have_text("trả lại")

    principal.goto(f"{server}/assignments/{run_id}")
    assert "Trả lại: Số lớp chưa đúng" in principal.content()
    principal.fill("input[name=f_so_lop]", "6")
    principal.fill("input[name=f_tre]", "150")
    principal.click("button:has-text('Nộp')")
    expect(principal.locator("#status")).to_have_text("đã nộp")

    so = log_in(browser, server, "chuyenvien.so")
    report_url = f"{server}/directives/{report_directive_id(engine)}/report"
    so.goto(report_url)
    before = so.inner_text("#coverage")
    commune.goto(f"{server}/assignments/{run_id}")
    commune.click("button:has-text('Chấp nhận')")
    expect(commune.locator("#status")).to_have_text("đã hoàn thành")
    so.goto(report_url)
    row = so.locator("tr", has_text="Cộng các đơn vị thuộc Ủy ban nhân dân đặc khu Kiên Hải")
    assert row.locator("td").nth(1).inner_text() == "6"
    assert before == so.inner_text("#coverage") == "0/3"  # communes have not reported yet
    so.goto(f"{server}/directives/{report_directive_id(engine)}")
    so.screenshot(path=str(ARTIFACTS / "tree.png"), full_page=True)
    assert (ARTIFACTS / "tree.png").stat().st_size > 0

