"""`--as USER` on the commands that act on a run: the operator acts in a user's name, with
that user's rights today (its role, else a delegation in force: ủy quyền), and the records
name the person, and whom a delegate stands in for, as the web does."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import typer

from ..domain.errors import InvalidInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from ..domain.acting import Actor
    from ..domain.permissions import Action

AS_USER = typer.Option(None, "--as", help="Act as this user (username): its own rights, or a"
                                          " delegation (ủy quyền) in force; both names are"
                                          " recorded.")


def acting_as(session: Session, username: str | None, unit_code: str, action: Action, *,
              now: datetime) -> Actor | None:
    """The user's Actor for `action` (None without --as); InvalidInput("as") when the user
    is unknown, of another unit than --unit, or may not do it today."""
    if not username:
        return None
    from sqlmodel import select

    from ..domain.accounts import User
    from ..domain.permissions import NotPermitted
    from ..domain.units import Unit
    from ..services.acting import actor_for

    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None:
        raise InvalidInput("as", f"no user '{username}'")
    unit = session.get(Unit, user.unit_id)
    if unit is None or unit.code != unit_code:
        raise InvalidInput("as", f"'{username}' is a user of '{unit.code if unit else '?'}',"
                                 f" not of '{unit_code}'")
    try:
        return actor_for(session, user, action, now=now)
    except NotPermitted as exc:
        raise InvalidInput("as", f"'{username}': {exc}") from None
