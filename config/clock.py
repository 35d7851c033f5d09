"""`now` for entry points: an operator's ISO value (naive = Vietnam local time) or the clock."""

from __future__ import annotations

from datetime import UTC, datetime

from chidao.domain.calendar import LOCAL_TZ
from chidao.domain.errors import InvalidInput


def resolve_now(text: str | None) -> datetime:
    """Aware UTC. Entry points read the clock here; the domain never does."""
    if text is None or not text.strip():
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            "now", f"'{text}' is not an ISO datetime such as 2026-03-16T08:00"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(UTC)
