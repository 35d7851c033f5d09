"""Every document the project generates, printed by LibreOffice from the .docx and by Chromium
from the HTML preview, is laid out as NĐ 30/2020
Phụ lục I asks: A4 and its margins, the header's two columns with their rules, the date under
the Tiêu ngữ, Nơi nhận beside the signature, a justified body with first-line indents, the
sizes of each part, page numbers from page 2. The numbers come from domain/nd30_layout.py."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from docx import Document

from chidao.domain import nd30_layout as nd30
from chidao.domain.nd30_layout import STYLES, Part
from chidao.domain.official_document import MOTTO, NATIONAL_TITLE, DocumentKind, OfficialDocument
from chidao.files.document_writers import render_html, write_docx
from chidao.files.docx_layout import broken_lines
from chidao.files.text_measure import width_pt
from tests.support.libreoffice import to_pdf
from tests.support.sample_documents import kien_hai_plan, long_plan, notice, seeded_engine, urging

TOL = 1.5  # pt: what LibreOffice's rounding and a glyph's side bearing may move an edge
CENTRE_TOL = 3.0  # pt: "centred under"
LEFT, RIGHT = nd30.pt(nd30.MARGIN_LEFT_MM), nd30.pt(nd30.PAGE_WIDTH_MM - nd30.MARGIN_RIGHT_MM)
TOP, BOTTOM = nd30.pt(nd30.MARGIN_TOP_MM), nd30.pt(nd30.PAGE_HEIGHT_MM - nd30.MARGIN_BOTTOM_MM)
HEADER_SPLIT = LEFT + nd30.pt(nd30.HEADER_LEFT_MM)
SIGNATURE_SPLIT = LEFT + nd30.pt(nd30.SIGNATURE_LEFT_MM)
DOCX_KINDS = ["plan", "long_plan", "letter", "letter_to_one", "notice"]
KINDS = [*DOCX_KINDS, *(f"html:{kind}" for kind in DOCX_KINDS)]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@dataclass
class Printed:
    doc: OfficialDocument
    pages: list[Any]  # pdfplumber pages


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Each kind of document written as .docx and printed to PDF (one soffice run)."""
    folder = tmp_path_factory.mktemp("geometry")
    engine = seeded_engine(folder / "chidao.db")
    plan = kien_hai_plan(engine)
    letter = urging(engine, "kh-kien-hai-stem-2026", "UBND-KIENHAI")
    engine.dispose()
    docs = {"plan": plan, "long_plan": long_plan(plan), "letter": letter,
            "letter_to_one": replace(letter, addressees=letter.addressees[:1]),
            "notice": notice()}
    for name, doc in docs.items():
        write_docx(doc, folder / f"{name}.docx")
    pdfs = to_pdf([folder / f"{name}.docx" for name in docs], folder)
    pdfs += print_html(docs, folder)
    opened = [pdfplumber.open(pdf) for pdf in pdfs]
    names = [*docs, *(f"html:{name}" for name in docs)]
    yield {name: Printed(docs[name.removeprefix("html:")], pdf.pages)
           for name, pdf in zip(names, opened, strict=True)}
    for pdf in opened:
        pdf.close()


def print_html(docs: dict[str, OfficialDocument], folder: Path) -> list[Path]:
    """Each document's HTML preview printed to PDF by Chromium (its @page size and margins)."""
    from playwright.sync_api import sync_playwright

    pdfs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            for name, doc in docs.items():
                page.set_content(render_html(doc))
                pdfs.append(folder / f"html-{name}.pdf")
                page.pdf(path=str(pdfs[-1]), prefer_css_page_size=True, print_background=True)
        finally:
            browser.close()
    return pdfs


def find(page: Any, text: str) -> dict[str, Any]:
    """Where `text` is printed on `page` (runs of spaces may print as one)."""
    pattern = r"\s+".join(re.escape(word) for word in text.split())
    found = page.search(pattern, regex=True)
    assert found, f"{text!r} not on page {page.page_number}"
    return found[0]


def lines_in(page: Any, box: tuple[float, float, float, float]) -> list[dict[str, Any]]:
    """The lines of text wholly inside `box`."""
    return page.within_bbox(box).extract_text_lines(return_chars=True)


def joined(lines: list[dict[str, Any]]) -> str:
    """Printed lines as one string without spaces (a line may break at a space or a hyphen)."""
    return "".join("".join(line["text"] for line in lines).split())


def unspaced(*texts: str) -> str:
    return "".join("".join(texts).split())


def mid(box: dict[str, Any]) -> float:
    return (box["x0"] + box["x1"]) / 2


