"""Sessions and API tokens end on the server: logout, password change, an admin, the CLI,
idle and absolute timeouts, expiry and revocation take effect on the next request."""

import base64
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import select

from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.domain.accounts import ApiToken, UserSession
from chidao.services.accounts import add_user, user_named
from chidao.services.sessions import create_token
from tests.support.cascade import at
from tests.web_fixtures import PASSWORD, csrf_of

CHIDAO = str(Path(sys.executable).parent / "chidao")


def captured(client: TestClient) -> TestClient:
    """A second browser holding a copy of `client`'s cookie (what a thief would replay)."""
    copy = TestClient(client.app)
    copy.cookies.set("chidao_session", client.cookies["chidao_session"])
    return copy


def signed_in(client: TestClient) -> bool:
    return client.get("/directives", follow_redirects=False).status_code == 200


def chidao(db_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHIDAO_DATABASE_URL": db_url}
    done = subprocess.run([CHIDAO, *args], capture_output=True, text=True, env=env,
                          input=stdin, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def test_a_cookie_captured_before_logout_is_refused_after(web):
    client = web.client("hieutruong.hontre")
    thief = captured(client)
    assert signed_in(thief)
    page = client.get("/directives").text
    assert client.post("/logout", data={"csrf": csrf_of(page)},
                       follow_redirects=False).status_code == 303
    assert not signed_in(thief)
    assert thief.get("/directives").status_code == 401


def test_the_cookie_holds_only_a_random_session_id_and_the_csrf_token(web):
    client = web.client("hieutruong.hontre")
    payload = client.cookies["chidao_session"].split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(data) <= {"sid", "csrf"} and len(data["sid"]) >= 40  # no user id in it


def test_a_password_change_ends_the_other_sessions_but_not_this_one(web):
    here, elsewhere = web.client("hieutruong.hontre"), web.client("hieutruong.hontre")
    page = here.get("/account").text
    wrong = here.post("/account/password", data={"csrf": csrf_of(page), "current": "sai",
                                                  "new": "mat-khau-moi-2026"})
    assert wrong.status_code == 422 and signed_in(elsewhere)
    done = here.post("/account/password", data={"csrf": csrf_of(page), "current": PASSWORD,
                                                 "new": "mat-khau-moi-2026"})
    assert done.status_code == 200 and "1 phiên đăng nhập khác đã kết thúc" in done.text
    assert signed_in(here) and not signed_in(elsewhere)


def test_an_admin_ends_all_sessions_of_a_user_of_its_subtree_a_head_may_not(web, engine):
    with transaction(engine) as session:
        add_user(session, username="quantri.so", full_name="Quản trị Sở", unit_code="SGDDT-AG",
                 role="admin", password=PASSWORD, now=at("2026-03-01T08:00"))
    victim = web.client("chuyenvien.kienhai")
    head = web.client("chuyenvien.so")
    refused = head.post("/users/chuyenvien.kienhai/logout-all",
                        data={"csrf": csrf_of(head.get("/account").text)})
    assert refused.status_code == 403 and "quản lý tài khoản" in refused.text
    assert signed_in(victim)
    admin = web.client("quantri.so")
    foreign = admin.post("/users/chuyenvien.camau/logout-all",
                         data={"csrf": csrf_of(admin.get("/account").text)})
    assert foreign.status_code == 404
    done = admin.post("/users/chuyenvien.kienhai/logout-all",
                      data={"csrf": csrf_of(admin.get("/account").text)},
                      follow_redirects=False)
    assert done.status_code == 303 and not signed_in(victim)


def test_the_cli_ends_all_sessions_and_a_new_password_ends_them_too(web, db_url):
    first, second = web.client("hieutruong.hontre"), web.client("hieutruong.laison")
    assert "open" in chidao(db_url, "users", "sessions", "hieutruong.hontre").stdout
    out = chidao(db_url, "users", "logout-all", "hieutruong.hontre").stdout
    assert "1 session(s) of hieutruong.hontre ended" in out
    listed = chidao(db_url, "users", "sessions", "hieutruong.hontre").stdout
    assert "ended" in listed and "open" not in listed
    assert not signed_in(first) and signed_in(second)
    chidao(db_url, "users", "password", "hieutruong.laison",
           stdin="mat-khau-moi-2026\nmat-khau-moi-2026\n")
    assert not signed_in(second)
    relogin = web.client()
    response = relogin.post("/login", data={
        "username": "hieutruong.laison", "password": "mat-khau-moi-2026",
        "csrf": csrf_of(relogin.get("/login").text)}, follow_redirects=False)
    assert response.status_code == 303


@pytest.mark.parametrize(("column", "age", "alive"), [
    ("last_seen_at", timedelta(hours=7, minutes=50), True),
    ("last_seen_at", timedelta(hours=8, minutes=10), False),  # idle timeout: 8 h
    ("created_at", timedelta(days=6, hours=23), True),
    ("created_at", timedelta(days=7, minutes=10), False),  # absolute timeout: 7 days
])
def test_sessions_end_after_the_idle_and_the_absolute_timeout(web, engine, column, age, alive):
    client = web.client("hieutruong.hontre")
    with transaction(engine) as session:
        session.execute(update(UserSession).values({column: datetime.now(UTC) - age}))
    assert signed_in(client) is alive


def test_the_secure_flag_is_on_unless_served_on_loopback(web, db_url, tmp_path):
    from chidao.web.app import create_app

    def cookie_flags(serve_host: str, secure: bool | None) -> str:
        app = create_app(Settings(database_url=db_url, secret_key="k", cookie_secure=secure,
                                  attachments_dir=str(tmp_path)), serve_host=serve_host)
        try:
            return TestClient(app).get("/login").headers["set-cookie"].lower()
        finally:
            app.state.engine.dispose()
    assert "secure" not in cookie_flags("127.0.0.1", None)
    assert "secure" in cookie_flags("0.0.0.0", None)
    assert "secure" in cookie_flags("127.0.0.1", True)
    assert "secure" not in cookie_flags("0.0.0.0", False)
    assert "max-age=604800" in cookie_flags("127.0.0.1", None)


def test_a_revoked_or_expired_token_is_refused_on_the_next_request(web, engine, db_url):
    client = web.client()
    auth = {"Authorization": f"Bearer {web.tokens['hieutruong.hontre']}"}
    assert client.get("/api/assignments", headers=auth).status_code == 200
    listed = chidao(db_url, "users", "tokens", "hieutruong.hontre").stdout
    token_id = listed.split()[0]
    assert "test" in listed and "expires" in listed
    chidao(db_url, "users", "token", "--revoke", token_id)
    refused = client.get("/api/assignments", headers=auth)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert "revoked" in chidao(db_url, "users", "tokens", "hieutruong.hontre").stdout
    with transaction(engine) as session:
        old = create_token(session, user=user_named(session, "hieutruong.hontre"), name="cũ",
                           now=datetime.now(UTC) - timedelta(days=2), days=1)
    assert client.get("/api/assignments",
                      headers={"Authorization": f"Bearer {old}"}).status_code == 401


def test_a_new_token_expires_after_its_days_and_only_its_hash_is_stored(web, engine, db_url):
    raw = chidao(db_url, "users", "token", "hieutruong.laison", "--days", "30").stdout.strip()
    assert raw.startswith("chd_")
    with transaction(engine) as session:
        stored = session.exec(select(ApiToken).where(ApiToken.name == "api")).all()
    assert len(stored) == 1 and raw not in stored[0].token_sha256
    expires_in = stored[0].expires_at - datetime.now(UTC)
    assert timedelta(days=29, hours=23) < expires_in <= timedelta(days=30)
    auth = {"Authorization": f"Bearer {raw}"}
    assert web.client().get("/api/assignments", headers=auth).status_code == 200
