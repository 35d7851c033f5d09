"""Who acts on a page: the signed-in user with its own rights, or as a delegate (ủy quyền)
with the rights a user of its unit lent it for today (chidao.services.acting). The routes
take the Actor from here and hand it to the use cases (`by=`); the pages show a button only
when its action is in `rights_now`."""

from __future__ import annotations

from fastapi import Request
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.acting import Actor
from ..domain.people import delegation_grants
from ..domain.permissions import Action, may
from ..services.acting import actor_for, live_delegations_to
from .deps import runtime_of


def acting(request: Request, session: Session, user: User, action: Action) -> Actor:
    """The Actor for `action` now; NotPermitted (a 403 page) when neither the user's role nor
    a delegation in force allows it."""
    return actor_for(session, user, action, now=runtime_of(request).now())


def rights_now(request: Request, session: Session, user: User) -> frozenset[str]:
    """The actions the user may do now: its role's, and those lent to it today by a user of
    its unit whose role holds them."""
    held = {a.value for a in Action if may(user.role, a)}
    for delegation in live_delegations_to(session, user, now=runtime_of(request).now()):
        giver = session.get(User, delegation.from_user_id)
        if giver is None or giver.unit_id != user.unit_id:
            continue
        held |= {a.value for a in Action
                 if may(giver.role, a) and delegation_grants(delegation, a)}
    return frozenset(held)


def allows(request: Request, session: Session, user: User, action: Action) -> bool:
    return action.value in rights_now(request, session, user)
