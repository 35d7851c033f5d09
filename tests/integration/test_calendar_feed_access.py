"""Getting and resetting a feed's address: the page (a person's own feed; a unit's head or
admin the unit's), `chidao feed url | reset` (exit code 2 on bad input, no Prefect), audit
rows naming who did it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.domain.audit import AuditEvent
from tests.integration.feed_helpers import heavy_imports
from tests.support.cli import chidao, refused
from tests.web_fixtures import csrf_of

URL = re.compile(r'readonly value="(http://127\.0\.0\.1:8000(/feeds/[^"]+\.ics))"')


def addresses(html: str) -> list[str]:
    """The feed paths the page shows, in order (the person's, then the unit's)."""
    return [m[2] for m in URL.finditer(html)]


def post(client: TestClient, path: str, **data: str):
    csrf = csrf_of(client.get("/account/calendar").text)
    return client.post(path, data={"csrf": csrf, **data}, follow_redirects=False)


def test_a_head_gets_and_resets_the_units_and_their_own_address(web, engine):
    head = web.client("hieutruong.hontre")
    page = head.get("/account/calendar")
    assert page.status_code == 200
    assert page.text.count("Tạo địa chỉ lịch</button>") == 2  # theirs and the school's
    assert "Thêm lịch theo URL" in page.text and "Từ URL" in page.text
    assert post(head, "/account/calendar/create", which="unit").status_code == 303
    assert post(head, "/account/calendar/create", which="person").status_code == 303
    mine, school = addresses(head.get("/account/calendar").text)
    assert mine != school
    outsider = TestClient(web.app)  # no login: the address is the key
    got = outsider.get(school)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/calendar")
    assert "Hạn nhiệm vụ – Trường Mầm non Hòn Tre" in got.text
    assert "Hạn nhiệm vụ của hieutruong.hontre" in outsider.get(mine).text
    # Asking again shows the same address; a reset makes a new one and kills the old.
    assert post(head, "/account/calendar/create", which="unit").status_code == 303
    assert addresses(head.get("/account/calendar").text) == [mine, school]
    assert post(head, "/account/calendar/reset", which="unit").status_code == 303
    page = head.get("/account/calendar").text
    assert "địa chỉ cũ đã ngừng hoạt động" in page
    new_mine, new_school = addresses(page)
    assert new_mine == mine and new_school != school
    assert outsider.get(school).status_code == 404
    assert outsider.get(new_school).status_code == 200
    with transaction(engine) as session:
        audit = [(e.action, e.unit_code, e.person) for e in session.exec(
            select(AuditEvent).where(AuditEvent.action.like("feed.%"))
            .order_by(AuditEvent.id)).scalars()]
    assert audit == [("feed.create", "MN-HONTRE", "hieutruong.hontre")] * 2 + [
        ("feed.reset", "MN-HONTRE", "hieutruong.hontre")]


def test_staff_get_only_their_own_feed(web):
    staff = web.client("nhanvien.kienhai")
    page = staff.get("/account/calendar").text
    assert page.count("Tạo địa chỉ lịch</button>") == 1 and "Lịch của đơn vị" not in page
    assert post(staff, "/account/calendar/create", which="unit").status_code == 403
    assert post(staff, "/account/calendar/reset", which="unit").status_code == 403
    assert post(staff, "/account/calendar/create", which="other").status_code == 404
    assert post(staff, "/account/calendar/create").status_code == 404
    forged = staff.post("/account/calendar/create", data={"which": "person", "csrf": "x"},
                        follow_redirects=False)
    assert forged.status_code == 403
    assert addresses(staff.get("/account/calendar").text) == []
    assert TestClient(web.app).get("/account/calendar",
                                   follow_redirects=False).status_code in (303, 401)


def test_a_changed_server_key_asks_for_a_reset_instead_of_a_wrong_address(web, db_url,
                                                                          tmp_path):
    head = web.client("hieutruong.hontre")
    post(head, "/account/calendar/create", which="person")
    [old] = addresses(head.get("/account/calendar").text)
    from chidao.web.app import create_app
    other = create_app(Settings(database_url=db_url, secret_key="another-key",
                                attachments_dir=str(tmp_path / "files")))
    try:
        from tests.web_fixtures import Web
        moved = Web(other, {}).client("hieutruong.hontre")
        page = moved.get("/account/calendar").text
        assert addresses(page) == [] and "CHIDAO_SECRET_KEY" in page
        assert TestClient(other).get(old).status_code == 200  # the old address still works
        post(moved, "/account/calendar/reset", which="person")
        [new] = addresses(moved.get("/account/calendar").text)
        assert new != old and TestClient(other).get(old).status_code == 404
    finally:
        other.state.engine.dispose()


KEY = {"CHIDAO_SECRET_KEY": "cli-and-web-share-this", "CHIDAO_PUBLIC_URL": "https://lich.vn"}


def test_the_command_prints_resets_and_refuses(web, db_url):
    env = {"CHIDAO_DATABASE_URL": db_url, **KEY}
    first = chidao("feed", "url", "--unit", "MN-HONTRE", **env)
    assert first.exit_code == 0, first.output
    url = first.output.strip()
    assert re.fullmatch(r"https://lich\.vn/feeds/[A-Za-z0-9_-]{43}\.ics", url)
    assert chidao("feed", "url", "--unit", "MN-HONTRE", **env).output.strip() == url
    person = chidao("feed", "url", "--user", "hieutruong.hontre", **env).output.strip()
    assert person.endswith(".ics") and person != url
    new = chidao("feed", "reset", "--unit", "MN-HONTRE", **env).output.strip()
    assert new != url and new.endswith(".ics")
    from chidao.web.app import create_app
    app = create_app(Settings(database_url=db_url, **{k.removeprefix("CHIDAO_").lower(): v
                                                      for k, v in KEY.items()}))
    try:
        client = TestClient(app)
        assert client.get(url.removeprefix("https://lich.vn")).status_code == 404
        assert client.get(new.removeprefix("https://lich.vn")).status_code == 200
        assert client.get(person.removeprefix("https://lich.vn")).status_code == 200
    finally:
        app.state.engine.dispose()
    refused(chidao("feed", "url", **env), "unit", "exactly one")
    refused(chidao("feed", "url", "--unit", "MN-HONTRE", "--user", "hieutruong.hontre",
                   **env), "exactly one")
    refused(chidao("feed", "reset", "--unit", "NO-SUCH", **env), "NO-SUCH")
    refused(chidao("feed", "url", "--user", "nobody", **env), "nobody")
    refused(chidao("feed", "url", "--unit", "MN-HONTRE", CHIDAO_DATABASE_URL=db_url),
            "CHIDAO_SECRET_KEY")


@pytest.mark.parametrize("args", [["feed", "url", "--unit", "SGDDT-AG"],
                                  ["feed", "reset", "--unit", "SGDDT-AG"]], ids=" ".join)
def test_the_feed_commands_import_no_prefect(args, web, db_url, tmp_path):
    env = {"CHIDAO_DATABASE_URL": db_url, **KEY}
    assert heavy_imports(args, env, tmp_path) == set()
