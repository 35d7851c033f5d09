"""People and machines that use chidao: users of a unit with a role, API tokens, and the
rules of what a user may read and do (pure: paths and ids in, yes or no out)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from domain.dbtypes import UTCDateTime


class Role(StrEnum):
    STAFF = "staff"  # chuyên viên / giáo viên
    HEAD = "head"  # lãnh đạo đơn vị
    ADMIN = "admin"  # quản trị (the unit's subtree)


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    full_name: str
    unit_id: int = Field(foreign_key="unit.id", index=True)
    role: str = Field(sa_column=Column(String(16), nullable=False))
    password_hash: str
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    name: str
    token_sha256: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class LoginAttempt(SQLModel, table=True):
    """Failed logins, by user name and by client address: the rate limit counts these."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(128), nullable=False, index=True))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))


login_attempt_table = SQLModel.metadata.tables["login_attempt"]


def in_subtree(path: str, of_path: str) -> bool:
    """Is the unit at `path` the unit at `of_path` or below it?"""
    return path.startswith(of_path)


def may_read_unit(user_unit_path: str, unit_path: str) -> bool:
    """A user reads its own unit's subtree."""
    return in_subtree(unit_path, user_unit_path)


def may_read_run(user_unit_path: str, run_unit_path: str, issuer_path: str) -> bool:
    """A run is read by its unit's subtree's users and by its issuer's."""
    return in_subtree(run_unit_path, user_unit_path) or in_subtree(issuer_path, user_unit_path)
