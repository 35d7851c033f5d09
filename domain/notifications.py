"""The outbox: one notification per (run, stage), grouped into digest messages for sending."""

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, LargeBinary, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from .dbtypes import UTCDateTime


class MessageStatus(StrEnum):
    QUEUED = "queued"  # waiting for its next attempt
    SENDING = "sending"  # claimed by a worker until claimed_until
    SENT = "sent"
    FAILED = "failed"  # permanent failure (bad address, too many attempts): for the dashboard
    WITHDRAWN = "withdrawn"  # never sent: every run it spoke of was handed in or closed first

    @property
    def label(self) -> str:
        """As the dashboard shows it."""
        return {"queued": "chờ gửi", "sending": "đang gửi", "sent": "đã gửi", "failed": "lỗi",
                "withdrawn": "không gửi (việc đã xong)"}[self.value]


class Notification(SQLModel, table=True):
    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("assignment_id", "stage", name="uq_notification_stage"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id")
    stage: str = Field(sa_column=Column(String(64), nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    to_unit_id: int = Field(foreign_key="unit.id")
    # A person of the unit the notice is for (a task's lead: chidao.domain.people); None =
    # the unit's own mailbox.
    to_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    cc_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    note: str = ""
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    message_id: int | None = Field(default=None, foreign_key="outbound_message.id", index=True)


class OutboundMessage(SQLModel, table=True):
    """One email: a digest of the notifications for one recipient unit (and one cc unit)."""

    __tablename__ = "outbound_message"
    __table_args__ = (Index("ix_outbound_message_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    to_unit_id: int = Field(foreign_key="unit.id", index=True)
    to_user_id: int | None = Field(default=None, foreign_key="app_user.id")  # a person's mail
    cc_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    header_id: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    claimed_by: str | None = None
    claimed_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    smtp_reply: str = ""
    last_error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Rendered once when the digest is composed (the bytes in outbound_message_body): a retry
    # re-sends exactly these bytes, and the dashboard shows exactly what went out.
    subject: str = ""
    sender: str = ""
    recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class OutboundMessageBody(SQLModel, table=True):
    """A composed message's MIME bytes, apart from the row whose status every claim and every
    outcome rewrites: those updates then do not copy ~2 KB of body each time."""

    __tablename__ = "outbound_message_body"

    message_id: int = Field(foreign_key="outbound_message.id", primary_key=True)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


notification_table = SQLModel.metadata.tables["notification"]
message_table = SQLModel.metadata.tables["outbound_message"]
message_body_table = SQLModel.metadata.tables["outbound_message_body"]

MAX_ATTEMPTS = 12
_BACKOFF_MINUTES = (1, 2, 5, 10, 30, 60)


def retry_at(attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed tries; None once it is time to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + timedelta(minutes=_BACKOFF_MINUTES[min(attempts, len(_BACKOFF_MINUTES)) - 1])
