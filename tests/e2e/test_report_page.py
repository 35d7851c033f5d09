"""The consolidated report in a real browser on a phone (390 px) and a desktop (1366 px):
accepted and provisional columns side by side, the flag visible, and on the phone the page
itself never scrolls sideways (the wide table scrolls inside its own box).
Screenshots go to test-artifacts/."""

from tests.e2e.browser_helpers import ARTIFACTS, log_in, report_directive_id
from tests.integration.report_scenario import (
    KH,
    aggregate_at,
    one_school_then_three,
    submit,
    upward_run,
)


def test_report_page_side_by_side_on_a_phone_and_a_desktop(server, browser, engine):
    ARTIFACTS.mkdir(exist_ok=True)
    one_school_then_three(engine, issue=False)
    submit(engine, upward_run(engine), KH, None, "2026-05-26T08:30")  # before the last two
    aggregate_at(engine, "2026-05-26T10:00")
    so = log_in(browser, server, "chuyenvien.so")
    so.goto(f"{server}/directives/{report_directive_id(engine)}/report")
    assert so.inner_text("#coverage") == "0/3"
    assert so.inner_text("#coverage-provisional") == "1/3"
    assert "Ủy ban nhân dân đặc khu Kiên Hải" in so.inner_text("#flagged")  # a name, not a code
    words = so.inner_text("main")
    assert not any(w in words for w in ("KIENHAI", "so_lop", "goc_stem", "True", "False",
                                        "submitted", "accepted", "{'"))
    row = so.locator("tr.unit", has_text="Kiên Hải")
    assert row.locator("td").nth(1).inner_text() == ""  # not accepted yet
    handed_in = row.locator("td").nth(2)  # handed in, provisional, ≠ its schools' 14
    assert handed_in.inner_text().split() == ["6", "⚠", "≠", "14"]
    assert handed_in.get_attribute("title") == \
        "⚠ khác tổng cấp dưới: Số lớp tổ chức hoạt động STEM: 6 ≠ 14"
    assert "khác tổng cấp dưới: 6 số liệu" in row.locator("td.flags").inner_text()
    for width, height in ((390, 844), (1366, 900)):
        so.set_viewport_size({"width": width, "height": height})
        so.screenshot(path=str(ARTIFACTS / f"report-{width}.png"), full_page=True)
        page_width = so.evaluate("document.documentElement.scrollWidth")
        assert page_width <= width, f"the page scrolls sideways at {width} px ({page_width})"
        box = so.evaluate("(() => { const d = document.querySelector('.scroll');"
                          " return [d.scrollWidth, d.clientWidth]; })()")
        assert box[1] <= width and (width > 400 or box[0] > box[1])  # the table scrolls inside
