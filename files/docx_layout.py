"""An OfficialDocument as a Word .docx laid out per Nghị định 30/2020 Phụ lục I: A4 and its
margins, the borderless two-column header table with its rules, the type name and trích yếu (or
Kính gửi for a công văn), the justified body, the Nơi nhận / signature table, the page number
from page 2. Every number comes from domain/nd30_layout.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from ..domain import nd30_layout as nd30
from ..domain.nd30_layout import STYLES, Part, TextStyle
from ..domain.official_document import (
    MOTTO,
    NATIONAL_TITLE,
    DocumentKind,
    OfficialDocument,
    ParagraphStyle,
)
from .docx_parts import (
    borderless_table,
    first_paragraph,
    keep_row_together,
    page_field,
    rule,
    styled,
)
from .text_measure import (
    balanced_lines,
    fitting_measure,
    longest_line_pt,
    name_lines,
    typeset,
)

_RULES = {r.under: r for r in nd30.RULES}
Breaker = Callable[[str, TextStyle, float], list[str]]
_BLOCK_GAP_PT = 6.0  # between the header's blocks (under a rule, before Số or the date)
_MEASURE_SAFETY = 0.97  # lines we break are kept this far inside the column: Times' metrics
# measure within ~1% of what LibreOffice prints, and a line it would wrap again looks broken


def write_docx(doc: OfficialDocument, path: Path) -> None:
    document = Document()
    _page(document)
    _header(document, doc)
    if doc.kind is DocumentKind.LETTER:
        _addressees(document, doc)
    else:
        _title(document, doc)
    _body(document, doc)
    _signature_row(document, doc)
    document.save(str(path))


def _page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(nd30.PAGE_WIDTH_MM), Mm(nd30.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(nd30.MARGIN_TOP_MM), Mm(nd30.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(nd30.MARGIN_LEFT_MM), Mm(nd30.MARGIN_RIGHT_MM)
    section.header_distance = Mm(nd30.HEADER_DISTANCE_MM)
    section.different_first_page_header_footer = True  # no number on page 1
    page_field(section.header.paragraphs[0], STYLES[Part.PAGE_NUMBER])
    normal = document.styles["Normal"]
    normal.font.name = nd30.FONT
    normal.font.size = Pt(STYLES[Part.BODY].size_pt)


def _fitted(paragraph: Paragraph, text: str, lines: list[str], part: Part,
            column_pt: float) -> Paragraph:
    """`text` as one paragraph that the word processor breaks into `lines` (indents narrow
    the line to a length where it breaks there), so a reader of the file gets the name or the
    title whole."""
    measure = fitting_measure(text, lines, STYLES[part])
    styled(paragraph, [text], STYLES[part])  # an author's line breaks print as breaks
    if measure is not None:
        indent = Pt(max(column_pt - measure, 0) / 2)
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    return paragraph


def _lines(cell: _Cell, part: Part, lines: list[str], column_mm: float, *,
           before_pt: float = 0, first: bool = False, text: str = "") -> None:
    paragraph = first_paragraph(cell) if first else cell.add_paragraph()
    _fitted(paragraph, text or " ".join(lines), lines, part, nd30.pt(column_mm))
    paragraph.paragraph_format.space_before = Pt(before_pt)
    if part in _RULES:
        under = _RULES[part]
        length = longest_line_pt(lines, STYLES[part]) * under.fraction
        rule(cell.add_paragraph(), length, nd30.pt(column_mm), nd30.RULE_WIDTH_PT)


def broken_lines(doc: OfficialDocument) -> dict[Part, list[str]]:
    """The lines each part prints on, in the .docx and the HTML alike: agency names broken
    before their level word, the V/v and the trích yếu in even lines, each signature line to
    fit the right half (where no measure reproduces a break, the word processor's own)."""
    header, text = nd30.pt(nd30.HEADER_LEFT_MM), nd30.pt(nd30.TEXT_WIDTH_MM)
    signature = nd30.pt(nd30.SIGNATURE_RIGHT_MM)

    def lines(part: Part, text_: str, breaker: Breaker, column: float) -> list[str]:
        style = STYLES[part]
        return typeset(text_, breaker(text_, style, column * _MEASURE_SAFETY), style, column)

    return {
        Part.GOVERNING_BODY: lines(Part.GOVERNING_BODY, doc.governing_body, name_lines, header)
        if doc.governing_body else [],
        Part.ISSUER: lines(Part.ISSUER, doc.issuer, name_lines, header),
        Part.SUBJECT: lines(Part.SUBJECT, doc.subject_line, balanced_lines, header)
        if doc.subject_line else [],
        Part.TITLE: lines(Part.TITLE, doc.title, balanced_lines, text),
        Part.SIGNATURE: [part for line in doc.signature.lines
                         for part in lines(Part.SIGNATURE, line, name_lines, signature)]}


def _header(document: DocxDocument, doc: OfficialDocument) -> None:
    left_mm, right_mm = nd30.HEADER_LEFT_MM, nd30.HEADER_RIGHT_MM
    left, right = borderless_table(document, [left_mm, right_mm]).rows[0].cells
    lines = broken_lines(doc)
    if doc.governing_body:
        _lines(left, Part.GOVERNING_BODY, lines[Part.GOVERNING_BODY], left_mm, first=True,
               text=doc.governing_body)
    _lines(left, Part.ISSUER, lines[Part.ISSUER], left_mm, first=not doc.governing_body,
           text=doc.issuer)
    _lines(left, Part.NUMBER, [doc.number_line], left_mm, before_pt=_BLOCK_GAP_PT)
    if doc.subject_line:
        _lines(left, Part.SUBJECT, lines[Part.SUBJECT], left_mm, before_pt=_BLOCK_GAP_PT / 2,
               text=doc.subject_line)
    _lines(right, Part.NATIONAL_TITLE, [NATIONAL_TITLE], right_mm, first=True)
    _lines(right, Part.MOTTO, [MOTTO], right_mm)
    _lines(right, Part.PLACE_DATE, [doc.place_date_line], right_mm, before_pt=_BLOCK_GAP_PT)


def _centred(document: DocxDocument, part: Part, text: str, lines: list[str],
             before_pt: float) -> None:
    paragraph = _fitted(document.add_paragraph(), text, lines, part,
                        nd30.pt(nd30.TEXT_WIDTH_MM))
    paragraph.paragraph_format.space_before = Pt(before_pt)
    if part in _RULES:
        length = longest_line_pt(lines, STYLES[part]) * _RULES[part].fraction
        rule(document.add_paragraph(), length, nd30.pt(nd30.TEXT_WIDTH_MM), nd30.RULE_WIDTH_PT)


def _title(document: DocxDocument, doc: OfficialDocument) -> None:
    _centred(document, Part.TYPE_NAME, doc.kind.type_name, [doc.kind.type_name],
             before_pt=3 * _BLOCK_GAP_PT)
    _centred(document, Part.TITLE, doc.title, broken_lines(doc)[Part.TITLE], before_pt=0)


def _addressees(document: DocxDocument, doc: OfficialDocument) -> None:
    """One addressee: "Kính gửi: …" centred. Several: "Kính gửi:" then a tab and the first
    "- …;", the others aligned under it."""
    style = STYLES[Part.ADDRESSEES]
    if len(doc.addressees) <= 1:
        label = styled(document.add_paragraph(), [" ".join(["Kính gửi:", *doc.addressees])],
                       style)
        items = [label]
    else:
        items = [styled(document.add_paragraph(), [line], style, align=WD_ALIGN_PARAGRAPH.LEFT)
                 for line in [f"Kính gửi:\t- {doc.addressees[0]};",
                              *[f"- {name};" for name in doc.addressees[1:]]]]
        for item in items:
            item.paragraph_format.left_indent = Mm(nd30.ADDRESSEE_LIST_MM)
        items[0].paragraph_format.first_line_indent = Mm(
            nd30.ADDRESSEE_LABEL_MM - nd30.ADDRESSEE_LIST_MM)
        items[0].paragraph_format.tab_stops.add_tab_stop(Mm(nd30.ADDRESSEE_LIST_MM))
    items[0].paragraph_format.space_before = Pt(3 * _BLOCK_GAP_PT)
    items[-1].paragraph_format.space_after = Pt(nd30.PARAGRAPH_SPACE_PT)


def _body(document: DocxDocument, doc: OfficialDocument) -> None:
    for index, block in enumerate(doc.body):
        heading = block.style in (ParagraphStyle.HEADING, ParagraphStyle.SUBHEADING)
        text = f"- {block.text}" if block.style is ParagraphStyle.BULLET else block.text
        paragraph = styled(document.add_paragraph(), [text],
                           STYLES[Part.HEADING if heading else Part.BODY],
                           align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Mm(nd30.FIRST_LINE_INDENT_MM)
        fmt.line_spacing = nd30.BODY_LINE_SPACING
        fmt.space_before = Pt(nd30.PARAGRAPH_SPACE_PT if index else 2 * _BLOCK_GAP_PT)
        fmt.widow_control = True
        fmt.keep_with_next = heading


def _signature_row(document: DocxDocument, doc: OfficialDocument) -> None:
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    table = borderless_table(document, [nd30.SIGNATURE_LEFT_MM, nd30.SIGNATURE_RIGHT_MM])
    keep_row_together(table)
    left, right = table.rows[0].cells
    styled(first_paragraph(left), ["Nơi nhận:"], STYLES[Part.RECIPIENTS_LABEL],
           align=WD_ALIGN_PARAGRAPH.LEFT)
    for recipient in doc.recipients:
        styled(left.add_paragraph(), [f"- {recipient}"], STYLES[Part.RECIPIENTS],
               align=WD_ALIGN_PARAGRAPH.LEFT)
    column = nd30.pt(nd30.SIGNATURE_RIGHT_MM)
    for index, line in enumerate(doc.signature.lines):  # one paragraph a line: TM. / CHỦ TỊCH
        paragraph = first_paragraph(right) if index == 0 else right.add_paragraph()
        lines = typeset(line, name_lines(line, STYLES[Part.SIGNATURE], column * _MEASURE_SAFETY),
                        STYLES[Part.SIGNATURE], column)
        _fitted(paragraph, line, lines, Part.SIGNATURE, column)
    for _ in range(nd30.SIGNATURE_SPACE_LINES):
        styled(right.add_paragraph(), [""], STYLES[Part.SIGNER])
    styled(right.add_paragraph(), [doc.signature.name], STYLES[Part.SIGNER])
