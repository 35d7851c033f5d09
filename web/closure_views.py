"""Closures on the pages (chidao.queries.closure_notices): the banner a page shows of the
closures over the unit it is about and within its subtree, as far as the reader may know, and
the marks of the closed units in a tree. Dates are the runtime clock's local day."""

from __future__ import annotations

from fastapi import Request
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.units import Unit
from ..queries.closure_notices import ClosureNotice, closures_seen
from .access import user_unit
from .deps import runtime_of


def closure_notices(request: Request, session: Session, user: User,
                    around: Unit | None = None) -> list[ClosureNotice]:
    """The closures in force or upcoming shown to `user` on the page of `around` (default:
    its own unit)."""
    runtime = runtime_of(request)
    return closures_seen(session, user_unit(session, user).path,
                         today=runtime.calendar.local_date(runtime.now()),
                         around_path=around.path if around is not None else None)

