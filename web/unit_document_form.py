"""The form of a unit's "Thông tin trên văn bản": what Nghị định 30 prints and the tree cannot
tell (the unit columns governing_body … deputy_title), each with its label, a hint and an
example; and the reading of what was typed: NFC, blanks collapsed, at most 200 characters,
empty = None (the unit kind's default)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..domain.errors import InvalidInput
from ..domain.signing import DOCUMENT_FIELD_MAX_CHARS as MAX_CHARS
from ..domain.signing import DOCUMENT_FIELDS
from ..domain.text import nfc
from .form_errors import FormErrors


@dataclass(frozen=True)
class DocumentField:
    name: str  # the unit column and the form's field
    label: str
    hint: str
    example: str


FIELDS = (
    DocumentField("governing_body", "Cơ quan chủ quản",
                  "Dòng trên cùng bên trái, trên tên đơn vị. Sở: Ủy ban nhân dân tỉnh; "
                  "trường: Ủy ban nhân dân xã, phường, đặc khu; UBND xã không có.",
                  "ỦY BAN NHÂN DÂN TỈNH AN GIANG"),
    DocumentField("header_name", "Tên đơn vị in trên văn bản",
                  "Tên in đậm dưới cơ quan chủ quản; để trống thì in tên đơn vị bằng chữ hoa.",
                  "SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
    DocumentField("place_name", "Địa danh",
                  "Đứng trước ngày tháng của văn bản, theo tên đơn vị hành chính nơi đơn vị "
                  "đóng trụ sở.", "Kiên Hải"),
    DocumentField("collective_name", "Tên tập thể ký thay mặt (TM.)",
                  "Chỉ cho cơ quan làm việc theo chế độ tập thể (Ủy ban nhân dân): in "
                  "“TM. …” trên chức danh người ký.", "ỦY BAN NHÂN DÂN"),
    DocumentField("head_title", "Chức danh người đứng đầu",
                  "Chức danh ký văn bản khi người đứng đầu ký.", "CHỦ TỊCH, GIÁM ĐỐC, HIỆU TRƯỞNG"),
    DocumentField("deputy_title", "Chức danh cấp phó",
                  "Khi cấp phó ký thay: “KT. <chức danh người đứng đầu>” rồi chức danh này.",
                  "PHÓ CHỦ TỊCH, PHÓ GIÁM ĐỐC"),
)
NAMES = tuple(f.name for f in FIELDS)
assert NAMES == DOCUMENT_FIELDS, "the form shows every document field of a unit, in order"
LABELS = {f.name: f.label for f in FIELDS}


def read_fields(typed: Mapping[str, str]) -> tuple[dict[str, str | None], FormErrors]:
    """The values to store (None where left empty) and the problems, every one of them."""
    errors = FormErrors.typed({name: typed.get(name, "") for name in NAMES}, LABELS)
    values: dict[str, str | None] = {}
    for name in NAMES:
        try:
            text = " ".join(nfc(typed.get(name, ""), name).split())
        except InvalidInput as exc:
            errors.add_invalid(exc)
            continue
        if len(text) > MAX_CHARS:
            errors.add(name, f"dài {len(text)} ký tự, tối đa {MAX_CHARS} ký tự")
        values[name] = text or None
    return values, errors
