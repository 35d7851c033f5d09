"""The Jinja filters that put the engine's values into Vietnamese words on every page:
statuses and their history, figures with their field labels and units, Có/Không, choice
counts as "tốt: 3, khá: 1". Registered on the page templates by chidao.web.rendering;
importable by any page module (register(env) for another Jinja environment)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from ..domain.figures import column_title, figure_text, labelled, with_unit
from ..domain.status import Status


def status_text(value: Status | str | None) -> str:
    """"received" -> "đã tiếp nhận" (a value that is not a status is shown as it is)."""
    if value is None or value == "":
        return ""
    try:
        return Status(value).label
    except ValueError:
        return str(value)


def change_text(before: Status | str | None, after: Status | str) -> str:
    """A status change as history shows it: "chưa tiếp nhận → đã tiếp nhận"."""
    return f"{status_text(before)} → {status_text(after)}" if before else status_text(after)


def yes_no(value: Any) -> str:
    return "Có" if value else "Không"


FILTERS = {"figure": figure_text, "with_unit": with_unit, "labelled": labelled,
           "column_title": column_title, "status_text": status_text, "yes_no": yes_no}


def register(env: Environment) -> None:
    env.filters.update(FILTERS)
    env.globals["change_text"] = change_text
