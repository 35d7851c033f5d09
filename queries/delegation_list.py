"""Delegations (ủy quyền) as lists to read: a user's given and received ones (the web page),
those of a unit's subtree (the CLI), and the ones in force lent to a user (the banner)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from ..domain.accounts import User
from ..domain.delegation_terms import rights_words, state_label
from ..domain.people import Delegation, delegation_live
from ..domain.units import Unit, subtree_bounds


@dataclass(frozen=True)
class ListedDelegation:
    delegation: Delegation
    from_username: str
    from_name: str
    to_username: str
    to_name: str
    unit_code: str
    state: str  # "đang hiệu lực", "chưa bắt đầu", "đã hết hạn", "đã thu hồi"
    rights: str  # in words

    @property
    def open(self) -> bool:
        """Not revoked and not past its last day: it may still be revoked."""
        return self.state in ("đang hiệu lực", "chưa bắt đầu")

    def as_json(self) -> dict[str, object]:
        d = self.delegation
        return {"id": d.id, "unit": self.unit_code, "from": self.from_username,
                "from_name": self.from_name, "to": self.to_username, "to_name": self.to_name,
                "starts_on": d.starts_on.isoformat(), "ends_on": d.ends_on.isoformat(),
                "title": d.title, "actions": list(d.actions), "reason": d.reason,
                "state": self.state, "created_by": d.created_by,
                "revoked_at": d.revoked_at.isoformat() if d.revoked_at else None}


_giver, _receiver = aliased(User), aliased(User)


def _listed(session: Session, where: list[ColumnElement[bool]], today: date,
            limit: int) -> list[ListedDelegation]:
    query = (sa_select(Delegation, col(_giver.username), col(_giver.full_name),
                       col(_receiver.username), col(_receiver.full_name), col(Unit.code))
             .join(_giver, col(_giver.id) == col(Delegation.from_user_id))
             .join(_receiver, col(_receiver.id) == col(Delegation.to_user_id))
             .join(Unit, col(Unit.id) == col(_giver.unit_id))
             .where(*where).order_by(col(Delegation.id).desc()).limit(limit))
    return [ListedDelegation(d, fu, fn, tu, tn, code, state_label(d, today),
                             rights_words(list(d.actions)))
            for d, fu, fn, tu, tn, code in session.execute(query)]


def delegations_of(session: Session, user: User, today: date,
                   limit: int = 200) -> tuple[list[ListedDelegation], list[ListedDelegation]]:
    """(given by the user, received by the user), newest first."""
    both = _listed(session, [or_(col(Delegation.from_user_id) == user.id,
                                 col(Delegation.to_user_id) == user.id)], today, limit)
    return ([x for x in both if x.delegation.from_user_id == user.id],
            [x for x in both if x.delegation.to_user_id == user.id])


def delegations_under(session: Session, under: Unit | None, today: date,
                      limit: int = 500, *, only_id: int | None = None
                      ) -> list[ListedDelegation]:
    """Delegations between users of `under`'s subtree (None: all), newest first; `only_id`:
    that one (if it is there)."""
    where: list[ColumnElement[bool]] = []
    if under is not None:
        low, high = subtree_bounds(under.path)
        where = [col(Unit.path) >= low, col(Unit.path) < high]
    if only_id is not None:
        where.append(col(Delegation.id) == only_id)
    return _listed(session, where, today, limit)


@dataclass(frozen=True)
class ActingFor:
    """A banner line: the user stands in for `giver` (title) until `ends_on`."""

    title: str
    giver: str
    ends_on: date
    rights: str


def acting_for(session: Session, user: User, today: date) -> list[ActingFor]:
    """The delegations in force today lent to `user` by a user of its own unit."""
    rows = session.execute(
        sa_select(Delegation, col(_giver.full_name), col(_giver.unit_id))
        .join(_giver, col(_giver.id) == col(Delegation.from_user_id))
        .where(col(Delegation.to_user_id) == user.id, col(Delegation.revoked_at).is_(None),
               col(Delegation.starts_on) <= today, col(Delegation.ends_on) >= today)
        .order_by(col(Delegation.id)))
    return [ActingFor(d.title, name, d.ends_on, rights_words(list(d.actions)))
            for d, name, unit_id in rows
            if unit_id == user.unit_id and delegation_live(d, today)]


def unit_users(session: Session, unit_id: int) -> list[User]:
    """The users of one unit, by name (whom a delegation may go to)."""
    return list(session.exec(select(User).where(User.unit_id == unit_id)
                             .order_by(col(User.full_name), col(User.username))))
