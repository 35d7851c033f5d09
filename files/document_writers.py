"""Write a document's blocks as .docx (python-docx) or HTML (Jinja2)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape


@dataclass(frozen=True)
class Block:
    """One paragraph of a document and how it is laid out."""
    style: str  # header | center | title | para | heading | bullet | right
    text: str


TEMPLATES = Path(__file__).resolve().parent / "templates"
ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "title": WD_ALIGN_PARAGRAPH.CENTER,
         "header": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def write_docx(blocks: list[Block], path: Path) -> None:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for block in blocks:
        text = f"- {block.text}" if block.style == "bullet" else block.text
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = block.style in {"title", "heading", "center", "header", "right"}
        if block.style in ALIGN:
            paragraph.alignment = ALIGN[block.style]
    document.save(str(path))


def render_html(blocks: list[Block]) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]))
    return env.get_template("document.html").render(blocks=blocks)
