"""Finding things: the directive list's search and filters (read from the query string), and
the directive's own files, opened from its page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse
from sqlmodel import Session, select

from ..domain.accounts import User
from ..domain.directives import DirectiveFile
from ..files.attachment_files import extension_of, mime_type, stored_path
from ..queries.directive_search import BOXES, OWN_STATES, STATES, DirectiveFilter
from ..services.directive_documents import documents_folder
from .access import readable_directive
from .deps import DB, page_user
from .params import RowId

router = APIRouter()
INLINE = {"pdf", "txt"}  # opened in the browser; other types are downloaded
WORDS_MAX_CHARS = 200


def directive_filter(request: Request) -> DirectiveFilter:
    """The list's filter from ?q=&issuer=&year=&state=&box=: a value that is not one of the
    choices is ignored (the page shows what is applied)."""
    params = request.query_params
    state, box = params.get("state", ""), params.get("box", "")
    return DirectiveFilter(
        words=params.get("q", "")[:WORDS_MAX_CHARS], issuer_id=_number(params.get("issuer")),
        year=_number(params.get("year")),
        state=state if state in STATES or state in OWN_STATES else "",
        box=box if box in BOXES else "")


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) <= 12 else None


def filter_query(search: DirectiveFilter, **changes: str | int) -> str:
    """The query string of `search` with `changes` (a tab, a page), empty values left out."""
    values = {"q": search.words.strip(), "issuer": search.issuer_id or "",
              "year": search.year or "", "state": search.state, "box": search.box, **changes}
    return urlencode({k: v for k, v in values.items() if v not in ("", 0, None)})


@router.get("/directives/{directive_id}/files/{file_id}")
def directive_file(request: Request, directive_id: RowId, file_id: RowId,
                   user: User = Depends(page_user), session: Session = DB
                   ) -> FileResponse:
    """A file of the directive, to whoever may read the directive (404 otherwise)."""
    directive = readable_directive(session, user, directive_id)
    found = session.exec(select(DirectiveFile).where(
        DirectiveFile.id == file_id, DirectiveFile.directive_id == directive.id)).first()
    if found is None:
        raise HTTPException(404, "Không tìm thấy tệp")
    try:
        path = stored_path(documents_folder(request.app.state.settings), found.stored_as)
    except FileNotFoundError:
        raise HTTPException(404, "Tệp không còn trên máy chủ") from None
    inline = extension_of(found.name) in INLINE
    return FileResponse(Path(path), media_type=mime_type(found.name), filename=found.name,
                        content_disposition_type="inline" if inline else "attachment",
                        headers={"X-Content-Type-Options": "nosniff",
                                 "Cache-Control": "private, no-store"})
