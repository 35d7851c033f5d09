"""Idempotency keys of the JSON API: a POST carrying `Idempotency-Key` is done once per
(user, key); a retry with the same key and the same request gets the stored answer, with a
different request a 422, and nothing is created twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from .dbtypes import UTCDateTime


class IdempotentRequest(SQLModel, table=True):
    __tablename__ = "idempotent_request"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotent_request_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    key: str = Field(sa_column=Column(String(128), nullable=False))
    request_sha256: str = Field(sa_column=Column(String(64), nullable=False))  # method+path+body
    status_code: int
    response: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))


idempotent_request_table = SQLModel.metadata.tables["idempotent_request"]
