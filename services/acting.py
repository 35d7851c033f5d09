"""Who acts, and with whose rights: a signed-in user acts with its own role when the role
allows the action, else through a delegation in force lent to it by a user of the same unit
whose role allows it (ủy quyền: the record then names both). Built once per request by the
web and the API and handed to the use cases (chidao.domain.acting.Actor)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from ..domain.accounts import Role, User
from ..domain.acting import Actor
from ..domain.calendar import LOCAL_TZ
from ..domain.people import Delegation, delegation_grants
from ..domain.permissions import Action, NotPermitted, may
from ..domain.units import Unit


def own_actor(session: Session, user: User) -> Actor:
    """The user as itself, with its own role (no check of any action)."""
    unit = session.get(Unit, user.unit_id)
    assert unit is not None
    return Actor(unit_code=unit.code, person=user.full_name, role=Role(user.role),
                 user_id=user.id)


def live_delegations_to(session: Session, user: User, *, now: datetime) -> list[Delegation]:
    """Delegations lent to `user` in force today (Vietnam's date), oldest first."""
    today = now.astimezone(LOCAL_TZ).date()
    return list(session.exec(
        select(Delegation).where(
            Delegation.to_user_id == user.id, Delegation.revoked_at.is_(None),  # type: ignore[union-attr]
            Delegation.starts_on <= today, Delegation.ends_on >= today)
        .order_by(Delegation.id)))  # type: ignore[arg-type]


def actor_for(session: Session, user: User, action: Action, *, now: datetime) -> Actor:
    """The user's own rights if its role allows `action`; else the first delegation in force
    from a user of the same unit whose role allows it (the delegate acts in that person's
    name: on_behalf_of, title "KT."/"Q."); else NotPermitted (a 403)."""
    own = own_actor(session, user)
    if may(user.role, action):
        return own
    for delegation in live_delegations_to(session, user, now=now):
        giver = session.get(User, delegation.from_user_id)
        if (giver is None or giver.unit_id != user.unit_id
                or not delegation_grants(delegation, action) or not may(giver.role, action)):
            continue
        return Actor(unit_code=own.unit_code, person=user.full_name,
                     on_behalf_of=giver.full_name, title=delegation.title,
                     role=Role(giver.role), user_id=user.id)
    raise NotPermitted(Role(user.role), action)
