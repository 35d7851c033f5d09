"""/api/docs in a real browser with every request off this server refused: Swagger UI still
draws every operation (its script and style are served by chidao, not a CDN). Screenshots:
test-artifacts/screenshots/api-docs-*."""

import pytest

from tests.e2e.demo_site import WIDTHS, screenshot


@pytest.mark.parametrize("width", WIDTHS)
def test_the_api_docs_draw_offline(server, browser, width):
    context = browser.new_context(viewport=WIDTHS[width], locale="vi-VN")
    outside: list[str] = []

    def only_here(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_here)
    page = context.new_page()
    page.goto(f"{server}/api/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 25
    assert page.locator(".opblock-post").count() >= 15
    assert outside == []
    screenshot(page, f"api-docs-{width}")
    context.close()
