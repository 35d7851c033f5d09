"""The directive file schema (YAML), validated with pydantic; errors name the field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .directives import DocType, RequirementKind
from .errors import InvalidInput
from .forms import FormSpec
from .policy import PolicySpec
from .text import TITLE_MAX_CHARS, nfc
from .units import UnitKind

_VN_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_NUMBER_SYMBOL = re.compile(r"^\s*(?:Số\s*:?\s*)?([0-9]*)\s*/\s*(\S+?)\s*$", re.IGNORECASE)
_NUMBER_DIGITS = 9  # what the number_value column (a 32-bit integer) holds
_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_KEY = re.compile(r"^[\w.-]+$")
_FIELD_PREFIX = re.compile(r"^([a-z_]+): (.+)$", re.DOTALL)
# Days a directive, a deadline or an extension may name: calendar maths past year 9999 would
# overflow, and a plan dated 0001-01-01 is a typing slip.
EARLIEST_DAY, LATEST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def check_day_range(day: dt.date, field: str) -> dt.date:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidInput(field, f"ngày {day:%d/%m/%Y} nằm ngoài khoảng cho phép"
                                  f" ({EARLIEST_DAY:%d/%m/%Y} – {LATEST_DAY:%d/%m/%Y})")
    return day


def _in_range(value: dt.date | None) -> dt.date | None:
    if value is not None and not EARLIEST_DAY <= value <= LATEST_DAY:
        raise ValueError(f"{value.isoformat()} is outside {EARLIEST_DAY.isoformat()} to"
                         f" {LATEST_DAY.isoformat()}")
    return value


def parse_vn_date(value: Any) -> Any:
    """Accept dd/mm/yyyy (Vietnamese order) besides ISO dates; ValueError for 31/02/2026."""
    if isinstance(value, str) and (m := _VN_DATE.match(value)):
        try:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError as exc:
            raise ValueError(f"'{value.strip()}' does not exist ({exc})") from None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def parse_day(text: str) -> dt.date:
    """A day a person typed, dd/mm/yyyy or YYYY-MM-DD; ValueError saying what is wrong."""
    value = parse_vn_date(text)
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(f"'{text}' is not a date such as 30/04/2026") from None
    return _in_range(value)  # type: ignore[return-value]


def parse_number_symbol(text: str) -> tuple[str | None, str]:
    """`08/KH-SGDĐT` -> ("08", "KH-SGDĐT"), the number as issued (NĐ 30 numbers run from 01);
    a draft `/KH-UBND` -> (None, "KH-UBND")."""
    m = _NUMBER_SYMBOL.match(text)
    if not m:
        raise ValueError(f"'{text}' is not a number/symbol such as 1039/KH-SGDĐT or /KH-UBND")
    if len(m[1]) > _NUMBER_DIGITS or (m[1] and int(m[1]) == 0):
        raise ValueError(f"'{m[1]}' is not a document number (01 to {'9' * _NUMBER_DIGITS})")
    return (m[1] or None), m[2]


def doc_type_of(symbol: str) -> DocType:
    """The type code in front of the symbol; a công văn has none (issuer-drafting unit)."""
    head = symbol.split("-", 1)[0]
    for doc_type in DocType:
        if doc_type.value == head and doc_type is not DocType.CV:
            return doc_type
    return DocType.CV


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KindFilter(_Strict):
    kind: list[UnitKind] | None = None

    @field_validator("kind", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class TargetSpec(_Strict):
    """Who: explicit unit codes, direct children, or all descendants, optionally by kind."""

    units: list[str] | None = None
    children: KindFilter | None = None
    descendants: KindFilter | None = None
    exclude: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _exactly_one(self) -> TargetSpec:
        given = [n for n in ("units", "children", "descendants") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of: units, children, descendants")
        if self.units is not None and not self.units:
            raise ValueError("units: the list is empty")
        return self


class PeriodSpec(_Strict):
    period: str = Field(min_length=1, max_length=32)
    date: dt.date

    _vn = field_validator("date", mode="before")(lambda cls, v: parse_vn_date(v))
    _range = field_validator("date")(lambda cls, v: _in_range(v))


class DueSpec(_Strict):
    """When: one of an absolute date, N working days after issue, end of the school year
    (the day it ends, kết thúc năm học: a deadline for actions), N working days before the
    issuer's own deadline for a cited requirement, listed periods, calendar periods (`every`,
    for "trước ngày 25 hằng tháng"), or a named reporting calendar (`preset`, see
    domain/report_periods.py): nd09_monthly / nd09_quarterly / nd09_six_month / nd09_annual
    (NĐ 09/2019 Điều 12 cut-offs, due `after_cutoff` working days after), edu_statistics
    (the statistics cycle, 30/09 and 31/05, due at the Ministry 31/10 and 30/06; old name
    twice_a_year) and edu_year_end (báo cáo tổng kết năm học, due at the Ministry 30/06), the
    last two earlier for each lower level."""

    date: dt.date | None = None
    working_days_after_issue: int | None = Field(default=None, ge=0, le=366)
    end_of_school_year: bool = False
    before_parent: str | None = None
    working_days: int = Field(default=0, ge=0, le=366)
    periods: list[PeriodSpec] | None = None
    every: Literal["month", "quarter", "half_year", "year"] | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    day: int | None = Field(default=None, ge=1, le=31)
    months_after: int = Field(default=0, ge=0, le=12)
    preset: Literal["nd09_monthly", "nd09_quarterly", "nd09_six_month", "nd09_annual",
                    "edu_statistics", "edu_year_end", "twice_a_year"] | None = None
    # NĐ 09: at least one working day after the cut-off (0, accepted before, counts as 1)
    after_cutoff: int = Field(default=1, ge=0, le=60)

    _vn = field_validator("date", mode="before")(lambda cls, v: parse_vn_date(v))
    _range = field_validator("date")(lambda cls, v: _in_range(v))

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip() == "end_of_school_year":
            return {"end_of_school_year": True}
        if isinstance(value, dt.date | str):
            return {"date": value}
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> DueSpec:
        forms = [
            self.date is not None, self.working_days_after_issue is not None,
            self.end_of_school_year, self.before_parent is not None,
            self.periods is not None, self.every is not None, self.preset is not None,
        ]
        if sum(forms) != 1:
            raise ValueError(
                "give exactly one of: a date, working_days_after_issue, end_of_school_year,"
                " before_parent (+ working_days), periods, every (+ from, to), preset"
            )
        if self.every is not None:
            for name, value in (("from", self.from_), ("to", self.to)):
                if value is None or not _MONTH.match(value):
                    raise ValueError(f"{name}: give a month as YYYY-MM")
                if not EARLIEST_DAY.year <= int(value[:4]) <= LATEST_DAY.year:
                    raise ValueError(f"{name}: {value} is outside {EARLIEST_DAY.year} to"
                                     f" {LATEST_DAY.year}")
            assert self.from_ is not None and self.to is not None
            if self.to < self.from_:
                raise ValueError("to: the last month is before the first")
        return self


class RequirementSpec(_Strict):
    key: str = Field(min_length=1, max_length=64, pattern=_KEY.pattern)
    kind: RequirementKind
    title: str = Field(min_length=1, max_length=TITLE_MAX_CHARS)
    to: TargetSpec
    due: DueSpec
    reminders: PolicySpec | None = None
    form: str | None = None  # a report form's key ("key" = latest version, "key@2")

    @model_validator(mode="after")
    def _form_on_reports(self) -> RequirementSpec:
        if self.form is not None and self.kind is not RequirementKind.REPORT:
            raise ValueError("form: only a report requirement takes a form")
        return self


class DirectiveSpec(_Strict):
    key: str | None = Field(default=None, max_length=128, pattern=_KEY.pattern)
    number_symbol: str
    doc_type: DocType | None = None
    issuer: str = Field(min_length=1)
    issued_on: dt.date
    title: str = Field(min_length=1, max_length=TITLE_MAX_CHARS)
    school_year: str | None = None
    based_on: list[str] = Field(default_factory=list)
    reminders: PolicySpec | None = None
    forms: list[FormSpec] = Field(default_factory=list)
    requirements: list[RequirementSpec] = Field(default_factory=list)

    _vn = field_validator("issued_on", mode="before")(lambda cls, v: parse_vn_date(v))
    _range = field_validator("issued_on")(lambda cls, v: _in_range(v))

    @field_validator("number_symbol")
    @classmethod
    def _number_symbol(cls, value: str) -> str:
        parse_number_symbol(value)
        return value.strip()

    @field_validator("school_year")
    @classmethod
    def _school_year(cls, value: str | None) -> str | None:
        if value is None:
            return None
        m = _SCHOOL_YEAR.match(value.strip())
        if not m or int(m[2]) != int(m[1]) + 1:
            raise ValueError(f"'{value}' is not a school year such as 2025-2026")
        return f"{m[1]}-{m[2]}"

    @model_validator(mode="after")
    def _consistent(self) -> DirectiveSpec:
        number, symbol = parse_number_symbol(self.number_symbol)
        if self.doc_type is not None and self.doc_type is not doc_type_of(symbol):
            raise ValueError(
                f"doc_type: '{self.doc_type}' does not match the symbol '{symbol}'"
            )
        if number is None and self.key is None:
            raise ValueError("key: a directive with a blank number needs a key")
        keys = [r.key for r in self.requirements]
        if len(keys) != len(set(keys)):
            raise ValueError("requirements: two requirements share a key")
        return self

    @property
    def number(self) -> str | None:
        """As issued: "08"."""
        return parse_number_symbol(self.number_symbol)[0]

    @property
    def symbol(self) -> str:
        return parse_number_symbol(self.number_symbol)[1]

    @property
    def resolved_doc_type(self) -> DocType:
        return self.doc_type or doc_type_of(self.symbol)

    @property
    def resolved_school_year(self) -> str:
        if self.school_year:
            return self.school_year
        start = self.issued_on.year if self.issued_on.month >= 8 else self.issued_on.year - 1
        return f"{start}-{start + 1}"

    @property
    def resolved_key(self) -> str:
        return self.key or f"{self.issued_on.year}:{self.number_symbol}"


def field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(file)"


def parse_directive(data: Any) -> DirectiveSpec:
    """Validate a loaded YAML mapping; raise InvalidInput naming the first bad field."""
    try:
        return DirectiveSpec.model_validate(nfc(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        message = str(err["msg"]).removeprefix("Value error, ")
        loc = tuple(err["loc"])
        if (m := _FIELD_PREFIX.match(message)) is not None:
            loc, message = (*loc, m[1]), m[2]
        raise InvalidInput(field_path(loc), message) from None
