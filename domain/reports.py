"""Report tables: forms, versioned submissions, their attachments, and the values the rollup
aggregates in SQL (one row per run and field: the run's latest submission)."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from .dbtypes import UTCDateTime
from .forms import FormSpec


class SubmissionState(StrEnum):
    DRAFT = "draft"  # pre-filled by the aggregation, not yet handed in
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return {"draft": "bản tổng hợp sẵn (chưa nộp)", "submitted": "đã nộp",
                "returned": "bị trả lại", "accepted": "được chấp nhận"}[self.value]


class ReportForm(SQLModel, table=True):
    __tablename__ = "report_form"
    __table_args__ = (UniqueConstraint("issuer_id", "key", "version",
                                       name="uq_report_form_issuer_key_version"),)

    id: int | None = Field(default=None, primary_key=True)
    # the unit whose directive defined it: a form key is that unit's name (None: a form of
    # a database before 0009 that no requirement used)
    issuer_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    key: str = Field(sa_column=Column(String(64), nullable=False))
    version: int
    title: str
    fields: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def form_spec(form: ReportForm) -> FormSpec:
    """The form a stored row describes, validated as when it was defined."""
    return FormSpec.model_validate({"key": form.key, "version": form.version,
                                    "title": form.title, "fields": form.fields})


class Submission(SQLModel, table=True):
    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("assignment_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    version: int
    state: str = Field(sa_column=Column(String(16), nullable=False))
    values: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    note: str = ""
    actor: str
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    review_note: str = ""
    # A pre-filled draft's basis: when and from whom it was computed, and what changed since
    # the previous computation (flows/drafts.py); None for what a unit handed in.
    basis: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Attachment(SQLModel, table=True):
    __tablename__ = "attachment"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    name: str  # sanitised original name, for display only
    stored_as: str  # the file's name on disk: generated, never from the upload
    size: int
    sha256: str


def size_text(size: int) -> str:
    """A size as a person reads it, Vietnamese style: 512 byte, 64 KB, 10,5 MB."""
    if size < 1024:
        return f"{size} byte"
    value, unit = (size / 1024, "KB") if size < 1024 * 1024 else (size / 1024 / 1024, "MB")
    return f"{value:.1f}".replace(".", ",").removesuffix(",0") + f" {unit}"


class ReportValue(SQLModel, table=True):
    __tablename__ = "report_value"
    __table_args__ = (Index("ix_report_value_requirement", "requirement_id", "period"),
                      Index("ix_report_value_unit", "unit_id"))

    assignment_id: int = Field(foreign_key="assignment.id", primary_key=True)
    field: str = Field(sa_column=Column(String(48), primary_key=True))
    requirement_id: int = Field(foreign_key="requirement.id")
    period: str = Field(sa_column=Column(String(32), nullable=False))
    unit_id: int = Field(foreign_key="unit.id")
    number: float | None = None
    text: str | None = None
    weight: float | None = None
    accepted: bool = False


report_value_table = SQLModel.metadata.tables["report_value"]
