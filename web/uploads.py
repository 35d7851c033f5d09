"""Reading a form that carries files, within the attachment limits while it streams in:
refused up front when its declared length is over the limit, counted chunk by chunk when it
has none, and each file stopped as soon as it passes the per-file size. Files are spooled by
Starlette (up to 1 MB in memory, the rest in a temporary file), never read whole."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from ..config.settings import Settings
from ..domain.reports import size_text
from ..services.report_submit import sanitise_name

FIELDS_ALLOWANCE = 1024 * 1024  # form fields and multipart headers, on top of the files


class UploadRefused(Exception):
    """An upload over a limit or not readable; `problem` is for the user (Vietnamese)."""

    def __init__(self, problem: str, status_code: int = 413) -> None:
        super().__init__(problem)
        self.problem = problem
        self.status_code = status_code


def body_limit(settings: Settings) -> int:
    return settings.attachment_max_files * settings.attachment_max_bytes + FIELDS_ALLOWANCE


def limits_text(settings: Settings) -> str:
    return (f"tối đa {size_text(settings.attachment_max_bytes)} mỗi tệp,"
            f" {settings.attachment_max_files} tệp mỗi lần nộp")


async def read_form(request: Request, settings: Settings) -> FormData:
    """The request's form (multipart or urlencoded) once it is within the limits."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > body_limit(settings):
        raise UploadRefused(f"dữ liệu gửi lên quá lớn ({size_text(int(declared))};"
                            f" {limits_text(settings)})")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await request.form(max_files=0)
    async with aclosing(request.stream()) as stream:
        parser = _LimitedParser(request.headers, _counted(stream, settings), settings)
        try:
            return await parser.parse()
        except MultiPartException as exc:
            raise UploadRefused(f"dữ liệu biểu mẫu không đọc được ({exc.message})", 400) from None


def chosen_files(form: FormData, field: str = "files") -> list[UploadFile]:
    """The files of `field` the user chose (a browser sends an empty part when none was)."""
    return [f for f in form.getlist(field) if isinstance(f, UploadFile) and f.filename]


async def _counted(stream: AsyncIterator[bytes], settings: Settings) -> AsyncGenerator[bytes, None]:
    limit, seen = body_limit(settings), 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > limit:
            raise UploadRefused(f"dữ liệu gửi lên quá lớn (hơn {size_text(limit)};"
                                f" {limits_text(settings)})")
        yield chunk


class _LimitedParser(MultiPartParser):
    """Starlette's multipart parser, stopping at the per-file size and file count."""

    def __init__(self, headers: Any, stream: AsyncGenerator[bytes, None],
                 settings: Settings) -> None:
        super().__init__(headers, stream, max_files=float("inf"), max_fields=200)
        self.settings = settings
        self.file_bytes = 0
        self.files = 0

    def on_headers_finished(self) -> None:
        super().on_headers_finished()
        upload = self._current_part.file
        self.file_bytes = 0
        if upload is not None and upload.filename:
            self.files += 1
            if self.files > self.settings.attachment_max_files:
                raise UploadRefused(f"quá nhiều tệp: tối đa {self.settings.attachment_max_files}"
                                    " tệp mỗi lần nộp", 422)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        upload = self._current_part.file
        if upload is not None:
            self.file_bytes += end - start
            if self.file_bytes > self.settings.attachment_max_bytes:
                name = sanitise_name(upload.filename or "")
                raise UploadRefused(f"tệp '{name}' quá lớn ({limits_text(self.settings)})")
        super().on_part_data(data, start, end)