def assert_style(box: dict[str, Any], part: Part) -> None:
    style = STYLES[part]
    chars = [c for c in box["chars"] if c["text"].strip()]
    assert chars, box["text"]
    for char in chars:
        assert char["size"] == pytest.approx(style.size_pt, abs=0.1), (part, box["text"])
        assert ("Bold" in char["fontname"]) is style.bold, (part, char["fontname"], box["text"])
        assert ("Italic" in char["fontname"]) is style.italic, (part, char["fontname"])


def rules(page: Any) -> list[dict[str, Any]]:
    """The page's horizontal rules: lines (LibreOffice, which may draw one twice) or thin
    filled rectangles (Chromium's borders)."""
    thin = [r for r in [*page.lines, *page.rects] if r["bottom"] - r["top"] < 2
            and r["x1"] - r["x0"] > 5]
    seen = {(round(r["x0"]), round(r["x1"]), round(r["top"])): r for r in thin}
    return list(seen.values())


def assert_ruled(page: Any, part: Part, above: list[dict[str, Any]], below_y: float) -> None:
    """A rule centred under the lines `above`, before `below_y`, as long as NĐ 30 says."""
    longest = max(above, key=lambda line: line["x1"] - line["x0"])
    bottom = max(line["bottom"] for line in above)
    left, right = min(line["x0"] for line in above), max(line["x1"] for line in above)
    (rule,) = [r for r in rules(page) if bottom <= r["top"] <= below_y
               and r["x0"] >= left - TOL and r["x1"] <= right + TOL]  # under these lines
    spec = next(r for r in nd30.RULES if r.under is part)
    ratio = (rule["x1"] - rule["x0"]) / (longest["x1"] - longest["x0"])
    assert spec.low - 0.02 <= ratio <= spec.high + 0.02, (part, ratio)
    assert mid(rule) == pytest.approx(mid(longest), abs=CENTRE_TOL), part


@pytest.mark.parametrize("kind", KINDS)
def test_pages_are_a4_and_text_keeps_inside_the_margins(printed, kind):
    for page in printed[kind].pages:
        assert (page.width, page.height) == (pytest.approx(nd30.pt(nd30.PAGE_WIDTH_MM), abs=1),
                                             pytest.approx(nd30.pt(nd30.PAGE_HEIGHT_MM), abs=1))
        assert (page.width, page.height) == (pytest.approx(595, abs=1),  # A4, as PDF says it
                                             pytest.approx(842, abs=1))
        chars = [c for c in page.chars if c["text"].strip() and c["top"] > TOP - 4 * TOL]
        assert chars
        assert min(c["x0"] for c in chars) >= LEFT - TOL
        assert max(c["x1"] for c in chars) <= RIGHT + TOL
        assert min(c["top"] for c in chars) >= TOP - TOL
        assert max(c["bottom"] for c in chars) <= BOTTOM + TOL
        # Times New Roman or its metric twin for every letter (no fallback font for "Ở", "Ụ")
        assert {c["fontname"].split("+")[-1].split("-")[0] for c in page.chars} <= {
            "LiberationSerif", "TimesNewRoman", "TimesNewRomanPSMT"}


def header(printed: Printed) -> dict[str, Any]:
    """The header's parts as printed on page 1: the left column's lines above "Số", etc."""
    doc, page = printed.doc, printed.pages[0]
    number = find(page, doc.number_line)
    left = lines_in(page, (LEFT - TOL, 0, HEADER_SPLIT, number["top"] - 0.5))
    return {"number": number, "left": left, "national": find(page, NATIONAL_TITLE),
            "motto": find(page, MOTTO), "place_date": find(page, doc.place_date_line)}


@pytest.mark.parametrize("kind", KINDS)
def test_header_is_two_columns_issuer_left_quoc_hieu_right(printed, kind):
    doc, page, parts = printed[kind].doc, printed[kind].pages[0], header(printed[kind])
    left, national, motto = parts["left"], parts["national"], parts["motto"]
    governing = [line for line in left if not any("Bold" in c["fontname"] for c in line["chars"])]
    issuer = [line for line in left if line not in governing]
    assert [line["text"] for line in governing] == broken_lines(doc)[Part.GOVERNING_BODY]
    assert [line["text"] for line in issuer] == broken_lines(doc)[Part.ISSUER]  # as typed
    for line in governing:
        assert_style(line, Part.GOVERNING_BODY)
    for line in issuer:
        assert_style(line, Part.ISSUER)
    assert national["x0"] > max(line["x1"] for line in left)
    assert abs(national["top"] - left[0]["top"]) <= STYLES[Part.NATIONAL_TITLE].size_pt * 1.2
    assert_style(national, Part.NATIONAL_TITLE)
    assert motto["top"] > national["bottom"] - TOL and mid(motto) == pytest.approx(
        mid(national), abs=CENTRE_TOL)
    assert_style(motto, Part.MOTTO)
    assert_ruled(page, Part.ISSUER, issuer, parts["number"]["top"])
    assert_ruled(page, Part.MOTTO, [motto], parts["place_date"]["top"])


