"""Page 1 of the demo's draft plan (UBND đặc khu Kiên Hải answering 1039/KH-SGDĐT) and of the
Sở's urging letter (công văn), printed by LibreOffice as PNG into docs/documents/, to look at
against NĐ 30/2020 Phụ lục I. Re-run after the documents' words or layout change:

    .venv/bin/python -m bench.document_pages [--dpi 100] [--out docs/documents]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from chidao.files.document_writers import write_docx
from tests.support.libreoffice import page_png, to_pdf
from tests.support.sample_documents import kien_hai_plan, seeded_engine, urging

PAGES = {"ke-hoach": "the Kiên Hải draft plan", "cong-van": "the Sở's urging letter"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path("docs/documents"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chidao-pages-") as tmp:
        folder = Path(tmp)
        engine = seeded_engine(folder / "chidao.db")
        docs = {"ke-hoach": kien_hai_plan(engine),
                "cong-van": urging(engine, "1039/KH-SGDĐT", "SGDDT-AG")}
        engine.dispose()
        for name, doc in docs.items():
            write_docx(doc, folder / f"{name}.docx")
        pdfs = to_pdf([folder / f"{name}.docx" for name in docs], folder)
        for name, pdf in zip(docs, pdfs, strict=True):
            png = page_png(pdf, args.out / f"{name}-trang-1", dpi=args.dpi)
            print(f"{png}: page 1 of {PAGES[name]} ({png.stat().st_size // 1024} KB)")
            print(f"  {extent(pdf)}")


def extent(pdf: Path) -> str:
    """Page 1's size and where its text runs, in millimetres (against NĐ 30's margins)."""
    import pdfplumber

    mm = 25.4 / 72
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        chars = [c for c in page.chars if c["text"].strip()]
        return (f"page {page.width * mm:.1f} x {page.height * mm:.1f} mm; text from x "
                f"{min(c['x0'] for c in chars) * mm:.1f} to {max(c['x1'] for c in chars) * mm:.1f}"
                f" mm, y {min(c['top'] for c in chars) * mm:.1f} to "
                f"{max(c['bottom'] for c in chars) * mm:.1f} mm")


if __name__ == "__main__":
    main()
