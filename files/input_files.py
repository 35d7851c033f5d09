"""Reading a file a user names on the command line: its size checked before a byte is read."""

from __future__ import annotations

from pathlib import Path

from ..domain.errors import InvalidInput


def read_input_text(path: Path, max_bytes: int, field: str = "file") -> str:
    """The UTF-8 text of `path`; InvalidInput if it cannot be read, is too large or not text."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidInput(field, f"'{path.name}' is too large ({size:,} bytes; at most"
                                      f" {max_bytes:,})")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # a file that grew since stat is still capped
    except OSError as exc:
        raise InvalidInput(field, f"cannot read '{path}': {exc.strerror}") from None
    if len(data) > max_bytes:
        raise InvalidInput(field, f"'{path.name}' is too large (more than {max_bytes:,} bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(field, f"'{path.name}' is not UTF-8 text (byte {exc.start})"
                           ) from None