@pytest.mark.parametrize("kind", KINDS)
def test_place_and_date_centred_in_italic_under_the_motto(printed, kind):
    parts = header(printed[kind])
    place, motto = parts["place_date"], parts["motto"]
    assert place["top"] > motto["bottom"]
    assert mid(place) == pytest.approx(mid(motto), abs=CENTRE_TOL)
    assert_style(place, Part.PLACE_DATE)


@pytest.mark.parametrize("kind", KINDS)
def test_number_centred_under_the_issuer_and_subject_under_it(printed, kind):
    doc, page, parts = printed[kind].doc, printed[kind].pages[0], header(printed[kind])
    number, issuer = parts["number"], parts["left"][-1]
    assert number["top"] > issuer["bottom"]
    assert mid(number) == pytest.approx(mid(issuer), abs=CENTRE_TOL)
    assert_style(number, Part.NUMBER)
    if doc.kind is not DocumentKind.LETTER:
        assert "V/v" not in page.extract_text()
        return
    subject = lines_in(page, (LEFT - TOL, number["bottom"], HEADER_SPLIT, number["bottom"] + 60))
    assert joined(subject) == unspaced(doc.subject_line)
    for line in subject:
        assert mid(line) == pytest.approx(mid(number), abs=CENTRE_TOL)
        assert_style(line, Part.SUBJECT)


def body_top(printed: Printed) -> float:
    """Where the body begins on page 1: under the trích yếu's rule, or under Kính gửi."""
    doc, page = printed.doc, printed.pages[0]
    if doc.kind is DocumentKind.LETTER:
        last = (f"- {doc.addressees[-1]};" if len(doc.addressees) > 1
                else f"Kính gửi: {doc.addressees[0]}")
        return float(find(page, last)["bottom"])
    type_name = find(page, doc.kind.type_name)
    return max(r["top"] for r in rules(page) if r["top"] > type_name["bottom"])


@pytest.mark.parametrize("kind", ["plan", "long_plan", "notice", "html:plan", "html:notice"])
def test_type_name_and_title_centred_in_bold_with_a_rule_under(printed, kind):
    doc, page = printed[kind].doc, printed[kind].pages[0]
    type_name = find(page, doc.kind.type_name)
    assert type_name["top"] > header(printed[kind])["place_date"]["bottom"]
    assert_style(type_name, Part.TYPE_NAME)
    centre = (LEFT + RIGHT) / 2
    assert mid(type_name) == pytest.approx(centre, abs=CENTRE_TOL)
    title = lines_in(page, (LEFT - TOL, type_name["bottom"], RIGHT + TOL, body_top(printed[kind])))
    assert [line["text"] for line in title] == broken_lines(doc)[Part.TITLE]
    assert joined(title) == unspaced(doc.title)
    for line in title:
        assert mid(line) == pytest.approx(centre, abs=CENTRE_TOL)
        assert_style(line, Part.TITLE)
    assert_ruled(page, Part.TITLE, title, body_top(printed[kind]) + 1)


@pytest.mark.parametrize("kind", ["letter", "letter_to_one", "html:letter",
                                  "html:letter_to_one"])
def test_a_letter_has_kinh_gui_and_no_type_name(printed, kind):
    doc, page = printed[kind].doc, printed[kind].pages[0]
    label = find(page, "Kính gửi:")
    assert label["top"] > header(printed[kind])["number"]["bottom"]
    if len(doc.addressees) == 1:
        assert mid(find(page, f"Kính gửi: {doc.addressees[0]}")) == pytest.approx(
            (LEFT + RIGHT) / 2, abs=CENTRE_TOL)
        return
    items = [find(page, f"- {name};") for name in doc.addressees]
    assert items[0]["top"] == pytest.approx(label["top"], abs=TOL)  # on the label's line
    assert {round(item["x0"]) for item in items} == {round(items[0]["x0"])}
    assert items[0]["x0"] > label["x1"]


def signature_row(printed: Printed) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    page = printed.pages[-1]
    label = find(page, "Nơi nhận:")
    block = lines_in(page, (SIGNATURE_SPLIT, label["top"] - 20, RIGHT + TOL, BOTTOM + TOL))
    return label, block


