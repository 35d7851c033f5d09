"""Units (đơn vị): an organisation tree of any depth and kind, with a materialised path."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from .dbtypes import UTCDateTime


class UnitKind(StrEnum):
    MINISTRY = "ministry"
    DEPARTMENT = "department"
    PEOPLE_COMMITTEE = "people_committee"
    OFFICE = "office"
    SCHOOL = "school"
    INDEPENDENT_CLASS = "independent_class"
    TEAM = "team"

    @property
    def label(self) -> str:
        return UNIT_KIND_LABELS[self]


UNIT_KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.MINISTRY: "Bộ",
    UnitKind.DEPARTMENT: "Sở",
    UnitKind.PEOPLE_COMMITTEE: "UBND xã/phường/đặc khu",
    UnitKind.OFFICE: "Phòng",
    UnitKind.SCHOOL: "Trường",
    UnitKind.INDEPENDENT_CLASS: "Nhóm/lớp độc lập",
    UnitKind.TEAM: "Bộ phận",
}


class Unit(SQLModel, table=True):
    __tablename__ = "unit"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    name: str
    kind: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    emails: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    symbol: str = ""
    # What Nghị định 30 prints and the tree cannot tell (None: the kind's default, see
    # domain/signing.py): the governing body over the header ("ỦY BAN NHÂN DÂN TỈNH AN GIANG"
    # for a Sở, none for a UBND), the issuer's name as printed under it, the place name of
    # the date line (địa danh), and how the unit signs: a collective body signs
    # "TM. <collective_name>" over its head's title; a head signs in their own title, a
    # deputy "KT. <head_title>" over their own.
    governing_body: str | None = None
    header_name: str | None = None  # the issuer as printed: "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    place_name: str | None = None
    collective_name: str | None = None
    head_title: str | None = None
    deputy_title: str | None = None
    # "/1/7/42/": ids from the root down to this unit; a subtree is a path-prefix range.
    # Binary collation: the subtree range query compares "/" and digits byte by byte.
    path: str = Field(default="", sa_column=Column(
        String(512).with_variant(String(512, collation="C"), "postgresql"),
        nullable=False, index=True))
    depth: int = 0
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class UnitAncestor(SQLModel, table=True):
    """Closure of the tree: one row per (unit, ancestor-or-self), for rollups in SQL."""

    __tablename__ = "unit_ancestor"

    unit_id: int = Field(foreign_key="unit.id", primary_key=True)
    ancestor_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    depth: int  # the ancestor's depth


unit_table = SQLModel.metadata.tables["unit"]
unit_ancestor_table = SQLModel.metadata.tables["unit_ancestor"]


def subtree_bounds(path: str) -> tuple[str, str]:
    """[low, high) such that low <= p < high selects `path` and every path below it."""
    return path, path[:-1] + chr(ord("/") + 1)
