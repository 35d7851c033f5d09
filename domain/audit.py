"""The audit trail of what people do besides moving a run's status (which assignment_event
records): issuing, recalling and amending directives, importing units, account and role
changes, delegations, task holders. Every row names the unit and the person (and, for a
delegate, the person they stand in for)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, String, Text
from sqlmodel import Field, SQLModel

from .dbtypes import UTCDateTime


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_subject", "subject_type", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    unit_code: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    person: str = Field(default="", sa_column=Column(String(200), nullable=False))
    # A delegate's "KT. Lê Thị Ngọc Hân" (chidao.domain.acting.Actor.behalf); "" = oneself.
    on_behalf_of: str = Field(default="", sa_column=Column(String(200), nullable=False))
    action: str = Field(sa_column=Column(String(48), nullable=False))  # "directive.issue"
    subject_type: str = Field(sa_column=Column(String(32), nullable=False))  # "directive"
    subject_id: str = Field(sa_column=Column(String(64), nullable=False))
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))  # Vietnamese
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


audit_event_table = SQLModel.metadata.tables["audit_event"]
