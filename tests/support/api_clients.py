"""JSON API tests: the app on a clock the test moves, a bearer-token client per user, and
checks of a success and of a problem+json answer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from chidao.config.runtime import build_runtime
from chidao.db.database import transaction
from chidao.web.app import create_app
from tests.support.cascade import at


@dataclass
class MovableClock:
    """chidao.config.clock.Clock, moved by the test."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant


def api_clients(web: Any, start: str = "2026-03-20T09:00"
                ) -> Iterator[tuple[Callable[[str], TestClient], MovableClock]]:
    """(a client per user name of web.tokens, the app's clock); the app's pool closed after."""
    clock = MovableClock(at(start))
    app = create_app(runtime=build_runtime(web.app.state.settings, clock=clock, pooled=True))

    def client(username: str) -> TestClient:
        return TestClient(app, headers={"Authorization": f"Bearer {web.tokens[username]}"})

    try:
        yield client, clock
    finally:
        app.state.engine.dispose()


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    if field is not None:
        assert body["errors"][0]["field"] == field, body
    return body


def count(engine: Any, model: Any, **where: Any) -> int:
    with transaction(engine) as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(session.execute(query).scalar_one())
