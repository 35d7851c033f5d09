"""Reading the files people really send: a .docx laid out as Word users lay NĐ 30 out (the
header and the signature as tables), the PDF LibreOffice prints of it, and the corpus texts
written by the project's own writer and printed to PDF — each must read back to what the .txt
reads to."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Cm, Pt

from chidao.domain.doc_parse import parse_document
from chidao.domain.errors import InvalidInput
from chidao.files import pdf_reader
from chidao.services.doc_import import import_document, read_document
from tests.support.corpus_variants import (
    Variant,
    corpus_sources,
    variant_parser,
    write_variants,
)
from tests.support.import_scores import corpus_scores, documents, misses
from tests.support.libreoffice import to_pdf
from tests.support.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "documents"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LEFT = ["ỦY BAN NHÂN DÂN TỈNH AN GIANG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 215/SGDĐT-GDMN",
        "V/v triển khai giáo dục STEM\ntrong giáo dục mầm non"]  # "\n": a soft line break
RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "An Giang, ngày 18 tháng 01 năm 2027"]
OPENING = ["Kính gửi:", "- Ủy ban nhân dân các xã, phường, đặc khu;",
           "- Các cơ sở giáo dục mầm non trực thuộc.",
           "Căn cứ Kế hoạch số 1039/KH-SGDĐT ngày 26/02/2026 của Sở Giáo dục và Đào tạo tỉnh An"
           " Giang về triển khai thực hiện giáo dục STEM trong giáo dục mầm non năm học"
           " 2025-2026, Sở Giáo dục và Đào tạo đề nghị các đơn vị thực hiện các nội dung sau:",
           "III. TỔ CHỨC THỰC HIỆN"]
TASKS = [f"- Nội dung {i}: rà soát điều kiện cơ sở vật chất, đồ dùng, đồ chơi và học liệu phục"
         f" vụ giáo dục STEM của từng nhóm, lớp; xây dựng kế hoạch bồi dưỡng giáo viên theo"
         f" nhu cầu của đơn vị{', tổ chức sinh hoạt chuyên môn theo cụm trường' * (i % 3)}"
         f" và báo cáo kết quả về Sở trước ngày {i + 1:02d}/5/2027;"
         for i in range(16)]  # enough to run onto a second page
NOI_NHAN = ["Nơi nhận:", "- Như trên;", "- Giám đốc Sở (để b/c);", "- Lưu: VT, GDMN."]
SIGNATURE = ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(đã ký)", "Nguyễn Văn An"]
DATA_TABLE = [["Lịch kiểm tra"], ["Đơn vị", "Thời gian", "NESTED"], ["Xã Kiên Hải", "Tháng 4",
                                                                    "Ghi chú"]]
NESTED = [["Tổ", "Người"], ["Chuyên môn", "Bà Lan"]]


def _number_in_a_content_control(paragraph: Any, line: str) -> None:
    """"Số: 215/…" with the number typed into a form field (an inline content control)."""
    label, number, symbol = re.match(r"(Số: )(\d+)(/.+)", line).groups()  # type: ignore
    paragraph.add_run(label)
    paragraph._p.append(parse_xml(
        f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:alias w:val="Số"/></w:sdtPr>'
        f'<w:sdtContent><w:r><w:t>{number}</w:t></w:r></w:sdtContent></w:sdt>'))
    paragraph.add_run(symbol)


def _cell_lines(cell: Any, lines: list[str], *, align: WD_ALIGN_PARAGRAPH) -> None:
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = align
        if line.startswith("Số: "):
            _number_in_a_content_control(paragraph, line)
            continue
        first, *rest = line.split("\n")
        run = paragraph.add_run(first)
        run.bold = line.isupper()
        for more in rest:
            run.add_break()
            paragraph.add_run(more)


def _layout_table(document: Any, left: list[str], right: list[str], widths_cm: tuple[float,
                  float], left_align: WD_ALIGN_PARAGRAPH, *, rows: int = 1) -> None:
    """Left lines and right lines in a table with no rules (the default style); with two rows,
    as some offices do, "Số" and the place and date go into the second row."""
    table = document.add_table(rows=rows, cols=2)
    split = (len(left) - 2, len(right) - 1) if rows == 2 else (len(left), len(right))
    for r, (lefts, rights) in enumerate([(left[:split[0]], right[:split[1]]),
                                         (left[split[0]:], right[split[1]:])][:rows]):
        cells = table.rows[r].cells
        for cell, width in zip(cells, widths_cm, strict=True):
            cell.width = Cm(width)
        _cell_lines(cells[0], lefts, align=left_align)
        _cell_lines(cells[1], rights, align=WD_ALIGN_PARAGRAPH.CENTER)


def _data_table(document: Any) -> None:
    """A ruled table: a title row merged across, and a table nested in a cell."""
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    title = table.cell(0, 0).merge(table.cell(0, 2))
    title.paragraphs[0].add_run(DATA_TABLE[0][0])
    for r, row in enumerate(DATA_TABLE[1:], start=1):
        for c, text in enumerate(row):
            if text == "NESTED":
                nested = table.cell(r, c).add_table(rows=2, cols=2)
                nested.style = "Table Grid"
                for nr, nested_row in enumerate(NESTED):
                    for nc, nested_text in enumerate(nested_row):
                        nested.cell(nr, nc).paragraphs[0].add_run(nested_text)
            else:
                table.cell(r, c).paragraphs[0].add_run(text)


def word_user_docx(path: Path, *, data_table: bool = False, header_rows: int = 1,
                   right_lower_pt: float = 0) -> Path:
    """A công văn as Word users lay NĐ 30 out: A4, the header and the signature as tables,
    the page number in the page header."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    document.styles["Normal"].font.name = "Liberation Serif"
    document.styles["Normal"].font.size = Pt(13)
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number._p.append(parse_xml(  # a PAGE field, as Word writes it
        f'<w:fldSimple xmlns:w="{W}" w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    _layout_table(document, LEFT, RIGHT, (6.5, 9.5), WD_ALIGN_PARAGRAPH.CENTER,
                  rows=header_rows)
    right_cell = document.tables[0].rows[0].cells[1]  # its lines a little lower than the left's
    right_cell.paragraphs[0].paragraph_format.space_before = Pt(right_lower_pt)
    for text in [*OPENING, *TASKS]:
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    if data_table:
        _data_table(document)
    _layout_table(document, NOI_NHAN, SIGNATURE, (8, 8), WD_ALIGN_PARAGRAPH.LEFT)
    document.save(str(path))
    return path


def nonblank(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_a_word_users_docx_reads_its_tables_in_reading_order(tmp_path: Path):
    """The header table's left cell (agency, Số with its number in a form field, V/v with its
    soft break), then its right cell; the ruled table row by row, its merged title once, the
    nested table where it sits; the signature table's Nơi nhận, then the signature; the page
    number is no text."""
    text = read_document(word_user_docx(tmp_path / "cong-van.docx", data_table=True))
    table = [DATA_TABLE[0][0], *DATA_TABLE[1][:2], *[t for row in NESTED for t in row],
             *DATA_TABLE[2]]
    expected = [*"\n".join(LEFT).split("\n"), *RIGHT, *OPENING, *TASKS, *table, *NOI_NHAN,
                *SIGNATURE]
    assert nonblank(text) == expected


@pytest.mark.parametrize(("header_rows", "right_lower_pt"), [(1, 0), (2, 0), (1, 6)])
def test_a_word_users_docx_and_its_pdf_read_to_the_same_fields(tmp_path: Path, header_rows,
                                                                right_lower_pt):
    docx = word_user_docx(tmp_path / "cong-van.docx", header_rows=header_rows,
                          right_lower_pt=right_lower_pt)
    (pdf,) = to_pdf([docx], tmp_path / "pdf")
    txt = tmp_path / "cong-van.txt"
    txt.write_text("\n".join([*"\n".join(LEFT).split("\n"), *RIGHT, *OPENING, *TASKS,
                              *NOI_NHAN, *SIGNATURE]), encoding="utf-8")
    want = import_document(txt)
    assert (want["symbol"], want["issuer"], want["place"]) == (
        "SGDĐT-GDMN", LEFT[1], "An Giang")  # the .txt reads right: the yardstick is sound
    for path in (docx, pdf):
        got = import_document(path)
        assert compared(got) == compared(want), path.name
    with pdfplumber.open(pdf) as printed:  # a task runs over a page break: the test has teeth
        tops = [page.extract_text_lines()[1]["text"] for page in printed.pages[1:]]
    assert any(not top.startswith("- Nội dung") for top in tops), tops
    lines = nonblank(read_document(pdf))
    # the header band reads left column first; every task paragraph comes back whole, the
    # one that runs over the page break too, and the page numbers are not text
    assert lines.index(LEFT[2]) < lines.index(RIGHT[0]) < lines.index(RIGHT[2])
    assert nonblank(read_document(docx))[:6] == [*"\n".join(LEFT).split("\n"), *RIGHT][:6]
    assert [line for line in lines if line.startswith("- Nội dung")] == TASKS
    assert not [line for line in lines if line.strip().isdigit()]
    assert lines[-len(NOI_NHAN + SIGNATURE):] == NOI_NHAN + SIGNATURE


HEADER = ("number", "symbol", "doc_type", "issuer", "place", "issued_on", "title",
          "school_year")


def compared(draft: dict[str, Any]) -> dict[str, Any]:
    """The fields a reader must not change: the header, the Căn cứ, the recipients, the
    signer, the assignee groups (line numbers aside: a PDF's lines are the reader's)."""
    signer = draft["signer"] or {}
    return {name: draft[name] for name in HEADER} | {
        "based_on": [(r["kind"], r["number"], r["symbol"], r["date"], r["issuer"])
                     for r in draft["based_on"]],
        "recipients": [(r["name"], r["purpose"]) for r in draft["recipients"]],
        "signer": (signer.get("authority"), signer.get("position"), signer.get("name")),
        "assignee_groups": [g["name"] for g in draft["assignee_groups"]],
    }


@pytest.fixture(scope="session")
def corpus_variants(tmp_path_factory: pytest.TempPathFactory) -> list[Variant]:
    """Every corpus text as .docx (the project's writer) and PDF (LibreOffice, one run)."""
    variants, skipped = write_variants(tmp_path_factory.mktemp("corpus-variants"))
    assert variants and len(variants) + len(skipped) == len(corpus_sources())
    return variants


def test_corpus_variants_read_back_to_what_the_text_reads(corpus_variants: list[Variant]):
    """Per format, the share of (document, field) pairs that agree with the .txt's draft."""
    agree = {"docx": [0, 0], "pdf": [0, 0]}
    misses = []
    for variant in corpus_variants:
        want = compared(parse_document(read_document(variant.source)))
        for kind, path in (("docx", variant.docx), ("pdf", variant.pdf)):
            got = compared(parse_document(read_document(path)))
            for name, value in want.items():
                agree[kind][1] += 1
                if got[name] == value:
                    agree[kind][0] += 1
                else:
                    misses.append(f"{variant.source.name} {kind} {name}: {got[name]!r}"
                                  f" (the .txt: {value!r})")
    rates = {kind: ok / total for kind, (ok, total) in agree.items()}
    print(f"\nreader parity with the .txt over {len(corpus_variants)} documents: "
          + ", ".join(f"{kind} {ok}/{total} ({rates[kind]:.1%})"
                      for kind, (ok, total) in agree.items()))
    print("\n".join(misses))
    assert min(rates.values()) >= 0.95, misses


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_every_field_of_the_own_corpus_reads_right_from_docx_and_pdf(
        corpus_variants: list[Variant], kind: str):
    """Done means: >= 95% of every field right against the hand-written expectations, for the
    .docx with tables (chidao's writer) and its PDF (LibreOffice) as for the .txt; every
    document of tests/fixtures/directives has a variant."""
    made = {v.source.resolve() for v in corpus_variants}
    paths = [p for p in documents() if p.resolve() in made]
    assert len(paths) == len(documents())
    parse = variant_parser(corpus_variants, kind)
    scores = corpus_scores(parse, paths)
    low = {f: (r, t) for f, (r, t) in scores.items() if r < 0.95 * t}
    assert not low, (low, misses(parse, paths))


def test_corpus_variant_headers_read_exactly(corpus_variants: list[Variant]):
    """The header fields are the reader's job alone (the rules read them off the .txt)."""
    for variant in corpus_variants:
        want = {k: v for k, v in compared(parse_document(read_document(variant.source))).items()
                if k in HEADER}
        for path in (variant.docx, variant.pdf):
            got = compared(parse_document(read_document(path)))
            assert {k: got[k] for k in HEADER} == want, path.name


def test_a_pdf_without_a_text_layer_or_past_the_cap_is_refused(tmp_path: Path, monkeypatch):
    blank = tmp_path / "scan.pdf"  # one empty page: what a scan without OCR reads as
    blank.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
        b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n")
    with pytest.raises(InvalidInput, match="has no text layer"):
        read_document(blank)
    (pdf,) = to_pdf([word_user_docx(tmp_path / "hai-trang.docx")], tmp_path / "pdf")
    monkeypatch.setattr(pdf_reader, "PDF_MAX_PAGES", 1)
    with pytest.raises(InvalidInput, match=r"\d pages \(at most 1\)"):
        read_document(pdf)
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"%PDF-1.4 then nothing a PDF has")
    with pytest.raises(InvalidInput, match="not a readable PDF document"):
        read_document(fake)


def test_a_damaged_pdf_reads_or_is_refused_never_crashes(tmp_path: Path):
    """Bytes flipped or cut off a real PDF: text, or the clear error, nothing else."""
    source = (FIXTURES / "kh-ubnd-kien-hai-stem-2026.pdf").read_bytes()
    rng = random.Random(7)
    outcomes = set()
    for attempt in range(40):
        damaged = bytearray(source)
        for _ in range(rng.choice([1, 5, 50])):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path = tmp_path / f"hong-{attempt}.pdf"
        path.write_bytes(bytes(damaged[:rng.randrange(len(damaged))] if attempt % 3 == 0
                               else damaged))
        try:
            read_document(path)
            outcomes.add("read")
        except InvalidInput:
            outcomes.add("refused")
    assert outcomes == {"read", "refused"}
