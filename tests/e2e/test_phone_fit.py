"""Every page a role can reach from its own links fits a 390 px phone: nothing scrolls
sideways (a wide table may scroll inside its own box). Screenshots go to test-artifacts/."""

import re

from tests.e2e.browser_helpers import ARTIFACTS, log_in

PAGE = re.compile(r"^/(directives(/\d+(/report|/units/\d+)?)?|assignments/\d+"
                  r"|units/\d+/(inbox|tree|people)|me|overdue|notifications|directives/new)$")


def test_every_reachable_page_fits_a_phone_for_each_role(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    too_wide = []
    for username in ("chuyenvien.so", "chuyenvien.kienhai", "hieutruong.hontre"):
        page = log_in(browser, server, username)
        page.set_viewport_size({"width": 390, "height": 844})
        to_visit, seen = ["/directives"], set()
        while to_visit and len(seen) < 25:
            path = to_visit.pop(0)
            if path in seen:
                continue
            seen.add(path)
            page.goto(server + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                too_wide.append((username, path, width))
                page.screenshot(path=str(ARTIFACTS / f"too-wide-{username}-{len(seen)}.png"),
                                full_page=True)
            links = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
            to_visit += [h for h in links if h and PAGE.match(h.split("?")[0]) and h not in seen]
        assert len(seen) >= 6, f"{username} reached only {sorted(seen)}"
        page.close()
    assert not too_wide, f"pages that scroll sideways at 390 px: {too_wide}"
