"""What the browser tests share: where screenshots go, signing in, the report directive."""

from pathlib import Path

from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.directives import Directive
from tests.web_fixtures import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def log_in(browser, base, username):
    """A new page signed in as `username` (the fixtures' password), on its landing page
    (the unit's tasks for a school, the directive list above)."""
    page = browser.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url(lambda url: url.startswith(base) and "/login" not in url)
    return page


def report_directive_id(engine) -> int:
    """The id of the Sở's report directive (number 60) of the web fixtures."""
    with transaction(engine) as session:
        found = session.exec(select(Directive).where(Directive.number == "60")).one()
        return int(found.id)
