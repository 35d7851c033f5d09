"""LibreOffice (Debian libreoffice-writer-nogui, installed by `bash run tests`) turns .docx into
PDF, the way an office prints what it signs; poppler's pdftoppm turns a page into PNG."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
CONVERT_TIMEOUT_S = 180


def to_pdf(documents: list[Path], outdir: Path) -> list[Path]:
    """Each .docx as a PDF in `outdir` (one soffice run for all; its own profile folder, so
    concurrent runs do not share a lock). Raises when a PDF is not produced."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chidao-lo-") as profile:
        done = subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), *map(str, documents)],
            capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S, stdin=subprocess.DEVNULL)
    pdfs = [outdir / f"{path.stem}.pdf" for path in documents]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"soffice made no {missing}: {done.stdout} {done.stderr}")
    return pdfs


def page_png(pdf: Path, out_stem: Path, page: int = 1, dpi: int = 80) -> Path:
    """Page `page` of `pdf` as `<out_stem>.png` (pdftoppm)."""
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(out_stem)], check=True, timeout=60,
                   stdin=subprocess.DEVNULL)
    return out_stem.with_suffix(".png")
