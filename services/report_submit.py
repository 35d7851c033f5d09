"""A unit hands in a report: values checked against the form, files checked and stored under
generated names, a new submission version, the values the rollup reads, status → submitted."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO, Any

from sqlalchemy import delete
from sqlmodel import Session

from ..config.settings import Settings
from ..db.bulk import insert_rows
from ..db.lookup import assignment_by_id
from ..domain.acting import Actor
from ..domain.directives import Requirement
from ..domain.errors import InvalidInput
from ..domain.forms import validate_values, value_rows
from ..domain.reports import (
    Attachment,
    ReportForm,
    Submission,
    SubmissionState,
    form_spec,
    size_text,
)
from ..domain.reports import report_value_table as _values
from ..domain.status import Status
from ..domain.text import free_text, nfc
from ..files.attachment_files import (
    content_problem,
    discard,
    extension_of,
    size_of,
    store,
)
from .drafts import reports_for_reporters
from .report_review import latest_submission
from .status_changes import act_on_assignment


@dataclass(frozen=True)
class Upload:
    """A file handed in: the name it was sent under, and its bytes or a readable, seekable
    binary file holding them (a spooled upload, an open file: never read whole into memory)."""
    name: str
    data: bytes | IO[bytes]

    def file(self) -> IO[bytes]:
        return io.BytesIO(self.data) if isinstance(self.data, bytes) else self.data


def submit_report(
    session: Session, assignment_id: int, *, unit_code: str, values: dict[str, Any] | None,
    note: str = "", uploads: list[Upload] | None = None, now: datetime, settings: Settings,
    by_person: str = "", by: Actor | None = None,
) -> Submission:
    """`values` None hands in the pre-filled draft as it stands; `by` is who hands it in
    (chidao.domain.acting), over unit_code/by_person."""
    note = free_text(note, "note")
    assignment = assignment_by_id(session, assignment_id)
    requirement = session.get(Requirement, assignment.requirement_id)
    assert requirement is not None
    previous = latest_submission(session, assignment_id)
    if values is None and previous is not None and previous.state == SubmissionState.DRAFT:
        values = dict(previous.values)
    cleaned: dict[str, Any] = {}
    if requirement.form_id is not None:
        form = form_spec(session.get(ReportForm, requirement.form_id))  # type: ignore[arg-type]
        cleaned = validate_values(form, nfc(values or {}),
                                  consolidated=reports_for_reporters(session, assignment))
    elif values:
        raise InvalidInput("values", "nhiệm vụ này không có biểu mẫu báo cáo")
    files = _checked_files(uploads or [], settings)
    act_on_assignment(session, assignment_id, Status.SUBMITTED, unit_code=unit_code,
                      reason=note, now=now, by_person=by_person, by=by)
    submission = Submission(
        assignment_id=assignment_id, version=(previous.version + 1) if previous else 1,
        state=SubmissionState.SUBMITTED.value, values=cleaned, note=note, actor=unit_code,
        created_at=now)
    session.add(submission)
    session.flush()
    session.execute(delete(_values).where(_values.c.assignment_id == assignment_id))
    if requirement.form_id is not None:
        insert_rows(session, _values, ("assignment_id", "field", "requirement_id", "period",
                                       "unit_id", "number", "text", "weight", "accepted"),
                    [(assignment_id, key, requirement.id, assignment.period, assignment.unit_id,
                      number, text, weight, False)
                     for key, number, text, weight in value_rows(form, cleaned)],
                    unique=("assignment_id", "field"))
    _store_files(session, submission, files, Path(settings.attachments_dir))
    return submission


def _checked_files(uploads: list[Upload], settings: Settings) -> list[tuple[str, IO[bytes]]]:
    if len(uploads) > settings.attachment_max_files:
        raise InvalidInput("attachments", f"tối đa {settings.attachment_max_files} tệp mỗi lần nộp")
    return [_checked(upload, settings) for upload in uploads]


def _checked(upload: Upload, settings: Settings) -> tuple[str, IO[bytes]]:
    """The display name and the file, once its name, size and content are acceptable."""
    name = sanitise_name(upload.name)
    extension = extension_of(name)
    accepted = [kind.lower() for kind in settings.attachment_types]
    if extension not in accepted:
        raise InvalidInput("attachments", f"tệp '{name}': chỉ nhận các loại {', '.join(accepted)}")
    file = upload.file()
    size = size_of(file)
    if size > settings.attachment_max_bytes:
        raise InvalidInput("attachments", f"tệp '{name}' quá lớn ({size_text(size)};"
                                          f" tối đa {size_text(settings.attachment_max_bytes)})")
    if not size:
        raise InvalidInput("attachments", f"tệp '{name}' rỗng")
    problem = content_problem(extension, file)
    if problem:
        raise InvalidInput("attachments", f"tệp '{name}': {problem}")
    return name, file


def sanitise_name(name: str) -> str:
    """A display name: no folders, no control or shell characters, at most 120 characters."""
    base = PureWindowsPath(PurePosixPath(unicodedata.normalize("NFC", name)).name).name
    cleaned = re.sub(r"[^\w.\- ()]+", "_", base).strip(" ._")
    return cleaned[-120:] or "tep"


def _store_files(session: Session, submission: Submission,
                 files: list[tuple[str, IO[bytes]]], folder: Path) -> None:
    """Each file on disk and its row, or (on any failure) none of the files left behind."""
    assert submission.id is not None
    written: list[str] = []
    try:
        for name, file in files:
            kept = store(file, extension_of(name), folder)
            written.append(kept.stored_as)
            session.add(Attachment(submission_id=submission.id, name=name,
                                   stored_as=kept.stored_as, size=kept.size, sha256=kept.sha256))
        session.flush()
    except BaseException:
        discard(folder, written)
        raise
