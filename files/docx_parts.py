"""The WordprocessingML pieces python-docx has no call for: a borderless fixed-width table, a
paragraph's bottom border (the NĐ 30 rules), a PAGE field. Word and LibreOffice read them alike."""

from __future__ import annotations

from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from ..domain.nd30_layout import FONT, TextStyle

MM_PER_TWIP = 25.4 / 1440


def _element(tag: str, **attrs: str) -> Any:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _child(parent: Any, tag: str, **attrs: str) -> Any:
    element = _element(tag, **attrs)
    parent.append(element)
    return element


def borderless_table(container: Any, widths_mm: list[float]) -> Table:
    """A table of one row whose columns are exactly `widths_mm`, with no borders and no cell
    padding (so a cell's text starts at the column's edge, inside the page margins)."""
    table: Table = container.add_table(rows=1, cols=len(widths_mm))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    properties = table._tbl.tblPr
    total = properties.find(qn("w:tblW"))
    total.set(qn("w:type"), "dxa")
    total.set(qn("w:w"), str(round(sum(widths_mm) / MM_PER_TWIP)))
    borders = _element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _child(borders, f"w:{side}", val="nil")
    properties.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar",
                                     "w:tblLook")
    margins = _element("w:tblCellMar")
    for side in ("left", "right"):
        _child(margins, f"w:{side}", w="0", type="dxa")
    properties.insert_element_before(margins, "w:tblLook")
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths_mm, strict=True):
        column.width = Mm(width)
        cell.width = Mm(width)
    return table


def keep_row_together(table: Table) -> None:
    """The table's row is not split across pages (the signature stays beside Nơi nhận)."""
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    _child(row_properties, "w:cantSplit")


def first_paragraph(cell: _Cell) -> Paragraph:
    """The cell's empty first paragraph (a new cell has one), to write into before adding more."""
    paragraph: Paragraph = cell.paragraphs[0]
    return paragraph


def styled(paragraph: Paragraph, lines: list[str], style: TextStyle, *,
           align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER) -> Paragraph:
    """Write `lines` into `paragraph` (line breaks between them) in `style`, single-spaced."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.font.name = FONT
        run.font.size = Pt(style.size_pt)
        run.font.bold = style.bold
        run.font.italic = style.italic
        if index < len(lines) - 1:
            run.add_break()
    return paragraph


def rule(paragraph: Paragraph, length_pt: float, column_pt: float, width_pt: float) -> None:
    """Make an empty paragraph a solid rule `length_pt` long, centred in its column: its
    indents leave `length_pt` between them and its bottom border is the line."""
    fmt = paragraph.paragraph_format
    indent = max(column_pt - length_pt, 0) / 2
    fmt.left_indent = fmt.right_indent = Pt(indent)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(4)  # the line sits 4 pt under the text above
    run = paragraph.add_run("")
    run.font.size = Pt(1)
    borders = _child(paragraph._p.get_or_add_pPr(), "w:pBdr")
    _child(borders, "w:bottom", val="single", sz=str(round(width_pt * 8)), space="0",
           color="000000")


def page_field(paragraph: Paragraph, style: TextStyle) -> None:
    """A PAGE field: the page's number as Word and LibreOffice count it."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("", "2"),
                       ("end", "")):
        run = paragraph.add_run()
        run.font.name = FONT
        run.font.size = Pt(style.size_pt)
        if kind == "instr":
            instr = _child(run._r, "w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
        elif kind:
            _child(run._r, "w:fldChar", fldCharType=kind)
        else:
            run.text = text
