"""People inside a unit: who holds a task (chủ trì, phối hợp, để biết) and who stands in for
whom (ủy quyền: a user's unit rights lent to another user of the unit for a range of days).

Pure tables and rules: the services (chidao.services.holders, chidao.services.acting) read
and write them in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, String, Text
from sqlmodel import Field, SQLModel

from .dbtypes import UTCDateTime
from .permissions import Action


class HolderRole(StrEnum):
    LEAD = "lead"  # chủ trì: does the task, gets the personal reminders
    COOPERATE = "cooperate"  # phối hợp
    WATCH = "watch"  # để biết

    @property
    def label(self) -> str:
        return {"lead": "chủ trì", "cooperate": "phối hợp", "watch": "để biết"}[self.value]


class TaskHolder(SQLModel, table=True):
    """One person put on one run by the unit's head (or a staff member allowed to): at most
    one live lead per run; `due_on` is the person's own deadline, never after the unit's.
    A removed holder keeps its row (removed_at) so the record stays whole."""

    __tablename__ = "task_holder"
    __table_args__ = (Index("ix_task_holder_user_live", "user_id", "removed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    user_id: int = Field(foreign_key="app_user.id")
    role: HolderRole = Field(sa_column=Column(String(16), nullable=False))
    due_on: date | None = None  # None = the unit's deadline
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    assigned_by: str = Field(default="", sa_column=Column(String(200), nullable=False))
    assigned_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    removed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Delegation(SQLModel, table=True):
    """`from_user` lends `actions` (all of its unit rights when empty) to `to_user` from
    `starts_on` to `ends_on` inclusive (Vietnam days); it ends by itself after `ends_on` and
    can be revoked before. `title` is how the delegate signs: "KT." (ký thay) or "Q."."""

    __tablename__ = "delegation"

    id: int | None = Field(default=None, primary_key=True)
    from_user_id: int = Field(foreign_key="app_user.id", index=True)
    to_user_id: int = Field(foreign_key="app_user.id", index=True)
    actions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    starts_on: date
    ends_on: date
    title: str = Field(default="KT.", sa_column=Column(String(8), nullable=False))
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_by: str = Field(default="", sa_column=Column(String(200), nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


task_holder_table = SQLModel.metadata.tables["task_holder"]
delegation_table = SQLModel.metadata.tables["delegation"]


def delegation_live(delegation: Delegation, today: date) -> bool:
    """In force on `today` (a Vietnam date): started, not ended, not revoked."""
    return (delegation.revoked_at is None
            and delegation.starts_on <= today <= delegation.ends_on)


def delegation_grants(delegation: Delegation, action: Action) -> bool:
    """Does the delegation lend `action`? (An empty list lends every right of the unit.)"""
    return not delegation.actions or action.value in delegation.actions


def granting(delegations: Iterable[Delegation], action: Action, today: date
             ) -> Delegation | None:
    """The first live delegation lending `action`, if any (lowest id: the oldest)."""
    live = [d for d in delegations if delegation_live(d, today) and delegation_grants(d, action)]
    return min(live, key=lambda d: d.id or 0) if live else None
