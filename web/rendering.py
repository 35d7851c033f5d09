"""Rendering a page: the Jinja2 templates with chidao's filters, and the context every page gets
(the signed-in user, their unit, the CSRF token)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from ..config.clock import FixedClock
from ..domain.accounts import Role, User
from ..domain.calendar import LOCAL_TZ
from ..queries.delegation_list import ActingFor, acting_for
from .access import user_unit
from .acting import rights_now
from .deps import csrf_token, runtime_of
from .display import register as register_display
from .flash import take_flashes

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters["day"] = lambda d: d.strftime("%d/%m/%Y") if d else ""
templates.env.filters["local"] = (
    lambda t: t.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y") if t else "")
register_display(templates.env)

ROLE_NAMES = {role: role.label for role in Role}
templates.env.globals["role_name"] = lambda role: ROLE_NAMES.get(role, role)


def render(request: Request, name: str, session: Session | None, user: User | None,
           status_code: int = 200, **context: Any) -> Response:
    """The page `name` in the layout. Every page gets the user and unit, the CSRF token, the
    flash messages waiting, and the moment its figures are computed at (`now`, the runtime's
    clock; `story_clock` when that clock is fixed, as in the demo: the layout says so)."""
    unit = user_unit(session, user) if user and session else None
    runtime = runtime_of(request)
    # what the menu and the buttons may offer, and the banner of a delegate (ủy quyền)
    rights: frozenset[str] = frozenset()
    standing_in: list[ActingFor] = []
    if user is not None and session is not None:
        rights = rights_now(request, session, user)
        standing_in = acting_for(session, user, runtime.calendar.local_date(runtime.now()))
    return templates.TemplateResponse(request, name, {
        "user": user, "unit": unit, "csrf": csrf_token(request), "message": None,
        "flashes": take_flashes(request), "now": runtime.now(), "rights": rights,
        "acting_for": standing_in,
        "story_clock": isinstance(runtime.clock, FixedClock), **context,
    }, status_code=status_code)
