"""Write an OfficialDocument as .docx (files/docx_layout.py), HTML (Jinja2, the same NĐ 30
layout for the screen and the printer) or plain text in reading order."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..domain import nd30_layout as nd30
from ..domain.official_document import (
    MOTTO,
    NATIONAL_TITLE,
    DocumentKind,
    OfficialDocument,
    ParagraphStyle,
)
from .docx_layout import broken_lines, write_docx

__all__ = ["render_html", "text_lines", "write_docx"]

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


def render_html(doc: OfficialDocument) -> str:
    """A standalone UTF-8 page (lang="vi") laid out as the .docx: print CSS for A4 and NĐ 30's
    margins, tables for the header and the Nơi nhận / signature row."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]))
    return env.get_template("document.html").render(
        doc=doc, lines={part.value: lines for part, lines in broken_lines(doc).items()},
        nd30=nd30, styles={p.value: s for p, s in nd30.STYLES.items()},
        rules={r.under.value: r.fraction for r in nd30.RULES},
        national_title=NATIONAL_TITLE, motto=MOTTO, is_letter=doc.kind is DocumentKind.LETTER,
        bullet=ParagraphStyle.BULLET, heading=(ParagraphStyle.HEADING, ParagraphStyle.SUBHEADING),
        safe_break=Markup("<br>"), title=doc.title or "Văn bản")
