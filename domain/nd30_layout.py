"""The layout of an administrative document, as Nghị định 30/2020/NĐ-CP Phụ lục I sets it, as
data: the page and its margins, the font, the size and weight of each part, the header and
signature tables' column widths, the rules and the body's indent and spacing. The .docx and
HTML writers lay a document out from these numbers; the geometry test reads them back from the
PDF LibreOffice prints.

Margins: NĐ 30 allows top 20–25 mm, bottom 20–25, left 30–35, right 15–20. We take the lower
bound of each: the widest text block NĐ 30 allows (165 × 257 mm), so a district's plan fits on
as few pages as the rules allow, and the left margin still leaves 30 mm for the binding."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

FONT = "Times New Roman"
PAGE_WIDTH_MM = 210.0  # A4
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 20.0  # 20–25
MARGIN_BOTTOM_MM = 20.0  # 20–25
MARGIN_LEFT_MM = 30.0  # 30–35
MARGIN_RIGHT_MM = 15.0  # 15–20
HEADER_DISTANCE_MM = 10.0  # the page number's line, inside the top margin
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165

# The header table: the issuer's column on the left, Quốc hiệu's on the right (wide enough for
# "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in 13 pt bold on one line). The Nơi nhận / signature
# table splits the line in halves: the signature block is centred in the right half.
HEADER_LEFT_MM = 68.0
HEADER_RIGHT_MM = TEXT_WIDTH_MM - HEADER_LEFT_MM  # 97
SIGNATURE_LEFT_MM = TEXT_WIDTH_MM / 2
SIGNATURE_RIGHT_MM = TEXT_WIDTH_MM / 2

FIRST_LINE_INDENT_MM = 12.7  # 1–1.27 cm
BODY_LINE_SPACING = 1.15  # a multiple of single spacing: single to 1.5 lines
PARAGRAPH_SPACE_PT = 6.0  # between the body's paragraphs: at least 6 pt
# Several addressees of a công văn: "Kính gửi:" from this far into the line, the "- …;" list
# from this far (a tab after the label).
ADDRESSEE_LABEL_MM = 25.0
ADDRESSEE_LIST_MM = 50.0
SIGNATURE_SPACE_LINES = 4  # empty 14 pt lines between the position and the signer's name


class Part(StrEnum):
    """The parts of a document that have their own font size and weight."""

    GOVERNING_BODY = "governing_body"  # cơ quan chủ quản
    ISSUER = "issuer"  # cơ quan ban hành
    NUMBER = "number"  # "Số: 15/KH-UBND"
    SUBJECT = "subject"  # the công văn's "V/v …" under Số
    NATIONAL_TITLE = "national_title"  # Quốc hiệu
    MOTTO = "motto"  # Tiêu ngữ
    PLACE_DATE = "place_date"  # "Kiên Hải, ngày 04 tháng 9 năm 2023"
    TYPE_NAME = "type_name"  # "KẾ HOẠCH"
    TITLE = "title"  # trích yếu
    ADDRESSEES = "addressees"  # "Kính gửi: …"
    BODY = "body"
    HEADING = "heading"  # "I. TỔ CHỨC THỰC HIỆN"
    RECIPIENTS_LABEL = "recipients_label"  # "Nơi nhận:"
    RECIPIENTS = "recipients"  # "- Như trên;" … "- Lưu: VT."
    SIGNATURE = "signature"  # "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"
    SIGNER = "signer"  # the signer's name
    PAGE_NUMBER = "page_number"


@dataclass(frozen=True)
class TextStyle:
    size_pt: float
    bold: bool = False
    italic: bool = False


STYLES: dict[Part, TextStyle] = {
    Part.GOVERNING_BODY: TextStyle(13),  # 12–13, regular caps
    Part.ISSUER: TextStyle(13, bold=True),  # 12–13, bold caps
    Part.NUMBER: TextStyle(13),
    Part.SUBJECT: TextStyle(12),  # 12–13
    Part.NATIONAL_TITLE: TextStyle(13, bold=True),  # 12–13, bold caps
    Part.MOTTO: TextStyle(14, bold=True),  # 13–14
    Part.PLACE_DATE: TextStyle(14, italic=True),  # 13–14
    Part.TYPE_NAME: TextStyle(14, bold=True),  # 13–14, bold caps
    Part.TITLE: TextStyle(14, bold=True),  # 13–14
    Part.ADDRESSEES: TextStyle(14),
    Part.BODY: TextStyle(14),  # 13–14
    Part.HEADING: TextStyle(14, bold=True),
    Part.RECIPIENTS_LABEL: TextStyle(12, bold=True, italic=True),
    Part.RECIPIENTS: TextStyle(11),
    Part.SIGNATURE: TextStyle(14, bold=True),  # 13–14, bold caps
    Part.SIGNER: TextStyle(14, bold=True),
    Part.PAGE_NUMBER: TextStyle(13),  # 13–14, centred in the top margin, from page 2
}


@dataclass(frozen=True)
class Rule:
    """A solid horizontal rule under a part: `fraction` of that part's line, centred.
    NĐ 30: 1/3–1/2 under the issuer and the trích yếu; as long as the line under Tiêu ngữ."""

    under: Part
    fraction: float
    low: float  # what NĐ 30 allows, for the check
    high: float


RULES = (Rule(Part.ISSUER, 0.4, 1 / 3, 1 / 2), Rule(Part.MOTTO, 1.0, 0.95, 1.05),
         Rule(Part.TITLE, 0.4, 1 / 3, 1 / 2))
RULE_WIDTH_PT = 0.75  # ½–¾ pt, a thin solid line

MM_PER_PT = 25.4 / 72


def pt(mm: float) -> float:
    """Millimetres as PostScript points (PDF units)."""
    return mm / MM_PER_PT
