"""The consolidated report as an .xlsx workbook (openpyxl): one sheet per form and period, each
figure as accepted and provisional side by side, coverage for both, flags in the last column.

Every string is made safe for a spreadsheet: characters XML cannot carry are dropped (a
vertical tab or form feed, as Word pastes for a line break, becomes a newline), and a string a
spreadsheet would evaluate (= + - @, also after leading blanks) is stored as text with a quote
prefix. A directive without a report form still gets a valid workbook: one sheet, a note."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.calendar import LOCAL_TZ
from ..domain.figures import column_title
from ..queries.report_export import FormReport, Pair, Row, coverage, shown

NO_FORM_NOTE = ("Văn bản này không yêu cầu báo cáo theo biểu mẫu số liệu nên không có số liệu"
                " tổng hợp. Xem tình hình thực hiện của từng đơn vị trên trang văn bản.")
_FORMULA_STARTS = ("=", "+", "-", "@")
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def write_xlsx(reports: list[FormReport], path: Path) -> None:
    book = Workbook()
    if not reports:
        sheet = book.active
        sheet.title = "Báo cáo"
        _append(sheet, [NO_FORM_NOTE], bold=True)
        sheet.column_dimensions["A"].width = 100
        book.save(path)
        return
    book.remove(book.active)
    for report in reports:
        _sheet(book, report)
    book.save(path)


def _sheet(book: Workbook, report: FormReport) -> None:
    title = f"{report.form.key}{'-' + report.period if report.period else ''}"[:31]
    sheet = book.create_sheet(title)
    keys = [f.key for f in report.form.fields]
    _append(sheet, ["Mã đơn vị", "Đơn vị", "Trạng thái",
                    *[f"{column_title(f)} — {view}" for f in report.form.fields
                      for view in ("đã duyệt", "tạm tính")],
                    "Đã báo cáo — đã duyệt", "Đã báo cáo — tạm tính", "Cảnh báo"], bold=True)
    for block in report.blocks:
        _append(sheet, [*_row_cells(block.row, keys, ""), "", "",
                        "\n".join(f.text for f in block.flags)])
        for reporter in block.reporters:
            _append(sheet, _row_cells(reporter, keys, "    "))
        if block.live is not None:
            _append(sheet, _pair_cells(f"Cộng các đơn vị thuộc {block.row.name}", block.live,
                                       keys), bold=True)
    total = _pair_cells("TỔNG CỘNG", report.total, keys)
    if report.flagged:
        total.append(f"⚠ {len(report.flagged)} đơn vị có số liệu khác tổng cấp dưới:"
                     f" {', '.join(report.flagged_names)}")
    _append(sheet, total, bold=True)
    if report.live is not None:
        _append(sheet, _pair_cells("Cộng tất cả đơn vị cấp dưới", report.live, keys))
    _append(sheet, [f"Số liệu đến {report.as_of.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}"])


def _row_cells(row: Row, keys: list[str], indent: str) -> list[Any]:
    figures = [_figure((values or {}).get(k)) for k in keys
               for values in (row.accepted, row.provisional)]
    return [row.code, indent + row.name, row.status, *figures]


def _pair_cells(label: str, pair: Pair, keys: list[str]) -> list[Any]:
    figures = [_figure(t.values.get(k)) for k in keys for t in (pair.accepted, pair.provisional)]
    return ["", label, "", *figures, coverage(pair.accepted), coverage(pair.provisional)]


def _figure(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return shown(value) if value is not None else None


def _append(sheet: Worksheet, values: list[Any], bold: bool = False) -> None:
    sheet.append([clean_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            if cell.value.lstrip(" \t\r\n").startswith(_FORMULA_STARTS):
                cell.data_type = "s"  # openpyxl takes "=..." for a formula
                cell.quotePrefix = True  # and a spreadsheet keeps it text when edited
            if "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True)


def clean_text(text: str) -> str:
    """Line breaks kept as newlines; other characters an .xlsx cannot hold are dropped."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", text.translate(_LINE_BREAKS)))
