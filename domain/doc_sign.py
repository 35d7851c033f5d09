"""The foot of a directive: "Nơi nhận" (recipients and why) and the signature block
(authority, position, name). "(Đã ký)" is a mark, never the signer's name."""

from __future__ import annotations

import re
from typing import Any

from .doc_text import Line, fold

BULLET = re.compile(r"^[-+•–]\s*")
AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s*(.+)$")
SIGNED_MARK = re.compile(r"^\(?\s*([đd][ãa] k[ýy]|k[ýy] t[êe]n|k[ýy],|k[ýy] v[àa]|k[ýy])\b",
                         re.IGNORECASE)
NAME = re.compile(r"^(?:[A-ZÀ-ỸĐ][\wÀ-ỹ]*\s+){1,5}[A-ZÀ-ỸĐ][\wÀ-ỹ]*$")
PURPOSES = [("b/c", "báo cáo"), ("bc", "báo cáo"), ("bao cao", "báo cáo"), ("p/h", "phối hợp"),
            ("phoi hop", "phối hợp"), ("thuc hien", "thực hiện"), ("t/h", "thực hiện"),
            ("de biet", "để biết"), ("chi dao", "chỉ đạo")]


def recipients_and_signer(lines: list[Line]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The "Nơi nhận" list and the signature after it (or before it, or at the very end)."""
    start = next((i for i, line in enumerate(lines)
                  if fold(line.text).startswith("noi nhan")), None)
    if start is None:
        return [], _signer(lines[-8:], named=True)
    recipients = []
    index = start + 1
    while index < len(lines) and BULLET.match(lines[index].text):
        recipients.append(_recipient(lines[index]))
        index += 1
    return recipients, _signer(lines[index:index + 8]) or _signer(
        lines[max(0, start - 6):start], named=True)


def _recipient(line: Line) -> dict[str, Any]:
    text = BULLET.sub("", line.text).strip(" ;.")
    folded = fold(text)
    purpose = None
    if folded.startswith("luu"):
        purpose = "lưu"
    elif folded.startswith("nhu tren"):
        purpose = "như trên"
    elif m := re.search(r"\(([^)]*)\)\s*$", text):
        inner = fold(m[1])
        purpose = next((p for key, p in PURPOSES if key in inner), m[1])
        text = text[:m.start()].strip()
    return {"name": text, "purpose": purpose, "line": line.number}


def _signer(block: list[Line], named: bool = False) -> dict[str, Any]:
    """Authority, position and name; `named`: only a block that ends in a name (when it is
    looked for away from "Nơi nhận")."""
    authority: list[str] = []
    position = name = first = None
    approval = False  # "DUYỆT CỦA HIỆU TRƯỞNG" and its name: who approved, not who signed
    for line in block:
        if fold(line.text).startswith("duyet"):
            approval = True
        elif approval and NAME.match(line.text):
            approval = False
        elif AUTHORITY.match(line.text):
            authority.append(line.text)
            first = first or line.number
        elif (line.text.isupper() and not BULLET.match(line.text) and not position
              and len(line.text.split()) >= 2):  # a title has two syllables or more; "Ủ" is noise
            position, first = line.text, first or line.number
        elif (position or authority) and SIGNED_MARK.match(line.text):
            continue
        elif (position or authority) and NAME.match(line.text):
            name = line.text
            break
    if not (authority or position) or (named and name is None):
        return {}
    return {"authority": " / ".join(authority) or None, "position": position, "name": name,
            "line": first}
