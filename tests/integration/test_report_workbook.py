"""The consolidated workbook never fails: a directive without a report form gets a note sheet,
Word's line breaks (\\x0b) and other control characters are cleaned, and a name or text that a
spreadsheet would evaluate (=, +, -, @) stays text while numbers stay numbers."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from chidao.db.database import transaction
from chidao.domain.status import Status
from chidao.domain.units import unit_table
from chidao.files.report_workbook import NO_FORM_NOTE
from tests.integration.report_scenario import figures, school_run, submit
from tests.support.cascade import act

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_NAME = '=HYPERLINK("http://127.0.0.1/x","bấm")'


def directive_id(engine, number_symbol: str) -> int:
    from chidao.db.lookup import directive_by_ref

    with transaction(engine) as session:
        return int(directive_by_ref(session, number_symbol).id or 0)


def download(web, engine, number_symbol: str, path: Path) -> Path:
    client = web.client("chuyenvien.so")
    response = client.get(f"/directives/{directive_id(engine, number_symbol)}/report.xlsx")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    path.write_bytes(response.content)
    return path


def chidao(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    from tests.support.cli import CHIDAO

    return subprocess.run([CHIDAO, *args], env={"CHIDAO_DATABASE_URL": db_url, "COLUMNS": "200"},
                          capture_output=True, text=True, timeout=120)


def test_a_directive_without_a_report_form_gives_a_workbook_with_a_note(web, engine, db_url,
                                                                       tmp_path):
    for path in (download(web, engine, "1039/KH-SGDĐT", tmp_path / "web.xlsx"),
                 tmp_path / "cli.xlsx"):
        if path.name == "cli.xlsx":
            done = chidao(db_url, "report", "1039/KH-SGDĐT", "--xlsx", str(path))
            assert done.returncode == 0, done.stderr
        book = load_workbook(path)
        assert [s.title for s in book.worksheets if s.sheet_state == "visible"] == ["Báo cáo"]
        assert book["Báo cáo"]["A1"].value == NO_FORM_NOTE
    page = web.client("chuyenvien.so").get(
        f"/directives/{directive_id(engine, '1039/KH-SGDĐT')}/report")
    assert page.status_code == 200 and "không yêu cầu báo cáo theo biểu mẫu" in page.text


@pytest.fixture
def awkward(web, engine):
    """Hòn Tre pastes a Word line break; Lại Sơn writes formulas; a unit is named like one."""
    kh = "UBND-KIENHAI"
    hon_tre, lai_son = (school_run(engine, kh, s) for s in ("MN-HONTRE", "MN-LAISON"))
    submit(engine, hon_tre, "MN-HONTRE",
           figures(6, 12, 150, 80, True, "tốt", "Thiếu học liệu\x0bCần tập huấn\x07"),
           "2026-05-20T10:00")
    submit(engine, lai_son, "MN-LAISON", figures(4, 8, 100, 70, False, "khá", "=2+2"),
           "2026-05-20T11:00")
    for run_id in (hon_tre, lai_son):
        act(engine, run_id, Status.ACCEPTED, kh, when="2026-05-21T09:00")
    with transaction(engine) as session:
        session.execute(update(unit_table).where(unit_table.c.code == "MN-NAMDU")
                        .values(name=FORMULA_NAME))
        session.execute(update(unit_table).where(unit_table.c.code == "MN-ANSON")
                        .values(name="@SUM(1)"))
    return web


def test_control_characters_are_cleaned_and_formulas_stay_text(awkward, engine, db_url,
                                                               tmp_path):
    web_path = download(awkward, engine, "60/KH-SGDĐT", tmp_path / "web.xlsx")
    done = chidao(db_url, "report", "60/KH-SGDĐT", "--xlsx", str(tmp_path / "cli.xlsx"))
    assert done.returncode == 0, done.stderr
    for path in (web_path, tmp_path / "cli.xlsx"):
        cells = {c.value: c for row in load_workbook(path)["stem-ket-qua"].iter_rows()
                 for c in row if c.value is not None}
        texts = [v for v in cells if isinstance(v, str)]
        assert "Thiếu học liệu\nCần tập huấn" in texts
        assert not any(ch in v for v in texts for ch in "\x0b\x07")
        for text in ("=2+2", "    " + FORMULA_NAME, "    @SUM(1)"):
            assert cells[text].data_type == "s", text  # text, not a formula
            assert cells[text].quotePrefix, text
        lai_son = next(c.row for c in cells.values() if c.value == "    Trường Mầm non Lại Sơn")
        sheet = load_workbook(path)["stem-ket-qua"]
        assert sheet.cell(lai_son, 4).value == 4 and sheet.cell(lai_son, 4).data_type == "n"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_shows_the_formulas_as_typed(awkward, engine, tmp_path):
    path = download(awkward, engine, "60/KH-SGDĐT", tmp_path / "bao-cao.xlsx")
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "bao-cao.csv").read_text(encoding="utf-8"))))
    cells = {cell.strip() for row in rows for cell in row}
    assert {"=2+2", FORMULA_NAME, "@SUM(1)"} <= cells  # as typed: nothing was evaluated
    assert "bấm" not in cells and "4" in cells  # no hyperlink text; Lại Sơn's 4 lớp a number
