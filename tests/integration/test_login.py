"""Login: an unknown name costs the same argon2 verification as a wrong password; wrong
passwords make one (user, address) pair wait, never the user everywhere; X-Forwarded-For
counts only from CHIDAO_TRUSTED_PROXIES."""

import re
import threading
import time

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select

from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.domain.accounts import login_attempt_table
from tests.smtp_server import free_port
from tests.web_fixtures import PASSWORD, csrf_of


def attempt(client: TestClient, username: str, password: str, **headers: str) -> int:
    csrf = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf": csrf}, headers=headers,
                       follow_redirects=False).status_code


def test_an_unknown_user_name_is_checked_against_a_dummy_hash(web, monkeypatch):
    import chidao.services.accounts as accounts

    checked: list[str] = []
    matches = accounts._matches

    def spy(hash_: str, password: str) -> bool:
        checked.append(hash_)
        return matches(hash_, password)
    monkeypatch.setattr(accounts, "_matches", spy)
    client = web.client()
    assert attempt(client, "khong-co-ai", "sai-mat-khau") == 401
    assert checked == [accounts.dummy_hash()]
    assert attempt(client, "hieutruong.hontre", "sai-mat-khau") == 401
    assert len(checked) == 2 and checked[1].startswith("$argon2")


def test_wrong_passwords_from_one_address_do_not_lock_the_user_out_from_another(web):
    attacker = TestClient(web.app, client=("127.0.0.7", 40000))
    owner = TestClient(web.app, client=("127.0.0.8", 40000))
    codes = [attempt(attacker, "hieutruong.hontre", "sai-mat-khau") for _ in range(10)]
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    assert attempt(attacker, "hieutruong.hontre", PASSWORD) == 429  # this pair waits
    assert attempt(owner, "hieutruong.hontre", PASSWORD) == 303
    assert attempt(attacker, "hieutruong.laison", PASSWORD) == 303  # the address is not banned


def wait_shown(html: str) -> int:
    found = re.search(r"thử lại sau (\d+) giây", html)
    assert found, html
    return int(found[1])


def test_the_wait_grows_and_a_success_clears_it(web, engine):
    from datetime import UTC, datetime, timedelta

    client = TestClient(web.app, client=("127.0.0.9", 40000))
    for _ in range(5):
        assert attempt(client, "hieutruong.laison", "sai-mat-khau") == 401
    blocked = client.post("/login", data={"username": "hieutruong.laison", "password": "x",
                                          "csrf": csrf_of(client.get("/login").text)})
    assert blocked.status_code == 429 and 1 <= wait_shown(blocked.text) <= 2
    c = login_attempt_table.c
    with transaction(engine) as session:  # the 2 s have passed
        session.execute(login_attempt_table.update().values(
            at=datetime.now(UTC) - timedelta(seconds=3)))
    assert attempt(client, "hieutruong.laison", "sai-mat-khau") == 401
    blocked = client.post("/login", data={"username": "hieutruong.laison", "password": "x",
                                          "csrf": csrf_of(client.get("/login").text)})
    assert blocked.status_code == 429 and 3 <= wait_shown(blocked.text) <= 4
    with transaction(engine) as session:
        session.execute(login_attempt_table.update().values(
            at=datetime.now(UTC) - timedelta(seconds=5)))
    assert attempt(client, "hieutruong.laison", PASSWORD) == 303
    with transaction(engine) as session:
        left = session.execute(select(c.key).where(c.key.like("pair:%"))).scalars().all()
    assert left == []


def test_one_address_failing_for_many_user_names_must_wait(web, db_url, tmp_path):
    from chidao.web.app import create_app

    app = create_app(Settings(database_url=db_url, secret_key="k", login_failures_per_address=3,
                              attachments_dir=str(tmp_path)))
    try:
        client = TestClient(app, client=("127.0.0.10", 40000))
        codes = [attempt(client, f"ten-{n}", "sai-mat-khau") for n in range(4)]
        assert codes == [401, 401, 401, 429]
    finally:
        app.state.engine.dispose()


def served(app):
    """The app behind uvicorn configured as `chidao serve` configures it, on 127.0.0.1."""
    from chidao.cli.lifecycle import server_config

    port = free_port()
    server = uvicorn.Server(server_config(app, "127.0.0.1", port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize(("trusted", "recorded"), [
    ("", "ip:127.0.0.1"), ("127.0.0.1", "ip:203.0.113.9")])
def test_x_forwarded_for_counts_only_from_trusted_proxies(web, engine, db_url, tmp_path,
                                                          trusted, recorded):
    from chidao.web.app import create_app

    app = create_app(Settings(database_url=db_url, secret_key="k", trusted_proxies=trusted,
                              attachments_dir=str(tmp_path)))
    server, thread, base = served(app)
    try:
        with httpx.Client(base_url=base) as client:
            csrf = csrf_of(client.get("/login").text)
            response = client.post("/login", data={
                "username": "hieutruong.hontre", "password": "sai", "csrf": csrf},
                headers={"X-Forwarded-For": "203.0.113.9"})
            assert response.status_code == 401
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()
    with transaction(engine) as session:
        keys = session.execute(select(login_attempt_table.c.key)).scalars().all()
    assert recorded in keys and len(keys) == 2
