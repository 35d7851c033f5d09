"""Directives (văn bản), their requirements (nhiệm vụ), and "căn cứ" citations."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from .dbtypes import UTCDateTime
from .text import folded


class DocType(StrEnum):
    """Type codes of Nghị định 30/2020 (công văn has none)."""

    KH = "KH"
    TB = "TB"
    QD = "QĐ"
    CT = "CT"
    HD = "HD"
    BC = "BC"
    CTR = "CTr"
    DA = "ĐA"
    TTR = "TTr"
    GM = "GM"
    CV = "CV"


DOC_TYPE_LABELS: dict[DocType, str] = {
    DocType.KH: "Kế hoạch", DocType.TB: "Thông báo", DocType.QD: "Quyết định",
    DocType.CT: "Chỉ thị", DocType.HD: "Hướng dẫn", DocType.BC: "Báo cáo",
    DocType.CTR: "Chương trình", DocType.DA: "Đề án", DocType.TTR: "Tờ trình",
    DocType.GM: "Giấy mời", DocType.CV: "Công văn",
}


class RequirementKind(StrEnum):
    PLAN = "plan"
    REPORT = "report"
    ACTION = "action"

    @property
    def label(self) -> str:
        return {"plan": "xây dựng kế hoạch", "report": "báo cáo", "action": "thực hiện"}[self]


def _search_text(context: Any) -> str:
    """What a new directive is found by, computed at insert from the row's own columns,
    whoever inserts it (see search_text)."""
    row = context.get_current_parameters()
    return search_text(row["doc_type"], row.get("number"), row["symbol"], row["title"])


def search_text(doc_type: str, number: str | None, symbol: str, title: str) -> str:
    """"Kế hoạch 1039/KH-SGDĐT Triển khai ..." folded (chidao.domain.text.folded): the type's
    name in words, so "ke hoach stem" finds a kế hoạch about STEM."""
    kind = next((label for code, label in DOC_TYPE_LABELS.items() if code == doc_type), "")
    return folded(f"{kind} {format_number_symbol(number, symbol)} {title}")


class Directive(SQLModel, table=True):
    __tablename__ = "directive"
    # One number per issuer per year, whatever its spelling: "08" and "8" are the same number.
    __table_args__ = (UniqueConstraint("issuer_id", "issue_year", "number_value"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(128), unique=True, nullable=False))
    number: str | None = Field(default=None, sa_column=Column(String(16)))  # as issued: "08"
    number_value: int | None = None  # 8 for "08": uniqueness and lookups by either spelling
    symbol: str
    doc_type: str = Field(sa_column=Column(String(8), nullable=False))
    issuer_id: int = Field(foreign_key="unit.id", index=True)
    issued_on: date
    issue_year: int
    title: str
    school_year: str
    issued_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # Thu hồi: the whole directive withdrawn (its open runs closed as cancelled, nothing
    # deleted); None while in force.
    recalled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    recall_reason: str = Field(default="", sa_column=Column(Text, nullable=False,
                                                           server_default=""))
    # 1 as issued; each amendment applied from a changed file adds one.
    revision: int = Field(default=1, sa_column=Column(Integer, nullable=False,
                                                     server_default="1"))
    # What search matches, accent-insensitively (filled at insert: see _search_text).
    search_text: str | None = Field(default=None, sa_column=Column(
        Text, nullable=False, default=_search_text))

    @property
    def number_symbol(self) -> str:
        return format_number_symbol(self.number, self.symbol)


def format_number_symbol(number: str | None, symbol: str) -> str:
    """NĐ 30's "08/KH-SGDĐT", the number as issued; a draft's blank number gives "/KH-UBND"."""
    return f"{number or ''}/{symbol}"


class Citation(SQLModel, table=True):
    """A "Căn cứ" link: `directive` implements `cited` (or an outside document, by text)."""

    __tablename__ = "citation"

    id: int | None = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="directive.id", index=True)
    cited_id: int | None = Field(default=None, foreign_key="directive.id", index=True)
    ref_text: str


class Requirement(SQLModel, table=True):
    __tablename__ = "requirement"
    __table_args__ = (UniqueConstraint("directive_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="directive.id", index=True)
    key: str
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    title: str
    target: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    due: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # The reminder ladder (PolicySpec fields), directive and requirement overrides merged.
    policy: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    form_id: int | None = Field(default=None, foreign_key="report_form.id")


class DirectiveFile(SQLModel, table=True):
    """A file of the directive itself (the signed document as issued, an annex), stored as
    handed-in files are (chidao.files.attachment_files), with its text when it has one."""

    __tablename__ = "directive_file"

    id: int | None = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="directive.id", index=True)
    name: str  # sanitised original name, for display only
    stored_as: str  # the file's name on disk: generated, never from the upload
    size: int
    sha256: str
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    added_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


directive_table = SQLModel.metadata.tables["directive"]
requirement_table = SQLModel.metadata.tables["requirement"]
