"""Calendar feeds (ICS): one secret token per feed, of a unit or of a person; the table keeps
only the token's SHA-256, so a leaked database gives no working address; a reset revokes the
old token (its address answers 404) and makes a new one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from .dbtypes import UTCDateTime


class FeedToken(SQLModel, table=True):
    __tablename__ = "feed_token"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    token_sha256: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_by: str = Field(default="", sa_column=Column(String(200), nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


feed_token_table = SQLModel.metadata.tables["feed_token"]
