"""Accounts: add users, check passwords (argon2, argon2-cffi), API tokens, login rate limit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlmodel import Session
from sqlmodel import select as model_select

from domain.accounts import ApiToken, LoginAttempt, Role, User, login_attempt_table
from domain.errors import InvalidInput
from flows.lookup import unit_by_code

_hasher = PasswordHasher()
WINDOW = timedelta(minutes=15)


class TooManyAttempts(Exception):
    """Too many failed logins for this user name or address: wait."""


def add_user(session: Session, *, username: str, full_name: str, unit_code: str, role: str,
             password: str, now: datetime) -> User:
    if role not in {r.value for r in Role}:
        raise InvalidInput("role", f"'{role}' is not one of: {', '.join(r.value for r in Role)}")
    if len(password) < 10:
        raise InvalidInput("password", "at least 10 characters")
    if session.exec(model_select(User).where(User.username == username)).first():
        raise InvalidInput("username", f"'{username}' already exists")
    unit = unit_by_code(session, unit_code)
    assert unit.id is not None
    user = User(username=username, full_name=full_name, unit_id=unit.id, role=role,
                password_hash=_hasher.hash(password), created_at=now)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, username: str, password: str, client: str,
                 now: datetime, limit: int) -> User | None:
    """The user, or None for a wrong name or password; raises when rate limited."""
    keys = [f"user:{username.lower()}", f"ip:{client}"]
    attempts = login_attempt_table.c
    session.execute(delete(login_attempt_table).where(attempts.at < now - WINDOW))
    recent = session.execute(select(func.count()).where(
        attempts.key.in_(keys), attempts.at >= now - WINDOW).group_by(attempts.key)).scalars()
    if max(recent, default=0) >= limit:
        raise TooManyAttempts()
    user = session.exec(model_select(User).where(User.username == username)).first()
    if user is not None and _matches(user.password_hash, password):
        return user
    session.add_all([LoginAttempt(key=key, at=now) for key in keys])
    return None


def _matches(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def create_token(session: Session, *, username: str, name: str, now: datetime) -> str:
    user = session.exec(model_select(User).where(User.username == username)).first()
    if user is None or user.id is None:
        raise InvalidInput("username", f"no user '{username}'")
    raw = "chd_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, token_sha256=token_hash(raw),
                         created_at=now))
    return raw


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def user_by_token(session: Session, raw: str) -> User | None:
    token = session.exec(model_select(ApiToken).where(
        ApiToken.token_sha256 == token_hash(raw))).first()
    return session.get(User, token.user_id) if token else None
