"""A route's transaction is committed before its response is sent (web/deps.py: DB). With
FastAPI's default dependency scope the commit ran after the response: a browser following the
redirect of a POST could ask for what it had just made before it was committed, and a failed
commit came after a success was told. (Measured here, uvicorn delivered the answer after the
commit with either scope; the explicit scope makes the order FastAPI's promise, not luck.)"""

import threading
import time

import httpx
from sqlmodel import Session, select

from chidao.db.database import transaction
from chidao.domain.units import Unit
from tests.web_fixtures import PASSWORD, csrf_of


def test_the_response_leaves_after_the_commit(web, engine, live_server, monkeypatch):
    with transaction(engine) as session:
        unit_id = session.exec(select(Unit).where(Unit.code == "UBND-KIENHAI")).one().id
    client = httpx.Client(base_url=live_server, follow_redirects=False, timeout=30)
    try:
        login = client.get("/login")
        client.post("/login", data={"username": "chuyenvien.kienhai", "password": PASSWORD,
                                    "csrf": csrf_of(login.text)})
        token = csrf_of(client.get(f"/units/{unit_id}/van-ban").text)
        committed: list[float] = []
        real_commit = Session.commit

        def slow_commit(self: Session) -> None:  # a commit that takes 0.5 s (a busy disk)
            time.sleep(0.5)
            real_commit(self)
            if threading.current_thread() is not threading.main_thread():
                committed.append(time.monotonic())

        monkeypatch.setattr(Session, "commit", slow_commit)
        response = client.post(f"/units/{unit_id}/van-ban",
                               data={"csrf": token, "place_name": "Hòn Tre"})
        answered = time.monotonic()
        monkeypatch.undo()
    finally:
        client.close()
    assert response.status_code == 303
    assert committed and committed[-1] <= answered  # the redirect came after the commit
