"""Reads never wait for the write lock, and a request that cannot get a database connection in
time gets the "đang bận" page (503, Retry-After), never a 500 or a 30 s hang."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from chidao.config.settings import Settings
from chidao.db.database import OVERFLOW
from tests.support.postgres import POSTGRES
from tests.web_fixtures import PASSWORD, Web, csrf_of

BUSY = "Hệ thống đang bận, vui lòng thử lại sau ít phút"
sqlite_only = pytest.mark.skipif(bool(POSTGRES), reason="SQLite's write lock")


@contextmanager
def write_lock_held(db_url: str) -> Iterator[sqlite3.Connection]:
    """Another process's writer: BEGIN IMMEDIATE on the same file, held until the block ends."""
    conn = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None, timeout=1)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield conn
    finally:
        conn.rollback()
        conn.close()


def small_pool_app(web: Web, db_url: str, tmp_path: Any) -> Any:
    from chidao.web.app import create_app

    return create_app(Settings(database_url=db_url, secret_key="test-secret",
                               attachments_dir=str(tmp_path / "files"),
                               db_pool_size=1, db_wait_seconds=0.5))


def signed_in(client: TestClient, username: str) -> TestClient:
    page = client.get("/login")
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def assert_busy_page(response: Any) -> None:
    assert response.status_code == 503, response.text[:500]
    assert response.headers["Retry-After"] == "30"
    assert response.headers["content-type"].startswith("text/html")
    assert BUSY in response.text and response.headers["X-Request-ID"] in response.text


@sqlite_only
def test_pages_and_api_reads_answer_while_a_writer_holds_the_lock(web: Web, db_url: str) -> None:
    client = web.client("chuyenvien.so")
    api = TestClient(web.app, headers={"Authorization": f"Bearer {web.tokens['chuyenvien.so']}"})
    with write_lock_held(db_url):
        for path in ("/directives", "/overdue", "/notifications"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        assert api.get("/api/directives").status_code == 200
        assert api.get("/api/assignments").status_code == 200
    # A write still takes the lock once it is free: the login above was recorded, and a new
    # one goes through.
    assert web.client("chuyenvien.kienhai").get("/directives").status_code == 200


def test_a_full_pool_answers_busy_not_500_nor_hang(web: Web, db_url: str, tmp_path: Any) -> None:
    app = small_pool_app(web, db_url, tmp_path)
    try:
        client = signed_in(TestClient(app), "chuyenvien.so")
        api = TestClient(app, headers={"Authorization": f"Bearer {web.tokens['chuyenvien.so']}"})
        held = [app.state.engine.connect() for _ in range(1 + OVERFLOW)]  # the whole pool
        try:
            assert_busy_page(client.get("/directives"))
            response = api.get("/api/directives")
            assert response.status_code == 503
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["Retry-After"] == "30"
            assert BUSY in response.json()["detail"]
        finally:
            for connection in held:
                connection.close()
        assert client.get("/directives").status_code == 200  # and back once it is returned
    finally:
        app.state.engine.dispose()


@sqlite_only
def test_requests_beyond_the_pool_wait_a_bounded_time(web: Web, db_url: str,
                                                      tmp_path: Any) -> None:
    """With room for one request at a time, a login stuck behind another process's write lock
    holds that room; a page asked meanwhile waits at most db_wait_seconds, then gets "đang
    bận" (the pool itself still has connections to spare: it is the gate that says no)."""
    app = small_pool_app(web, db_url, tmp_path)
    try:
        with TestClient(app) as client:
            signed_in(client, "chuyenvien.so")
            form = {"username": "chuyenvien.kienhai", "password": PASSWORD,
                    "csrf": csrf_of(client.get("/login").text)}
            login: dict[str, Any] = {}
            with write_lock_held(db_url):
                stuck = threading.Thread(target=lambda: login.update(
                    response=client.post("/login", data=form, follow_redirects=False)))
                stuck.start()
                for _ in range(1000):  # until the login holds its connection
                    if app.state.engine.pool.checkedout() == 1 or not stuck.is_alive():
                        break
                    stuck.join(0.01)
                assert stuck.is_alive(), login
                assert_busy_page(client.get("/directives"))
            # the lock went with the block: the stuck login now goes through
            stuck.join(30)
            assert login["response"].status_code == 303
    finally:
        app.state.engine.dispose()
