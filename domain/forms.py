"""Report forms (biểu mẫu): typed fields, how each aggregates, and submission validation
with a Vietnamese message naming the field."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .counts import parse_choice_counts, parse_count
from .errors import InvalidInput
from .text import NOTE_MAX_CHARS


class FieldType(StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    TEXT = "text"
    DATE = "date"


class Aggregate(StrEnum):
    SUM = "sum"
    MEAN = "mean"  # weighted by `weight`, another numeric field of the form
    MIN = "min"
    MAX = "max"
    COUNT_TRUE = "count_true"
    COUNT_PER_CHOICE = "count_per_choice"
    CONCAT = "concat"  # texts, each prefixed with the unit's name


NUMERIC = {FieldType.INTEGER, FieldType.DECIMAL}
_DEFAULT_AGGREGATE = {
    FieldType.INTEGER: Aggregate.SUM, FieldType.DECIMAL: Aggregate.SUM,
    FieldType.BOOLEAN: Aggregate.COUNT_TRUE, FieldType.CHOICE: Aggregate.COUNT_PER_CHOICE,
    FieldType.TEXT: Aggregate.CONCAT, FieldType.DATE: Aggregate.MAX,
}
_TYPE_WORDS = {
    FieldType.INTEGER: "một số nguyên (tối đa 15 chữ số)",
    FieldType.DECIMAL: "một số hữu hạn",
    FieldType.BOOLEAN: "có hoặc không", FieldType.DATE: "một ngày (dd/mm/yyyy)",
    FieldType.TEXT: "một đoạn văn bản", FieldType.CHOICE: "một lựa chọn",
}


class FormField(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=48)
    label: str = Field(min_length=1)
    type: FieldType
    unit: str = ""
    required: bool = False
    min: float | None = None
    max: float | None = None
    choices: list[str] = Field(default_factory=list)
    aggregate: Aggregate | None = None
    weight: str | None = None

    @property
    def how(self) -> Aggregate:
        return self.aggregate or _DEFAULT_AGGREGATE[self.type]


class FormSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[\w.-]+$", max_length=64)
    version: int = Field(default=1, ge=1)
    title: str = Field(min_length=1)
    fields: list[FormField] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> FormSpec:
        keys = [f.key for f in self.fields]
        if len(keys) != len(set(keys)):
            raise ValueError("fields: two fields share a key")
        numeric = {f.key for f in self.fields if f.type in NUMERIC}
        for f in self.fields:
            if f.type is FieldType.CHOICE and not f.choices:
                raise ValueError(f"fields: '{f.key}' is a choice without choices")
            if f.how is Aggregate.MEAN and f.weight not in numeric:
                raise ValueError(f"fields: '{f.key}' is a mean: weight must name a number field")
            if f.how in {Aggregate.SUM, Aggregate.MEAN} and f.type not in NUMERIC:
                raise ValueError(f"fields: '{f.key}' ({f.type}) cannot aggregate by {f.how}")
        return self

    def field(self, key: str) -> FormField:
        return next(f for f in self.fields if f.key == key)


MAX_INTEGER = 10**15 - 1  # what a REAL column holds exactly; far past any count we collect


def validate_values(form: FormSpec, values: dict[str, Any], *,
                    consolidated: bool = False) -> dict[str, Any]:
    """Clean a submission: unknown fields, missing required ones, wrong types and values out
    of bounds are refused, each with a Vietnamese message naming the field. `consolidated`:
    the unit reports for its reporters, so a count field may hold counts (chidao.domain.counts)."""
    known = {f.key for f in form.fields}
    for key in values:
        if key not in known:
            raise InvalidInput(str(key), f"trường '{key}' không có trong biểu mẫu {form.key}")
    cleaned: dict[str, Any] = {}
    for f in form.fields:
        raw = values.get(f.key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if f.required:
                raise InvalidInput(f.key, f"{f.label}: bắt buộc phải nhập")
            continue
        counts = _counts(f, raw) if consolidated else None
        cleaned[f.key] = _clean(f, raw) if counts is None else counts
    return cleaned


def _counts(f: FormField, raw: Any) -> int | dict[str, int] | None:
    """A count field's counts, or None when `raw` is a unit's own answer (có/không, a choice)."""
    if f.how is Aggregate.COUNT_TRUE and f.type is FieldType.BOOLEAN:
        if isinstance(raw, bool) or (isinstance(raw, str) and raw.strip() in ("0", "1")):
            return None  # 0/1 stay có/không: the same number in the rollup either way
        count = parse_count(raw)
        if count is None and _convert(f, raw) is None:
            raise InvalidInput(f.key, f"{f.label}: phải là số đơn vị trả lời 'có' (số nguyên"
                                      f" ≥ 0) hoặc có/không (đã nhập '{_shown(raw)}')")
        return count
    if f.how is Aggregate.COUNT_PER_CHOICE and f.type is FieldType.CHOICE:
        if isinstance(raw, str) and raw.strip() in f.choices:
            return None
        counts = parse_choice_counts(raw, f.choices)
        if counts is None:
            example = "; ".join(f"{c}: 0" for c in f.choices)
            raise InvalidInput(f.key, f"{f.label}: phải là một lựa chọn hoặc số đơn vị theo"
                                      f" từng lựa chọn, ví dụ '{example}'"
                                      f" (đã nhập '{_shown(raw)}')")
        return counts
    return None


def _clean(f: FormField, raw: Any) -> Any:
    value = _convert(f, raw)
    if value is None:
        raise InvalidInput(f.key, f"{f.label}: phải là {_TYPE_WORDS[f.type]}"
                                  f" (đã nhập '{_shown(raw)}')")
    if isinstance(value, str) and len(value) > NOTE_MAX_CHARS:
        raise InvalidInput(f.key, f"{f.label}: dài quá {NOTE_MAX_CHARS:,} ký tự")
    if f.type in NUMERIC:
        if f.min is not None and value < f.min:
            raise InvalidInput(f.key, f"{f.label}: không được nhỏ hơn {f.min:g}"
                                      f" (đã nhập {_shown(raw)})")
        if f.max is not None and value > f.max:
            raise InvalidInput(f.key, f"{f.label}: không được lớn hơn {f.max:g}"
                                      f" (đã nhập {_shown(raw)})")
    if f.type is FieldType.CHOICE and value not in f.choices:
        raise InvalidInput(f.key, f"{f.label}: phải là một trong: {', '.join(f.choices)}")
    return value


def _shown(raw: Any) -> str:
    """What was typed, short enough for a message (and a huge int is not printed at all)."""
    if isinstance(raw, int) and not -MAX_INTEGER <= raw <= MAX_INTEGER:
        return "một số quá lớn"
    text = str(raw)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _convert(f: FormField, raw: Any) -> Any:
    if f.type is FieldType.INTEGER:
        if isinstance(raw, bool):
            return None
        if isinstance(raw, int):
            return raw if abs(raw) <= MAX_INTEGER else None
        matched = isinstance(raw, str) and re.fullmatch(r"\s*-?\d{1,15}\s*", raw)
        return int(raw) if matched else None  # 15 digits: exact in the float column
    if f.type is FieldType.DECIMAL:
        if isinstance(raw, bool) or (isinstance(raw, str) and len(raw) > 40):
            return None
        try:
            number = Decimal(str(raw).strip().replace(",", "."))
        except InvalidOperation:
            return None
        return float(number) if number.is_finite() and abs(number) <= MAX_INTEGER else None
    if f.type is FieldType.BOOLEAN:
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        return {"có": True, "co": True, "true": True, "1": True,
                "không": False, "khong": False, "false": False, "0": False}.get(word)
    if f.type is FieldType.DATE:
        return _date(raw)
    return str(raw).strip()


def _date(raw: Any) -> str | None:
    if isinstance(raw, dt.date):
        return raw.isoformat()
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", str(raw))
    try:
        day = dt.date(int(m[3]), int(m[2]), int(m[1])) if m else dt.date.fromisoformat(str(raw))
    except ValueError:
        return None
    return day.isoformat() if dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31) else None


ValueRow = tuple[str, float | None, str | None, float | None]


def value_rows(form: FormSpec, cleaned: dict[str, Any]) -> list[ValueRow]:
    """(field, number, text, weight) per answered field: what SQL aggregates."""
    rows: list[ValueRow] = []
    for key, value in cleaned.items():
        f = form.field(key)
        weight = cleaned.get(f.weight) if f.weight else None
        if f.type in NUMERIC:
            rows.append((key, float(value), None, float(weight) if weight is not None else None))
        elif f.type is FieldType.BOOLEAN:  # có/không, or a count of "có" (consolidated)
            rows.append((key, float(value), None, None))
        elif isinstance(value, dict):  # counts per choice: their total, and the counts
            rows.append((key, float(sum(value.values())), json.dumps(value, ensure_ascii=False),
                         None))
        else:
            rows.append((key, None, str(value), None))
    return rows
