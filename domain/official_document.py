"""An administrative document as Nghị định 30/2020/NĐ-CP lays it out (Phụ lục I), as data:
the header's two columns, the type name and trích yếu (or the công văn's "V/v"), the body, and
the Nơi nhận / signature row. The writers (files/document_writers.py) lay it out; the
services (services/documents.py) fill it from the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class DocumentKind(StrEnum):
    PLAN = "KH"  # kế hoạch
    LETTER = "CV"  # công văn (no type name; "V/v" under "Số")
    NOTICE = "TB"  # thông báo
    GUIDANCE = "HD"  # hướng dẫn (laid out as a kế hoạch: type name over the trích yếu)

    @property
    def type_name(self) -> str:
        """The type name printed above the trích yếu; a công văn has none."""
        return {"KH": "KẾ HOẠCH", "CV": "", "TB": "THÔNG BÁO", "HD": "HƯỚNG DẪN"}[self.value]


class ParagraphStyle(StrEnum):
    PARA = "para"  # justified, first-line indent
    HEADING = "heading"  # "I. TỔ CHỨC THỰC HIỆN": bold
    SUBHEADING = "subheading"  # "1. Phòng Văn hóa - Xã hội": bold
    BULLET = "bullet"  # "- ..." justified, first-line indent


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: ParagraphStyle = ParagraphStyle.PARA


@dataclass(frozen=True)
class Signature:
    """"TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" lines, then the position and the name.
    `authority` is empty when the head signs in their own right ("GIÁM ĐỐC")."""

    authority: tuple[str, ...]
    position: str
    name: str = ""  # blank in a draft: the signer writes it

    @property
    def lines(self) -> tuple[str, ...]:
        return (*self.authority, self.position)


@dataclass(frozen=True)
class OfficialDocument:
    kind: DocumentKind
    governing_body: str  # cơ quan chủ quản, as printed (caps); "" when there is none
    issuer: str  # the issuing body, as printed (caps)
    number: str  # "" while unnumbered (a draft): "Số: /KH-UBND"
    symbol: str  # "KH-UBND"; a công văn's "SGDĐT-GDMN"
    place: str  # địa danh: "Kiên Hải"
    date_words: str  # "ngày 04 tháng 9 năm 2023", or "ngày     tháng 3 năm 2026" in a draft
    title: str  # trích yếu: under the type name, or after "V/v" in a công văn
    signature: Signature
    addressees: tuple[str, ...] = ()  # Kính gửi (công văn)
    body: tuple[Paragraph, ...] = ()
    recipients: tuple[str, ...] = ()  # Nơi nhận, ending "Lưu: VT, …"
    warnings: tuple[str, ...] = field(default=(), compare=False)  # for the drafter, not printed

    @property
    def number_line(self) -> str:
        return f"Số: {self.number}/{self.symbol}"

    @property
    def place_date_line(self) -> str:
        return f"{self.place}, {self.date_words}"

    @property
    def subject_line(self) -> str:
        """The công văn's "V/v …" line (empty for other kinds)."""
        return f"V/v {self.title}" if self.kind is DocumentKind.LETTER else ""


NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
