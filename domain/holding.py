"""Who holds a run inside its unit, as chosen by the head: the pure checks of a choice
(exactly one chủ trì, any number of phối hợp and để biết, each person once, a personal
deadline no later than the unit's), with the problems named per field in Vietnamese.

The tables are in chidao.domain.people; chidao.services.holders stores a checked choice."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .errors import InvalidInput
from .people import HolderRole

NOTE_MAX = 1000


@dataclass(frozen=True)
class HolderChoice:
    """One person the head puts on a run: `due_on` None = the unit's deadline."""

    user_id: int
    role: HolderRole
    due_on: date | None = None
    note: str = ""


def parse_role(value: str, field: str) -> HolderRole:
    """A role as typed or sent ("lead", "cooperate", "watch", or the Vietnamese label)."""
    text = unicodedata.normalize("NFC", value.strip().lower())
    for role in HolderRole:
        if text in (role.value, role.label):
            return role
    raise InvalidInput(field, "vai trò phải là chủ trì (lead), phối hợp (cooperate) hoặc"
                              f" để biết (watch), không phải '{value}'")


def check_holders(choices: Sequence[HolderChoice], *, unit_due_on: date,
                  unit_users: Mapping[int, str]) -> list[HolderChoice]:
    """The choice as it will be stored (notes NFC, trimmed); InvalidInput naming the first
    field at fault (`holders[2].due_on`) otherwise. `unit_users`: id -> full name of the
    unit's own users, the only people who may hold its runs. No one at all is a choice too
    (the run goes back to the unit as a whole)."""
    seen: dict[int, int] = {}
    checked = []
    for index, choice in enumerate(choices):
        field = f"holders[{index}]"
        if choice.user_id not in unit_users:
            raise InvalidInput(f"{field}.user_id",
                               "người này không thuộc đơn vị được giao nhiệm vụ")
        if choice.user_id in seen:
            raise InvalidInput(f"{field}.user_id", f"{unit_users[choice.user_id]} đã được chọn"
                                                   f" ở dòng {seen[choice.user_id] + 1}")
        seen[choice.user_id] = index
        if choice.due_on is not None and choice.due_on > unit_due_on:
            raise InvalidInput(f"{field}.due_on", f"hạn của cá nhân ({choice.due_on:%d/%m/%Y})"
                                                  " không được sau hạn của đơn vị"
                                                  f" ({unit_due_on:%d/%m/%Y})")
        note = unicodedata.normalize("NFC", choice.note.strip())
        if len(note) > NOTE_MAX:
            raise InvalidInput(f"{field}.note", f"ghi chú dài quá {NOTE_MAX} ký tự")
        checked.append(HolderChoice(choice.user_id, choice.role, choice.due_on, note))
    leads = [c for c in checked if c.role is HolderRole.LEAD]
    if checked and len(leads) != 1:
        raise InvalidInput("holders", "phải có đúng một người chủ trì"
                                      f" (đang chọn {len(leads)})")
    return sorted(checked, key=lambda c: (list(HolderRole).index(c.role), c.user_id))


def name_key(name: str) -> str:
    """A Vietnamese name as lists sort it: without tone marks, đ after d."""
    bare = "".join(c for c in unicodedata.normalize("NFD", name)
                   if not unicodedata.combining(c))
    return bare.lower().replace("đ", "d~")


def personal_due(holder_due: date | None, unit_due: date) -> date:
    """The day a holder must be done by: their own deadline, else the unit's."""
    return holder_due if holder_due is not None else unit_due


def late_in_person(holder_due: date | None, unit_due: date, today: date,
                   unit_owes: bool) -> bool:
    """A holder is late when their personal deadline has passed while the unit still owes
    the run (a personal deadline equal to the unit's is late with the unit)."""
    return unit_owes and personal_due(holder_due, unit_due) < today
