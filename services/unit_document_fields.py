"""Set what a unit's documents print (the unit columns governing_body … deputy_title), as the
web's "Thông tin trên văn bản" form does; in the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session

from ..domain.errors import InvalidInput
from ..domain.signing import DOCUMENT_FIELDS as DOCUMENT_COLUMNS
from ..domain.units import Unit


def set_document_fields(session: Session, unit: Unit, values: Mapping[str, str | None], *,
                        now: datetime) -> list[str]:
    """Store `values` (None: the kind's default) on `unit`; the names of the columns that
    changed (none written when nothing changed)."""
    unknown = sorted(set(values) - set(DOCUMENT_COLUMNS))
    if unknown:
        raise InvalidInput(unknown[0], "is not a document field of a unit")
    changed = [name for name in DOCUMENT_COLUMNS
               if name in values and getattr(unit, name) != values[name]]
    for name in changed:
        setattr(unit, name, values[name])
    if changed:
        unit.updated_at = now
        session.add(unit)
        session.flush()
    return changed
