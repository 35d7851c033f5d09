"""Flash messages: one line of confirmation ("Đã gia hạn …") kept in the signed session cookie
after an action and shown once, on the next page the user sees."""

from __future__ import annotations

from fastapi import Request

KEY = "flash"
MAX_MESSAGES = 3  # a cookie is small: keep the last few only


def flash(request: Request, text: str) -> None:
    """Show `text` on the next page rendered for this browser."""
    waiting = [*request.session.get(KEY, []), text][-MAX_MESSAGES:]
    request.session[KEY] = waiting


def take_flashes(request: Request) -> list[str]:
    """The waiting messages, removed from the session (so each is shown once)."""
    if "session" not in request.scope:
        return []
    return list(request.session.pop(KEY, []))
