"""Input text hygiene: every string that enters is NFC-normalised Unicode."""

from __future__ import annotations

import unicodedata
from typing import Any


def nfc(value: Any) -> Any:
    """`value` with every string in it (keys too) NFC-normalised, recursively."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value
