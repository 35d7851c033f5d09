"""Accounts: add users, check passwords (argon2, argon2-cffi), change a password, and the
login throttle: growing waits per (user name, address), never a lock on the user alone."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlmodel import Session
from sqlmodel import select as model_select

from ..db.lookup import unit_by_code
from ..domain.accounts import LoginAttempt, Role, User, login_attempt_table, login_wait
from ..domain.acting import Actor, command_line
from ..domain.email_address import BadAddress, normalise_address
from ..domain.errors import InvalidInput
from ..domain.permissions import Action, require
from ..domain.scope import in_subtree
from ..domain.units import Unit
from .audit import record_audit
from .sessions import end_sessions

_hasher = PasswordHasher()
WINDOW = timedelta(hours=1)  # failures older than this are forgotten
ADDRESS_WINDOW = timedelta(minutes=15)


class TooManyAttempts(Exception):
    """Too many failed logins for this user name from this address (or from this address in
    all): wait `retry_after`."""

    def __init__(self, retry_after: timedelta) -> None:
        self.retry_after = retry_after
        super().__init__(f"retry after {retry_after}")


def add_user(session: Session, *, username: str, full_name: str, unit_code: str, role: str,
             password: str, now: datetime, email: str = "", by: Actor | None = None) -> User:
    """`by`, when a person: an admin (Action.MANAGE_USERS) adding a user of its own unit or a
    unit below it. Audited."""
    _check_role(role)
    _check_password(password)
    if session.exec(model_select(User).where(User.username == username)).first():
        raise InvalidInput("username", f"'{username}' already exists")
    unit = unit_by_code(session, unit_code)
    assert unit.id is not None
    if by is not None and by.user_id is not None:
        _check_manages(session, by, unit)
    user = User(username=username, full_name=full_name, unit_id=unit.id, role=role,
                password_hash=_hasher.hash(password), created_at=now,
                email=_email(email))
    session.add(user)
    session.flush()
    record_audit(session, by or command_line(unit.code), "user.add", subject_type="user",
                 subject_id=username, now=now,
                 summary=f"Tạo tài khoản {username} ({full_name}), {unit.name}, vai trò"
                         f" {Role(role).label.lower()}",
                 detail={"unit": unit.code, "role": role})
    return user


def change_role(session: Session, *, username: str, role: str, now: datetime,
                by: Actor | None = None) -> User:
    """Set a user's role (staff | head | admin); its sessions end (the menu and rights change
    at the next sign-in). Audited with the old and new role."""
    _check_role(role)
    user = user_named(session, username)
    unit = session.get(Unit, user.unit_id)
    assert unit is not None
    if by is not None and by.user_id is not None:
        _check_manages(session, by, unit)
        if by.user_id == user.id:
            raise InvalidInput("role", "không tự đổi vai trò của chính mình")
    old, user.role = user.role, role
    session.add(user)
    end_sessions(session, user, now=now)
    record_audit(session, by or command_line(unit.code), "user.role", subject_type="user",
                 subject_id=username, now=now,
                 summary=f"Đổi vai trò của {username} ({user.full_name}):"
                         f" {Role(old).label.lower()} → {Role(role).label.lower()}",
                 detail={"from": old, "to": role})
    return user


def _email(address: str) -> str:
    """A person's own address for their reminders ("" = none), checked and normalised."""
    if not address.strip():
        return ""
    try:
        return normalise_address(address.strip())
    except BadAddress as exc:
        raise InvalidInput("email", exc.problem) from None


def _check_role(role: str) -> None:
    if role not in {r.value for r in Role}:
        raise InvalidInput("role", f"'{role}' is not one of: {', '.join(r.value for r in Role)}")


def _check_manages(session: Session, by: Actor, unit: Unit) -> None:
    """An admin manages the users of its own unit and of the units below it."""
    require(by.role, Action.MANAGE_USERS)
    own = unit_by_code(session, by.unit_code)
    if not in_subtree(unit.path, own.path):
        raise InvalidInput("unit", f"{unit.name} không thuộc {own.name}: chỉ quản lý tài khoản"
                                   " của đơn vị mình và đơn vị trực thuộc")


def _check_password(password: str) -> None:
    if len(password) < 10:
        raise InvalidInput("password", "at least 10 characters")


def user_named(session: Session, username: str) -> User:
    user = session.exec(model_select(User).where(User.username == username)).first()
    if user is None or user.id is None:
        raise InvalidInput("username", f"no user '{username}'")
    return user


def change_password(session: Session, *, username: str, password: str, now: datetime,
                    keep_session: str | None = None, by: Actor | None = None) -> int:
    """Set a new password; every session of the user ends (but `keep_session`, the raw id
    of the browser that changed it). Returns how many sessions ended. Audited (not the
    password)."""
    _check_password(password)
    user = user_named(session, username)
    user.password_hash = _hasher.hash(password)
    session.add(user)
    unit = session.get(Unit, user.unit_id)
    assert unit is not None
    record_audit(session, by or command_line(unit.code), "user.password", subject_type="user",
                 subject_id=username, now=now, summary=f"Đổi mật khẩu của {username}")
    return end_sessions(session, user, now=now, keep=keep_session)


def authenticate(session: Session, *, username: str, password: str, client: str,
                 now: datetime, per_address_limit: int) -> User | None:
    """The user, or None for a wrong name or password; raises TooManyAttempts while this
    (name, address) pair must wait, or this address has failed too often in 15 minutes.
    An unknown name costs one argon2 verification too, so it answers as slowly."""
    pair, address = f"pair:{username.lower()}|{client}"[:128], f"ip:{client}"[:128]
    _throttle(session, pair, address, now=now, per_address_limit=per_address_limit)
    user = session.exec(model_select(User).where(User.username == username)).first()
    if _matches(user.password_hash if user else dummy_hash(), password) and user is not None:
        session.execute(delete(login_attempt_table).where(login_attempt_table.c.key == pair))
        return user
    session.add_all([LoginAttempt(key=key, at=now) for key in (pair, address)])
    return None


def _throttle(session: Session, pair: str, address: str, *, now: datetime,
              per_address_limit: int) -> None:
    c = login_attempt_table.c
    session.execute(delete(login_attempt_table).where(c.at < now - WINDOW))
    failures, last = session.execute(select(func.count(), func.max(c.at)).where(
        c.key == pair)).one()
    wait = login_wait(failures, last, now=now)
    if wait > timedelta(0):
        raise TooManyAttempts(wait)
    from_address = session.execute(select(func.count()).where(
        c.key == address, c.at >= now - ADDRESS_WINDOW)).scalar_one()
    if from_address >= per_address_limit:
        raise TooManyAttempts(ADDRESS_WINDOW)


def verify_password(user: User, password: str) -> bool:
    return _matches(user.password_hash, password)


@cache
def dummy_hash() -> str:
    """What an unknown user name's password is checked against (same argon2 parameters)."""
    return _hasher.hash("chidao-no-such-user")


def _matches(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False
