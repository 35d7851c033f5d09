"""A unit a person names in a form: its full name, or a part of it ("Phú Quốc"), typed with or
without diacritics; resolved among the units offered, never by code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .doc_text import fold


@dataclass(frozen=True)
class UnitChoice:
    code: str
    name: str
    kind: str
    depth: int


class UnitNameError(ValueError):
    """The Vietnamese problem, for the field the name was typed in."""


def resolve_unit_name(text: str, choices: Sequence[UnitChoice]) -> UnitChoice:
    """The unit whose name is `text`; else the one whose name contains it, the highest in the
    tree winning ("Phú Quốc" is the đặc khu, not its Phòng Văn hóa - Xã hội); UnitNameError
    when none or several equally high match."""
    wanted = " ".join(fold(text).split())
    if not wanted:
        raise UnitNameError("chưa chọn đơn vị")
    exact = [c for c in choices if fold(c.name) == wanted]
    if len(exact) == 1:
        return exact[0]
    found = exact or [c for c in choices if wanted in fold(c.name)]
    if not found:
        raise UnitNameError(f"không có đơn vị nào tên «{text.strip()}» trong danh sách")
    top = min(c.depth for c in found)
    highest = [c for c in found if c.depth == top]
    if len(highest) > 1:
        names = "; ".join(c.name for c in highest[:4])
        raise UnitNameError(f"«{text.strip()}» khớp nhiều đơn vị ({names}): chọn tên đầy đủ")
    return highest[0]
