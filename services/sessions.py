"""Server-side sessions and API tokens: created with a random secret shown once, stored as
its SHA-256, ended on the server (logout, password change, an admin, expiry)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col
from sqlmodel import select as model_select

from ..domain.accounts import ApiToken, User, UserSession, session_alive, token_usable
from ..domain.errors import InvalidInput

TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often


def secret_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()



@dataclass(frozen=True)
class Timeouts:
    idle: timedelta
    absolute: timedelta


def start_session(session: Session, user: User, *, now: datetime) -> str:
    """A new session for `user`; returns the raw id for the cookie."""
    assert user.id is not None
    raw = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user.id, id_sha256=secret_hash(raw), created_at=now,
                            last_seen_at=now))
    return raw


def session_user(session: Session, raw: str, *, now: datetime,
                 timeouts: Timeouts) -> tuple[User, bool] | None:
    """The user of a live session and whether last_seen_at is due to be written."""
    found = session.exec(model_select(UserSession).where(
        UserSession.id_sha256 == secret_hash(raw))).first()
    if found is None or not session_alive(found.created_at, found.last_seen_at,
                                          found.revoked_at, now=now, idle=timeouts.idle,
                                          absolute=timeouts.absolute):
        return None
    user = session.get(User, found.user_id)
    return (user, now - found.last_seen_at >= TOUCH_EVERY) if user else None


def touch_session(session: Session, raw: str, *, now: datetime) -> None:
    session.execute(update(UserSession).where(
        col(UserSession.id_sha256) == secret_hash(raw)).values(last_seen_at=now))


def end_session(session: Session, raw: str, *, now: datetime) -> None:
    session.execute(update(UserSession).where(
        col(UserSession.id_sha256) == secret_hash(raw),
        col(UserSession.revoked_at).is_(None)).values(revoked_at=now))


def end_sessions(session: Session, user: User, *, now: datetime, keep: str | None = None) -> int:
    """End every live session of `user` (but `keep`, a raw id); returns how many."""
    where = [col(UserSession.user_id) == user.id, col(UserSession.revoked_at).is_(None)]
    if keep:
        where.append(col(UserSession.id_sha256) != secret_hash(keep))
    result = session.execute(update(UserSession).where(*where).values(revoked_at=now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def create_token(session: Session, *, user: User, name: str, now: datetime,
                 days: int = 90) -> str:
    """A new API token for `user`, valid `days` days; the raw token is shown once."""
    if not 1 <= days <= 3650:
        raise InvalidInput("days", f"{days} is not between 1 and 3650")
    assert user.id is not None
    raw = "chd_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, token_sha256=secret_hash(raw),
                         created_at=now, expires_at=now + timedelta(days=days)))
    return raw


def user_by_token(session: Session, raw: str, *, now: datetime) -> User | None:
    token = session.exec(model_select(ApiToken).where(
        ApiToken.token_sha256 == secret_hash(raw))).first()
    if token is None or not token_usable(token.expires_at, token.revoked_at, now=now):
        return None
    return session.get(User, token.user_id)


def user_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.exec(model_select(ApiToken).where(
        ApiToken.user_id == user.id).order_by(col(ApiToken.id))))


def revoke_token(session: Session, token_id: int, *, now: datetime) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise InvalidInput("revoke", f"no API token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = now
        session.add(token)
    return token


def user_sessions(session: Session, user: User) -> list[UserSession]:
    """The user's sessions, newest first (ended ones too: revoked_at says when)."""
    return list(session.exec(model_select(UserSession).where(
        UserSession.user_id == user.id).order_by(col(UserSession.id).desc())))
