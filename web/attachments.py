"""Files handed in with a run's submissions: listed and downloaded only by users who may
read the run (404 otherwise, as for the run itself)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastapi import HTTPException
from fastapi.responses import FileResponse
from sqlmodel import Session, col, select

from ..config.settings import Settings
from ..domain.accounts import User
from ..domain.reports import Attachment, Submission
from ..files.attachment_files import mime_type, stored_path
from ..queries.run_page import attached_files
from .access import readable_run


def files_by_submission(session: Session, assignment_id: int) -> dict[int, list[dict[str, Any]]]:
    """The run's files per submission, as the API lists them."""
    return {submission: [asdict(f) for f in files]
            for submission, files in attached_files(session, assignment_id).items()}


def readable_attachment(session: Session, user: User, assignment_id: int,
                        attachment_id: int) -> Attachment:
    run = readable_run(session, user, assignment_id)
    found = session.exec(select(Attachment).join(
        Submission, col(Submission.id) == col(Attachment.submission_id)).where(
        Attachment.id == attachment_id, Submission.assignment_id == run.id)).first()
    if found is None:
        raise HTTPException(404, "Không tìm thấy tệp")
    return found


def file_response(settings: Settings, attachment: Attachment) -> FileResponse:
    """The stored bytes under the original name (RFC 5987 `filename*` for non-ASCII names)."""
    try:
        path = stored_path(Path(settings.attachments_dir).resolve(), attachment.stored_as)
    except FileNotFoundError:
        raise HTTPException(404, "Tệp không còn trên máy chủ") from None
    return FileResponse(path, media_type=mime_type(attachment.name), filename=attachment.name,
                        content_disposition_type="attachment",
                        headers={"X-Content-Type-Options": "nosniff",
                                 "Cache-Control": "private, no-store"})
