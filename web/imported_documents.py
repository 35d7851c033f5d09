"""The document an issuing form was read from ("Nhập từ tệp"), kept while the user checks the
draft and stored as the directive's own file when it is issued, so the text as issued opens from
the directive's page. The form carries only a random token; the browser's session maps it to
the file, so nobody can attach a file another user uploaded."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from pathlib import Path

from fastapi import Request
from sqlmodel import Session

from ..config.settings import Settings
from ..domain.errors import InvalidInput
from ..services.directive_documents import attach_document
from ..services.report_submit import Upload

SESSION_KEY = "import_drafts"
KEPT = 3  # drafts a browser may have open at once; older ones are dropped
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _folder(settings: Settings) -> Path:
    return Path(settings.attachments_dir).resolve() / "import-drafts"


def keep_draft_file(request: Request, settings: Settings, name: str, data: bytes) -> str:
    """Keep the uploaded document; the token the form carries to name it."""
    folder = _folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(18)
    (folder / token).write_bytes(data)
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts[token] = name
    for old in list(drafts)[:-KEPT]:
        (folder / old).unlink(missing_ok=True)
        del drafts[old]
    request.session[SESSION_KEY] = drafts
    return token


def attach_draft_file(request: Request, session: Session, token: str, directive_id: int, *,
                      settings: Settings, now: datetime) -> str | None:
    """Store the kept document as the directive's file (in the caller's transaction); a
    problem in Vietnamese when it cannot be kept, None when it is (or there is none)."""
    drafts = dict(request.session.get(SESSION_KEY, {}))
    if not TOKEN.fullmatch(token) or token not in drafts:
        return None
    path = _folder(settings) / token
    name = drafts.pop(token)
    request.session[SESSION_KEY] = drafts
    if not path.is_file():
        return None
    try:
        attach_document(session, directive_id, Upload(name, path.read_bytes()),
                        settings=settings, now=now)
    except InvalidInput as exc:
        return f"Văn bản đã ban hành nhưng không lưu được tệp «{name}»: {exc.problem}."
    finally:
        path.unlink(missing_ok=True)
    return None
