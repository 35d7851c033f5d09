"""People and machines that use chidao: users of a unit with a role, API tokens, and the
rules of what a user may read and do (pure: paths and ids in, yes or no out)."""

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from .dbtypes import UTCDateTime


class Role(StrEnum):
    STAFF = "staff"  # chuyên viên / giáo viên
    HEAD = "head"  # lãnh đạo đơn vị
    ADMIN = "admin"  # quản trị (the unit's subtree)

    @property
    def label(self) -> str:
        """As pages and the audit say it."""
        return {"staff": "Chuyên viên", "head": "Lãnh đạo đơn vị", "admin": "Quản trị"}[self.value]


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    full_name: str
    unit_id: int = Field(foreign_key="unit.id", index=True)
    role: str = Field(sa_column=Column(String(16), nullable=False))
    password_hash: str
    # The person's own address, for their personal reminders ("" = none: the unit's mail).
    email: str = Field(default="", sa_column=Column(String(254), nullable=False,
                                                    server_default=""))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    name: str
    token_sha256: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class UserSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a random id, the table only its SHA-256, so a
    session ends on the server (logout, password change, an admin) on the next request."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    id_sha256: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_seen_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class LoginAttempt(SQLModel, table=True):
    """Failed logins, by user name and by client address: the rate limit counts these."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(128), nullable=False, index=True))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))


login_attempt_table = SQLModel.metadata.tables["login_attempt"]


def session_alive(created_at: datetime, last_seen_at: datetime, revoked_at: datetime | None,
                  *, now: datetime, idle: timedelta, absolute: timedelta) -> bool:
    """A session ends when revoked, idle longer than `idle`, or older than `absolute`."""
    return revoked_at is None and now - last_seen_at <= idle and now - created_at <= absolute


def token_usable(expires_at: datetime | None, revoked_at: datetime | None, *,
                 now: datetime) -> bool:
    return revoked_at is None and (expires_at is None or now < expires_at)


FREE_FAILURES = 5  # wrong passwords for one (user, address) before any wait
MAX_WAIT = timedelta(minutes=15)


def login_wait(failures: int, last_failure: datetime | None, *, now: datetime) -> timedelta:
    """How long a (user, address) pair must still wait: none for the first FREE_FAILURES
    failures, then 2, 4, 8 … seconds after the last failure, at most MAX_WAIT."""
    if failures < FREE_FAILURES or last_failure is None:
        return timedelta(0)
    wait = min(timedelta(seconds=2 ** min(failures - FREE_FAILURES + 1, 20)), MAX_WAIT)
    return max(last_failure + wait - now, timedelta(0))


def in_subtree(path: str, of_path: str) -> bool:
    """Is the unit at `path` the unit at `of_path` or below it?"""
    return path.startswith(of_path)


def may_read_unit(user_unit_path: str, unit_path: str) -> bool:
    """A user reads its own unit's subtree."""
    return in_subtree(unit_path, user_unit_path)


def may_read_run(user_unit_path: str, run_unit_path: str, issuer_path: str) -> bool:
    """A run is read by its unit's subtree's users and by its issuer's."""
    return in_subtree(run_unit_path, user_unit_path) or in_subtree(issuer_path, user_unit_path)
