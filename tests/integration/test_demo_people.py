"""The demo story puts people on Kiên Hải's report: the chủ trì finds it in "Việc của tôi"
with her own deadline, the head's "Phân công" page shows who holds it."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from chidao.web.app import create_app
from tests.e2e.demo_site import build_demo_runtime
from tests.web_fixtures import csrf_of

# The demo is a SQLite file, as `chidao demo` makes it (tests/e2e/demo_site.py): the
# PostgreSQL phase would run the same test on the same SQLite file again.
pytestmark = pytest.mark.sqlite_only

PASSWORD = "chidao-demo-2026"


def visible_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(html)).split())


def _client(app, username: str) -> TestClient:
    client = TestClient(app)
    client.post("/login", data={"username": username, "password": PASSWORD,
                                "csrf": csrf_of(client.get("/login").text)})
    return client


def test_the_demo_lead_and_head_see_who_holds_the_report(tmp_path):
    runtime = build_demo_runtime(tmp_path)
    try:
        app = create_app(runtime=runtime)
        mine = visible_text(_client(app, "chuyenvien2.kienhai").get("/me").text)
        assert "Báo cáo kết quả triển khai" in mine and "chủ trì" in mine
        assert "02/06/2026" in mine  # her own deadline, three weeks before the unit's
        cooperator = visible_text(_client(app, "chuyenvien3.kienhai").get("/me").text)
        assert "phối hợp" in cooperator
        head = _client(app, "chuyenvien.kienhai")
        page = head.get("/me")  # any page: the menu links the unit's "Phân công"
        people = [line for line in page.text.splitlines() if "/people" in line]
        assert people, "the head's menu links Phân công"
        href = people[0].split('href="')[1].split('"')[0]
        text = visible_text(head.get(href).text)
        assert "Đặng Quốc Bảo" in text and "Huỳnh Thị Mai" in text
    finally:
        runtime.close()
