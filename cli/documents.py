"""Document commands: import a directive's text; draft a plan or an urging letter."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..domain.signers import Signer  # (an option's type: Typer reads it; a light module)
from .common import JSON, NOW, console, err, print_json, reports_errors, runtime

if TYPE_CHECKING:
    from ..domain.official_document import OfficialDocument

SIGNER = typer.Option(Signer.HEAD, "--signer", help=(
    "Who signs: head (GIÁM ĐỐC; TM. for a collective), deputy (KT.), acting (Q.), "
    "by-order (TL.) or authorised (TUQ.), the last two with --signer-title."))
SIGNER_NAME = typer.Option("", "--signer-name", help="The signer's name under the signature.")
SIGNER_TITLE = typer.Option(None, "--signer-title",
                            help="The signer's own title for TL./TUQ. (CHÁNH VĂN PHÒNG).")


def register(app: typer.Typer) -> None:
    app.command("import")(reports_errors(import_file))
    app.command("draft-plan")(reports_errors(draft_plan))
    app.command("draft-urging")(reports_errors(draft_urging))


def import_file(file: Path, as_json: bool = JSON,
                yaml_out: Path = typer.Option(None, "--yaml", help="Write a directive draft.")
                ) -> None:
    """Read a directive (.txt, .md, .docx, .pdf) into a draft: fields, lines, what is missing."""
    from ..db.database import reading
    from ..services.doc_import import draft_yaml, import_document

    rt = runtime()
    url, cap = rt.settings.database_url, rt.settings.document_max_unpacked_bytes
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        draft = import_document(file, None, cap)  # no database: read the document all the same
    else:
        with reading(rt.engine) as session:
            draft = import_document(file, session, cap)
    if yaml_out:
        yaml_out.write_text(draft_yaml(draft), encoding="utf-8")
        console.print(f"Wrote {yaml_out}: complete the TODOs, then chidao directive issue")
    if as_json or not yaml_out:
        print_json(draft)


def _write(doc: OfficialDocument, docx: Path | None, html: Path | None) -> None:
    from ..files.document_writers import render_html, text_lines, write_docx

    for warning in doc.warnings:  # for the drafter: the document is still written (exit 0)
        err.print(f"Cảnh báo: {warning}", highlight=False, markup=False, soft_wrap=True)
    if docx:
        write_docx(doc, docx)
        console.print(f"Wrote {docx}")
    if html:
        html.write_text(render_html(doc), encoding="utf-8")
        console.print(f"Wrote {html}")
    if not (docx or html):
        for line in text_lines(doc):
            console.print(line, highlight=False, markup=False, soft_wrap=True)


def draft_plan(ref: str, unit: str = typer.Option(..., "--unit"),
               docx: Path = typer.Option(None), html: Path = typer.Option(None),
               days: int = typer.Option(5, help="Working days before the unit's own deadline."),
               signer: Signer = SIGNER, signer_name: str = SIGNER_NAME,
               signer_title: str = SIGNER_TITLE, now: str = NOW) -> None:
    """The unit's implementation plan answering directive REF (NĐ 30 layout)."""
    from ..db.database import reading
    from ..db.lookup import directive_by_ref
    from ..services.documents import implementation_plan

    rt = runtime(now)
    with reading(rt.engine) as session:
        doc = implementation_plan(session, directive=directive_by_ref(session, ref),
                                  unit_code=unit, now=rt.now(), calendar=rt.calendar,
                                  days_before=days, signer=signer,
                                  signer_name=signer_name, signer_title=signer_title)
    _write(doc, docx, html)


def draft_urging(ref: str, unit: str = typer.Option(..., "--unit"),
                 docx: Path = typer.Option(None), html: Path = typer.Option(None),
                 signer: Signer = SIGNER, signer_name: str = SIGNER_NAME,
                 signer_title: str = SIGNER_TITLE, now: str = NOW) -> None:
    """A letter urging the unit's late subordinates under directive REF (công văn đôn đốc)."""
    from ..db.database import reading
    from ..db.lookup import directive_by_ref
    from ..services.documents import urging_letter

    rt = runtime(now)
    moment = rt.now()
    with reading(rt.engine) as session:
        doc = urging_letter(session, directive=directive_by_ref(session, ref), unit_code=unit,
                            now=moment, today=rt.calendar.local_date(moment), signer=signer,
                            signer_name=signer_name, signer_title=signer_title)
    _write(doc, docx, html)
