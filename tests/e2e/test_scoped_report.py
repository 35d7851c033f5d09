"""A school opens its commune's consolidated report on a phone (390 px): its own row and
figures only, no sibling school's, and the page still fits the screen (the table scrolls
inside its box). Screenshot: test-artifacts/report-school-390.png."""

from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref
from tests.e2e.browser_helpers import ARTIFACTS, log_in
from tests.integration.report_scenario import figures, school_run, submit


def test_a_school_reads_its_own_row_of_the_report_on_a_phone(server, browser, engine):
    ARTIFACTS.mkdir(exist_ok=True)
    for school, marker in (("MN-HONTRE", "MARKER-HONTRE-4711"),
                           ("MN-LAISON", "MARKER-LAISON-4711")):
        submit(engine, school_run(engine, "UBND-KIENHAI", school), school,
               figures(6, 12, 150, 80, True, "tốt", marker), "2026-05-20T10:00")
    with transaction(engine) as session:
        plan = directive_by_ref(session, "kh-ubnd-kienhai-stem").id
    page = log_in(browser, server, "hieutruong.hontre")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/directives/{plan}/report")
    rows = page.locator("tr.unit")
    assert rows.count() == 1 and "Hòn Tre" in rows.first.inner_text()
    assert "MARKER-HONTRE-4711" in rows.first.inner_text()
    assert "MARKER-LAISON-4711" not in page.content() and "Lại Sơn" not in page.content()
    assert page.inner_text("#coverage-provisional") == "1/1"
    assert "Chỉ gồm số liệu của Trường Mầm non Hòn Tre" in page.inner_text("#scope")
    page.screenshot(path=str(ARTIFACTS / "report-school-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
