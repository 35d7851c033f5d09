"""Input text hygiene: every string that enters is NFC-normalised Unicode, without NUL or
lone surrogates (which no database column stores), and free text has a length cap."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .errors import InvalidInput

NOTE_MAX_CHARS = 10_000  # a note, a reason: a long paragraph, not a book
TITLE_MAX_CHARS = 1_000
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def nfc(value: Any, field: str = "text") -> Any:
    """`value` with every string in it (keys too) NFC-normalised, recursively; InvalidInput
    naming the field for a NUL or a lone surrogate."""
    if isinstance(value, str):
        if _UNSTORABLE.search(value) is not None:
            value = _paired(value)  # "\ud835\udc00" from a JSON escape is one character
        if (bad := _UNSTORABLE.search(value)) is not None:
            what = "ký tự NUL (U+0000)" if bad[0] == "\x00" else (
                f"ký tự không hợp lệ (surrogate U+{ord(bad[0]):04X})")
            raise InvalidInput(field, f"chứa {what} ở vị trí {bad.start() + 1}")
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k, field): nfc(v, _child(field, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v, f"{field}[{i}]") for i, v in enumerate(value)]
    return value


def free_text(value: str, field: str, max_chars: int = NOTE_MAX_CHARS) -> str:
    """A note or a reason as stored: checked as by nfc and at most `max_chars` long."""
    if len(value) > max_chars:
        raise InvalidInput(field, f"dài quá {max_chars:,} ký tự (đã nhập {len(value):,})")
    cleaned: str = nfc(value, field)
    return cleaned


def _paired(value: str) -> str:
    """Surrogate pairs joined into the characters they encode; lone ones left as they are."""
    try:
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        return value


def _child(field: str, key: Any) -> str:
    return str(key) if field == "text" else f"{field}.{key}"


_FOLD = str.maketrans({"đ": "d", "Đ": "d"})


def folded(text: str) -> str:
    """`text` as search compares it: lower case, without diacritics ("Kế hoạch" -> "ke hoach",
    "SGDĐT" -> "sgddt"), blanks collapsed."""
    plain = unicodedata.normalize("NFD", text.translate(_FOLD).lower())
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())
