"""The demo, served for browser tests: An Giang seeded in a temporary SQLite file as `chidao demo`
does, the demo accounts, and the app on a free 127.0.0.1 port, on the story's fixed clock
(09:00 25/03/2026), as `chidao demo --serve` serves it. Also: signing in and screenshots."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from chidao.config.clock import FixedClock, parse_instant
from chidao.config.runtime import Runtime, build_runtime
from chidao.config.settings import Settings
from chidao.demo.scenario import DEMO_PASSWORD, add_demo_users, fresh_database, run_demo
from tests.smtp_server import free_port

STORY_MOMENT = "2026-03-25T09:00"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@dataclass
class DemoSite:
    base: str  # http://127.0.0.1:PORT
    runtime: Runtime

    @property
    def engine(self):
        return self.runtime.engine


def build_demo_runtime(folder: Path) -> Runtime:
    """The demo database in `folder`, seeded and with its accounts, on the story's clock."""
    url = fresh_database(folder / "demo.db")
    settings = Settings(database_url=url, secret_key="demo-site-secret",
                        attachments_dir=str(folder / "files"))
    runtime = build_runtime(settings, clock=FixedClock(parse_instant(STORY_MOMENT)), pooled=True)
    run_demo(runtime, now=parse_instant(STORY_MOMENT), log=lambda _line: None)
    add_demo_users(runtime)
    return runtime


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """The demo served on 127.0.0.1 for the tests of one module (stopped at its end)."""
    from chidao.web.app import create_app

    runtime = build_demo_runtime(tmp_path_factory.mktemp("demo"))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(runtime=runtime), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield DemoSite(f"http://127.0.0.1:{port}", runtime)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        runtime.close()


def sign_in(browser, site: DemoSite, username: str, viewport=DESKTOP):
    """A new page (its own browser context) signed in as a demo account, on its landing page."""
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{site.base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit], main form button").first.click()
    page.wait_for_load_state("load")
    assert "/login" not in page.url, f"{username} could not sign in"
    return page


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ (gitignored: look at
    them after a run)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def fits_phone(page) -> bool:
    """No horizontal scroll of the page itself at 390 px."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
