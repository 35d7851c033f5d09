"""Ủy quyền: a user lends all or some of their unit rights to another user of the same unit for
a range of Vietnam days (vacation cover), signing KT. (ký thay) or Q. (quyền); it ends by
itself after its last day (chidao.services.acting reads only those in force) and can be
revoked before. Each command writes its audit row; all in the caller's transaction.

Who may: the giver themselves, an admin of the giver's unit or of a unit above it (for a head
on leave), or the operator at the command line (an Actor without a user)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from ..domain.accounts import Role, User
from ..domain.acting import Actor
from ..domain.calendar import LOCAL_TZ
from ..domain.delegation_terms import (
    REASON_MAX_CHARS,
    TITLE_WORDS,
    checked_actions,
    checked_range,
    checked_title,
    overlaps,
    rights_words,
)
from ..domain.errors import InvalidInput
from ..domain.people import Delegation
from ..domain.scope import in_subtree
from ..domain.text import free_text
from ..domain.units import Unit
from .audit import record_audit


@dataclass(frozen=True)
class DelegationAsked:
    """What a person asks for: usernames, days (Vietnam, inclusive), rights ([] = all)."""

    from_username: str
    to_username: str
    starts_on: date
    ends_on: date
    actions: Sequence[str] = ()
    title: str = "KT."
    reason: str = ""


def _user(session: Session, username: str, field: str) -> User:
    found = session.exec(select(User).where(User.username == username.strip())).first()
    if found is None or found.id is None:
        raise InvalidInput(field, f"không có người dùng '{username.strip()}'")
    return found


def _check_may_act_for(session: Session, by: Actor, giver: User, verb: str) -> None:
    """The giver, an admin at or above the giver's unit, or the operator (no user)."""
    if by.user_id is None or by.user_id == giver.id:
        return
    acting = session.get(User, by.user_id)
    mine = session.get(Unit, acting.unit_id) if acting else None
    theirs = session.get(Unit, giver.unit_id)
    if (acting is None or mine is None or theirs is None or acting.role != Role.ADMIN
            or not in_subtree(theirs.path, mine.path)):
        raise InvalidInput("from", f"chỉ người ủy quyền hoặc quản trị đơn vị mới được {verb}"
                                   " ủy quyền này")


def _check_no_overlap(session: Session, asked: DelegationAsked, giver: User, receiver: User,
                      today: date) -> None:
    for other in session.exec(select(Delegation).where(
            Delegation.from_user_id == giver.id, Delegation.to_user_id == receiver.id,
            Delegation.revoked_at.is_(None), Delegation.ends_on >= today)):  # type: ignore[union-attr]
        if overlaps(asked.starts_on, asked.ends_on, other.starts_on, other.ends_on):
            raise InvalidInput("starts_on", f"trùng thời gian với ủy quyền #{other.id}"
                                            f" ({other.starts_on:%d/%m/%Y} – "
                                            f"{other.ends_on:%d/%m/%Y}); hãy thu hồi nó trước")


def create_delegation(session: Session, asked: DelegationAsked, *, by: Actor,
                      now: datetime) -> Delegation:
    """Store the delegation and its audit row, or raise InvalidInput naming the field."""
    giver = _user(session, asked.from_username, "from")
    receiver = _user(session, asked.to_username, "to")
    if giver.id == receiver.id:
        raise InvalidInput("to", "không thể tự ủy quyền cho chính mình")
    if giver.unit_id != receiver.unit_id:
        raise InvalidInput("to", f"'{receiver.username}' không cùng đơn vị với"
                                 f" '{giver.username}': chỉ ủy quyền trong đơn vị")
    _check_may_act_for(session, by, giver, "lập")
    title = checked_title(asked.title)
    actions = checked_actions(asked.actions, giver.role, receiver.role)
    today = now.astimezone(LOCAL_TZ).date()
    checked_range(asked.starts_on, asked.ends_on, today)
    reason = free_text(asked.reason.strip(), "reason", REASON_MAX_CHARS)
    _check_no_overlap(session, asked, giver, receiver, today)
    delegation = Delegation(
        from_user_id=giver.id or 0, to_user_id=receiver.id or 0, actions=actions,
        starts_on=asked.starts_on, ends_on=asked.ends_on, title=title, reason=reason,
        created_by=by.signed or by.person, created_at=now)
    session.add(delegation)
    session.flush()
    record_audit(session, _in_unit(session, by, giver), "delegation.create",
                 subject_type="delegation", subject_id=delegation.id or 0, now=now,
                 summary=f"Ủy quyền ({title} {TITLE_WORDS[title]}) cho {receiver.full_name}"
                         f" thay {giver.full_name} từ {asked.starts_on:%d/%m/%Y} đến"
                         f" {asked.ends_on:%d/%m/%Y}: {rights_words(actions)}",
                 detail={"from": giver.username, "to": receiver.username,
                         "starts_on": asked.starts_on.isoformat(),
                         "ends_on": asked.ends_on.isoformat(), "actions": actions,
                         "title": title, "reason": reason})
    return delegation


def revoke_delegation(session: Session, delegation_id: int, *, by: Actor, now: datetime,
                      reason: str = "") -> Delegation:
    """End a delegation before its last day (the giver, the delegate giving it back, an
    admin, the operator); a revoked or ended one is refused."""
    delegation = session.get(Delegation, delegation_id)
    if delegation is None:
        raise InvalidInput("id", f"không có ủy quyền #{delegation_id}")
    giver = session.get(User, delegation.from_user_id)
    receiver = session.get(User, delegation.to_user_id)
    assert giver is not None and receiver is not None
    if by.user_id != receiver.id:
        _check_may_act_for(session, by, giver, "thu hồi")
    today = now.astimezone(LOCAL_TZ).date()
    if delegation.revoked_at is not None:
        raise InvalidInput("id", f"ủy quyền #{delegation_id} đã được thu hồi")
    if delegation.ends_on < today:
        raise InvalidInput("id", f"ủy quyền #{delegation_id} đã hết hạn ngày"
                                 f" {delegation.ends_on:%d/%m/%Y}")
    reason = free_text(reason.strip(), "reason", REASON_MAX_CHARS)
    delegation.revoked_at = now
    session.add(delegation)
    record_audit(session, _in_unit(session, by, giver), "delegation.revoke",
                 subject_type="delegation", subject_id=delegation_id, now=now,
                 summary=f"Thu hồi ủy quyền #{delegation_id} ({delegation.title}) cho"
                         f" {receiver.full_name} thay {giver.full_name}"
                         + (f": {reason}" if reason else ""),
                 detail={"from": giver.username, "to": receiver.username, "reason": reason})
    return delegation


def _in_unit(session: Session, by: Actor, giver: User) -> Actor:
    """The operator's row is filed under the giver's unit (whose audit shows it)."""
    if by.user_id is not None:
        return by
    unit = session.get(Unit, giver.unit_id)
    assert unit is not None
    return Actor(unit_code=unit.code, person=by.person, role=by.role)
