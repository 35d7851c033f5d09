"""Rendering a page: the Jinja2 templates with chidao's filters, and the context every page gets
(the signed-in user, their unit, the CSRF token)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.calendar import LOCAL_TZ
from .access import user_unit
from .deps import csrf_token

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters["day"] = lambda d: d.strftime("%d/%m/%Y") if d else ""
templates.env.filters["local"] = (
    lambda t: t.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y") if t else "")


def render(request: Request, name: str, session: Session | None, user: User | None,
           status_code: int = 200, **context: Any) -> Response:
    unit = user_unit(session, user) if user and session else None
    return templates.TemplateResponse(request, name, {
        "user": user, "unit": unit, "csrf": csrf_token(request), "message": None, **context,
    }, status_code=status_code)
