"""Figures as people read them on a Vietnamese page or sheet: Có/Không, "tốt: 3, khá: 1",
decimals with a comma, dates as dd/mm/yyyy, a field's unit after its number."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .forms import NUMERIC, FieldType, FormField, FormSpec


def figure_text(value: Any, field: FormField | None = None, *, lines: str = "\n") -> str:
    """One figure (a handed-in value or an aggregate), without its unit: `lines` joins the
    items of a list (the texts of several units)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dict):
        order = [c for c in (field.choices if field else []) if c in value]
        order += [c for c in value if c not in order]
        shown = [f"{c}: {number_text(value[c])}" for c in order if value[c]]
        return ", ".join(shown) or "0"
    if isinstance(value, list):
        return lines.join(figure_text(v, field) for v in value)
    if isinstance(value, int | float):
        if field is not None and field.type is FieldType.BOOLEAN:
            return f"Có: {number_text(value)}"  # a count of "có" (a consolidated figure)
        return number_text(value)
    if field is not None and field.type is FieldType.DATE:
        return _day_text(str(value))
    return str(value)


def with_unit(value: Any, field: FormField) -> str:
    """A figure followed by its field's unit, when it has one: "6 lớp"."""
    text = figure_text(value, field, lines="; ")
    if text and field.unit and field.type in NUMERIC:
        return f"{text} {field.unit}"
    return text


def labelled(values: dict[str, Any], form: FormSpec) -> list[tuple[str, str]]:
    """(label, figure with its unit) per answered field, in the form's order."""
    return [(f.label, with_unit(values[f.key], f)) for f in form.fields
            if values.get(f.key) is not None]


def column_title(field: FormField) -> str:
    return f"{field.label} ({field.unit})" if field.unit else field.label


def number_text(value: int | float) -> str:
    """1234 -> "1.234", 10.5 -> "10,5", 71.76470 -> "71,76" (Vietnamese separators, at most
    two decimals: a rate, a mean)."""
    sign = "-" if value < 0 else ""
    whole, _, decimals = f"{abs(value):.2f}".rstrip("0").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + decimals if decimals else "")


def _day_text(text: str) -> str:
    try:
        return f"{dt.date.fromisoformat(text):%d/%m/%Y}"
    except ValueError:
        return text
