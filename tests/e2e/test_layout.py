"""The layout every page shares, on the served demo: the vendored stylesheet, the moment the
figures are computed at, the demo's story banner, and the menu that collapses on a phone."""

import pytest

from tests.e2e.demo_site import PHONE, WIDTHS, fits_phone, screenshot, sign_in


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_page_says_its_moment_and_the_menu_fits(demo_site, browser, width):
    page = sign_in(browser, demo_site, "hieutruong.laison", WIDTHS[width])
    page.goto(f"{demo_site.base}/directives")
    # the story's clock, not the wall clock: the banner and the moment line say 25/03/2026
    assert "Số liệu tại 09:00 25/03/2026" in page.inner_text("main")
    assert "đồng hồ dừng ở thời điểm của câu chuyện" in page.inner_text(".story-banner")
    # the vendored Pico CSS and ours are served and applied (no CDN)
    header = page.evaluate("getComputedStyle(document.querySelector('.site-header'))"
                           ".backgroundColor")
    assert header == "rgb(15, 76, 129)"
    assert page.evaluate("getComputedStyle(document.body).fontFamily").strip() != "serif"
    assert "Trường Mầm non Lại Sơn" in page.inner_text(".who")
    assert "Nguyễn Văn Lợi · Lãnh đạo đơn vị" in page.inner_text(".who")
    menu, button = page.locator("#site-menu"), page.locator(".menu-button")
    if width == "phone":
        assert fits_phone(page)
        assert button.is_visible() and not menu.is_visible()
        button.click()
        assert menu.is_visible() and button.get_attribute("aria-expanded") == "true"
        logout = page.locator("form.logout button").bounding_box()
        assert logout and logout["x"] + logout["width"] <= PHONE["width"]
    else:
        assert menu.is_visible() and not button.is_visible()
    screenshot(page, f"layout-directives-{width}")
    page.context.close()