@pytest.mark.parametrize("kind", KINDS)
def test_noi_nhan_sits_left_of_the_signature_block_centred_in_the_right_half(printed, kind):
    doc, page = printed[kind].doc, printed[kind].pages[-1]
    label, block = signature_row(printed[kind])
    assert_style(label, Part.RECIPIENTS_LABEL)
    assert label["x0"] == pytest.approx(LEFT, abs=TOL)
    assert abs(label["top"] - block[0]["top"]) <= STYLES[Part.SIGNATURE].size_pt * 1.2
    assert label["x1"] < min(line["x0"] for line in block)
    assert joined(block) == unspaced(*doc.signature.lines, doc.signature.name)
    for line in block:
        assert mid(line) == pytest.approx((SIGNATURE_SPLIT + RIGHT) / 2, abs=CENTRE_TOL)
        assert_style(line, Part.SIGNATURE)
    recipients = lines_in(page, (LEFT - TOL, label["bottom"], SIGNATURE_SPLIT, BOTTOM + TOL))
    assert joined(recipients) == unspaced(*(f"- {name}" for name in doc.recipients))
    for line in recipients:
        assert line["x0"] == pytest.approx(LEFT, abs=TOL)
        assert_style(line, Part.RECIPIENTS)


def body_lines(printed: Printed) -> list[list[dict[str, Any]]]:
    """The body's printed lines, page by page (under the title or Kính gửi on page 1, above
    Nơi nhận on the last page)."""
    pages = []
    for index, page in enumerate(printed.pages):
        top = body_top(printed) + 0.5 if index == 0 else TOP - TOL
        bottom = (find(page, "Nơi nhận:")["top"] - 0.5 if index == len(printed.pages) - 1
                  else BOTTOM + TOL)
        pages.append(lines_in(page, (LEFT - TOL, top, RIGHT + TOL, bottom)))
    return pages


@pytest.mark.parametrize("kind", KINDS)
def test_body_is_justified_with_a_first_line_indent(printed, kind):
    doc = printed[kind].doc
    indent = LEFT + nd30.pt(nd30.FIRST_LINE_INDENT_MM)
    starts, full = 0, 0
    for lines in body_lines(printed[kind]):
        for line, following in zip(lines, [*lines[1:], None], strict=True):
            assert_style(line, Part.HEADING if line["chars"][0]["fontname"].endswith("Bold")
                         else Part.BODY)
            if line["x0"] == pytest.approx(indent, abs=TOL):
                starts += 1
            else:
                assert line["x0"] == pytest.approx(LEFT, abs=TOL), line["text"]
            if following and following["x0"] == pytest.approx(LEFT, abs=TOL):
                assert line["x1"] == pytest.approx(RIGHT, abs=TOL), line["text"]  # justified
                full += 1
    assert starts == len(doc.body)  # every paragraph starts indented, and only there
    assert full > 0


def test_a_long_plan_runs_onto_page_2(printed):
    assert len(printed["long_plan"].pages) >= 2
    assert len(printed["html:long_plan"].pages) >= 2


@pytest.mark.parametrize("kind", KINDS)
def test_pages_are_numbered_from_page_2_centred_in_the_top_margin(printed, kind):
    for page in printed[kind].pages:
        numbers = [c for c in page.chars if c["bottom"] < TOP and c["text"].strip()]
        if page.page_number == 1:
            assert numbers == []
            continue
        assert "".join(c["text"] for c in numbers) == str(page.page_number)
        box = {"x0": numbers[0]["x0"], "x1": numbers[-1]["x1"], "chars": numbers}
        assert mid(box) == pytest.approx((LEFT + RIGHT) / 2, abs=CENTRE_TOL)
        assert_style(box, Part.PAGE_NUMBER)


@pytest.mark.parametrize("kind", DOCX_KINDS)
def test_the_docx_keeps_each_name_and_title_whole_for_its_readers(printed, kind, tmp_path):
    """The header's names, the V/v and the trích yếu print on several lines but are each one
    paragraph holding the whole text (no hand-made breaks), as an importer wants them."""
    doc = printed[kind].doc
    path = tmp_path / "doc.docx"
    write_docx(doc, path)
    document = Document(str(path))
    header_cells = [[p.text for p in cell.paragraphs if p.text]
                    for cell in document.tables[0].rows[0].cells]
    left = [doc.governing_body, doc.issuer, doc.number_line, doc.subject_line]
    assert header_cells == [[text for text in left if text],
                            [NATIONAL_TITLE, MOTTO, doc.place_date_line]]
    texts = [p.text for p in document.paragraphs]
    if doc.kind is not DocumentKind.LETTER:
        assert doc.title in texts
    signature = [p.text for p in document.tables[1].rows[0].cells[1].paragraphs if p.text]
    assert signature == [line for line in [*doc.signature.lines, doc.signature.name] if line]


def test_rule_lengths_are_measured_from_times_metrics(printed):
    """The writer sizes the rules from Times' metrics: they match what LibreOffice prints."""
    page = printed["notice"].pages[0]
    motto = find(page, MOTTO)
    assert width_pt(MOTTO, STYLES[Part.MOTTO]) == pytest.approx(motto["x1"] - motto["x0"],
                                                                 rel=0.03)

