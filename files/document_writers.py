"""Write an OfficialDocument as .docx (python-docx), HTML (Jinja2) or plain text.

Foundation version: the parts are written one under the other; the NĐ 30 layout (A4, the
two-column header table, the Nơi nhận / signature table, page numbers) replaces it."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..domain.official_document import (
    MOTTO,
    NATIONAL_TITLE,
    OfficialDocument,
    ParagraphStyle,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"


def text_lines(doc: OfficialDocument) -> list[str]:
    """The document as lines of text, in reading order (header left column, then right)."""
    lines = [doc.governing_body, doc.issuer, doc.number_line, doc.subject_line,
             NATIONAL_TITLE, MOTTO, doc.place_date_line, doc.kind.type_name,
             "" if doc.subject_line else doc.title]
    lines = [line for line in lines if line]
    if doc.addressees:
        lines.append("Kính gửi:" + (f" {doc.addressees[0]}" if len(doc.addressees) == 1 else ""))
        lines += [f"- {name};" for name in doc.addressees] if len(doc.addressees) > 1 else []
    lines += [("- " if p.style is ParagraphStyle.BULLET else "") + p.text for p in doc.body]
    lines += ["Nơi nhận:", *[f"- {r}" for r in doc.recipients], *doc.signature.lines]
    if doc.signature.name:
        lines.append(doc.signature.name)
    return lines


def write_docx(doc: OfficialDocument, path: Path) -> None:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for line in text_lines(doc):
        paragraph = document.add_paragraph()
        paragraph.add_run(line)
        if line in {NATIONAL_TITLE, MOTTO, doc.kind.type_name, doc.title}:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.save(str(path))


def render_html(doc: OfficialDocument) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]))
    return env.get_template("document.html").render(lines=text_lines(doc),
                                                    title=doc.title or "Văn bản")
