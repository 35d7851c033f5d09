"""A submitted figure as a person reads it on a Vietnamese page: the field's label and unit,
booleans as Có/Không, choice counts as "tốt: 3, khá: 1", dates as dd/mm/yyyy, numbers with
Vietnamese separators."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .forms import FieldType, FormSpec


def number_text(value: float | int) -> str:
    """1234567.5 -> "1.234.567,5" (a dot between thousands, a comma before decimals)."""
    whole = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    return whole.replace(",", "\0").replace(".", ",").replace("\0", ".")


def figure_text(value: Any, field_type: FieldType | None = None, unit: str = "") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        text = "Có" if value else "Không"
    elif isinstance(value, dict):
        text = ", ".join(f"{choice}: {figure_text(count)}" for choice, count in value.items())
    elif isinstance(value, int | float):
        text = number_text(value)
    elif field_type is FieldType.DATE:
        try:
            text = f"{dt.date.fromisoformat(str(value)):%d/%m/%Y}"
        except ValueError:
            text = str(value)
    else:
        text = str(value)
    return f"{text} {unit}" if unit and isinstance(value, int | float) \
        and not isinstance(value, bool) else text


def labelled_figures(form: FormSpec | None, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) per figure in the form's order; a key the form does not know (an older
    version) keeps its key as its label."""
    known = {f.key: f for f in form.fields} if form else {}
    rows = [(f.label, figure_text(values[f.key], f.type, f.unit))
            for f in (form.fields if form else []) if f.key in values]
    rows += [(key, figure_text(value)) for key, value in values.items() if key not in known]
    return rows
