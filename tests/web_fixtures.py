"""Web test fixtures: the demo province plus a second one, users at several levels, and a
TestClient per user (in-process ASGI: no socket)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.files.unit_files import parse_unit_yaml
from chidao.services.accounts import add_user, user_named
from chidao.services.sessions import create_token
from chidao.services.units_import import import_units
from tests.support.cascade import at, issue_data, issue_file, seed_units

PASSWORD = "mat-khau-thu-nghiem"
USERS = {  # username: unit
    "hieutruong.hontre": "MN-HONTRE", "hieutruong.laison": "MN-LAISON",
    "chuyenvien.kienhai": "UBND-KIENHAI", "chuyenvien.phuquoc": "UBND-PHUQUOC",
    "chuyenvien.so": "SGDDT-AG", "chuyenvien.camau": "SGDDT-CM",
    "nhanvien.so": "SGDDT-AG", "nhanvien.kienhai": "UBND-KIENHAI",
}
# The units' leaders (head) issue, accept/return and extend; their staff only receive and
# submit (chidao.domain.permissions).
STAFF = {"nhanvien.so", "nhanvien.kienhai"}
OTHER_PROVINCE = """
- code: SGDDT-CM
  name: Sở Giáo dục và Đào tạo tỉnh Cà Mau
  kind: department
  parent: BGDDT
  symbol: SGDĐT
  children:
    - {code: UBND-TANTHANH, name: Ủy ban nhân dân phường Tân Thành, kind: people_committee,
       symbol: UBND}
"""


@dataclass
class Web:
    app: Any
    tokens: dict[str, str]

    def client(self, username: str | None = None) -> TestClient:
        client = TestClient(self.app)
        if username:
            page = client.get("/login")
            response = client.post("/login", data={"username": username, "password": PASSWORD,
                                                   "csrf": csrf_of(page.text)},
                                   follow_redirects=False)
            assert response.status_code == 303, response.text
        return client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match[1]


def build_web(engine, db_url: str, tmp_path) -> Web:
    seed_units(engine)
    with transaction(engine) as session:
        import_units(session, parse_unit_yaml(OTHER_PROVINCE), now=at("2026-02-01T08:00"))
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    issue_file(engine, "kh-ubnd-kien-hai-stem.yaml", "2026-03-10T10:00")
    issue_file(engine, "kh-mn-hon-tre-stem.yaml", "2026-03-18T14:00")
    from tests.integration.report_scenario import issue_report_directives
    issue_report_directives(engine)
    issue_data(engine, {"number_symbol": "88/KH-SGDĐT", "issuer": "SGDDT-CM",
                        "issued_on": "2026-03-02", "title": "Kế hoạch riêng của Cà Mau",
                        "requirements": [{"key": "r", "kind": "action", "title": "Việc Cà Mau",
                                          "to": {"children": {}}, "due": "2026-04-30"}]},
               "2026-03-02T09:00")
    tokens = {}
    with transaction(engine) as session:
        for username, unit in USERS.items():
            add_user(session, username=username, full_name=username, unit_code=unit,
                     role="staff" if username in STAFF else "head", password=PASSWORD,
                     now=at("2026-03-01T08:00"))
            tokens[username] = create_token(session, user=user_named(session, username),
                                            name="test", now=datetime.now(UTC))
    from chidao.web.app import create_app
    app = create_app(Settings(database_url=db_url, secret_key="test-secret",
                              attachments_dir=str(tmp_path / "files")))
    return Web(app, tokens)


@pytest.fixture
def web(engine, db_url, tmp_path) -> Web:
    built = build_web(engine, db_url, tmp_path)
    yield built
    built.app.state.engine.dispose()


@pytest.fixture
def live_server(web) -> Any:
    """The app served by uvicorn on 127.0.0.1 (a real socket), stopped when the test ends."""
    import threading
    import time

    import uvicorn

    from tests.smtp_server import free_port

    port = free_port()
    running = uvicorn.Server(uvicorn.Config(web.app, host="127.0.0.1", port=port,
                                            log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


def routes(app) -> list[tuple[str, str]]:
    """(METHOD, path) of every route the app declares."""
    return [(method.upper(), path) for path, item in app.openapi()["paths"].items()
            for method in item]


def call(client, method, path, token=None, csrf=""):
    """One request of `method` to `path`, with a body any of the app's forms accepts."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "GET":
        return client.get(path, headers=headers)
    if path.startswith("/api"):  # POST, PUT, DELETE
        return client.request(method, path, json={"values": {}}, headers=headers)
    return client.post(path, data={"csrf": csrf, "action": "accept", "reason": "x",
                                   "yaml": "issuer: X", "requirement": "r", "subtree": "X",
                                   "new_due": "01/01/2030"}, headers=headers)
